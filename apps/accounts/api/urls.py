"""API routes of the accounts app (registered by config/api_router.py)."""
from django.urls import path

from .views import MembershipViewSet, MeView

ROUTES = [("memberships", MembershipViewSet, "membership")]

# Plain views (not viewsets) under /api/v1/.
PATHS = [path("me/", MeView.as_view(), name="api-me")]
