"""The surveys app's home page panel: the open collections the user reads, with their answer counts
(coordinators, institution admins, officials; one query)."""
from __future__ import annotations

from django.utils import timezone

from apps.core import home
from apps.core.choices import Role

from .models import Collection

ROLES = (Role.COORDINATOR, Role.INSTITUTION_ADMIN, Role.OFFICIAL)


def open_collections_panel(request):
    user = request.user
    if not set(ROLES) & user.access.roles():
        return None
    today = timezone.localdate()
    collections = list(Collection.objects.visible_to(user).filter(opens_on__lte=today, closes_on__gte=today)
                       .order_by("closes_on", "id")[:5])
    if not collections:
        return None
    return home.HomePanel(key="surveys", template="surveys/home/_open_collections.html", order=40, roles=ROLES,
                          context={"collections": collections})


home.register(open_collections_panel)
