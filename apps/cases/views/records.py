"""Pages of the case record: persons, incidents, risk assessments, consent, notes and contacts,
attachments; and what the case page shows of them (``detail_context``).

Every page reaches the case through ``Case.objects.visible_to`` (404 otherwise) and every row of it
through its own scoped manager, filtered to that case; forms validate the input and call the
services, whose ValidationErrors land on the named fields.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from apps.core.audit import audit_log, audit_many
from apps.core.choices import AuditAction
from apps.core.locking import VersionConflict

from ..choices import (
    RISK_ITEMS,
    RISK_ORDER,
    AgeGroup,
    Answer,
    CaseStatus,
    PersonRole,
    RiskLevel,
    ViolenceForm,
)
from ..forms_records import (
    AttachmentForm,
    ConsentForm,
    ConsentWithdrawForm,
    IncidentForm,
    NoteForm,
    PersonCheckForm,
    PersonForm,
    RiskAssessmentForm,
    local_minute,
)
from ..models import (
    Attachment,
    Case,
    CaseNote,
    CasePerson,
    Consent,
    Incident,
    ProtectionPlan,
    RiskAssessment,
)
from ..querysets import CASE_ROLES
from ..selectors.case_rows import case_rows
from ..selectors.persons import may_see_confidential_address
from ..services.attachments import attachment_add, attachment_open
from ..services.consent import consent_record, consent_withdraw
from ..services.incidents import incident_add
from ..services.notes import CORRECTION_WINDOW, note_add, note_update
from ..services.persons import (
    EDITABLE_FIELDS,
    JUVENILE_MESSAGE,
    JUVENILE_UNSURE_MESSAGE,
    Recognition,
    person_add,
    person_check,
    person_recognition,
    person_update,
)
from ..services.risk import compute_level, current_of, risk_assess
from .draft_forms import DraftFormMixin
from .notices import proposed_message

MASK = "•••••"
# Persons are listed victims first, then perpetrators, children and the rest of the household.
ROLE_ORDER = {PersonRole.VICTIM: 0, PersonRole.PERPETRATOR: 1, PersonRole.CHILD: 2, PersonRole.HOUSEHOLD_MEMBER: 3}
SERIOUS_LEVELS = (RiskLevel.HIGH, RiskLevel.IMMEDIATE)


def case_section_url(case: Case, section: str) -> str:
    """The case page, scrolled to one of its sections."""
    return f"{reverse('cases:detail', args=[case.pk])}#{section}"


def is_lead_staff(user, case: Case) -> bool:
    """Staff of the case's lead institution (they see the JMBG)."""
    return case.lead_institution_id in user.access.institution_ids(*CASE_ROLES)


def display_value(obj, name: str) -> str:
    """A stored value as a person reads it (choice labels, Yes/No, 27.11.2026)."""
    model_field = obj._meta.get_field(name)
    value = getattr(obj, name)
    if value in ("", None):
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, date):
        return date_format(value, "SHORT_DATE_FORMAT")
    return str(value)


# --- base views -----------------------------------------------------------------------------------


class CaseMixin(LoginRequiredMixin):
    """Loads ``self.case`` through ``Case.objects.visible_to`` (404 for anything out of reach)."""

    case_action = "change"
    section = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.case = get_object_or_404(
            Case.objects.visible_to(request.user, self.case_action).select_related("municipality", "lead_institution"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def audit_page_read(self, obj=None, **details) -> None:
        """A case page was read: one audit VIEW entry."""
        audit_log(
            action=AuditAction.VIEW,
            actor=self.request.user,
            obj=obj or self.case,
            details={"case": self.case.pk, "page": self.page_name, **details},
        )

    @property
    def page_name(self) -> str:
        return self.request.resolver_match.url_name if self.request.resolver_match else ""

    def get_success_url(self):
        return case_section_url(self.case, self.section)


class CaseFormView(DraftFormMixin, CaseMixin, FormView):
    """A form about one case that calls a service; service errors go back onto the form's fields.
    With ``draft_form`` set, what the user types is kept as their server-side draft until saved."""

    def get_form(self, form_class=None):
        return self.restore_draft(super().get_form(form_class))

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(user=self.request.user, case=self.case)
        return kwargs

    def get(self, request, *args, **kwargs):
        self.audit_page_read()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(case=self.case, case_closed=self.case.status == CaseStatus.CLOSED, section=self.section)
        ctx.update(self.draft_context())
        return ctx

    def save(self, form):
        """Call the service; returns the saved object."""
        raise NotImplementedError

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.object = self.save(form)
                # The result must be something the user may see (a second wall behind the service).
                model = type(self.object)
                if not model._default_manager.visible_to(self.request.user).filter(pk=self.object.pk).exists():
                    transaction.set_rollback(True)
                    raise Http404
        except VersionConflict as conflict:
            return self.conflict_response(form, conflict)
        except ValidationError as exc:
            form.add_service_errors(exc)
            return self.form_invalid(form)
        self.discard_draft()
        self.saved(self.object)
        return HttpResponseRedirect(self.get_success_url())

    def conflict_response(self, form, conflict):
        form.add_service_errors(conflict)
        return self.form_invalid(form)

    def saved(self, obj) -> None:
        """Messages after a successful save."""
        messages.success(self.request, _("Saved."))


# --- persons --------------------------------------------------------------------------------------


class PersonFormMixin:
    """What adding and editing a person share: the template, the juvenile warning, the messages."""

    template_name = "cases/records/person_form.html"
    form_class = PersonForm
    section = "persons"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        form = ctx["form"]
        juvenile = [str(JUVENILE_MESSAGE), str(JUVENILE_UNSURE_MESSAGE)]
        ctx["juvenile_warning"] = next((e for e in form.errors.get("birth_date", []) if e in juvenile), "")
        ctx["person_check"] = self.form_check(form)
        return ctx

    def form_check(self, form) -> Recognition:
        """What the form's name, date of birth and JMBG are known from (before saving)."""
        return Recognition(checked=False)

    def saved(self, person) -> None:
        messages.success(self.request, _("The person was saved."))
        known = person_recognition(self.request.user, person) if person.is_repeat else None
        if person.is_repeat:
            if known and known.cases:
                listed = "; ".join(known_case_text(other) for other in known.cases)
                messages.warning(
                    self.request,
                    _("This person is known from other cases of this municipality: %(cases)s. Case %(case)s is marked "
                      "as a repeat case.") % {"cases": listed, "case": self.case.number},
                )
            else:
                messages.warning(
                    self.request,
                    _("This person is known from an earlier case in this municipality that you cannot open: case "
                      "%(case)s is marked as a repeat case.") % {"case": self.case.number},
                )
        if person.known_elsewhere:
            messages.info(self.request, _("This person is known in another municipality (no details of that case are shown)."))
        if getattr(person, "repeat_pair", False):
            messages.warning(
                self.request,
                _(
                    "The same victim and perpetrator were on another case of this municipality within 12 months. "
                    "A note was added to case %(case)s; consider proposing it for a case conference."
                ) % {"case": self.case.number},
            )


def known_case_text(case: Case) -> str:
    """A case the user may read, as a message names it: number, report day and status."""
    return _("%(number)s (reported %(day)s, %(status)s)") % {
        "number": case.number,
        "day": date_format(timezone.localtime(case.reported_at), "SHORT_DATE_FORMAT"),
        "status": case.get_status_display(),
    }


def check_typed_person(user, case: Case, data) -> Recognition:
    """The recognition check on what was typed (values of a bound PersonCheckForm or PersonForm)."""
    return person_check(
        user=user,
        case=case,
        first_name=data.get("first_name") or "",
        last_name=data.get("last_name") or "",
        birth_date=data.get("birth_date"),
        jmbg=data.get("jmbg") or "",
    )


class PersonCheckView(CaseMixin, View):
    """Before saving a person: is the typed name + date of birth, or JMBG, known from other cases?
    POST only (no personal data in URLs); answers only what the user may know; audited."""

    def post(self, request, *args, **kwargs):
        form = PersonCheckForm(request.POST)
        form.is_valid()  # a field that does not parse (a half-typed date) is left out of the check
        result = check_typed_person(request.user, self.case, form.cleaned_data)
        response = render(request, "cases/records/_person_check.html", {"check": result, "case": self.case})
        response["Cache-Control"] = "private, no-store"
        return response


class PersonAddView(PersonFormMixin, CaseFormView):
    """Add a victim, perpetrator, child or household member (?role=perpetrator preselects the role)."""

    draft_form = "person_add"

    def get_initial(self):
        initial = super().get_initial()
        role = self.request.GET.get("role", "")
        if role in PersonRole.values:
            initial["role"] = role
        return initial

    def save(self, form):
        return person_add(user=self.request.user, case=self.case, **form.service_data())

    def form_check(self, form) -> Recognition:
        data = getattr(form, "cleaned_data", None)
        if not form.is_bound or data is None:
            return Recognition(checked=False)
        return check_typed_person(self.request.user, self.case, data)


class PersonEditView(PersonFormMixin, CaseFormView):
    """Change a person's data; the JMBG only for the lead institution's staff, a confidential address
    only for those who may see it (otherwise the fields are not in the form at all)."""

    draft_form = "person_edit"

    def draft_object(self):
        return self.person

    def setup_person(self):
        self.person = get_object_or_404(
            CasePerson.objects.visible_to(self.request.user), pk=self.kwargs["person_pk"], case_id=self.case.pk
        )
        self.person.case = self.case
        self.show_jmbg = is_lead_staff(self.request.user, self.case)
        self.show_address = not self.person.confidential_address or may_see_confidential_address(
            self.request.user, self.person
        )

    def get(self, request, *args, **kwargs):
        self.setup_person()
        self.audit_page_read(obj=self.person, address_masked=not self.show_address)
        return FormView.get(self, request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.setup_person()
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(show_jmbg=self.show_jmbg, show_address=self.show_address, editing=True)
        return kwargs

    def get_initial(self):
        p = self.person
        initial = {name: getattr(p, name) for name in EDITABLE_FIELDS}
        # The year is asked for only when the exact date is unknown (it follows from the date).
        if p.birth_date:
            initial["birth_year"] = None
        initial["version"] = p.version
        return initial

    def form_check(self, form) -> Recognition:
        return person_recognition(self.request.user, self.person)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["person"] = self.person
        return ctx

    def save(self, form):
        return person_update(
            user=self.request.user,
            person=self.person,
            expected_version=form.cleaned_data["version"],
            **form.service_data(),
        )

    def conflict_response(self, form, conflict):
        """Show what is stored now (masked where the user may not see it); the form keeps the user's
        input with the current version, so saving again is a deliberate choice."""
        visible = set(form.fields)
        current = copy.copy(conflict.current)
        for name in ("jmbg", "address"):
            if name not in visible and getattr(current, name, ""):
                setattr(current, name, MASK)
        changed = [name for name in conflict.changed_fields if name in EDITABLE_FIELDS]
        safe = VersionConflict(current=current, changed_fields=changed)
        rows = [{"label": label, "value": display_value(current, name)} for name, label in zip(changed, safe.changed_labels, strict=True)]
        data = self.request.POST.copy()
        data["version"] = str(conflict.current.version)
        fresh = self.get_form_class()(data=data, **{k: v for k, v in self.get_form_kwargs().items() if k != "data"})
        fresh.is_valid()
        self.person.version = conflict.current.version
        return self.render_to_response(
            self.get_context_data(
                form=fresh,
                conflict=safe,
                conflict_rows=rows,
            )
        )


# --- incidents ------------------------------------------------------------------------------------


class IncidentAddView(CaseFormView):
    """Record an incident."""

    template_name = "cases/records/incident_form.html"
    form_class = IncidentForm
    section = "incidents"

    def get_initial(self):
        initial = super().get_initial()
        # The case's first incident was usually reported when the case was; later ones now.
        if not Incident.objects.visible_to(self.request.user).filter(case_id=self.case.pk).exists():
            initial["reported_at"] = local_minute(self.case.reported_at)
        return initial

    def save(self, form):
        data = form.cleaned_data
        return incident_add(
            user=self.request.user,
            case=self.case,
            occurred_at=data["occurred_at"],
            reported_at=data.get("reported_at"),
            place_type=data["place_type"],
            forms=data["forms"],
            channel=data["channel"],
            reporting_institution=data.get("reporting_institution"),
            police_event_number=data.get("police_event_number", ""),
            injuries=data.get("injuries", False),
            injuries_note=data.get("injuries_note", ""),
            weapon_involved=data.get("weapon_involved", False),
            weapon_owned=data.get("weapon_owned", False),
            children_present=data.get("children_present", False),
            children_witnessed=data.get("children_witnessed", False),
            description=data.get("description", ""),
        )

    def saved(self, obj) -> None:
        messages.success(self.request, _("The incident was recorded."))


# --- risk assessments -----------------------------------------------------------------------------


def assessment_source(assessment: RiskAssessment) -> str:
    """Who an assessment comes from, as the case page names it: the institution, or the case
    conference that wrote it back from its minutes."""
    if assessment.source == "conference":
        return _("case conference (%(institution)s)") % {"institution": assessment.institution.display_name()}
    return assessment.institution.display_name()


def kept_higher_message(current: RiskAssessment) -> str:
    """A lower assessment without a reason for lowering: the case keeps its current assessment."""
    return _(
        "This assessment is lower than the case's current one, and no reason for lowering was given: the case "
        "stays at “%(level)s” (%(source)s, %(when)s)."
    ) % {
        "level": current.get_level_display(),
        "source": assessment_source(current),
        "when": date_format(timezone.localtime(current.assessed_at), "SHORT_DATETIME_FORMAT"),
    }


def case_current_assessment(user, case: Case) -> RiskAssessment | None:
    """The case's current assessment (services.cases.current_of) among the assessments the user sees."""
    return current_of(
        RiskAssessment.objects.visible_to(user).filter(case_id=case.pk).select_related("institution", "assessor")
    )


def risk_preview_context(form: RiskAssessmentForm, current: RiskAssessment | None = None) -> dict:
    """The level the checklist gives for the answers so far, whether the chosen level is lower, whether
    anything is answered at all, and how the result compares with the case's current assessment."""
    if form.is_bound:
        form.is_valid()  # only to read what was entered; errors are shown when the form is saved
    data = getattr(form, "cleaned_data", {})
    items = form.items() if data else {}
    try:
        computed = compute_level(items, immediate_danger=bool(data.get("immediate_danger")))
    except ValidationError:
        computed = None
    chosen = data.get("level") or ""
    lowered = bool(computed and chosen and RISK_ORDER[RiskLevel(chosen)] < RISK_ORDER[computed])
    raised = bool(computed and chosen and RISK_ORDER[RiskLevel(chosen)] > RISK_ORDER[computed])
    yes = sum(1 for item in items.values() if item["answer"] == Answer.YES)
    answered = any(item["answer"] != Answer.UNKNOWN for item in items.values())
    empty = not (answered or data.get("immediate_danger") or chosen)
    result = RiskLevel(chosen) if chosen else computed
    below_current = bool(
        current and result and not empty and RISK_ORDER[result] < RISK_ORDER[RiskLevel(current.level)]
    )
    return {
        "computed": computed, "lowered": lowered, "raised": raised, "yes_count": yes, "empty": empty,
        "current": current, "current_source": assessment_source(current) if current else "",
        "below_current": below_current,
    }


class RiskAddView(CaseFormView):
    """Record a risk assessment (art. 16 checklist)."""

    template_name = "cases/records/risk_form.html"
    form_class = RiskAssessmentForm
    section = "risk"
    draft_form = "risk_add"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["preview"] = risk_preview_context(ctx["form"], case_current_assessment(self.request.user, self.case))
        return ctx

    def save(self, form):
        data = form.cleaned_data
        self.outcome = risk_assess(
            user=self.request.user,
            case=self.case,
            items=form.items(),
            immediate_danger=data.get("immediate_danger", False),
            level=data.get("level") or None,
            raise_reason=data.get("raise_reason", ""),
            lower_reason=data.get("lower_reason", ""),
            conclusion=data.get("conclusion", ""),
            assessed_at=data.get("assessed_at"),
        )
        return self.outcome.assessment

    def saved(self, assessment) -> None:
        messages.success(
            self.request,
            _("The risk assessment of case %(case)s was saved: %(level)s.")
            % {"case": self.case.number, "level": assessment.get_level_display()},
        )
        if self.outcome.send_to_prosecutor:
            messages.warning(
                self.request,
                _("Immediate danger: send the assessment and all information to the basic public prosecutor at once."),
            )
        if self.outcome.kept_higher:
            messages.warning(self.request, kept_higher_message(self.outcome.current))
        if self.outcome.proposed_for_conference:
            messages.warning(self.request, proposed_message(self.request.user, self.case))
        if self.outcome.open_plan:
            messages.warning(
                self.request,
                _("Open an individual protection and support plan for case %(case)s (the risk section has the link).")
                % {"case": self.case.number},
            )


class RiskPreviewView(CaseMixin, View):
    """The level the checklist gives, recomputed while the assessor answers (an htmx partial)."""

    def post(self, request, *args, **kwargs):
        form = RiskAssessmentForm(request.POST, user=request.user, case=self.case)
        preview = risk_preview_context(form, case_current_assessment(request.user, self.case))
        return render(request, "cases/records/_risk_level.html", {"preview": preview})


# --- consent --------------------------------------------------------------------------------------


class ConsentAddView(CaseFormView):
    """Record a victim's consent to share the case with named institutions."""

    template_name = "cases/records/consent_form.html"
    form_class = ConsentForm
    section = "consent"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["has_victims"] = ctx["form"].fields["person"].queryset.exists()
        return ctx

    def save(self, form):
        data = form.cleaned_data
        return consent_record(
            user=self.request.user,
            case=self.case,
            person=data["person"],
            given_at=data["given_at"],
            expires_at=data.get("expires_at"),
            scope=data["scope"],
            method=data["method"],
            institutions=list(data["institutions"]),
        )

    def saved(self, obj) -> None:
        messages.success(self.request, _("The consent was recorded."))


class ConsentWithdrawView(CaseFormView):
    """Record that the victim withdrew a consent."""

    template_name = "cases/records/consent_withdraw.html"
    form_class = ConsentWithdrawForm
    section = "consent"

    def get_consent(self):
        return get_object_or_404(
            Consent.objects.visible_to(self.request.user).select_related("person").prefetch_related("institutions"),
            pk=self.kwargs["consent_pk"],
            case_id=self.case.pk,
        )

    def get(self, request, *args, **kwargs):
        self.consent = self.get_consent()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.consent = self.get_consent()
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["consent"] = self.consent
        return ctx

    def save(self, form):
        return consent_withdraw(
            user=self.request.user, consent=self.consent, withdrawn_at=form.cleaned_data["withdrawn_at"]
        )

    def saved(self, obj) -> None:
        messages.success(self.request, _("The withdrawal of the consent was recorded."))


# --- notes and contacts ---------------------------------------------------------------------------


class NoteAddView(CaseFormView):
    """Record a note or a contact."""

    template_name = "cases/records/note_form.html"
    form_class = NoteForm
    section = "notes"
    draft_form = "note_add"

    def save(self, form):
        data = form.cleaned_data
        return note_add(
            user=self.request.user,
            case=self.case,
            text=data["text"],
            kind=data["kind"],
            occurred_at=data["occurred_at"],
            visibility=data["visibility"],
        )

    def saved(self, obj) -> None:
        messages.success(self.request, _("The note was saved."))


class NoteEditView(CaseFormView):
    """Correct one's own note within 24 hours of writing it."""

    template_name = "cases/records/note_form.html"
    form_class = NoteForm
    section = "notes"
    draft_form = "note_edit"

    def draft_object(self):
        return self.note

    def draft_enabled(self) -> bool:
        return self.is_author and not self.expired

    def get_note(self):
        return get_object_or_404(
            CaseNote.objects.visible_to(self.request.user), pk=self.kwargs["note_pk"], case_id=self.case.pk
        )

    def get(self, request, *args, **kwargs):
        self.note = self.get_note()
        self.audit_page_read(obj=self.note)
        return FormView.get(self, request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.note = self.get_note()
        if not self.is_author:
            raise PermissionDenied(_("Only the author can correct a note."))
        if self.expired:
            return self.render_to_response(self.get_context_data())
        return super().post(request, *args, **kwargs)

    @property
    def is_author(self) -> bool:
        return self.note.author_id == self.request.user.pk

    @property
    def expired(self) -> bool:
        return timezone.now() - self.note.created_at > CORRECTION_WINDOW

    def get_initial(self):
        n = self.note
        return {"kind": n.kind, "occurred_at": local_minute(n.occurred_at), "text": n.text, "visibility": n.visibility}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(note=self.note, expired=self.expired, not_author=not self.is_author)
        return ctx

    def save(self, form):
        data = form.cleaned_data
        return note_update(
            user=self.request.user,
            note=self.note,
            text=data["text"],
            kind=data["kind"],
            occurred_at=data["occurred_at"],
            visibility=data["visibility"],
        )

    def saved(self, obj) -> None:
        messages.success(self.request, _("The note was corrected."))


# --- attachments ----------------------------------------------------------------------------------


class AttachmentAddView(CaseFormView):
    """Upload a document (type checked by content, up to 20 MB)."""

    template_name = "cases/records/attachment_form.html"
    form_class = AttachmentForm
    section = "attachments"

    def save(self, form):
        data = form.cleaned_data
        return attachment_add(
            user=self.request.user,
            case=self.case,
            uploaded_file=data["file"],
            description=data.get("description", ""),
            visibility=data["visibility"],
        )

    def saved(self, obj) -> None:
        messages.success(self.request, _("The document was stored."))


class AttachmentDownloadView(CaseMixin, View):
    """Stream a stored document, after the permission check and the audit entry of attachment_open."""

    case_action = "view"

    def get(self, request, *args, **kwargs):
        if not Attachment.objects.visible_to(request.user).filter(
            pk=kwargs["attachment_pk"], case_id=self.case.pk
        ).exists():
            raise Http404
        attachment = attachment_open(user=request.user, attachment=kwargs["attachment_pk"])
        response = FileResponse(
            attachment.file,
            as_attachment=True,
            filename=attachment.original_name or "document",
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


# --- what the case page shows ---------------------------------------------------------------------


@dataclass
class PersonRow:
    """A person as the user may see them."""

    person: CasePerson
    jmbg: str
    jmbg_masked: bool
    address: str
    address_masked: bool
    age_group: str


@dataclass
class AssessmentRow:
    """An assessment with the checklist items answered "yes"."""

    assessment: RiskAssessment
    yes_items: list[tuple[str, str]]  # (label, note) of the items answered "yes"


@dataclass
class RecordsContext:
    """What the records sections of the case page need."""

    case: Case
    can_write: bool
    persons: list[PersonRow] = field(default_factory=list)
    has_victims: bool = False
    incidents: list[dict[str, Any]] = field(default_factory=list)
    assessments: list[AssessmentRow] = field(default_factory=list)
    latest_assessment: RiskAssessment | None = None
    current_assessment: RiskAssessment | None = None  # what the case's level follows (current_of)
    current_source: str = ""
    offer_plan: bool = False
    consents_valid: list[Consent] = field(default_factory=list)
    consents_ended: list[Consent] = field(default_factory=list)
    notes: list[dict[str, Any]] = field(default_factory=list)
    attachments: list[Attachment] = field(default_factory=list)


def _consent_state(consent: Consent, today) -> str:
    if consent.withdrawn_at and consent.withdrawn_at <= today:
        return "withdrawn"
    if consent.expires_at and consent.expires_at < today:
        return "expired"
    if consent.given_at > today:
        return "future"
    return "valid"


def _section_rows_html(ctx) -> None:
    """The persons' and the notes' rows of the case page (``row.html``, ``row["html"]``), written in
    Python: the markup templates/cases/detail/_persons.html and _notes.html wrote per row, their fixed
    words translated once per page and every value escaped."""
    from django.template.defaultfilters import date as date_filter
    from django.template.defaultfilters import linebreaks_filter as linebreaks
    from django.template.defaultfilters import linebreaksbr
    from django.utils.formats import localize
    from django.utils.html import format_html
    from django.utils.safestring import mark_safe
    from django.utils.timezone import template_localtime

    case_pk = ctx.case.pk
    if ctx.persons:
        badges = {
            "repeat": format_html('<span class="badge badge-warn">{}</span>', _("Known from an earlier case")),
            "elsewhere": format_html('<span class="badge badge-warn">{}</span>', _("Known in another municipality")),
            "disability": format_html('<span class="badge">{}</span>', _("Disability")),
            "masked": format_html(
                '<span class="masked">•••••••••••••</span><br><span class="help">{}</span>',
                _("Visible to the lead institution only"),
            ),
            "address_masked": format_html('<span class="badge badge-err">{}</span>', _("Confidential address")),
            "confidential": format_html('<br><span class="badge badge-err">{}</span>', _("Confidential")),
        }
        edit = _("Edit")
        for row in ctx.persons:
            p = row.person
            if p.birth_date:
                born = date_filter(p.birth_date, "SHORT_DATE_FORMAT")
            else:
                born = localize(p.birth_year) if p.birth_year else "—"
            if row.jmbg:
                jmbg = row.jmbg
            else:
                jmbg = badges["masked"] if row.jmbg_masked else "—"
            if p.phone or p.email:
                contact = format_html("{}{}{}", p.phone or "", mark_safe("<br>") if p.phone and p.email else "", p.email or "")
            else:
                contact = "—"
            if row.address_masked:
                address = badges["address_masked"]
            elif row.address:
                address = format_html(
                    "{}{}", linebreaksbr(row.address, autoescape=True), badges["confidential"] if p.confidential_address else ""
                )
            else:
                address = "—"
            actions = ""
            if ctx.can_write:
                actions = format_html(
                    '\n        <td><a href="{}">{}<span class="visually-hidden"> {} {}</span></a></td>',
                    reverse("cases:person_edit", args=[case_pk, p.pk]), edit, p.first_name, p.last_name,
                )
            row.html = format_html(
                "\n      <tr>\n        <td>{} {}\n          {}\n          {}\n          {}\n        </td>\n"
                "        <td>{}{}</td>\n"
                '        <td>{}\n          <br><span class="help">{} · {}</span></td>\n'
                "        <td>{}</td>\n        <td>{}</td>\n        <td>{}</td>{}\n      </tr>",
                p.first_name, p.last_name,
                badges["repeat"] if p.is_repeat else "",
                badges["elsewhere"] if p.known_elsewhere else "",
                badges["disability"] if p.disability else "",
                p.get_role_display(),
                format_html('<br><span class="help">{}</span>', p.get_relationship_to_victim_display())
                if p.relationship_to_victim else "",
                born, p.get_sex_display(), row.age_group,
                jmbg, contact, address, actions,
            )
    if ctx.assessments:
        from django.utils.html import escape

        yes, no = format_html('<span class="badge badge-err">{}</span>', _("Yes")), _("No")
        show, answered = _("Show"), _("Answered “yes”:")
        why, conclusion = _("Why the level was raised"), _("Conclusion")
        why_lower = _("Why the risk is lower")
        for row in ctx.assessments:
            a = row.assessment
            raised = ""
            if a.level != a.computed_level:
                raised = format_html(
                    '<br><span class="help">{}</span>',
                    mark_safe(_("raised from %(computed)s") % {"computed": escape(a.get_computed_level_display())}),
                )
            details = "—"
            if row.yes_items or a.conclusion or a.raise_reason or a.lower_reason:
                items = ""
                if row.yes_items:
                    items = format_html(
                        "<p>{}</p><ul>{}</ul>", answered,
                        mark_safe("".join(
                            format_html("<li>{}{}</li>", label, format_html(" — {}", note) if note else "")
                            for label, note in row.yes_items
                        )),
                    )
                details = format_html(
                    "<details><summary>{}</summary>\n          {}\n          {}\n          {}\n          {}\n        </details>",
                    show, items,
                    format_html("<p><strong>{}:</strong> {}</p>", why, linebreaksbr(a.raise_reason, autoescape=True))
                    if a.raise_reason else "",
                    format_html("<p><strong>{}:</strong> {}</p>", why_lower, linebreaksbr(a.lower_reason, autoescape=True))
                    if a.lower_reason else "",
                    format_html("<p><strong>{}:</strong> {}</p>", conclusion, linebreaksbr(a.conclusion, autoescape=True))
                    if a.conclusion else "",
                )
            row.html = format_html(
                "\n      <tr>\n        <td>{}</td>\n        <td>{}</td>\n        <td>{}</td>\n        <td>{}{}</td>\n"
                "        <td>{}</td>\n        <td>{}</td>\n      </tr>",
                date_filter(template_localtime(a.assessed_at), "SHORT_DATETIME_FORMAT"),
                a.assessor.get_full_name() or a.assessor.email, a.institution.display_name(),
                a.get_level_display(), raised, yes if a.immediate_danger else no, details,
            )
    if ctx.notes:
        own_only = format_html('<span class="badge badge-warn">{}</span>', _("Own institution only"))
        correct = _("Correct")
        for row in ctx.notes:
            n = row["note"]
            row["html"] = format_html(
                '\n    <li class="case-note">\n      <p><strong>{}</strong> · {}\n        · {}, {}\n        {}\n        {}</p>\n'
                '      <div class="note-text">{}</div>\n    </li>',
                n.get_kind_display(), date_filter(template_localtime(n.occurred_at), "SHORT_DATETIME_FORMAT"),
                n.author.get_full_name() or n.author.email, n.institution.display_name(),
                own_only if n.visibility == "own_institution" else "",
                format_html('<a href="{}">{}</a>', reverse("cases:note_edit", args=[case_pk, n.pk]), correct)
                if row["editable"] else "",
                linebreaks(n.text, autoescape=True),
            )


def persons_audit_details(case) -> dict:
    """What the audit entry of reading a person's contact data on the case page records."""
    return {"case": case.pk, "contact": True}


def persons_audit_entries(context: dict) -> list:
    """``(action, person, details)`` of the persons ``detail_context(..., audit=False)`` showed."""
    records = context.get("records")
    if records is None or not records.persons:
        return []
    details = persons_audit_details(records.case)
    return [(AuditAction.VIEW, row.person, details) for row in records.persons]


def detail_context(request, case, *, audit: bool = True) -> dict:
    """What the case page needs from this area, in a fixed number of queries; reading the persons'
    contact data is audited (one entry per person, one INSERT; ``audit=False``: by the caller, with
    ``persons_audit_entries``)."""
    user = request.user
    today = timezone.localdate()
    now = timezone.now()
    ctx = RecordsContext(case=case, can_write=case.status != CaseStatus.CLOSED)

    persons = sorted(
        case_rows(user, case, CasePerson),
        key=lambda p: (ROLE_ORDER.get(p.role, 9), p.id),
    )
    lead_staff = is_lead_staff(user, case)
    sees_confidential = None
    for person in persons:
        person.case = case
        masked = bool(person.address) and person.confidential_address
        if masked:
            if sees_confidential is None:
                sees_confidential = may_see_confidential_address(user, person)
            masked = not sees_confidential
        ctx.persons.append(
            PersonRow(
                person=person,
                jmbg=person.jmbg if lead_staff else "",
                jmbg_masked=bool(person.jmbg) and not lead_staff,
                address="" if masked else person.address,
                address_masked=masked,
                age_group=AgeGroup(person.age_group).label,
            )
        )
    ctx.has_victims = any(p.role == PersonRole.VICTIM for p in persons)
    if persons and audit:
        audit_many(action=AuditAction.VIEW, objects=persons, actor=user, details=persons_audit_details(case))

    form_labels = dict(ViolenceForm.choices)
    for incident in case_rows(user, case, Incident):
        ctx.incidents.append({"incident": incident, "forms": [form_labels.get(f, f) for f in incident.forms]})

    item_labels = dict(RISK_ITEMS)
    for assessment in case_rows(user, case, RiskAssessment):
        yes = [
            (item_labels.get(code, code), (answer or {}).get("note", ""))
            for code, answer in (assessment.items or {}).items()
            if isinstance(answer, dict) and answer.get("answer") == Answer.YES
        ]
        ctx.assessments.append(AssessmentRow(assessment=assessment, yes_items=yes))
    if ctx.assessments:
        ctx.latest_assessment = ctx.assessments[0].assessment
        ctx.current_assessment = current_of(row.assessment for row in ctx.assessments)
        ctx.current_source = assessment_source(ctx.current_assessment)
        ctx.offer_plan = (
            ctx.can_write
            and ctx.current_assessment.level in SERIOUS_LEVELS
            and not ProtectionPlan.objects.of_case(user, case).filter(is_active=True).exists()
        )

    consents = (
        case_rows(user, case, Consent)
    )
    for consent in consents:
        consent.state = _consent_state(consent, today)
        (ctx.consents_valid if consent.state == "valid" else ctx.consents_ended).append(consent)

    notes = case_rows(user, case, CaseNote)
    for note in notes:
        ctx.notes.append(
            {
                "note": note,
                "editable": ctx.can_write and note.author_id == user.pk and now - note.created_at <= CORRECTION_WINDOW,
            }
        )

    ctx.attachments = list(case_rows(user, case, Attachment))
    _section_rows_html(ctx)
    return {"records": ctx}
