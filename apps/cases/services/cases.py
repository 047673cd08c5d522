"""Opening a case, its status workflow, the case team and assigned staff.

Every service takes the acting ``user`` and re-checks through ``Case.objects.visible_to`` that
the user may reach the case (``Http404`` otherwise), writes an audit entry for each change and
bumps ``Case.last_activity_at``. Edits of the case record itself (summary, restricted flag, lead
institution, status) need the ``expected_version`` the user saw (optimistic locking); derived
columns (risk level, priority, repeat flags, last activity) are written without a version bump
because they never overwrite what a person typed.
"""
from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Membership
from apps.core import context
from apps.core.audit import audit_log
from apps.core.choices import AuditAction, Role
from apps.core.locking import save_with_version
from apps.institutions.models import Institution
from apps.municipalities.models import Municipality

from ..choices import STATUS_TRANSITIONS, CaseStatus, Priority, TeamRole
from ..models import Case, CaseAssignment, CaseParticipant, CaseStatusChange
from .common import STAFF_ROLES, ensure_open, propose, reach_case, touch
from .consent import has_valid_consent, needs_consent
from .risk import is_immediate_danger

# The case views and the API call these through this module (``case_services.is_immediate_danger`` and
# ``STAFF_ROLES`` included, though they live in risk.py and common.py).
__all__ = [
    "OPENING_ROLES",
    "STAFF_ROLES",
    "case_add_participant",
    "case_assign_user",
    "case_change_status",
    "case_open",
    "case_propose_for_conference",
    "case_remove_participant",
    "case_unassign_user",
    "case_update",
    "format_case_number",
    "is_immediate_danger",
]

# Roles that open and work cases (supervisors read conference material, officials see aggregates).
OPENING_ROLES = (Role.CASEWORKER, Role.COORDINATOR)
# Namespace of the advisory lock that serialises case numbering (ASCII "CA").
_NUMBERING_LOCK_NS = 0x4341
_UNSET = object()


def _active_staff_membership(user, institution_id: int):
    return Membership.objects.filter(
        user=user, institution_id=institution_id, is_active=True, role__in=STAFF_ROLES, institution__is_active=True
    ).first()


def _audit(user, action, obj, **details) -> None:
    audit_log(action=action, actor=user, obj=obj, details=details or None)


# --- opening and numbering ------------------------------------------------------------------------


def _next_sequence(municipality_id: int, year: int) -> int:
    """The next free sequence for the municipality and year, serialised by a transaction-scoped
    advisory lock so that two openings at the same moment never get the same number."""
    key = (_NUMBERING_LOCK_NS << 48) | ((municipality_id & 0xFFFFFFFF) << 16) | (year & 0xFFFF)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
    current = Case.objects.filter(municipality_id=municipality_id, year=year).aggregate(m=Max("sequence"))["m"]
    return (current or 0) + 1


def format_case_number(code: str, year: int, sequence: int) -> str:
    """E.g. LAZ-2026-00042."""
    return f"{code}-{year}-{sequence:05d}"


@transaction.atomic
def case_open(
    *,
    user,
    municipality: Municipality,
    lead_institution: Institution,
    reported_at: datetime,
    summary: str = "",
    is_restricted: bool = False,
) -> Case:
    """Open a case numbered <CODE>-<YEAR>-<00042>; the opener's institution joins the team and the
    opener becomes the case manager."""
    opener_memberships = [
        m for m in user.access.memberships if m.municipality_id == municipality.pk and m.role in OPENING_ROLES
    ]
    if not opener_memberships or not municipality.is_active:
        raise PermissionDenied(_("You cannot open cases in this municipality."))
    errors: dict[str, list] = {}
    if lead_institution is None or lead_institution.municipality_id != municipality.pk:
        errors.setdefault("lead_institution", []).append(_("Choose an institution of this municipality."))
    elif not lead_institution.is_active:
        errors.setdefault("lead_institution", []).append(_("This institution no longer takes part."))
    now = timezone.now()
    if reported_at is None:
        errors.setdefault("reported_at", []).append(_("Enter when the violence was reported."))
    elif timezone.is_naive(reported_at):
        errors.setdefault("reported_at", []).append(_("Enter the time of the report with its time zone."))
    elif reported_at > now:
        errors.setdefault("reported_at", []).append(_("The report time cannot be in the future."))
    if errors:
        raise ValidationError(errors)

    ids = [m.institution_id for m in opener_memberships]
    chosen = context.current().institution_id
    if chosen in ids:
        opener_institution_id = chosen
    elif lead_institution.pk in ids:
        opener_institution_id = lead_institution.pk
    else:
        opener_institution_id = ids[0]

    year = timezone.localtime(now).year  # the Belgrade year of registration
    sequence = _next_sequence(municipality.pk, year)
    case = Case(
        municipality=municipality,
        number=format_case_number(municipality.code, year, sequence),
        year=year,
        sequence=sequence,
        lead_institution=lead_institution,
        status=CaseStatus.REPORTED,
        status_changed_at=now,
        reported_at=reported_at,
        summary=(summary or "").strip(),
        is_restricted=is_restricted,
        opened_by=user,
        last_activity_at=now,
        priority=Priority.REGULAR,
    )
    case.full_clean()
    case.save()
    CaseStatusChange.objects.create(
        municipality=municipality, case=case, from_status="", to_status=CaseStatus.REPORTED, changed_by=user, changed_at=now
    )
    for institution_id in dict.fromkeys([lead_institution.pk, opener_institution_id]):
        participant = CaseParticipant(
            municipality=municipality, case=case, institution_id=institution_id, joined_at=now, added_by=user
        )
        participant.full_clean()
        participant.save()
        _audit(user, AuditAction.CREATE, participant, case=case.pk, institution=institution_id)
    assignment = CaseAssignment(
        municipality=municipality,
        case=case,
        user=user,
        institution_id=opener_institution_id,
        team_role=TeamRole.CASE_MANAGER,
        assigned_by=user,
        assigned_at=now,
    )
    assignment.full_clean()
    assignment.save()
    _audit(user, AuditAction.CREATE, assignment, case=case.pk)
    _audit(user, AuditAction.CREATE, case, restricted=is_restricted)
    return case


# --- status workflow ---------------------------------------------------------------------------------


@transaction.atomic
def case_change_status(
    *,
    user,
    case: Case,
    to_status: str,
    expected_version: int,
    closure_reason: str = "",
    note: str = "",
) -> Case:
    """Move the case along the workflow; closing needs a reason, closed -> assessment reopens."""
    case = reach_case(user, case, team_only=True)
    from_status = case.status
    if to_status not in CaseStatus.values:
        raise ValidationError({"to_status": _("Choose a valid status.")}, code="invalid")
    if to_status == from_status:
        raise ValidationError({"to_status": _("The case already has this status.")}, code="same")
    if to_status not in STATUS_TRANSITIONS[CaseStatus(from_status)]:
        raise ValidationError(
            {
                "to_status": _("A case cannot move from “%(from)s” to “%(to)s”.")
                % {"from": CaseStatus(from_status).label, "to": CaseStatus(to_status).label}
            },
            code="transition",
        )
    now = timezone.now()
    fields = ["status", "status_changed_at", "closure_reason", "closed_at"]
    if to_status == CaseStatus.CLOSED:
        if not closure_reason:
            raise ValidationError({"closure_reason": _("Choose why the case is closed.")}, code="required")
        case.closure_reason = closure_reason
        case.closed_at = now
    else:
        case.closure_reason = ""
        case.closed_at = None
    case.status = to_status
    case.status_changed_at = now
    save_with_version(case, expected_version, fields)
    change = CaseStatusChange(
        municipality_id=case.municipality_id,
        case=case,
        from_status=from_status,
        to_status=to_status,
        changed_by=user,
        changed_at=now,
        note=(note or "").strip(),
    )
    change.full_clean()
    change.save()
    _audit(user, AuditAction.UPDATE, case, fields=["status"], to_status=to_status, reopened=from_status == CaseStatus.CLOSED)
    touch(case, at=now)
    return case


# --- editing the record ---------------------------------------------------------------------------


def _may_steer(user, case: Case) -> bool:
    """Staff of the lead institution and the municipality's coordinators decide the lead and the
    restricted flag."""
    access = user.access
    if case.lead_institution_id in access.institution_ids(*STAFF_ROLES):
        return True
    return case.municipality_id in access.municipalities_with("view_municipality_cases")


@transaction.atomic
def case_update(
    *,
    user,
    case: Case,
    expected_version: int,
    summary=_UNSET,
    is_restricted=_UNSET,
    lead_institution=_UNSET,
    override_reason: str = "",
) -> Case:
    """Edit the summary, the restricted flag or the lead institution (with the version the user saw)."""
    case = reach_case(user, case, team_only=True)
    ensure_open(case)
    fields: list[str] = []
    if summary is not _UNSET:
        case.summary = (summary or "").strip()
        fields.append("summary")
    if is_restricted is not _UNSET and bool(is_restricted) != case.is_restricted:
        if not _may_steer(user, case):
            raise PermissionDenied(_("Only the lead institution or a coordinator can change who sees the case."))
        if is_restricted and not CaseAssignment.objects.filter(case=case, ended_at__isnull=True).exists():
            raise ValidationError(
                {"is_restricted": _("Assign at least one staff member before restricting the case.")}, code="no_staff"
            )
        case.is_restricted = bool(is_restricted)
        fields.append("is_restricted")
    new_lead = None
    if lead_institution is not _UNSET and lead_institution is not None and lead_institution.pk != case.lead_institution_id:
        if not _may_steer(user, case):
            raise PermissionDenied(_("Only the lead institution or a coordinator can change the lead institution."))
        if lead_institution.municipality_id != case.municipality_id:
            raise ValidationError({"lead_institution": _("Choose an institution of this municipality.")})
        if not lead_institution.is_active:
            raise ValidationError({"lead_institution": _("This institution no longer takes part.")})
        new_lead = lead_institution
    if not fields and new_lead is None:
        return case
    if new_lead is not None:
        # The new lead joins the team first, under the consent rule measured from the current lead
        # (a version conflict below rolls this back with everything else).
        if not CaseParticipant.objects.filter(case=case, institution=new_lead, ended_at__isnull=True).exists():
            _add_participant(user=user, case=case, institution=new_lead, override_reason=override_reason)
        case.lead_institution = new_lead
        fields.append("lead_institution")
    save_with_version(case, expected_version, fields)
    _audit(user, AuditAction.UPDATE, case, fields=fields)
    touch(case)
    return case


# --- the case team --------------------------------------------------------------------------------


def _add_participant(*, user, case: Case, institution: Institution, override_reason: str) -> CaseParticipant:
    reason = (override_reason or "").strip()
    recorded_reason = ""
    if needs_consent(case, institution) and not has_valid_consent(case, institution):
        if not is_immediate_danger(case):
            raise ValidationError(
                {
                    "institution": _(
                        "The victim has not given valid consent to share the case with this institution. "
                        "Record her consent first."
                    )
                },
                code="no_consent",
            )
        if not reason:
            raise ValidationError(
                {
                    "override_reason": _(
                        "There is no valid consent of the victim for this institution. The latest risk "
                        "assessment finds immediate danger: state why it must join without consent."
                    )
                },
                code="override_reason_required",
            )
        recorded_reason = reason[:500]
    now = timezone.now()
    participant = CaseParticipant.objects.filter(case=case, institution=institution).first()
    if participant is None:
        participant = CaseParticipant(municipality_id=case.municipality_id, case=case, institution=institution)
    participant.joined_at = now
    participant.ended_at = None
    participant.added_by = user
    participant.consent_override_reason = recorded_reason
    participant.full_clean(validate_unique=False)
    participant.save()
    _audit(
        user,
        AuditAction.CREATE,
        participant,
        case=case.pk,
        institution=institution.pk,
        consent_override=bool(recorded_reason),
    )
    return participant


@transaction.atomic
def case_add_participant(*, user, case: Case, institution: Institution, override_reason: str = "") -> CaseParticipant:
    """Add an institution of the municipality to the case team.

    An institution of another sector than the lead institution's joins only with the victim's
    valid consent naming it; without it, only if the latest assessment finds immediate danger
    and ``override_reason`` says why (recorded and shown to the lead institution).
    """
    case = reach_case(user, case, team_only=True)
    ensure_open(case)
    if institution.municipality_id != case.municipality_id:
        raise ValidationError(
            {"institution": _("Choose an institution of this municipality; services elsewhere get a referral.")},
            code="other_municipality",
        )
    if not institution.is_active:
        raise ValidationError({"institution": _("This institution no longer takes part.")}, code="inactive")
    if CaseParticipant.objects.filter(case=case, institution=institution, ended_at__isnull=True).exists():
        raise ValidationError({"institution": _("This institution is already on the case team.")}, code="duplicate")
    participant = _add_participant(user=user, case=case, institution=institution, override_reason=override_reason)
    touch(case)
    return participant


@transaction.atomic
def case_remove_participant(*, user, case: Case, institution: Institution) -> CaseParticipant:
    """Take an institution off the team; its staff's assignments on the case end with it."""
    case = reach_case(user, case, team_only=True)
    ensure_open(case)
    if institution.pk == case.lead_institution_id:
        raise ValidationError(
            {"institution": _("The lead institution cannot leave the team; change the lead institution first.")},
            code="lead",
        )
    participant = (
        CaseParticipant.objects.select_for_update()
        .filter(case=case, institution=institution, ended_at__isnull=True)
        .first()
    )
    if participant is None:
        raise ValidationError({"institution": _("This institution is not on the case team.")}, code="not_member")
    now = timezone.now()
    ending = CaseAssignment.objects.filter(case=case, institution=institution, ended_at__isnull=True)
    if case.is_restricted and not CaseAssignment.objects.filter(case=case, ended_at__isnull=True).exclude(
        institution=institution
    ).exists():
        raise ValidationError(
            {"institution": _("A restricted case needs at least one assigned staff member of another institution.")},
            code="last_staff",
        )
    for assignment in ending:
        assignment.ended_at = now
        assignment.save(update_fields=["ended_at", "updated_at"])
        _audit(user, AuditAction.UPDATE, assignment, case=case.pk, fields=["ended_at"])
    participant.ended_at = now
    participant.save(update_fields=["ended_at", "updated_at"])
    _audit(user, AuditAction.UPDATE, participant, case=case.pk, fields=["ended_at"])
    touch(case, at=now)
    return participant


@transaction.atomic
def case_assign_user(*, user, case: Case, assignee, team_role: str = TeamRole.MEMBER) -> CaseAssignment:
    """Assign a staff member of a participating institution; a new case manager replaces the old one
    (who stays on as a team member)."""
    case = reach_case(user, case, team_only=True)
    ensure_open(case)
    if team_role not in TeamRole.values:
        raise ValidationError({"team_role": _("Choose a valid role on the case.")}, code="invalid")
    team = list(
        CaseParticipant.objects.filter(case=case, ended_at__isnull=True).values_list("institution_id", flat=True)
    )
    team_ids = [case.lead_institution_id] + [i for i in team if i != case.lead_institution_id]
    institution_id = None
    for candidate in team_ids:
        if _active_staff_membership(assignee, candidate) is not None:
            institution_id = candidate
            break
    if institution_id is None or not assignee.is_active:
        raise ValidationError(
            {"assignee": _("Only active staff of an institution on the case team can be assigned.")},
            code="not_team_staff",
        )
    now = timezone.now()
    current = CaseAssignment.objects.select_for_update().filter(case=case, user=assignee, ended_at__isnull=True).first()
    if current is not None and current.team_role == team_role:
        raise ValidationError({"assignee": _("This person is already assigned to the case.")}, code="duplicate")
    if team_role == TeamRole.CASE_MANAGER:
        for manager in CaseAssignment.objects.select_for_update().filter(
            case=case, team_role=TeamRole.CASE_MANAGER, ended_at__isnull=True
        ).exclude(user=assignee):
            manager.team_role = TeamRole.MEMBER
            manager.save(update_fields=["team_role", "updated_at"])
            _audit(user, AuditAction.UPDATE, manager, case=case.pk, fields=["team_role"])
    if current is not None:
        current.team_role = team_role
        current.full_clean()
        current.save(update_fields=["team_role", "updated_at"])
        _audit(user, AuditAction.UPDATE, current, case=case.pk, fields=["team_role"])
        assignment = current
    else:
        assignment = CaseAssignment(
            municipality_id=case.municipality_id,
            case=case,
            user=assignee,
            institution_id=institution_id,
            team_role=team_role,
            assigned_by=user,
            assigned_at=now,
        )
        assignment.full_clean()
        assignment.save()
        _audit(user, AuditAction.CREATE, assignment, case=case.pk)
    touch(case, at=now)
    return assignment


@transaction.atomic
def case_unassign_user(*, user, case: Case, assignee) -> CaseAssignment:
    """End a staff member's assignment (a restricted case keeps at least one assigned person)."""
    case = reach_case(user, case, team_only=True)
    assignment = CaseAssignment.objects.select_for_update().filter(case=case, user=assignee, ended_at__isnull=True).first()
    if assignment is None:
        raise ValidationError({"assignee": _("This person is not assigned to the case.")}, code="not_assigned")
    if case.is_restricted and not CaseAssignment.objects.filter(case=case, ended_at__isnull=True).exclude(
        pk=assignment.pk
    ).exists():
        raise ValidationError(
            {"assignee": _("A restricted case needs at least one assigned staff member; assign someone else first.")},
            code="last_staff",
        )
    now = timezone.now()
    assignment.ended_at = now
    assignment.save(update_fields=["ended_at", "updated_at"])
    _audit(user, AuditAction.UPDATE, assignment, case=case.pk, fields=["ended_at"])
    touch(case, at=now)
    return assignment


@transaction.atomic
def case_propose_for_conference(*, user, case: Case) -> Case:
    """Propose the case for the next case conference (kept if already proposed)."""
    case = reach_case(user, case, team_only=True)
    ensure_open(case)
    propose(case, user)
    touch(case)
    return case
