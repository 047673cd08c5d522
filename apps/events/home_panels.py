"""The events app's panel of the home page: the next programme event (coordinators)."""
from __future__ import annotations

from django.utils import timezone

from apps.core import home
from apps.core.choices import Role

from .choices import EventStatus
from .models import Event

ROLES = (Role.COORDINATOR,)


def next_event_panel(request):
    """The soonest planned event the user sees (one query)."""
    user = request.user
    if not set(ROLES) & user.access.roles():
        return None
    event = (Event.objects.visible_to(user).filter(status=EventStatus.PLANNED, ends_at__gte=timezone.now())
             .select_related("municipality", "area").order_by("starts_at", "id").first())
    return home.HomePanel(key="next_event", template="events/home/_next_event.html", order=8, roles=ROLES,
                          context={"event": event})


home.register(next_event_panel)
