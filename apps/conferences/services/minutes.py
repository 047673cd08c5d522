"""The minutes (zapisnik): attendance, per-case discussion, risk, decisions, next review; approval
by the chair; amendments once approved; a meeting becomes held when its minutes are approved.

Who may write: whoever runs the meeting (``Meeting.objects.visible_to(user, "change")``: the
coordinators of the municipality or area, and the chair). Who approves: the meeting's chair; a
coordinator when no chair is set. Approved minutes are locked: every later change is a
``MinutesAmendment`` with its reason.

The risk level decided for a case is written back at approval as a new risk assessment through
apps/cases/services/risk.py (source "conference"), carrying the checklist of the case's latest
assessment: the conference may raise the level with a reason, never go below what the checklist
gives, and lowering the case's current level needs a reason too (never silently).
"""
from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from apps.cases.choices import RISK_ORDER, CaseStatus, RiskLevel
from apps.cases.models import Case
from apps.cases.services.common import acting_institution
from apps.cases.services.risk import compute_level, latest_assessment, risk_assess
from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from ..choices import MeetingStatus, MinutesStatus
from ..models import AgendaItem, Meeting, MeetingInvitee, Minutes, MinutesAmendment
from ..querysets import MANAGE

RISK_SOURCE = "conference"


def run_meeting(user, meeting: Meeting | int, *, lock: bool = True) -> Meeting:
    """The meeting, fresh and row-locked, if ``user`` runs it; Http404 otherwise."""
    pk = meeting.pk if isinstance(meeting, Meeting) else meeting
    qs = Meeting.objects.visible_to(user, "change").filter(pk=pk)
    if lock:
        qs = qs.select_for_update(of=("self",))
    found = qs.first()
    if found is None:
        raise Http404("No meeting matches the given query.")
    return found


def may_approve(user, meeting: Meeting) -> bool:
    """The chair approves; with no chair set, a coordinator who runs the meeting may."""
    if meeting.chair_id:
        return meeting.chair_id == user.pk
    access = getattr(user, "access", None)
    if access is None:
        return False
    managed = access.municipalities_with(MANAGE)
    if meeting.municipality_id in managed:
        return True
    return Meeting.objects.visible_to(user, "change").filter(pk=meeting.pk).exists() and bool(managed)


def ensure_draft(minutes: Minutes | None) -> None:
    """Refuse changes to approved minutes (they are amended instead)."""
    if minutes is not None and minutes.status == MinutesStatus.APPROVED:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("The minutes are approved and locked. Record an amendment instead.")]},
            code="locked",
        )


def minutes_for(meeting: Meeting) -> Minutes | None:
    """The minutes of a meeting, if any were started."""
    return Minutes.objects.filter(meeting_id=meeting.pk).select_related("approved_by", "recorded_by").first()


def _ensure_minutes(user, meeting: Meeting) -> Minutes:
    minutes = Minutes.objects.select_for_update().filter(meeting_id=meeting.pk).first()
    if minutes is None:
        if meeting.status == MeetingStatus.CANCELLED:
            raise ValidationError({NON_FIELD_ERRORS: [_("The meeting was cancelled; it has no minutes.")]}, code="cancelled")
        minutes = Minutes(municipality_id=meeting.municipality_id, meeting=meeting, recorded_by=user)
        minutes.full_clean()
        minutes.save()
        audit_log(action=AuditAction.CREATE, actor=user, obj=minutes, details={"meeting": meeting.pk})
    return minutes


@transaction.atomic
def minutes_save(
    *,
    user,
    meeting: Meeting,
    attendance: dict[int, bool | None] | None = None,
    attendance_note: str | None = None,
    general_notes: str | None = None,
) -> Minutes:
    """Record attendance (invitee id -> attended) and the general part of draft minutes."""
    meeting = run_meeting(user, meeting)
    minutes = _ensure_minutes(user, meeting)
    ensure_draft(minutes)
    # Only what differs is written (and audited): the page saves the draft automatically while the
    # coordinator types, mostly with nothing new since the last save.
    changed = []
    if attendance_note is not None and minutes.attendance_note != attendance_note.strip():
        minutes.attendance_note = attendance_note.strip()
        changed.append("attendance_note")
    if general_notes is not None and minutes.general_notes != general_notes.strip():
        minutes.general_notes = general_notes.strip()
        changed.append("general_notes")
    if attendance:
        invitees = {i.pk: i for i in MeetingInvitee.objects.filter(meeting=meeting, pk__in=list(attendance))}
        unknown = set(attendance) - set(invitees)
        if unknown:
            raise ValidationError({"attendance": _("Mark attendance only for people invited to this meeting.")})
        marked = False
        for pk, attended in attendance.items():
            invitee = invitees[pk]
            if invitee.attended != attended:
                invitee.attended = attended
                invitee.save(update_fields=["attended", "updated_at"])
                marked = True
        if marked:
            changed.append("attendance")
    if changed:
        minutes.version += 1
        minutes.full_clean()
        minutes.save()
        audit_log(action=AuditAction.UPDATE, actor=user, obj=minutes, details={"fields": changed})
    return minutes


def _check_risk(item: AgendaItem, case: Case, risk_level: str, risk_reason: str) -> None:
    """The risk rules of apps/cases/services/risk.py, checked while recording (names the minutes fields)."""
    if not risk_level:
        return
    if risk_level not in RiskLevel.values:
        raise ValidationError({"risk_level": _("Choose a valid risk level.")}, code="invalid")
    latest = latest_assessment(case)
    computed = compute_level(latest.items if latest else {}, immediate_danger=False)
    chosen = RiskLevel(risk_level)
    if RISK_ORDER[chosen] < RISK_ORDER[computed]:
        raise ValidationError(
            {
                "risk_level": _(
                    "The checklist of the case's latest risk assessment gives “%(computed)s”; the conference may "
                    "raise the level, not lower it. Record a new risk assessment on the case first."
                )
                % {"computed": computed.label}
            },
            code="lowered",
        )
    if RISK_ORDER[chosen] > RISK_ORDER[computed] and not risk_reason:
        raise ValidationError(
            {"risk_reason": _("Explain why the level is higher than the checklist of the latest assessment gives.")},
            code="required",
        )
    current = case.risk_level
    if current and RISK_ORDER[chosen] < RISK_ORDER[RiskLevel(current)] and not risk_reason:
        raise ValidationError(
            {"risk_reason": _("Explain why the conference lowers the case's risk level.")}, code="required"
        )


@transaction.atomic
def agenda_item_record(
    *,
    user,
    item: AgendaItem,
    discussed: bool,
    discussion: str = "",
    decisions: str = "",
    risk_level: str = "",
    risk_reason: str = "",
    next_review_on: date | None = None,
) -> AgendaItem:
    """Record one case's part of draft minutes: discussion summary, decisions, risk level, next review."""
    meeting = run_meeting(user, item.meeting_id)
    item = AgendaItem.objects.select_for_update(of=("self",)).select_related("case").filter(
        pk=item.pk, meeting=meeting
    ).first()
    if item is None:
        raise Http404("No agenda item matches the given query.")
    ensure_draft(minutes_for(meeting))
    minutes = _ensure_minutes(user, meeting)
    risk_level = (risk_level or "").strip()
    risk_reason = (risk_reason or "").strip()
    if next_review_on is not None and next_review_on <= timezone.localdate(meeting.starts_at):
        raise ValidationError({"next_review_on": _("The next review must be after the meeting day.")}, code="past")
    if risk_level and not discussed:
        raise ValidationError({"discussed": _("Mark the case as discussed to record a risk level.")}, code="required")
    _check_risk(item, item.case, risk_level, risk_reason)
    values = {
        "discussed": bool(discussed),
        "discussion": (discussion or "").strip(),
        "decisions": (decisions or "").strip(),
        "risk_level": risk_level,
        "risk_reason": risk_reason,
        "next_review_on": next_review_on,
    }
    if all(getattr(item, name) == value for name, value in values.items()):
        return item  # nothing new (an automatic save of an unchanged form)
    for name, value in values.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    Minutes.objects.filter(pk=minutes.pk).update(version=minutes.version + 1, updated_at=timezone.now())
    audit_log(action=AuditAction.UPDATE, actor=user, obj=item, details={"case": item.case_id, "minutes": minutes.pk})
    return item


def _risk_writer(candidates, case: Case):
    """The first of ``candidates`` who may record a risk assessment on the case."""
    for person in candidates:
        if person is None:
            continue
        if Case.objects.visible_to(person, "change").filter(pk=case.pk).exists() and acting_institution(person, case):
            return person
    return None


@transaction.atomic
def minutes_approve(*, user, meeting: Meeting, now: datetime | None = None) -> Minutes:
    """Approve and lock the minutes; write each decided risk level back to its case; the meeting is held."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update(of=("self",)).filter(
        pk=meeting.pk, pk__in=Meeting.objects.visible_to(user).values("pk")
    ).first()
    if meeting is None:
        raise Http404("No meeting matches the given query.")
    if not may_approve(user, meeting):
        raise PermissionDenied(_("Only the chair of the meeting approves its minutes (a coordinator when no chair is set)."))
    minutes = Minutes.objects.select_for_update(of=("self",)).filter(meeting_id=meeting.pk).first()
    if minutes is None:
        raise ValidationError({NON_FIELD_ERRORS: [_("There are no minutes to approve yet.")]}, code="missing")
    if minutes.status == MinutesStatus.APPROVED:
        when = formats.date_format(timezone.localtime(minutes.approved_at), "SHORT_DATETIME_FORMAT")
        raise ValidationError(
            {"status": _t("These minutes were already approved on %(when)s; approve them only once.") % {"when": when}},
            code="already_approved",
        )
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({NON_FIELD_ERRORS: [_("The meeting was cancelled; its minutes cannot be approved.")]})
    if now < meeting.starts_at:
        raise ValidationError({NON_FIELD_ERRORS: [_("The meeting has not started yet.")]}, code="not_started")
    day = formats.date_format(timezone.localtime(meeting.starts_at), "SHORT_DATE_FORMAT")
    items = AgendaItem.objects.filter(meeting=meeting, discussed=True).exclude(risk_level="").select_related("case")
    for item in items.order_by("position", "id"):
        case = item.case
        prefix = f"{case.number}: "
        if case.status == CaseStatus.CLOSED:
            raise ValidationError(
                {"risk_level": prefix + _t("the case is closed, so the risk level cannot be written to it; clear it.")},
                code="closed",
            )
        writer = _risk_writer((user, minutes.recorded_by), case)
        if writer is None:
            raise ValidationError(
                {"risk_level": prefix + _t("neither the chair nor the recorder of the minutes may assess this case.")},
                code="no_writer",
            )
        try:
            _check_risk(item, case, item.risk_level, item.risk_reason)
            latest = latest_assessment(case)
            level = RiskLevel(item.risk_level)
            computed = compute_level(latest.items if latest else {}, immediate_danger=level == RiskLevel.IMMEDIATE)
            outcome = risk_assess(
                user=writer,
                case=case,
                items=latest.items if latest else {},
                immediate_danger=level == RiskLevel.IMMEDIATE,
                level=level,
                raise_reason=item.risk_reason if RISK_ORDER[level] > RISK_ORDER[computed] else "",
                lower_reason=item.risk_reason,  # kept only where the conference lowers the case's level
                conclusion=_t("Case conference of %(day)s.") % {"day": day}
                + (f" {item.risk_reason}" if item.risk_reason else ""),
                assessed_at=now,
                source=RISK_SOURCE,
            )
        except ValidationError as error:
            messages = [str(m) for m in (error.messages if hasattr(error, "messages") else [error])]
            raise ValidationError({"risk_level": prefix + " ".join(messages)}, code="risk") from error
        AgendaItem.objects.filter(pk=item.pk).update(risk_assessment=outcome.assessment, updated_at=now)
    minutes.status = MinutesStatus.APPROVED
    minutes.approved_by = user
    minutes.approved_at = now
    minutes.version += 1
    minutes.full_clean()
    minutes.save()
    if meeting.status == MeetingStatus.SCHEDULED:
        meeting.status = MeetingStatus.HELD
        meeting.version += 1
        meeting.save(update_fields=["status", "version", "updated_at"])
    audit_log(action=AuditAction.UPDATE, actor=user, obj=minutes, details={"approved": True, "meeting": meeting.pk})
    return minutes


@transaction.atomic
def minutes_amend(*, user, meeting: Meeting, text: str, reason: str, agenda_item: AgendaItem | None = None) -> MinutesAmendment:
    """Record a correction to approved minutes (the approved text stays as it was)."""
    meeting = run_meeting(user, meeting)
    minutes = Minutes.objects.select_for_update().filter(meeting_id=meeting.pk).first()
    errors = {}
    if minutes is None or minutes.status != MinutesStatus.APPROVED:
        errors[NON_FIELD_ERRORS] = [_("Only approved minutes are amended; change draft minutes directly.")]
    if not (text or "").strip():
        errors["text"] = [_("Write the amendment.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Give the reason for the amendment.")]
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        errors["agenda_item"] = [_("Choose a case of this meeting's agenda.")]
    if errors:
        raise ValidationError(errors)
    amendment = MinutesAmendment(
        municipality_id=meeting.municipality_id,
        minutes=minutes,
        meeting=meeting,
        agenda_item=agenda_item,
        text=text.strip(),
        reason=reason.strip(),
        author=user,
    )
    amendment.full_clean()
    amendment.save()
    audit_log(action=AuditAction.CREATE, actor=user, obj=amendment, details={"minutes": minutes.pk})
    return amendment


@transaction.atomic
def meeting_mark_held(*, user, meeting: Meeting, now: datetime | None = None) -> Meeting:
    """Mark a meeting as held (after its start) without waiting for the minutes' approval."""
    now = now or timezone.now()
    meeting = run_meeting(user, meeting)
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError({"status": _("The meeting is already marked as held.")}, code="already_held")
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"status": _("A cancelled meeting cannot be marked as held.")}, code="cancelled")
    if now < meeting.starts_at:
        raise ValidationError({"status": _("A meeting can be marked as held only after it has started.")}, code="not_started")
    meeting.status = MeetingStatus.HELD
    meeting.version += 1
    meeting.save(update_fields=["status", "version", "updated_at"])
    audit_log(action=AuditAction.UPDATE, actor=user, obj=meeting, details={"fields": ["status"]})
    return meeting
