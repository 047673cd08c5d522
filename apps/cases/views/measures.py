"""Pages of the measures area: emergency and protective measures, the protection and support plan,
referrals between institutions, and the work queue.

Every case is reached through ``Case.objects.visible_to`` (404 otherwise); writing needs the case
team scope (``listed_for``): someone who sees a case only through a grant (an accepted referral)
reads it but records nothing on it (403), except completing the referral that shared it.
Deadlines are shown as countdown badges computed on the server from ``apps.cases.deadlines``
(static/js/cases-measures.js only keeps their text current while the page stays open).
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from html import escape

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.backends.utils import csrf_input
from django.urls import NoReverseMatch, reverse
from django.utils import dateformat, timezone
from django.utils.formats import date_format, get_format, localize
from django.utils.html import format_html
from django.utils.safestring import SafeData, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from .. import deadlines
from ..choices import (
    CaseStatus,
    CourtDecision,
    EmergencyMeasureKind,
    PlanMeasureKind,
    PlanMeasureStatus,
    ProtectiveMeasureKind,
    ReferralStatus,
    ReferralUrgency,
)
from ..deadlines import DeadlineKind
from ..forms_measures import (
    AppealForm,
    BreachForm,
    CourtDecisionForm,
    EmergencyMeasureForm,
    ExtensionProposalForm,
    PlanEditForm,
    PlanForm,
    PlanMeasureForm,
    PlanMeasureStatusForm,
    ProtectiveMeasureForm,
    ProtectiveRenewForm,
    ReferralAnswerForm,
    ReferralSendForm,
)
from ..models import (
    Case,
    CaseParticipant,
    EmergencyMeasure,
    MeasureBreach,
    PlanMeasure,
    ProtectionPlan,
    ProtectiveMeasure,
    Referral,
    Reminder,
)
from ..querysets import CASE_ROLES, on_team
from ..selectors.case_rows import case_rows
from ..selectors.work_queue import work_queue_for
from ..services import measures as measure_services
from ..services import plans as plan_services
from ..services import referrals as referral_services
from ..services.locking import VersionConflict
from ..services.reminders import KIND_LABELS, STAGE_LABELS, reminder_mark_read
from .draft_forms import DraftFormMixin

# How long before a deadline its badge turns amber.
WARN_BEFORE = {
    DeadlineKind.EMERGENCY_EXPIRY: timedelta(hours=12),
    DeadlineKind.EXTENSION_PROPOSAL: timedelta(hours=6),
    DeadlineKind.COURT_DECISION: timedelta(hours=6),
    DeadlineKind.EXTENSION_EXPIRY: timedelta(days=3),
    DeadlineKind.APPEAL: timedelta(days=1),
    DeadlineKind.PROTECTIVE_EXPIRY: timedelta(days=14),
    DeadlineKind.PLAN_MEASURE: timedelta(days=2),
}
DEADLINE_LABELS = {
    DeadlineKind.EMERGENCY_EXPIRY: _("Measure expires (48 h)"),
    DeadlineKind.EXTENSION_PROPOSAL: _("Prosecutor's extension proposal (24 h)"),
    DeadlineKind.COURT_DECISION: _("Court decision on the extension (24 h)"),
    DeadlineKind.EXTENSION_EXPIRY: _("Extended measure expires (30 days)"),
    DeadlineKind.APPEAL: _("Appeal (3 days)"),
    DeadlineKind.PROTECTIVE_EXPIRY: _("Protective measure expires"),
    DeadlineKind.PLAN_MEASURE: _("Plan measure deadline"),
}
SNAPSHOT_SALT = "cases.measures.snapshot"


# --- countdowns -----------------------------------------------------------------------------------


def format_duration(seconds: int) -> str:
    """A duration as people say it: "2 d 5 h", "5 h 20 min", "12 min" (whole units, rounded down)."""
    seconds = abs(int(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = max(rest // 60, 0)
    if days:
        if hours:
            return _g("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
        return _g("%(days)s d") % {"days": days}
    if hours:
        if minutes:
            return _g("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
        return _g("%(hours)s h") % {"hours": hours}
    return _g("%(minutes)s min") % {"minutes": max(minutes, 1)}


def short(value: datetime | date | None) -> str:
    """27.11.2026 14:20 (local time) or 27.11.2026."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    return date_format(value, "SHORT_DATE_FORMAT")


@dataclass(frozen=True)
class Badge:
    """A deadline badge: its text and colour now, and what the page script needs to keep it current.

    ``live`` badges carry the due moment and the phrases with "{}" for the duration; ``css`` is
    "badge-err" once overdue, "badge-warn" when close, "badge-ok" for a met deadline.
    """

    text: str
    css: str = ""
    due: datetime | None = None
    live: bool = False
    future: str = ""
    past: str = ""
    warn_seconds: int = 0
    past_css: str = "badge-err"

    @property
    def due_iso(self) -> str:
        return self.due.isoformat() if self.due else ""

    @property
    def units(self) -> dict:
        """The duration formats for the page script ({d}, {h}, {m} stand for the numbers)."""
        # The same for every badge of a page: built once per language (the template reads five keys
        # of every badge, which used to translate 25 phrases per badge).
        return _duration_units(get_language())


@lru_cache(maxsize=16)
def _duration_units(language: str | None) -> dict:
    return {
        "dh": _g("%(days)s d %(hours)s h") % {"days": "{d}", "hours": "{h}"},
        "d": _g("%(days)s d") % {"days": "{d}"},
        "hm": _g("%(hours)s h %(minutes)s min") % {"hours": "{h}", "minutes": "{m}"},
        "h": _g("%(hours)s h") % {"hours": "{h}"},
        "m": _g("%(minutes)s min") % {"minutes": "{m}"},
    }


def countdown_badge(due: datetime, now: datetime, kind: str, *, mode: str = "due", past_css: str = "badge-err") -> Badge:
    """A live badge: "expires in 5 h 20 min" / "due in 3 h" / "overdue by 2 h" / "expired 2 h ago"."""
    cd = deadlines.countdown(due, now)
    warn = WARN_BEFORE.get(kind, timedelta(hours=12))
    if mode == "expires":
        future, past = _g("expires in %(duration)s"), _g("expired %(duration)s ago")
    else:
        future, past = _g("due in %(duration)s"), _g("overdue by %(duration)s")
    duration = format_duration(cd.seconds)
    if cd.overdue:
        text, css = past % {"duration": duration}, past_css
    else:
        text = future % {"duration": duration}
        css = "badge-warn" if cd.seconds <= warn.total_seconds() else ""
    return Badge(
        text=text,
        css=css,
        due=timezone.localtime(due),
        live=True,
        future=future % {"duration": "{}"},
        past=past % {"duration": "{}"},
        warn_seconds=int(warn.total_seconds()),
        past_css=past_css,
    )


def done_badge(text: str, css: str = "badge-ok") -> Badge:
    return Badge(text=text, css=css)


@dataclass(frozen=True)
class DeadlineRow:
    """One deadline of a measure: what, when, and its badge."""

    kind: str
    label: str
    due: datetime | date | None
    badge: Badge


@dataclass
class EmergencyRow:
    """An emergency measure as the case page shows it."""

    measure: EmergencyMeasure
    in_force_until: datetime
    in_force: bool
    deadlines: list[DeadlineRow]
    missing_proposal: bool
    next_step: str  # "proposal", "decision", "appeal" or ""
    breaches: list[MeasureBreach] = field(default_factory=list)


def emergency_rows_for(measure: EmergencyMeasure, now: datetime) -> EmergencyRow:
    """The deadlines of one emergency measure with their badges (red when overdue while it matters)."""
    extended = measure.court_decision == CourtDecision.EXTENDED and measure.extended_until is not None
    in_force_until = measure.extended_until if extended else measure.expires_at
    in_force = now < in_force_until
    pending = measure.court_decision == CourtDecision.PENDING
    rows = []

    if extended:
        badge = done_badge(_g("extended by the court"))
    elif now < measure.expires_at:
        badge = countdown_badge(measure.expires_at, now, DeadlineKind.EMERGENCY_EXPIRY, mode="expires", past_css="")
    else:
        badge = done_badge(_g("expired %(when)s") % {"when": short(measure.expires_at)}, "")
    rows.append(DeadlineRow(DeadlineKind.EMERGENCY_EXPIRY, DEADLINE_LABELS[DeadlineKind.EMERGENCY_EXPIRY], measure.expires_at, badge))

    if measure.extension_proposed_at:
        late = measure.extension_proposed_at > measure.extension_proposal_due
        text = (_g("proposed late, %(when)s") if late else _g("proposed %(when)s")) % {"when": short(measure.extension_proposed_at)}
        badge = done_badge(text, "badge-warn" if late else "badge-ok")
    elif not pending:
        badge = done_badge(_g("not recorded"), "")
    elif in_force:
        badge = countdown_badge(measure.extension_proposal_due, now, DeadlineKind.EXTENSION_PROPOSAL)
    else:
        badge = done_badge(_g("no proposal recorded"), "")
    rows.append(
        DeadlineRow(DeadlineKind.EXTENSION_PROPOSAL, DEADLINE_LABELS[DeadlineKind.EXTENSION_PROPOSAL], measure.extension_proposal_due, badge)
    )

    if measure.court_decision_due:
        if measure.court_decided_at:
            badge = done_badge(
                _g("%(decision)s, %(when)s") % {"decision": measure.get_court_decision_display(), "when": short(measure.court_decided_at)},
                "badge-ok",
            )
        else:
            badge = countdown_badge(measure.court_decision_due, now, DeadlineKind.COURT_DECISION)
        rows.append(
            DeadlineRow(DeadlineKind.COURT_DECISION, DEADLINE_LABELS[DeadlineKind.COURT_DECISION], measure.court_decision_due, badge)
        )

    if extended:
        if now < measure.extended_until:
            badge = countdown_badge(measure.extended_until, now, DeadlineKind.EXTENSION_EXPIRY, mode="expires", past_css="")
        else:
            badge = done_badge(_g("ended %(when)s") % {"when": short(measure.extended_until)}, "")
        rows.append(
            DeadlineRow(DeadlineKind.EXTENSION_EXPIRY, DEADLINE_LABELS[DeadlineKind.EXTENSION_EXPIRY], measure.extended_until, badge)
        )

    if measure.appeal_due:
        if measure.appeal_filed_at:
            late = measure.appeal_filed_at > measure.appeal_due
            text = (_g("filed late, %(when)s") if late else _g("filed %(when)s")) % {"when": short(measure.appeal_filed_at)}
            badge = done_badge(text, "badge-warn" if late else "badge-ok")
        elif now < measure.appeal_due:
            badge = countdown_badge(measure.appeal_due, now, DeadlineKind.APPEAL)
        else:
            badge = done_badge(_g("no appeal; the period ended %(when)s") % {"when": short(measure.appeal_due)}, "")
        rows.append(DeadlineRow(DeadlineKind.APPEAL, DEADLINE_LABELS[DeadlineKind.APPEAL], measure.appeal_due, badge))

    if pending and measure.extension_proposed_at is None:
        next_step = "proposal"
    elif pending:
        next_step = "decision"
    elif measure.appeal_filed_at is None:
        next_step = "appeal"
    else:
        next_step = ""
    return EmergencyRow(
        measure=measure,
        in_force_until=in_force_until,
        in_force=in_force,
        deadlines=rows,
        missing_proposal=pending and measure.extension_proposed_at is None and in_force,
        next_step=next_step,
    )


@dataclass
class ProtectiveRow:
    measure: ProtectiveMeasure
    badge: Badge
    in_force: bool
    renewed: bool
    breaches: list[MeasureBreach] = field(default_factory=list)


def protective_row_for(measure: ProtectiveMeasure, now: datetime, renewed: bool) -> ProtectiveRow:
    end = deadlines.protective_expiry(measure.valid_until).due
    today = timezone.localdate(now)
    in_force = measure.valid_from <= today <= measure.valid_until
    if renewed:
        badge = done_badge(_g("renewed"), "badge-ok")
    elif now <= end:
        badge = countdown_badge(end, now, DeadlineKind.PROTECTIVE_EXPIRY, mode="expires", past_css="")
    else:
        badge = done_badge(_g("ended %(when)s") % {"when": short(measure.valid_until)}, "")
    return ProtectiveRow(measure=measure, badge=badge, in_force=in_force, renewed=renewed)


@dataclass
class PlanMeasureRow:
    measure: PlanMeasure
    badge: Badge
    overdue: bool
    status_form: PlanMeasureStatusForm | None = None
    snapshot: str = ""


def plan_measure_row_for(measure: PlanMeasure, now: datetime) -> PlanMeasureRow:
    is_open = measure.status in (PlanMeasureStatus.PLANNED, PlanMeasureStatus.IN_PROGRESS)
    due = deadlines.plan_measure_due(measure.deadline).due
    if measure.status == PlanMeasureStatus.DONE:
        badge = done_badge(_g("done %(when)s") % {"when": short(measure.completed_at)} if measure.completed_at else _g("done"))
    elif not is_open:
        badge = done_badge(measure.get_status_display(), "")
    else:
        badge = countdown_badge(due, now, DeadlineKind.PLAN_MEASURE)
    overdue = is_open and now > due
    return PlanMeasureRow(measure=measure, badge=badge, overdue=overdue)


@dataclass
class ReferralRow:
    referral: Referral
    to_answer: str  # "answered after 3 h" / "waiting for 5 h"
    waiting: bool
    received: bool  # addressed to one of the user's institutions
    can_complete: bool
    show_override: bool


def referral_wait_text(referral: Referral, now: datetime) -> tuple[str, bool]:
    """"answered after 3 h 5 min" or "waiting for 2 d 1 h"."""
    if referral.answered_at is not None:
        return _g("answered after %(duration)s") % {"duration": format_duration(referral.seconds_to_answer or 0)}, False
    if referral.status == ReferralStatus.SENT:
        return _g("waiting for %(duration)s") % {"duration": format_duration((now - referral.sent_at).total_seconds())}, True
    return "", False


# --- snapshots: what the user saw when opening a form (for naming what changed in a conflict) ------


def snapshot(obj, fields) -> str:
    """A signed copy of ``fields`` of ``obj`` as the user saw them."""
    data = {"pk": obj.pk}
    for name in fields:
        f = obj._meta.get_field(name)
        data[f.attname] = getattr(obj, f.attname)
    return signing.dumps(data, salt=SNAPSHOT_SALT, serializer=_JSONSerializer)


class _FullPrecisionEncoder(DjangoJSONEncoder):
    """Datetimes with their microseconds (DjangoJSONEncoder keeps milliseconds only)."""

    def default(self, o):
        if isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


class _JSONSerializer:
    def dumps(self, obj):
        import json

        return json.dumps(obj, cls=_FullPrecisionEncoder, separators=(",", ":")).encode("latin-1")

    def loads(self, data):
        import json

        return json.loads(data.decode("latin-1"))


def as_seen(current, value: str | None):
    """``current`` with the values the user saw (from the snapshot), to compare against the stored row.

    A missing or tampered snapshot gives ``current`` itself (a conflict is still refused, only
    without naming the fields)."""
    if not value:
        return current
    try:
        data = signing.loads(value, salt=SNAPSHOT_SALT, serializer=_JSONSerializer)
    except signing.BadSignature:
        return current
    if data.get("pk") != current.pk:
        return current
    seen = type(current).from_db(current._state.db, [f.attname for f in current._meta.concrete_fields],
                                 [getattr(current, f.attname) for f in current._meta.concrete_fields])
    for attname, raw in data.items():
        if attname == "pk":
            continue
        try:
            model_field = next(f for f in current._meta.concrete_fields if f.attname == attname)
            setattr(seen, attname, model_field.to_python(raw) if raw is not None else None)
        except (StopIteration, ValidationError):
            continue
    return seen


# --- common view plumbing -------------------------------------------------------------------------


def conflict_context(conflict: VersionConflict | None) -> dict:
    """``conflict`` for templates/cases/_conflict.html, with each changed field's label and stored value."""
    if conflict is None:
        return {"conflict": None}
    current = conflict.current
    rows = []
    for name, label in zip(conflict.changed_fields, conflict.changed_labels, strict=False):
        model_field = current._meta.get_field(name)
        value = getattr(current, name)
        if model_field.choices:
            value = getattr(current, f"get_{name}_display")()
        elif isinstance(value, bool):
            value = _g("yes") if value else _g("no")
        elif isinstance(value, datetime | date):
            value = short(value)
        elif value is None or value == "":
            value = "—"
        rows.append({"name": name, "label": label, "value": value})
    return {"conflict": conflict, "conflict_rows": rows, "conflict_template": _conflict_template()}


def _conflict_template() -> str:
    """The shared conflict partial of the case pages, or this area's own until that one exists."""
    from django.template import TemplateDoesNotExist
    from django.template.loader import get_template

    try:
        get_template("cases/_conflict.html")
    except TemplateDoesNotExist:
        return "cases/measures/_conflict.html"
    return "cases/_conflict.html"


def case_url(case, anchor: str = "") -> str:
    """The case page (an anchor picks the section)."""
    pk = case.pk if isinstance(case, Case) else case
    try:
        url = reverse("cases:detail", kwargs={"pk": pk})
    except NoReverseMatch:  # the case pages are joined from another module of the namespace
        url = f"/cases/{pk}/"
    return f"{url}#{anchor}" if anchor else url


def apply_service_error(form, exc: ValidationError) -> VersionConflict | None:
    """Put a service's ValidationError on the form's fields (non-field when the form lacks one).

    A version conflict is not a form error: it is returned for templates/cases/_conflict.html (shown
    once, with what changed), and the form's hidden version moves to the stored one so that the
    user can save again after reading what changed."""
    if isinstance(exc, VersionConflict):
        if "version" in form.fields and exc.current_version:
            data = form.data.copy()
            data["version"] = str(exc.current_version)
            form.data = data
        return exc
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            target = name if name in form.fields and name != NON_FIELD_ERRORS else None
            form.add_error(target, errors)
    else:
        form.add_error(None, exc)
    return None


class CaseAreaMixin(LoginRequiredMixin):
    """A page about one case the user may see; ``team_only`` pages also need the case team scope."""

    team_only = True
    anchor = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.case = get_object_or_404(
            Case.objects.visible_to(request.user, "view").select_related("lead_institution", "municipality"),
            pk=kwargs["pk"],
        )
        if self.team_only:
            if not Case.objects.listed_for(request.user).filter(pk=self.case.pk).exists():
                raise PermissionDenied(
                    _("Only the case team can do this; the case was shared with you for your part of the work.")
                )
        return super().dispatch(request, *args, **kwargs)

    def audit_read(self, obj=None):
        audit_log(action=AuditAction.VIEW, actor=self.request.user, obj=obj or self.case, details={"view": self.page_name})

    page_name = "measures"

    def success(self, message):
        messages.success(self.request, message)
        return HttpResponseRedirect(case_url(self.case, self.anchor))


class CaseChildMixin:
    """A form page about one record of the case (a measure, a plan): looked up once through the
    scoped manager, 404 when the user may not see it or it belongs to another case."""

    child_model = None
    child_kwarg = ""

    def get_child(self):
        if not hasattr(self, "_child"):
            self._child = get_object_or_404(
                self.child_model.objects.visible_to(self.request.user), pk=self.kwargs[self.child_kwarg], case=self.case
            )
        return self._child

    def get(self, request, *args, **kwargs):
        self.get_child()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.get_child()
        return super().post(request, *args, **kwargs)


class CaseFormView(DraftFormMixin, CaseAreaMixin, TemplateView):
    """GET shows the form, POST validates it and calls the service (errors back on the fields).
    With ``draft_form`` set, what the user types is kept as their server-side draft until saved."""

    form_class = None
    title = ""
    submit_label = _("Save")

    def get_form_kwargs(self) -> dict:
        return {}

    def get_form(self, data=None):
        return self.form_class(data=data, **self.get_form_kwargs())

    def get(self, request, *args, **kwargs):
        self.audit_read()
        return self.render_to_response(self.get_context_data(form=self.restore_draft(self.get_form())))

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST)
        conflict = None
        if form.is_valid():
            try:
                response = self.save(form)
            except ValidationError as exc:
                conflict = apply_service_error(form, exc)
            else:
                self.discard_draft()
                return response
        return self.render_to_response(self.get_context_data(form=form, **conflict_context(conflict)))

    def save(self, form):  # pragma: no cover - every form page defines it
        raise NotImplementedError

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(case=self.case, title=self.title, submit_label=self.submit_label, back_url=case_url(self.case, self.anchor))
        ctx.update(self.draft_context())
        return ctx


# --- emergency measures ---------------------------------------------------------------------------


class EmergencyAddView(CaseFormView):
    """Record a police emergency measure."""

    template_name = "cases/measures/form.html"
    form_class = EmergencyMeasureForm
    title = _("Record an emergency measure")
    anchor = "emergency"
    page_name = "emergency_add"

    def get_form_kwargs(self):
        return {"user": self.request.user, "case": self.case}

    def save(self, form):
        d = form.cleaned_data
        measure_services.emergency_measure_record(
            user=self.request.user, case=self.case, kind=d["kind"], order_number=d["order_number"],
            ordered_by=d["ordered_by"], delivered_at=d["delivered_at"],
        )
        return self.success(_("The emergency measure is recorded; its deadlines are running."))


EMERGENCY_STEP_FIELDS = ("extension_proposed_at", "court_decision", "court_decided_at", "appeal_filed_at", "extended_until")


class EmergencyUpdateView(CaseAreaMixin, TemplateView):
    """One emergency measure: its deadlines, and the next step to record (proposal, decision, appeal)."""

    template_name = "cases/measures/emergency_update.html"
    anchor = "emergency"
    page_name = "emergency_update"
    STEPS = {"proposal": ExtensionProposalForm, "decision": CourtDecisionForm, "appeal": AppealForm}

    def get_measure(self):
        return get_object_or_404(
            EmergencyMeasure.objects.visible_to(self.request.user).select_related("ordered_by"),
            pk=self.kwargs["measure_pk"],
            case=self.case,
        )

    def forms_for(self, measure, bound_step=None, bound_form=None, conflict=None):
        row = emergency_rows_for(measure, timezone.now())
        seen = snapshot(measure, EMERGENCY_STEP_FIELDS)
        forms = {}
        if row.next_step == "proposal":
            forms["proposal"] = ExtensionProposalForm(initial={"version": measure.version})
        if row.next_step in ("proposal", "decision") and measure.extension_proposed_at:
            forms["decision"] = CourtDecisionForm(initial={"version": measure.version})
        if row.next_step == "appeal":
            forms["appeal"] = AppealForm(initial={"version": measure.version})
        # After a conflict, a step someone else already recorded is not offered again.
        if bound_step and (bound_step in forms or conflict is None):
            forms[bound_step] = bound_form
        return row, forms, seen

    def get(self, request, *args, **kwargs):
        measure = self.get_measure()
        self.audit_read(measure)
        row, forms, seen = self.forms_for(measure)
        return self.render_to_response(self.get_context_data(row=row, forms=forms, snapshot=seen))

    def post(self, request, *args, **kwargs):
        measure = self.get_measure()
        step = request.POST.get("step", "")
        form_class = self.STEPS.get(step)
        if form_class is None:
            row, forms, seen = self.forms_for(measure)
            context = self.get_context_data(
                row=row, forms=forms, snapshot=seen, orphan_errors=[_("Choose what to record: use one of the forms below.")]
            )
            return self.render_to_response(context, status=400)
        form = form_class(request.POST)
        conflict = None
        if form.is_valid():
            d = form.cleaned_data
            seen = as_seen(measure, request.POST.get("snapshot"))
            try:
                if step == "proposal":
                    measure_services.emergency_measure_propose_extension(
                        user=request.user, measure=seen, proposed_at=d["extension_proposed_at"], expected_version=d["version"]
                    )
                    message = _("The extension proposal is recorded; the court has 24 hours to decide.")
                elif step == "decision":
                    measure_services.emergency_measure_court_decision(
                        user=request.user, measure=seen, decision=d["court_decision"], decided_at=d["court_decided_at"],
                        expected_version=d["version"],
                    )
                    message = _("The court's decision is recorded.")
                else:
                    measure_services.emergency_measure_appeal(
                        user=request.user, measure=seen, filed_at=d["appeal_filed_at"], expected_version=d["version"]
                    )
                    message = _("The appeal is recorded.")
                return self.success(message)
            except ValidationError as exc:
                conflict = apply_service_error(form, exc)
                if conflict is not None:
                    measure = conflict.current
        row, forms, seen = self.forms_for(measure, step, form, conflict)
        # The refused step's own errors stay visible even when its form is no longer offered.
        orphan_errors = form.non_field_errors() if forms.get(step) is not form else []
        return self.render_to_response(
            self.get_context_data(
                row=row, forms=forms, snapshot=seen, step=step, orphan_errors=orphan_errors, **conflict_context(conflict)
            )
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(case=self.case, back_url=case_url(self.case, self.anchor))
        return ctx


class BreachAddView(CaseFormView):
    """Record a breach of an emergency or protective measure."""

    template_name = "cases/measures/form.html"
    form_class = BreachForm
    title = _("Record a breach of a measure")
    anchor = "emergency"
    page_name = "breach_add"

    def get_form_kwargs(self):
        emergency = list(EmergencyMeasure.objects.visible_to(self.request.user).filter(case=self.case).order_by("-delivered_at"))
        protective = list(ProtectiveMeasure.objects.visible_to(self.request.user).filter(case=self.case).order_by("-valid_from"))
        return {"user": self.request.user, "case": self.case, "emergency": emergency, "protective": protective}

    def get_form(self, data=None):
        form = super().get_form(data)
        if data is None and self.request.GET.get("measure"):
            form.initial["measure"] = self.request.GET["measure"]
        return form

    def save(self, form):
        d = form.cleaned_data
        measure_services.breach_record(
            user=self.request.user, case=self.case, occurred_at=d["occurred_at"], description=d["description"],
            **form.measure_kwargs(),
        )
        return self.success(_("The breach is recorded."))


# --- protective measures --------------------------------------------------------------------------


class ProtectiveAddView(CaseFormView):
    """Record a Family Law protective measure."""

    template_name = "cases/measures/form.html"
    form_class = ProtectiveMeasureForm
    title = _("Record a protective measure")
    anchor = "protective"
    page_name = "protective_add"

    def save(self, form):
        d = form.cleaned_data
        distance = d["distance_m"] if d["kind"] == ProtectiveMeasureKind.APPROACH_BAN else None
        measure_services.protective_measure_record(
            user=self.request.user, case=self.case, kind=d["kind"], court=d["court"], decision_date=d["decision_date"],
            valid_from=d["valid_from"], valid_until=d["valid_until"], decision_number=d["decision_number"],
            distance_m=distance,
        )
        return self.success(_("The protective measure is recorded."))


class ProtectiveRenewView(CaseChildMixin, CaseFormView):
    """Renew a protective measure before it ends."""

    template_name = "cases/measures/form.html"
    form_class = ProtectiveRenewForm
    title = _("Renew a protective measure")
    anchor = "protective"
    page_name = "protective_renew"

    child_model = ProtectiveMeasure
    child_kwarg = "measure_pk"

    def get_measure(self):
        return self.get_child()

    def get_form(self, data=None):
        form = super().get_form(data)
        if data is None:
            start, latest = deadlines.protective_renewal_period(self.get_measure().valid_until)
            form.initial.update(valid_from=start, valid_until=latest)
        return form

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["renewed_measure"] = self.get_measure()
        return ctx

    def save(self, form):
        d = form.cleaned_data
        measure_services.protective_measure_renew(
            user=self.request.user, measure=self.get_measure(), decision_date=d["decision_date"],
            valid_until=d["valid_until"], valid_from=d["valid_from"], decision_number=d["decision_number"],
            court=d["court"],
        )
        return self.success(_("The protective measure is renewed."))


# --- the plan -------------------------------------------------------------------------------------


def team_institution_ids(case: Case) -> list[int]:
    """The lead institution and the institutions currently on the case team."""
    ids = set(CaseParticipant.objects.filter(case=case, ended_at__isnull=True).values_list("institution_id", flat=True))
    ids.add(case.lead_institution_id)
    return sorted(ids)


class PlanCreateView(CaseFormView):
    """Adopt a new individual protection and support plan."""

    template_name = "cases/measures/form.html"
    form_class = PlanForm
    title = _("New protection and support plan")
    anchor = "plan"
    page_name = "plan_create"
    draft_form = "plan_create"

    def get_form(self, data=None):
        form = super().get_form(data)
        if data is None:
            form.initial["adopted_at"] = timezone.localdate()
        return form

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["replaces_plan"] = ProtectionPlan.objects.visible_to(self.request.user).filter(case=self.case, is_active=True).first()
        return ctx

    def save(self, form):
        d = form.cleaned_data
        plan_services.plan_create(
            user=self.request.user, case=self.case, victim_participated=d["victim_participated"],
            victim_signed=d["victim_signed"], monitoring=d["monitoring"], next_review=d["next_review"],
            adopted_at=d["adopted_at"],
        )
        return self.success(_("The plan is adopted. Add its protection and support measures."))


class PlanEditView(CaseChildMixin, CaseFormView):
    """Edit the plan (refused with what changed if someone saved it meanwhile)."""

    template_name = "cases/measures/form.html"
    form_class = PlanEditForm
    title = _("Edit the protection and support plan")
    anchor = "plan"
    page_name = "plan_edit"

    child_model = ProtectionPlan
    child_kwarg = "plan_pk"

    def get_plan(self):
        return self.get_child()

    draft_form = "plan_edit"

    def draft_object(self):
        return self.get_plan()

    def get_form(self, data=None):
        form = super().get_form(data)
        if data is None:
            plan = self.get_plan()
            form.initial.update({name: getattr(plan, name) for name in plan_services.PLAN_FIELDS})
            form.initial["version"] = plan.version
        return form

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        plan = kwargs.get("conflict").current if kwargs.get("conflict") else self.get_plan()
        ctx["snapshot"] = snapshot(plan, plan_services.PLAN_FIELDS)
        return ctx

    def save(self, form):
        d = form.cleaned_data
        plan = self.get_plan()
        seen = as_seen(plan, self.request.POST.get("snapshot"))
        changes = {name: d[name] for name in plan_services.PLAN_FIELDS}
        plan_services.plan_update(user=self.request.user, plan=seen, expected_version=d["version"], **changes)
        return self.success(_("The plan is saved."))


class PlanMeasureAddView(CaseChildMixin, CaseFormView):
    """Add a protection or support measure to the plan."""

    template_name = "cases/measures/form.html"
    form_class = PlanMeasureForm
    title = _("Add a measure to the plan")
    anchor = "plan"
    page_name = "plan_measure_add"

    child_model = ProtectionPlan
    child_kwarg = "plan_pk"

    def get_plan(self):
        return self.get_child()

    draft_form = "plan_edit"

    def draft_object(self):
        return self.get_plan()

    def get_form_kwargs(self):
        return {"user": self.request.user, "case": self.case, "team_ids": team_institution_ids(self.case)}

    def save(self, form):
        d = form.cleaned_data
        plan_services.plan_measure_add(
            user=self.request.user, plan=self.get_plan(), kind=d["kind"], description=d["description"],
            owner_institution=d["owner_institution"], deadline=d["deadline"], for_person=d["for_person"],
            responsible_person=d["responsible_person"],
        )
        return self.success(_("The measure is added to the plan."))


class PlanMeasureUpdateView(CaseAreaMixin, View):
    """Change a plan measure's status (done records when); a conflict shows what changed."""

    anchor = "plan"
    page_name = "plan_measure_update"
    template_name = "cases/measures/plan_measure_status.html"

    def post(self, request, *args, **kwargs):
        measure = get_object_or_404(
            PlanMeasure.objects.visible_to(request.user).select_related("owner_institution", "for_person"),
            pk=kwargs["measure_pk"], case=self.case,
        )
        form = PlanMeasureStatusForm(request.POST)
        conflict = None
        if form.is_valid():
            seen = as_seen(measure, request.POST.get("snapshot"))
            try:
                plan_services.plan_measure_update_status(
                    user=request.user, measure=seen, status=form.cleaned_data["status"],
                    expected_version=form.cleaned_data["version"],
                )
                return self.success(_("The measure's status is saved."))
            except ValidationError as exc:
                conflict = apply_service_error(form, exc)
                if conflict is not None:
                    measure = conflict.current
        from django.template.response import TemplateResponse

        row = plan_measure_row_for(measure, timezone.now())
        return TemplateResponse(
            request,
            self.template_name,
            {
                "case": self.case,
                "row": row,
                "form": form,
                **conflict_context(conflict),
                "snapshot": snapshot(measure, ("status", "completed_at", *plan_services.MEASURE_FIELDS)),
                "back_url": case_url(self.case, self.anchor),
            },
        )


# --- referrals ------------------------------------------------------------------------------------


def received_referral(user, referral_pk: int, case_pk: int) -> Referral:
    """A referral addressed to one of the user's institutions (the receiving side may answer it
    before it can see the case), else 404."""
    access = getattr(user, "access", None)
    if access is None:
        raise Http404
    found = (
        Referral.objects.addressed_to(user)
        .select_related("case", "from_institution", "to_institution", "to_institution__municipality")
        .filter(pk=referral_pk, case_id=case_pk)
        .first()
    )
    if found is not None:
        return found
    if Referral.objects.visible_to(user).filter(pk=referral_pk, case_id=case_pk).exists():
        # Seen with the case (e.g. by a coordinator), but only the receiving institution answers.
        raise PermissionDenied(_("Only the institution the case was referred to answers the referral."))
    raise Http404


class ReferralSendView(CaseFormView):
    """Refer the case to an institution, also of another municipality (e.g. a safe house)."""

    template_name = "cases/measures/form.html"
    form_class = ReferralSendForm
    title = _("Refer the case to another institution")
    anchor = "referrals"
    page_name = "referral_send"

    def get_form_kwargs(self):
        team = set(team_institution_ids(self.case))
        own = sorted(team & set(self.request.user.access.institution_ids(*CASE_ROLES)))
        return {"user": self.request.user, "case": self.case, "own_ids": own}

    def save(self, form):
        d = form.cleaned_data
        referral_services.referral_send(
            user=self.request.user, case=self.case, from_institution=d["from_institution"],
            to_institution=d["to_institution"], reason=d["reason"], urgency=d["urgency"],
            consent_override_reason=d["consent_override_reason"],
        )
        return self.success(_("The referral is sent; the institution will answer it from its work queue."))


class ReferralAnswerView(LoginRequiredMixin, TemplateView):
    """The receiving institution accepts or declines (it sees the referral, not yet the case)."""

    template_name = "cases/measures/referral_answer.html"

    def get_referral(self):
        return received_referral(self.request.user, self.kwargs["referral_pk"], self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        referral = self.get_referral()
        audit_log(action=AuditAction.VIEW, actor=request.user, obj=referral, details={"view": "referral_answer"})
        return self.render_to_response(self.context(referral, ReferralAnswerForm()))

    def post(self, request, *args, **kwargs):
        referral = self.get_referral()
        form = ReferralAnswerForm(request.POST)
        if form.is_valid():
            try:
                if form.cleaned_data["decision"] == ReferralAnswerForm.ACCEPT:
                    referral_services.referral_accept(user=request.user, referral=referral)
                    messages.success(request, _("The referral is accepted; your institution can now open the case."))
                    return HttpResponseRedirect(case_url(referral.case_id, "referrals"))
                referral_services.referral_decline(
                    user=request.user, referral=referral, reason=form.cleaned_data["decline_reason"]
                )
                messages.success(request, _("The referral is declined; the referring institution sees your reason."))
                return HttpResponseRedirect(reverse("cases:work_queue"))
            except ValidationError as exc:
                apply_service_error(form, exc)
        return self.render_to_response(self.context(referral, form))

    def context(self, referral, form):
        wait, waiting = referral_wait_text(referral, timezone.now())
        return {"referral": referral, "form": form, "wait_text": wait, "waiting": waiting}


class ReferralCompleteView(LoginRequiredMixin, View):
    """Either side marks an accepted referral completed; the receiving institution's access ends."""

    def post(self, request, *args, **kwargs):
        user = request.user
        referral = Referral.objects.visible_to(user).filter(pk=kwargs["referral_pk"], case_id=kwargs["pk"]).first()
        received = False
        if referral is None:
            referral = received_referral(user, kwargs["referral_pk"], kwargs["pk"])
        received = referral.to_institution_id in user.access.institution_ids(*CASE_ROLES)
        try:
            referral_services.referral_complete(user=user, referral=referral)
        except ValidationError as exc:
            for errors in getattr(exc, "message_dict", {"": exc.messages}).values():
                for error in errors:
                    messages.error(request, error)
            return HttpResponseRedirect(
                reverse("cases:work_queue") if received else case_url(kwargs["pk"], "referrals")
            )
        messages.success(request, _("The referral is completed."))
        if received:
            # The case is no longer shared with the receiving institution.
            return HttpResponseRedirect(reverse("cases:work_queue"))
        return HttpResponseRedirect(case_url(kwargs["pk"], "referrals"))


# --- the work queue -------------------------------------------------------------------------------


def badge_html(b: Badge | None) -> str:
    """The markup of templates/cases/measures/_countdown.html for one badge, written in Python for the
    long lists of the work queue (an include per badge cost more than the rest of its row)."""
    if not b:
        return ""
    css = f"badge {b.css}" if b.css else "badge"
    if not b.live:
        return format_html('<span class="{}">{}</span>', css, b.text)
    units = b.units
    return format_html(
        '<span class="{}" data-countdown data-due="{}" data-future="{}" data-past="{}" data-warn="{}" '
        'data-past-class="{}" data-f-dh="{}" data-f-d="{}" data-f-hm="{}" data-f-h="{}" data-f-m="{}" title="{}">{}</span>',
        css, b.due_iso, b.future, b.past, b.warn_seconds, b.past_css,
        units["dh"], units["d"], units["hm"], units["h"], units["m"], short(b.due), b.text,
    )


class _CaseUrls:
    """Addresses for many rows from one ``reverse`` per pattern: the paths are fixed text around integer
    ids, so each is reversed once with marker ids and filled in with ``str.format`` (the check below
    falls back to ``reverse`` should a pattern ever change the ids it is given)."""

    MARKS = (987654321, 987654322)

    def __init__(self):
        self._patterns = {}

    def _url(self, name: str, *ids) -> str:
        pattern = self._patterns.get(name)
        if pattern is None:
            path = reverse(name, args=self.MARKS[: len(ids)])
            marks = [str(m) for m in self.MARKS[: len(ids)]]
            exact = all(path.count(m) == 1 for m in marks) and "{" not in path and "}" not in path
            for i, mark in reversed(list(enumerate(marks))):
                path = path.replace(mark, "{" + str(i) + "}")
            pattern = self._patterns[name] = path if exact else ""
        return pattern.format(*ids) if pattern else reverse(name, args=ids)

    def case(self, case_id, anchor: str = "") -> str:
        return self._url("cases:detail", case_id) + anchor

    def measure_update(self, case_id, measure_id) -> str:
        return self._url("cases:emergency_update", case_id, measure_id)

    def answer(self, case_id, referral_id) -> str:
        return self._url("cases:referral_answer", case_id, referral_id)

    def read(self, reminder_id) -> str:
        return self._url("cases:reminder_read", reminder_id)


class _QueueWriter:
    """What every row of one work queue page shares, resolved once: the date formats, the duration
    phrases and, per kind of badge, its fixed attributes (escaped once). ``badge`` writes the same
    markup as ``badge_html(countdown_badge(...))`` and ``short`` the same text as ``short``."""

    def __init__(self, now: datetime):
        self.now = now
        self.datetime_format = get_format("SHORT_DATETIME_FORMAT")
        self.date_format = get_format("SHORT_DATE_FORMAT")
        self._datetimes: dict = {}
        self._dates: dict = {}
        self._badges: dict = {}
        self.phrases = (
            _g("%(days)s d %(hours)s h"), _g("%(days)s d"), _g("%(hours)s h %(minutes)s min"), _g("%(hours)s h"),
            _g("%(minutes)s min"),
        )

    def short(self, value) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            text = self._datetimes.get(value)
            if text is None:
                text = self._datetimes[value] = dateformat.format(timezone.localtime(value), self.datetime_format)
            return text
        text = self._dates.get(value)
        if text is None:
            text = self._dates[value] = dateformat.format(value, self.date_format)
        return text

    def duration(self, seconds) -> str:
        """``format_duration`` with the page's phrases."""
        seconds = abs(int(seconds))
        days, rest = divmod(seconds, 86400)
        hours, rest = divmod(rest, 3600)
        minutes = max(rest // 60, 0)
        dh, d, hm, h, m = self.phrases
        if days:
            return dh % {"days": days, "hours": hours} if hours else d % {"days": days}
        if hours:
            return hm % {"hours": hours, "minutes": minutes} if minutes else h % {"hours": hours}
        return m % {"minutes": max(minutes, 1)}

    def _kind(self, kind: str, mode: str, past_css: str):
        key = (kind, mode, past_css)
        found = self._badges.get(key)
        if found is None:
            warn = WARN_BEFORE.get(kind, timedelta(hours=12))
            if mode == "expires":
                future, past = _g("expires in %(duration)s"), _g("expired %(duration)s ago")
            else:
                future, past = _g("due in %(duration)s"), _g("overdue by %(duration)s")
            units = _duration_units(get_language())
            fixed = format_html(
                'data-future="{}" data-past="{}" data-warn="{}" data-past-class="{}" data-f-dh="{}" data-f-d="{}" '
                'data-f-hm="{}" data-f-h="{}" data-f-m="{}"',
                future % {"duration": "{}"}, past % {"duration": "{}"}, int(warn.total_seconds()), past_css,
                units["dh"], units["d"], units["hm"], units["h"], units["m"],
            )
            found = self._badges[key] = (future, past, warn.total_seconds(), str(fixed))
        return found

    def badge(self, due: datetime, kind: str, *, mode: str = "due", past_css: str = "badge-err") -> str:
        future, past, warn_seconds, fixed = self._kind(kind, mode, past_css)
        cd = deadlines.countdown(due, self.now)
        duration = self.duration(cd.seconds)
        if cd.overdue:
            text, css = past % {"duration": duration}, past_css
        else:
            text = future % {"duration": duration}
            css = "badge-warn" if cd.seconds <= warn_seconds else ""
        local = timezone.localtime(due)
        return mark_safe(  # noqa: S308 - every value below is escaped
            f'<span class="{escape("badge " + css if css else "badge")}" data-countdown data-due="{escape(local.isoformat())}" '
            f'{fixed} title="{escape(self.short(local))}">{escape(text)}</span>'
        )

    def wait(self, referral: Referral) -> str:
        """``referral_wait_text(referral, now)[0]`` with the page's phrases."""
        if referral.answered_at is not None:
            return _g("answered after %(duration)s") % {"duration": self.duration(referral.seconds_to_answer or 0)}
        if referral.status == ReferralStatus.SENT:
            return _g("waiting for %(duration)s") % {"duration": self.duration((self.now - referral.sent_at).total_seconds())}
        return ""


def _truncated(text: str, length: int) -> str:
    """``Truncator(text).chars(length)``, without walking texts that fit (most of them)."""
    if len(text) <= length:
        return unicodedata.normalize("NFC", text)
    return Truncator(text).chars(length)


def _labels(mapping) -> dict:
    """Choice labels translated once for the page (lazy texts otherwise translate on every row)."""
    return {key: str(label) for key, label in mapping.items()}


def work_queue_rows(queue, now: datetime) -> dict:
    """What each row of the work queue shows, formatted once in Python (labels, dates, addresses,
    badges): the same text the template filters and includes wrote, for ~100 rows at a fraction of the cost."""
    urls = _CaseUrls()
    w = _QueueWriter(now)
    short_ = w.short
    kinds = _labels(dict(EmergencyMeasureKind.choices))
    plan_kinds = _labels(dict(PlanMeasureKind.choices))
    urgencies = _labels(dict(ReferralUrgency.choices))
    referral_statuses = _labels(dict(ReferralStatus.choices))
    case_statuses = _labels(dict(CaseStatus.choices))
    deadline_labels = _labels(DEADLINE_LABELS)
    reminder_kinds = _labels(KIND_LABELS)
    stages = _labels(STAGE_LABELS)
    expiry = (DeadlineKind.EMERGENCY_EXPIRY, DeadlineKind.EXTENSION_EXPIRY)

    measures = []
    for item in queue.expiring_measures:
        m = item.measure
        mode = "expires" if item.deadline.kind in expiry else "due"
        in_force_badge = ""
        if item.deadline.kind not in expiry:
            kind = DeadlineKind.EXTENSION_EXPIRY if m.court_decision == CourtDecision.EXTENDED else DeadlineKind.EMERGENCY_EXPIRY
            in_force_badge = w.badge(item.in_force_until, kind, mode="expires", past_css="")
        measures.append({
            "item": item,
            "url": urls.case(m.case_id, "#emergency"),
            "number": m.case.number,
            "kind": kinds.get(m.kind, m.kind),
            "order_number": m.order_number,
            "ordered_by": m.ordered_by.name,
            "label": deadline_labels.get(item.deadline.kind, ""),
            "due": short_(item.deadline.due),
            "badge": w.badge(item.deadline.due, item.deadline.kind, mode=mode),
            "update_url": urls.measure_update(m.case_id, m.pk) if item.missing_proposal else "",
            "in_force": short_(item.in_force_until),
            "in_force_badge": in_force_badge,
        })
    plan_rows = []
    for item in queue.overdue_plan_measures:
        pm = item.measure
        plan_rows.append({
            "item": item,
            "url": urls.case(pm.case_id, "#plan"),
            "number": pm.case.number,
            "kind": plan_kinds.get(pm.kind, pm.kind),
            "description": _truncated(pm.description, 120),
            "owner": pm.owner_institution.display_name(),
            "responsible": pm.responsible_person,
            "deadline": short_(pm.deadline),
            "badge": w.badge(item.deadline.due, DeadlineKind.PLAN_MEASURE),
        })
    waiting = [
        {
            "referral": r,
            "url": urls.answer(r.case_id, r.pk),
            "number": r.case.number,
            "urgency": urgencies.get(r.urgency, r.urgency),
            "urgent": r.urgency != ReferralUrgency.REGULAR,
            "from": r.from_institution.display_name(),
            "sent": short_(r.sent_at),
            "wait": w.wait(r),
            "reason": _truncated(r.reason, 200),
        }
        for r in queue.waiting_referrals
    ]
    answered = [
        {
            "referral": r,
            "url": urls.case(r.case_id, "#referrals"),
            "number": r.case.number,
            "to": r.to_institution.display_name(),
            "declined": r.status == ReferralStatus.DECLINED,
            "status": referral_statuses.get(r.status, r.status),
            "wait": w.wait(r),
            "decline_reason": _truncated(r.decline_reason, 120) if r.decline_reason else "",
        }
        for r in queue.answered_referrals
    ]
    activity = _g("last activity %(when)s (%(idle)s ago)")
    stale = [
        {
            "case": c,
            "url": urls.case(c.pk),
            "number": c.number,
            "status": case_statuses.get(c.status, c.status),
            "activity": activity % {
                "when": short_(timezone.localtime(c.last_activity_at).date()),
                "idle": w.duration((now - c.last_activity_at).total_seconds()),
            },
        }
        for c in queue.stale_cases
    ]
    reminders = [
        {
            "reminder": r,
            "url": urls.case(r.case_id),
            "number": r.case.number,
            "what": reminder_kinds.get(r.kind, r.kind),
            "stage": stages.get(r.stage, r.stage),
            "overdue": r.stage == "overdue",
            "due": short_(r.due_at),
            "institution": r.institution.display_name(),
            "read_url": urls.read(r.pk),
        }
        for r in queue.unread_reminders
    ]
    return {
        "measures": measures, "plan_rows": plan_rows, "waiting": waiting, "answered": answered, "stale": stale,
        "reminders": reminders,
    }


def _e(value) -> str:
    """A value as ``{{ value }}`` writes it: markup kept, text escaped, numbers localized."""
    if isinstance(value, SafeData):
        return str(value)
    return escape(value if isinstance(value, str) else str(localize(value)))


def queue_words() -> dict:
    """Words repeated on every row, translated once for the page; safe like the {% translate %} of a
    template literal they replace (the catalogs are ours, not user input)."""
    return {
        "record_missing": mark_safe(_g("The prosecutor's extension proposal is not recorded yet.")),
        "record_it": mark_safe(_g("Record it")),
        "accept": mark_safe(_g("Accept")),
        "decline": mark_safe(_g("Decline")),
        "decline_reason": mark_safe(_g("Reason for declining")),
        "mark_read": mark_safe(_g("Mark as read")),
    }


def work_queue_html(rows: dict, words: dict, csrf_input: str) -> dict:
    """The rows of each group as markup (what the template's loops wrote), every value escaped: a
    hundred rows of a dozen variables each were most of the page's rendering."""
    e = _e
    measures = []
    for m in rows["measures"]:
        update = (
            f'<p class="error">{words["record_missing"]} <a href="{e(m["update_url"])}">{words["record_it"]}</a></p>'
            if m["update_url"] else ""
        )
        in_force_badge = f"<br>{e(m['in_force_badge'])}" if m["in_force_badge"] else ""
        measures.append(
            f'<tr>\n<td><a href="{e(m["url"])}">{e(m["number"])}</a></td>\n'
            f'<td>{e(m["kind"])}<br><span class="help">{e(m["order_number"])} · {e(m["ordered_by"])}</span></td>\n'
            f'<td>{e(m["label"])}: {e(m["due"])}<br>{e(m["badge"])}\n{update}\n</td>\n'
            f'<td>{e(m["in_force"])}{in_force_badge}</td>\n</tr>'
        )
    plans = []
    for p in rows["plan_rows"]:
        responsible = f'<br><span class="help">{e(p["responsible"])}</span>' if p["responsible"] else ""
        plans.append(
            f'<tr>\n<td><a href="{e(p["url"])}">{e(p["number"])}</a></td>\n'
            f'<td>{e(p["kind"])}: {e(p["description"])}</td>\n'
            f'<td>{e(p["owner"])}{responsible}</td>\n'
            f'<td>{e(p["deadline"])}<br>{e(p["badge"])}</td>\n</tr>'
        )
    waiting = []
    for w in rows["waiting"]:
        url, pk = e(w["url"]), e(w["referral"].pk)
        waiting.append(
            f'<tr>\n<td><a href="{url}">{e(w["number"])}</a><br>\n'
            f'<span class="badge{" badge-warn" if w["urgent"] else ""}">{e(w["urgency"])}</span></td>\n'
            f'<td>{e(w["from"])}<br><span class="help">{e(w["sent"])} · {e(w["wait"])}</span></td>\n'
            f'<td>{e(w["reason"])}</td>\n<td>\n'
            f'<form method="post" action="{url}">\n{csrf_input}<input type="hidden" name="decision" value="accept">\n'
            f'<button class="btn" type="submit">{words["accept"]}</button>\n</form>\n'
            f'<details>\n<summary>{words["decline"]}</summary>\n<form method="post" action="{url}">\n'
            f'{csrf_input}<input type="hidden" name="decision" value="decline">\n<div class="field">\n'
            f'<label for="decline-{pk}">{words["decline_reason"]} <span class="req" aria-hidden="true">*</span></label>\n'
            f'<textarea id="decline-{pk}" name="decline_reason" rows="2" required></textarea>\n</div>\n'
            f'<button class="btn btn-danger" type="submit">{words["decline"]}</button>\n</form>\n</details>\n'
            f'</td>\n</tr>'
        )
    answered = []
    for a in rows["answered"]:
        reason = f' · {e(a["decline_reason"])}' if a["decline_reason"] else ""
        answered.append(
            f'<li><a href="{e(a["url"])}">{e(a["number"])}</a>:\n{e(a["to"])} ·\n'
            f'<span class="badge{" badge-warn" if a["declined"] else " badge-ok"}">{e(a["status"])}</span>\n'
            f'· {e(a["wait"])}{reason}</li>'
        )
    stale = [
        f'<li><a href="{e(c["url"])}">{e(c["number"])}</a> · {e(c["status"])} ·\n{e(c["activity"])}</li>'
        for c in rows["stale"]
    ]
    reminders = [
        f'<li><a href="{e(r["url"])}">{e(r["number"])}</a>:\n{e(r["what"])} · '
        f'<span class="badge{" badge-err" if r["overdue"] else " badge-warn"}">{e(r["stage"])}</span>\n'
        f'· {e(r["due"])} · {e(r["institution"])}\n<form method="post" action="{e(r["read_url"])}" class="inline-form">\n'
        f'{csrf_input}<button class="btn btn-secondary btn-small" type="submit">{words["mark_read"]}</button>\n</form>\n</li>'
        for r in rows["reminders"]
    ]
    return {
        name: mark_safe("\n".join(items))  # noqa: S308 - every value is escaped above
        for name, items in (
            ("measures", measures), ("plan_rows", plans), ("waiting", waiting), ("answered", answered),
            ("stale", stale), ("reminders", reminders),
        )
    }


class WorkQueueView(LoginRequiredMixin, TemplateView):
    """Jelena's Monday morning: what needs doing now, most urgent first."""

    template_name = "cases/measures/work_queue.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(work_queue_context(self.request, timezone.now()))
        return ctx


def work_queue_context(request, now: datetime) -> dict:
    """What templates/cases/measures/_work_queue_body.html needs: the queue page's and the home page's."""
    queue = work_queue_for(request.user, now)
    rows = work_queue_rows(queue, now)
    words = queue_words()
    html = work_queue_html(rows, words, csrf_input(request)) if queue.total else {}
    return {"queue": queue, "now": now, "words": words, "html": html, **rows}


class ReminderReadView(LoginRequiredMixin, View):
    """Mark an in-app reminder as read."""

    def post(self, request, *args, **kwargs):
        reminder = get_object_or_404(Reminder.objects.visible_to(request.user), pk=kwargs["reminder_pk"])
        if reminder.institution_id not in request.user.access.institution_ids(*CASE_ROLES):
            # Visible with the case (a coordinator), but addressed to another institution's staff.
            raise PermissionDenied(_("This reminder is addressed to another institution."))
        reminder_mark_read(user=request.user, reminder=reminder)
        messages.success(request, _("The reminder is marked as read."))
        return HttpResponseRedirect(reverse("cases:work_queue"))


# --- the sections of the case page ------------------------------------------------------------------


def _plan_rows_html(request, case, rows) -> None:
    """Each plan measure row's markup (``row.html``) for the case page, written in Python like the
    work queue's rows: the same markup templates/cases/detail/_plan.html wrote per row, its fixed
    words translated and escaped once per page and every value escaped."""
    from django.middleware.csrf import get_token
    from django.template.defaultfilters import date as date_filter
    from django.template.defaultfilters import linebreaksbr
    from django.utils.html import escape

    if not rows:
        return
    overdue = format_html(' <span class="badge badge-err">{}</span>', _g("overdue"))
    csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))
    status_label, save = escape(_g("Status")), escape(_g("Save"))
    for row in rows:
        m = row.measure
        person = m.for_person
        if row.status_form is not None:
            options = mark_safe("".join(
                format_html('<option value="{}"{}>{}</option>', value, mark_safe(" selected") if value == m.status else "", label)
                for value, label in row.status_form.fields["status"].choices
            ))
            status = format_html(
                '\n          <form method="post" action="{}" class="inline-form">\n            {}\n'
                '            <input type="hidden" name="version" value="{}">\n'
                '            <input type="hidden" name="snapshot" value="{}">\n'
                '            <label for="pm-status-{}" class="visually-hidden">{}</label>\n'
                '            <select id="pm-status-{}" name="status">\n              {}\n            </select>\n'
                '            <button class="btn btn-secondary btn-small" type="submit">{}</button>\n          </form>\n          ',
                reverse("cases:plan_measure_update", args=[case.pk, m.pk]), csrf, m.version, row.snapshot,
                m.pk, status_label, m.pk, options, save,
            )
        else:
            status = m.get_status_display()
        row.html = format_html(
            "\n      <tr{}>\n        <td>{}<br><span class=\"help\">{}</span>{}</td>\n        <td>{}</td>\n"
            "        <td>{}{}</td>\n        <td>{}<br>{}</td>\n        <td>{}\n        </td>\n      </tr>",
            mark_safe(' class="row-overdue"') if row.overdue else "",
            linebreaksbr(m.description, autoescape=True), m.get_kind_display(), overdue if row.overdue else "",
            format_html("{} ({})", person, person.get_role_display()) if person else "—",
            m.owner_institution.display_name(),
            format_html('<br><span class="help">{}</span>', m.responsible_person) if m.responsible_person else "",
            date_filter(m.deadline, "SHORT_DATE_FORMAT"), row.badge_html, status,
        )


def detail_context(request, case) -> dict:
    """What the case page needs from this area (sections rendered by templates/cases/detail/), in a
    fixed number of queries whatever the number of measures, plan rows and referrals."""
    from django.template.defaultfilters import date as date_filter
    from django.utils.timezone import template_localtime

    user = request.user
    now = timezone.now()
    own = user.access.institution_ids(*CASE_ROLES)
    is_team = on_team(user, case)
    can_write = is_team and case.status != CaseStatus.CLOSED
    is_lead_staff = case.lead_institution_id in user.access.institution_ids()

    # Breaches, protective measures, plans and plan rows are read once for the page (the timeline
    # shows them too) and arranged here.
    breaches: dict[tuple[str, int], list] = {}
    for b in case_rows(user, case, MeasureBreach):  # newest first
        if b.emergency_measure_id:
            breaches.setdefault(("emergency", b.emergency_measure_id), []).append(b)
        if b.protective_measure_id:
            breaches.setdefault(("protective", b.protective_measure_id), []).append(b)

    emergency = case_rows(user, case, EmergencyMeasure)
    emergency_rows = []
    for m in emergency:
        row = emergency_rows_for(m, now)
        row.breaches = breaches.get(("emergency", m.pk), [])
        # The deadlines table's rows (templates/cases/measures/_deadlines.html), written in Python.
        row.deadline_rows_html = mark_safe("".join(
            format_html(
                "\n    <tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                d.label, date_filter(template_localtime(d.due), "SHORT_DATETIME_FORMAT"), badge_html(d.badge),
            )
            for d in row.deadlines
        ))
        emergency_rows.append(row)

    protective = case_rows(user, case, ProtectiveMeasure)
    renewed = {m.renewed_from_id for m in protective if m.renewed_from_id}
    protective_rows = []
    for m in protective:
        row = protective_row_for(m, now, m.pk in renewed)
        row.breaches = breaches.get(("protective", m.pk), [])
        row.badge_html = badge_html(row.badge)
        protective_rows.append(row)

    plans = case_rows(user, case, ProtectionPlan)
    plan = plans[0] if plans and plans[0].is_active else None
    plan_rows = []
    if plan is not None:
        for pm in case_rows(user, case, PlanMeasure):
            if pm.plan_id != plan.pk:
                continue
            row = plan_measure_row_for(pm, now)
            row.badge_html = badge_html(row.badge)
            if can_write:
                row.status_form = PlanMeasureStatusForm(
                    initial={"version": pm.version, "status": pm.status}, prefix=f"pm{pm.pk}"
                )
                row.snapshot = snapshot(pm, ("status", "completed_at", *plan_services.MEASURE_FIELDS))
            plan_rows.append(row)

    _plan_rows_html(request, case, plan_rows)

    referral_rows = []
    for r in case_rows(user, case, Referral):
        text, waiting = referral_wait_text(r, now)
        received = r.to_institution_id in own
        referral_rows.append(
            ReferralRow(
                referral=r,
                to_answer=text,
                waiting=waiting,
                received=received,
                can_complete=r.status == ReferralStatus.ACCEPTED and (received or is_team),
                show_override=is_lead_staff,
            )
        )

    return {
        "measures_can_write": can_write,
        "measures_is_team": is_team,
        "emergency_rows": emergency_rows,
        "protective_rows": protective_rows,
        "breach_possible": bool(emergency or protective),
        "current_plan": plan,
        "plan_rows": plan_rows,
        "plan_overdue_count": sum(1 for r in plan_rows if r.overdue),
        "earlier_plans": [p for p in plans if p is not plan],
        "plan_snapshot": snapshot(plan, plan_services.PLAN_FIELDS) if plan else "",
        "referral_rows": referral_rows,
    }
