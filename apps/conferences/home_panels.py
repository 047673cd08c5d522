"""The conferences app's panels of the home page: the next meeting (coordinators, supervisors) and
the conference figures (officials; aggregates only)."""
from __future__ import annotations

from django.utils import timezone

from apps.core import home
from apps.core.choices import Role

from .choices import MeetingStatus
from .models import AgendaItem
from .selectors.meetings import meeting_list
from .selectors.targets import may_see_targets, targets_for

MEETING_ROLES = (Role.COORDINATOR, Role.SUPERVISOR)


def next_meeting_panel(request):
    """The soonest scheduled meeting the user sees, with how many cases its agenda has (two queries)."""
    user = request.user
    if not set(MEETING_ROLES) & user.access.roles():
        return None
    meeting = meeting_list(user).filter(status=MeetingStatus.SCHEDULED).first()
    cases = AgendaItem.objects.filter(meeting_id=meeting.pk).count() if meeting else 0
    return home.HomePanel(
        key="next_meeting", template="conferences/home/_next_meeting.html", order=5, roles=MEETING_ROLES,
        context={"meeting": meeting, "cases": cases, "may_schedule": Role.COORDINATOR in user.access.roles()},
    )


def figures_panel(request):
    """Officials: this year's case conferences against the target, per municipality (no case, no name)."""
    user = request.user
    if Role.OFFICIAL not in user.access.roles():
        return None
    if not may_see_targets(user):
        return None
    today = timezone.localdate()
    return home.HomePanel(
        key="figures", template="conferences/home/_figures.html", order=30, roles=(Role.OFFICIAL,),
        context={"targets": targets_for(user, year=today.year, today=today), "year": today.year},
    )


home.register(next_meeting_panel)
home.register(figures_panel)
