"""Minutes pages: reading and recording the minutes, one case's part, approval, amendments, the
PDF, marking a meeting held, and preparing the agenda now.

Meetings come from ``Meeting.objects.visible_to(user)`` (404 otherwise); writing needs the
"change" scope (those who run the meeting). Case parts the reader may not see are shown as a line
saying so. Every change goes through apps/conferences/services/.
"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import slugify
from django.utils.translation import gettext as _t
from django.views import View

from apps.accounts.models import User
from apps.cases.querysets import CASE_ROLES
from apps.core.audit import audit_log, audit_many
from apps.core.choices import AuditAction
from apps.core.service_errors import apply_service_errors
from apps.core.views_scoped import ScopedObjectView

from ..choices import MeetingStatus, MinutesStatus
from ..forms_minutes import ActionItemForm, AgendaItemMinutesForm, AmendmentForm, MinutesForm
from ..models import AgendaItem, Meeting, MeetingInvitee, SupervisionFeedback
from ..pdf import invitee_label, minutes_document, render_minutes_pdf
from ..querysets import RECORDS
from ..services import agenda as agenda_services
from ..services import minutes as minutes_services
from ..services.actions import owner_choices


def error_text(error: ValidationError) -> str:
    """All messages of a ValidationError as one line (for a flash message)."""
    return " ".join(str(m) for m in error.messages)


def meeting_page_url(meeting_id: int) -> str:
    """The meeting's own page if the meetings pages offer one, else its minutes."""
    try:
        return reverse("conferences:meeting_detail", kwargs={"pk": meeting_id})
    except NoReverseMatch:
        return reverse("conferences:minutes", kwargs={"pk": meeting_id})


def meeting_invitees(meeting) -> list[MeetingInvitee]:
    """The invitees of a meeting with their labels (the attendance fields of the minutes form)."""
    rows = list(MeetingInvitee.objects.filter(meeting=meeting).select_related("user", "institution").order_by("id"))
    for invitee in rows:
        invitee.label = invitee_label(invitee)
    return rows


class MeetingMixin(ScopedObjectView):
    """A page about the meeting of the URL, from the user's visible (or run, ``action`` "change")
    meetings; 404 otherwise."""

    model = Meeting
    select_related = ("municipality", "area", "chair", "supervisor")

    def get_meeting(self) -> Meeting:
        return self.get_scoped_object()

    def runs(self, meeting: Meeting) -> bool:
        return Meeting.objects.visible_to(self.request.user, "change").filter(pk=meeting.pk).exists()

    def minutes_url(self, anchor: str = "") -> str:
        url = reverse("conferences:minutes", kwargs={"pk": self.kwargs["pk"]})
        return f"{url}#{anchor}" if anchor else url


class MinutesView(MeetingMixin, View):
    """The minutes of a meeting: read by those who read its records (case parts as entitled),
    recorded by those who run it."""

    action = RECORDS
    template_name = "conferences/minutes/minutes.html"

    def invitees(self, meeting):
        return meeting_invitees(meeting)

    def context(self, form=None, status=200):
        request, user = self.request, self.request.user
        meeting = self.get_meeting()
        document = minutes_document(meeting, user)
        runs = self.runs(meeting)
        draft = document.minutes is None or document.minutes.status == MinutesStatus.DRAFT
        if runs and draft and form is None:
            minutes = document.minutes
            form = MinutesForm(
                initial={
                    "attendance_note": minutes.attendance_note if minutes else "",
                    "general_notes": minutes.general_notes if minutes else "",
                },
                invitees=self.invitees(meeting),
            )
        if document.visible_cases:
            audit_many(action=AuditAction.VIEW, objects=document.visible_cases, actor=user, details={"view": "minutes"})
        feedback = None
        if meeting.supervisor_id == user.pk:
            feedback = SupervisionFeedback.objects.filter(meeting=meeting, supervisor=user).first()
        return render(
            request,
            self.template_name,
            {
                "meeting": meeting,
                "doc": document,
                "form": form if runs and draft else None,
                "runs": runs,
                "draft": draft,
                "may_approve": draft and document.minutes is not None and minutes_services.may_approve(user, meeting),
                "may_mark_held": runs and meeting.status == MeetingStatus.SCHEDULED and timezone.now() >= meeting.starts_at,
                "is_supervisor": meeting.supervisor_id == user.pk,
                "feedback": feedback,
            },
            status=status,
        )

    def get(self, request, pk):
        return self.context()

    def post(self, request, pk):
        meeting = self.get_meeting()
        if not self.runs(meeting):
            raise PermissionDenied(_t("Only those who run the meeting record its minutes."))
        form = MinutesForm(request.POST, invitees=self.invitees(meeting))
        if form.is_valid():
            try:
                minutes_services.minutes_save(
                    user=request.user, meeting=meeting, attendance=form.attendance(),
                    attendance_note=form.cleaned_data["attendance_note"], general_notes=form.cleaned_data["general_notes"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _t("The minutes are saved."))
                return HttpResponseRedirect(self.minutes_url())
        return self.context(form=form, status=200)


class MinutesItemView(MeetingMixin, View):
    """One case's part of the minutes (for those who run the meeting), with its action items."""

    action = "change"
    template_name = "conferences/minutes/item.html"

    def get_item(self) -> AgendaItem:
        meeting = self.get_meeting()
        return get_object_or_404(
            AgendaItem.objects.select_related("case", "presenter"), pk=self.kwargs["item_pk"], meeting=meeting
        )

    def render_page(self, form, action_form=None):
        item = self.get_item()
        meeting = self.get_meeting()
        audit_log(action=AuditAction.VIEW, actor=self.request.user, obj=item.case, details={"view": "minutes_item"})
        if action_form is None:
            action_form = action_form_for(meeting, item)
        minutes = minutes_services.minutes_for(meeting)
        return render(
            self.request,
            self.template_name,
            {
                "meeting": meeting, "item": item, "form": form, "action_form": action_form,
                "actions": item.action_items.select_related("owner_institution", "responsible").order_by("due_on", "id"),
                "locked": minutes is not None and minutes.status == MinutesStatus.APPROVED,
            },
        )

    def get(self, request, pk, item_pk):
        item = self.get_item()
        form = AgendaItemMinutesForm(
            initial={
                "discussed": item.discussed, "discussion": item.discussion, "decisions": item.decisions,
                "risk_level": item.risk_level, "risk_reason": item.risk_reason, "next_review_on": item.next_review_on,
            },
            case=item.case,
        )
        return self.render_page(form)

    def post(self, request, pk, item_pk):
        item = self.get_item()
        form = AgendaItemMinutesForm(request.POST, case=item.case)
        if form.is_valid():
            try:
                minutes_services.agenda_item_record(user=request.user, item=item, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _t("The case's part of the minutes is saved."))
                return HttpResponseRedirect(self.minutes_url(f"item-{item.pk}"))
        return self.render_page(form)


def action_form_for(meeting, item, data=None) -> ActionItemForm:
    """The action-item form with the owner institutions and people of the meeting's municipalities."""
    institutions = owner_choices(meeting, item.case.municipality_id)
    people = User.objects.filter(
        is_active=True, memberships__is_active=True, memberships__institution__in=institutions,
        memberships__role__in=CASE_ROLES,
    ).distinct().order_by("last_name", "first_name")
    return ActionItemForm(data, institutions=institutions, people=people)


class MinutesApproveView(MeetingMixin, View):
    """The chair approves the minutes (POST)."""

    action = RECORDS

    def post(self, request, pk):
        meeting = self.get_meeting()
        try:
            minutes_services.minutes_approve(user=request.user, meeting=meeting)
        except ValidationError as error:
            messages.error(request, error_text(error))
            return HttpResponseRedirect(self.minutes_url())
        except PermissionDenied as error:
            messages.error(request, str(error))
            return HttpResponseRedirect(self.minutes_url())
        messages.success(request, _t("The minutes are approved and locked; the meeting is held."))
        return HttpResponseRedirect(self.minutes_url())


class MinutesAmendView(MeetingMixin, View):
    """Record an amendment to approved minutes."""

    action = "change"
    template_name = "conferences/minutes/amend.html"

    def items(self):
        return AgendaItem.objects.visible_to(self.request.user).filter(meeting=self.get_meeting()).select_related("case")

    def render_page(self, form):
        return render(self.request, self.template_name, {"meeting": self.get_meeting(), "form": form})

    def get(self, request, pk):
        return self.render_page(AmendmentForm(items=self.items()))

    def post(self, request, pk):
        form = AmendmentForm(request.POST, items=self.items())
        if form.is_valid():
            try:
                minutes_services.minutes_amend(user=request.user, meeting=self.get_meeting(), **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _t("The amendment is recorded."))
                return HttpResponseRedirect(self.minutes_url())
        return self.render_page(form)


class MinutesPdfView(MeetingMixin, View):
    """The minutes as a PDF in the reader's language and script (parts the reader may not see are
    replaced by a line saying so). The download is audited."""

    action = RECORDS

    def get(self, request, pk):
        meeting = self.get_meeting()
        language = getattr(request, "LANGUAGE_CODE", "") or getattr(request.user, "language", "")
        pdf = render_minutes_pdf(meeting, request.user, language)
        audit_log(action=AuditAction.EXPORT, actor=request.user, obj=meeting, details={"minutes_pdf": True})
        day = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d")
        response = HttpResponse(pdf, content_type="application/pdf")
        name = slugify(f"zapisnik-{meeting.municipality.code}-{day}") or "zapisnik"
        response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


class MeetingMarkHeldView(MeetingMixin, View):
    """Mark a meeting held after its start (POST)."""

    action = "change"

    def post(self, request, pk):
        try:
            minutes_services.meeting_mark_held(user=request.user, meeting=self.get_meeting())
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _t("The meeting is marked as held."))
        return HttpResponseRedirect(self.minutes_url())


class AgendaPrepareView(MeetingMixin, View):
    """"Prepare agenda now": put every case that needs the meeting on its agenda (POST)."""

    action = "change"

    def post(self, request, pk):
        meeting = self.get_meeting()
        if meeting.status == MeetingStatus.CANCELLED:
            messages.error(request, _t("The meeting was cancelled."))
        else:
            result = agenda_services.agenda_prepare(meeting=meeting)
            messages.success(
                request,
                _t("The agenda is prepared: %(added)d cases added, %(kept)d already on it.")
                % {"added": result.added, "kept": result.already_on_agenda},
            )
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
            target = meeting_page_url(meeting.pk)
        return HttpResponseRedirect(target)
