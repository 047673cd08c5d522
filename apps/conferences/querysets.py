"""Who sees which meeting, agenda item and action item.

A meeting is seen by those who run meetings of its municipality or of its coordination area
(coordinators: ``manage_municipality_conferences``), by its chair and supervisor, by invited
people and the staff of invited institutions, and by the owners of action items decided at it. Who *runs* a meeting (coordinators, chair) may
change it. An agenda item is seen by whoever sees its case, and by those who run or supervise
the meeting (the shared agenda); everyone else invited sees the meeting but not that case.

Case content follows the case rules of apps/cases/querysets.py: an action item is seen by whoever
sees its case, by those who run or supervise its meeting, and by the case staff (caseworkers,
coordinators, supervisors) of its owner institution when the case is not restricted. The minutes,
their amendments and the supervision feedback ("records") are read by those who oversee the meeting
and by invited people who hold a case role; an institution admin or official without one sees that
the meeting exists (kind, time, place, invited institutions, answers) and nothing recorded at it.
"""
from __future__ import annotations

from django.db.models import Exists, OuterRef, Q

from apps.cases.models import Case
from apps.cases.rules import CASE_ROLES
from apps.core.querysets import TenantManager, TenantQuerySet

MANAGE = "manage_municipality_conferences"
RECORDS = "records"  # the scope action of reading what was recorded at a meeting


def _areas_of(municipality_ids):
    from .models import AreaMunicipality  # cycle: models -> querysets

    return AreaMunicipality.objects.filter(municipality_id__in=municipality_ids).values("area_id")


def run_condition(access, prefix: str = "") -> Q | None:
    """Meetings the user runs: coordinator of the host municipality or of a municipality of the
    area, or chair. ``prefix`` addresses the meeting from a related model (e.g. "meeting__")."""
    if access.is_platform_admin and not access.memberships:
        return None
    managed = access.municipalities_with(MANAGE)
    condition = Q(**{f"{prefix}chair_id": access.user.pk})
    if managed:
        condition |= Q(**{f"{prefix}municipality_id__in": managed}) | Q(**{f"{prefix}area_id__in": _areas_of(managed)})
    return condition


def oversee_condition(access, prefix: str = "") -> Q | None:
    """Meetings the user runs or supervises (these people read the whole shared agenda)."""
    condition = run_condition(access, prefix)
    if condition is None:
        return None
    return condition | Q(**{f"{prefix}supervisor_id": access.user.pk})


def view_condition(access) -> Q | None:
    """Meetings the user may see: overseen ones plus those the user or their institution is invited to."""
    condition = oversee_condition(access)
    if condition is None:
        return None
    from .models import ActionItem, MeetingInvitee  # cycle: models -> querysets

    institutions = access.institution_ids()
    case_staff = access.institution_ids(*CASE_ROLES)
    invited = Q(user_id=access.user.pk)
    owns = Q(responsible_id=access.user.pk)
    if institutions:
        invited |= Q(institution_id__in=institutions)
    if case_staff:
        owns |= Q(owner_institution_id__in=case_staff)
    # Whoever owns an action item decided at the meeting reads the meeting it came from.
    return (
        condition
        | Q(Exists(MeetingInvitee.objects.filter(invited, meeting_id=OuterRef("pk"))))
        | Q(Exists(ActionItem.objects.filter(owns, meeting_id=OuterRef("pk"))))
    )


def records_condition(access) -> Q | None:
    """Meetings whose minutes and feedback the user reads: overseen ones, and the visible ones for a
    user who holds a case role (an institution admin or official alone reads no records)."""
    if access.institution_ids(*CASE_ROLES):
        return view_condition(access)
    return oversee_condition(access)


class AreaQuerySet(TenantQuerySet):
    """Areas: platform admins manage them; members of a covered municipality see them."""

    def scope(self, access, action):
        if access.is_platform_admin:
            return Q()
        municipalities = access.municipality_ids()
        if not municipalities or action != "view":
            return None
        return Q(pk__in=_areas_of(municipalities))


class AreaManager(TenantManager.from_queryset(AreaQuerySet)):
    """Manager exposing visible_to()."""


class MeetingQuerySet(TenantQuerySet):
    """Meetings seen (view), whose records are read (records) or run (change) by the user."""

    def scope(self, access, action):
        if action == "view":
            return view_condition(access)
        if action == RECORDS:
            return records_condition(access)
        return run_condition(access)


class MeetingManager(TenantManager.from_queryset(MeetingQuerySet)):
    """Manager exposing visible_to()."""


class MeetingChildQuerySet(TenantQuerySet):
    """Invitees: seen with their meeting, changed by who runs it."""

    meeting_read = "view"

    def scope(self, access, action):
        from .models import Meeting  # cycle: models -> querysets

        condition = Meeting.objects.all().scope(access, self.meeting_read if action == "view" else action)
        if condition is None:
            return None
        return Q(meeting_id__in=Meeting.objects.filter(condition).values("pk"))


class MeetingChildManager(TenantManager.from_queryset(MeetingChildQuerySet)):
    """Manager exposing visible_to()."""


class MeetingRecordQuerySet(MeetingChildQuerySet):
    """Minutes, amendments, supervision feedback: read with the meeting's records, changed by who runs it."""

    meeting_read = RECORDS


class MeetingRecordManager(TenantManager.from_queryset(MeetingRecordQuerySet)):
    """Manager exposing visible_to()."""


def _visible_case_ids(access):
    condition = Case.objects.all().scope(access, "view")
    return None if condition is None else Case.objects.filter(condition).values("pk")


class AgendaItemQuerySet(TenantQuerySet):
    """Agenda items: whoever sees the case, and whoever runs or supervises the meeting."""

    def scope(self, access, action):
        from .models import Meeting  # cycle: models -> querysets

        if action == "view":
            overseen = oversee_condition(access)
            condition = None if overseen is None else Q(meeting_id__in=Meeting.objects.filter(overseen).values("pk"))
            cases = _visible_case_ids(access)
            if cases is not None:
                by_case = Q(case_id__in=cases)
                condition = by_case if condition is None else condition | by_case
            return condition
        run = run_condition(access)
        return None if run is None else Q(meeting_id__in=Meeting.objects.filter(run).values("pk"))


class AgendaItemManager(TenantManager.from_queryset(AgendaItemQuerySet)):
    """Manager exposing visible_to()."""


def owned_condition(access) -> Q | None:
    """Action items of unrestricted cases owned by an institution where the user holds a case role
    (to report them done); a restricted case's items reach only those who see that case."""
    institutions = access.institution_ids(*CASE_ROLES)
    if not institutions:
        return None
    return Q(owner_institution_id__in=institutions, case__is_restricted=False)


class ActionItemQuerySet(TenantQuerySet):
    """Action items: like agenda items, plus the owner institution's case staff (to report completion)."""

    def scope(self, access, action):
        from .models import Meeting  # cycle: models -> querysets

        overseen = run_condition(access) if action != "view" else oversee_condition(access)
        condition = None if overseen is None else Q(meeting_id__in=Meeting.objects.filter(overseen).values("pk"))
        owned = owned_condition(access)
        if owned is not None:
            condition = owned if condition is None else condition | owned
        cases = _visible_case_ids(access)
        if cases is not None:
            # Whoever sees the case sees its items; of a restricted case, its owner's case staff who see
            # the case (those assigned to it) also change them (report them done).
            branch = Q(case_id__in=cases)
            if action != "view":
                staff = access.institution_ids(*CASE_ROLES)
                branch = Q(owner_institution_id__in=staff, case_id__in=cases) if staff else None
            if branch is not None:
                condition = branch if condition is None else condition | branch
        return condition


class ActionItemManager(TenantManager.from_queryset(ActionItemQuerySet)):
    """Manager exposing visible_to()."""
