"""Meeting pages: the list, scheduling, the meeting page (agenda, invitees, answers), rescheduling,
cancelling, invitees, agenda editing and the meeting's own .ics.

Every meeting comes from ``Meeting.objects.visible_to(user)`` (404 otherwise); changes go through
the services, whose ValidationErrors land on the form fields they name. Double booking is shown
as a warning after saving.
"""
from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _t
from django.views import View

from apps.core.audit import audit_log, audit_many
from apps.core.choices import AuditAction
from apps.core.locking import VersionConflict
from apps.core.service_errors import apply_service_errors
from apps.core.views import ScopedListView
from apps.core.views_scoped import ScopedObjectView, ScopedView

from .. import ics
from ..choices import MeetingKind, MeetingStatus
from ..forms_meetings import (
    ALIASES,
    AgendaAddForm,
    CancelForm,
    InviteeForm,
    MeetingForm,
    RescheduleForm,
    RespondForm,
)
from ..models import Meeting
from ..querysets import RECORDS
from ..selectors.meetings import agenda_for, invitees_of, is_active, meeting_list
from ..services import agenda_edit
from ..services import meetings as services

PAGE_SIZE = 30


def _get_meeting(request, pk, action="view") -> Meeting:
    return get_object_or_404(
        Meeting.objects.visible_to(request.user, action).select_related(
            "municipality", "area", "chair", "supervisor", "created_by"
        ),
        pk=pk,
    )


class MeetingView(ScopedObjectView):
    """A page about the meeting of the URL, from ``Meeting.objects.visible_to(user, action)``; 404 otherwise."""

    model = Meeting
    select_related = ("municipality", "area", "chair", "supervisor", "created_by")

    @property
    def meeting(self) -> Meeting:
        return self.get_scoped_object()


def _warn_conflicts(request, meeting) -> None:
    busy = services.booking_conflicts(meeting)
    if busy:
        messages.warning(request, services.conflict_message(busy))


def _detail_url(meeting, anchor: str = "") -> str:
    url = reverse("conferences:meeting_detail", kwargs={"pk": meeting.pk})
    return f"{url}#{anchor}" if anchor else url


class MeetingListView(ScopedListView):
    """Upcoming or past meetings the user sees."""

    model = Meeting
    template_name = "conferences/meetings/list.html"
    context_object_name = "meetings"
    paginate_by = PAGE_SIZE

    def when(self) -> str:
        return "past" if self.request.GET.get("when") == "past" else "upcoming"

    def kind(self) -> str:
        kind = self.request.GET.get("kind", "")
        return kind if kind in MeetingKind.values else ""

    def get_queryset(self):
        return meeting_list(self.request.user, when=self.when(), kind=self.kind())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(when=self.when(), kind=self.kind(), kinds=MeetingKind.choices,
                       can_schedule=services.can_schedule(self.request.user))
        return context


class MeetingCreateView(ScopedView, View):
    """Schedule a meeting (coordinators of a municipality or of a coordination area)."""

    template_name = "conferences/meetings/form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not services.can_schedule(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        initial = {"kind": request.GET.get("kind", MeetingKind.CASE_CONFERENCE)}
        municipalities = services.schedulable_municipalities(request.user)
        if len(municipalities) == 1:
            initial["municipality"] = municipalities[0].pk
        return self.render(MeetingForm(initial=initial, user=request.user))

    def render(self, form, status=200):
        return render(self.request, self.template_name, {"form": form, "creating": True}, status=status)

    def post(self, request):
        form = MeetingForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render(form)
        data = form.cleaned_data
        starts_at, ends_at = form.times()
        try:
            meeting = services.meeting_schedule(
                user=request.user, kind=data["kind"], municipality=data.get("municipality"), area=data.get("area"),
                starts_at=starts_at, ends_at=ends_at, place=data.get("place", ""), online_url=data.get("online_url", ""),
                chair=data.get("chair"), supervisor=data.get("supervisor"), institutions=data.get("institutions") or [],
                people=data.get("people") or [], outside=form.outside(),
            )
        except ValidationError as error:
            apply_service_errors(form, error, ALIASES)
            return self.render(form)
        messages.success(request, _t("The meeting is scheduled; the invitations are on their way."))
        _warn_conflicts(request, meeting)
        return HttpResponseRedirect(_detail_url(meeting))


class MeetingDetailView(MeetingView, View):
    """The meeting page: when and where, the agenda the user may read, invitees and answers."""

    template_name = "conferences/meetings/detail.html"

    def get(self, request, pk):
        meeting = self.meeting
        return render(request, self.template_name, self.context(meeting))

    def context(self, meeting, **extra) -> dict:
        user = self.request.user
        runs = Meeting.objects.visible_to(user, "change").filter(pk=meeting.pk).exists()
        agenda = agenda_for(user, meeting)
        if agenda.items:
            audit_many(action=AuditAction.VIEW, objects=agenda.items, actor=user, details={"view": "meeting"})
        audit_log(action=AuditAction.VIEW, actor=user, obj=meeting)
        answerable = list(services.answerable_invitees(user, meeting))
        invitees = invitees_of(meeting)
        editable = runs and meeting.status == MeetingStatus.SCHEDULED
        context = {
            "meeting": meeting,
            "starts": timezone.localtime(meeting.starts_at),
            "ends": timezone.localtime(meeting.ends_at),
            "duration": int((meeting.ends_at - meeting.starts_at).total_seconds() // 60),
            "agenda": agenda,
            "invitees": invitees,
            "runs": runs,
            "reads_records": runs or Meeting.objects.visible_to(user, RECORDS).filter(pk=meeting.pk).exists(),
            "editable": editable,
            "agenda_editable": runs and meeting.status != MeetingStatus.CANCELLED,
            "answer_forms": [
                (invitee, RespondForm(initial={"invitee": invitee.pk, "response": invitee.response,
                                               "note": invitee.response_note}, auto_id=f"id_answer{invitee.pk}_%s"))
                for invitee in answerable
            ] if meeting.status == MeetingStatus.SCHEDULED else [],
            "agenda_form": AgendaAddForm() if runs else None,
            "invitee_form": InviteeForm(meeting=meeting) if editable else None,
            "conflicts": services.booking_conflicts(meeting) if editable and is_active(meeting) else [],
        }
        context.update(extra)
        return context


class MeetingEditView(MeetingView, View):
    """Reschedule or move a meeting, change its chair or supervisor."""

    action = "change"

    template_name = "conferences/meetings/form.html"

    def form(self, meeting, data=None):
        local_start, local_end = timezone.localtime(meeting.starts_at), timezone.localtime(meeting.ends_at)
        initial = {
            "date": local_start.date(), "start_time": local_start.time(), "end_time": local_end.time(),
            "place": meeting.place, "online_url": meeting.online_url, "chair": meeting.chair_id,
            "supervisor": meeting.supervisor_id, "version": meeting.version,
        }
        return RescheduleForm(data, initial=initial, user=self.request.user, meeting=meeting)

    def render(self, meeting, form, conflict=None):
        return render(self.request, self.template_name, {"form": form, "meeting": meeting, "conflict": conflict})

    def get(self, request, pk):
        meeting = self.meeting
        return self.render(meeting, self.form(meeting))

    def post(self, request, pk):
        meeting = self.meeting
        form = self.form(meeting, request.POST)
        if not form.is_valid():
            return self.render(meeting, form)
        data = form.cleaned_data
        starts_at, ends_at = form.times()
        try:
            meeting = services.meeting_update(
                user=request.user, meeting=meeting, starts_at=starts_at, ends_at=ends_at, place=data.get("place", ""),
                online_url=data.get("online_url", ""), chair=data.get("chair"), supervisor=data.get("supervisor"),
                expected_version=data["version"],
            )
        except VersionConflict as error:
            form.add_error(None, error.messages[0])
            return self.render(self.reload_object(), form, conflict=error)
        except ValidationError as error:
            apply_service_errors(form, error, ALIASES)
            return self.render(meeting, form)
        messages.success(request, _t("The meeting is changed; everyone invited gets the update."))
        _warn_conflicts(request, meeting)
        return HttpResponseRedirect(_detail_url(meeting))


class MeetingCancelView(MeetingView, View):
    """Cancel a scheduled meeting (everyone invited gets a cancellation)."""

    action = "change"

    template_name = "conferences/meetings/cancel.html"

    def get(self, request, pk):
        meeting = self.meeting
        return render(request, self.template_name, {"meeting": meeting, "form": CancelForm()})

    def post(self, request, pk):
        meeting = self.meeting
        form = CancelForm(request.POST)
        if form.is_valid():
            try:
                services.meeting_cancel(user=request.user, meeting=meeting, reason=form.cleaned_data["reason"])
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _t("The meeting is cancelled; everyone invited is told."))
                return HttpResponseRedirect(_detail_url(meeting))
        return render(request, self.template_name, {"meeting": meeting, "form": form})


class InviteeAddView(MeetingView, View):
    """Invite one more institution, staff member or outside person."""

    action = "change"

    template_name = "conferences/meetings/invitee_form.html"

    def get(self, request, pk):
        meeting = self.meeting
        return render(request, self.template_name, {"meeting": meeting, "form": InviteeForm(meeting=meeting)})

    def post(self, request, pk):
        meeting = self.meeting
        form = InviteeForm(request.POST, meeting=meeting)
        if form.is_valid():
            data = form.cleaned_data
            outside = form.outside()
            try:
                services.invitee_add(user=request.user, meeting=meeting, institution=data.get("institution"),
                                     person=data.get("person"), outside=outside[0] if outside else None)
            except ValidationError as error:
                apply_service_errors(form, error, {"institutions": "institution", "people": "person"})
            else:
                messages.success(request, _t("Invited; the invitation is on its way."))
                _warn_conflicts(request, meeting)
                return HttpResponseRedirect(_detail_url(meeting, "invitees"))
        return render(request, self.template_name, {"meeting": meeting, "form": form})


class InviteeRemoveView(MeetingView, View):
    """Take an invitee off the meeting (they are told if they were invited by e-mail)."""

    action = "change"

    def post(self, request, pk, invitee_pk):
        meeting = self.meeting
        try:
            services.invitee_remove(user=request.user, meeting=meeting, invitee_id=invitee_pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _t("The invitee is removed."))
        return HttpResponseRedirect(_detail_url(meeting, "invitees"))


class RespondView(MeetingView, View):
    """Accept or decline one's own or one's institution's invitation."""

    def post(self, request, pk):
        meeting = self.meeting
        form = RespondForm(request.POST)
        if form.is_valid():
            try:
                services.invitation_respond(
                    user=request.user, meeting=meeting, invitee_id=form.cleaned_data["invitee"],
                    response=form.cleaned_data["response"], note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _t("Your answer is recorded."))
                return HttpResponseRedirect(_detail_url(meeting, "answer"))
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors)
                       or _t("Choose whether you accept or decline."))
        return HttpResponseRedirect(_detail_url(meeting, "answer"))


class MeetingIcsView(MeetingView, View):
    """The meeting as a calendar file for the user's own calendar."""

    def get(self, request, pk):
        meeting = self.meeting
        body = ics.invitation_ics(meeting, attendee=request.user.email or ics.organizer_address())
        response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
        return response


# --- agenda editing ---------------------------------------------------------------------------


def _agenda_response(request, meeting, anchor="agenda"):
    """Redirect back to the meeting page (htmx requests get the agenda fragment)."""
    if getattr(request, "htmx", False):
        view = MeetingDetailView()
        view.request = request
        context = view.context(_get_meeting(request, meeting.pk))
        return render(request, "conferences/meetings/_agenda.html", context)
    return HttpResponseRedirect(_detail_url(meeting, anchor))


class AgendaAddView(MeetingView, View):
    """Add a case by its number."""

    action = "change"

    def post(self, request, pk):
        meeting = self.meeting
        form = AgendaAddForm(request.POST)
        if form.is_valid():
            try:
                agenda_edit.agenda_add_case(user=request.user, meeting=meeting, **form.cleaned_data)
            except ValidationError as error:
                apply_service_errors(form, error)
            else:
                messages.success(request, _t("The case is on the agenda."))
                return _agenda_response(request, meeting)
        view = MeetingDetailView()
        view.request = request
        return render(request, MeetingDetailView.template_name, view.context(meeting, agenda_form=form), status=400)


class AgendaMoveView(MeetingView, View):
    """Move a case up or down within its agenda table."""

    action = "change"

    def post(self, request, pk, item_pk):
        meeting = self.meeting
        try:
            agenda_edit.agenda_move(user=request.user, meeting=meeting, item_id=item_pk,
                                    direction=request.POST.get("direction", ""))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return _agenda_response(request, meeting)


class AgendaRemoveView(MeetingView, View):
    """Take a case off the agenda."""

    action = "change"

    def post(self, request, pk, item_pk):
        meeting = self.meeting
        try:
            agenda_edit.agenda_remove(user=request.user, meeting=meeting, item_id=item_pk)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _t("The case is off the agenda."))
        return _agenda_response(request, meeting)
