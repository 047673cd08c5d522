"""Helpers shared by the case services: reaching a case the user may work on, refusing changes on a
closed case or from a stale copy, recording activity, the institution a user acts for, and the
proposal for the next case conference."""
from __future__ import annotations

from datetime import datetime

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import context
from apps.core.audit import audit_log
from apps.core.choices import AuditAction, Role
from apps.core.locking import VersionConflict, changed_fields_between
from apps.institutions.models import Institution

from ..choices import CaseStatus
from ..models import Case, CaseParticipant

STAFF_ROLES = (Role.CASEWORKER, Role.COORDINATOR, Role.SUPERVISOR)


def reach_case(user, case: Case | int, action: str = "change", *, lock: bool = True, team_only: bool = False) -> Case:
    """The case, fresh from the database (row-locked), if ``user`` may reach it; Http404 otherwise.

    ``team_only``: steering the case (status, team, staff, lead, restriction) is for the case team
    and the municipality's coordinators; someone who sees the case only through a grant (an
    accepted referral) is refused with PermissionDenied.
    """
    pk = case.pk if isinstance(case, Case) else case
    if not Case.objects.visible_to(user, action).filter(pk=pk).exists():
        raise Http404("No case matches the given query.")
    if team_only and not Case.objects.listed_for(user).filter(pk=pk).exists():
        raise PermissionDenied(_("Only the case team can do this; the case was shared with you for your part of the work."))
    qs = Case.objects.select_related("municipality", "lead_institution")
    if lock:
        qs = qs.select_for_update(of=("self",))
    return qs.get(pk=pk)


def reachable_case(user, case: Case | int, *, for_write: bool = True) -> Case:
    """The case if ``user`` may work on it (writes need the team scope; a grant only lets one read)."""
    case_id = case.pk if isinstance(case, Case) else case
    if user is None or not getattr(user, "is_active", False):
        raise Http404
    qs = Case.objects.listed_for(user) if for_write else Case.objects.visible_to(user, "view")
    found = qs.filter(pk=case_id).first()
    if found is None:
        raise Http404
    return found


def ensure_open(case: Case) -> None:
    """Refuse a change on a closed case (it must be reopened first)."""
    if case.status == CaseStatus.CLOSED:
        raise ValidationError(
            {NON_FIELD_ERRORS: [_("The case is closed. Reopen it before recording anything new.")]}, code="closed"
        )


def touch(case: Case, *, at: datetime | None = None) -> None:
    """Mark activity on the case (the work queue flags cases without activity for 30 days)."""
    now = at or timezone.now()
    Case.objects.filter(pk=case.pk).update(last_activity_at=now)
    case.last_activity_at = now


def touch_case(case: Case, now: datetime | None = None) -> None:
    """Record activity on the case (the work queue flags cases without activity for 30 days)."""
    touch(case, at=now or timezone.now())


def refuse_stale(current, given, expected_version) -> None:
    """Refuse before any rule is checked when the row moved on since the user loaded ``given``.

    The conflict names the fields whose stored value differs from the user's copy (what the
    other person changed). ``save_with_version`` still guards the race after this check.
    """
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        return  # save_with_version names the missing or invalid version
    if current.version != expected:
        mine = given if isinstance(given, type(current)) else current
        raise VersionConflict(current=current, changed_fields=changed_fields_between(current, mine))


def acting_institution(user, case: Case) -> Institution | None:
    """The institution ``user`` acts for on ``case``: the one chosen in the header if it fits,
    else the lead institution, else a participating one, else any of the user's in the municipality."""
    staff = [m for m in user.access.memberships if m.role in STAFF_ROLES]
    # Staff of another municipality's service reach a case only through a grant (a referral).
    memberships = [m for m in staff if m.municipality_id == case.municipality_id] or staff
    if not memberships:
        return None
    ids = [m.institution_id for m in memberships]
    chosen = context.current().institution_id
    participating = set(
        CaseParticipant.objects.filter(case=case, ended_at__isnull=True, institution_id__in=ids).values_list(
            "institution_id", flat=True
        )
    )
    if chosen in ids and (chosen == case.lead_institution_id or chosen in participating):
        pick = chosen
    elif case.lead_institution_id in ids:
        pick = case.lead_institution_id
    elif participating:
        pick = min(participating)
    else:
        pick = chosen if chosen in ids else ids[0]
    return Institution.objects.get(pk=pick)


def propose(case: Case, user, *, at: datetime | None = None) -> bool:
    """Mark the case as proposed for the next conference unless it already is; True if newly proposed."""
    if case.proposed_for_conference_at is not None:
        return False
    now = at or timezone.now()
    Case.objects.filter(pk=case.pk).update(proposed_for_conference_at=now, proposed_for_conference_by=user)
    case.proposed_for_conference_at, case.proposed_for_conference_by = now, user
    audit_log(action=AuditAction.UPDATE, actor=user, obj=case, details={"fields": ["proposed_for_conference_at"]})
    return True
