"""Deny by default in the API: every viewset is scoped and nothing is open to anonymous callers."""
from rest_framework.permissions import AllowAny

from apps.core.api.views import ScopedViewSetMixin
from config.api_router import extra_paths, router

# Viewsets that are not model viewsets, and why they need no scoped queryset.
NOT_MODEL_VIEWSETS = {
    "work-queue": "one list action answering the caller's own queue (work_queue_for(user), built from scoped querysets)",
}


def test_every_registered_viewset_is_scoped():
    assert router.registry, "no API routes registered"
    for prefix, viewset, _basename in router.registry:
        if prefix not in NOT_MODEL_VIEWSETS:
            assert issubclass(viewset, ScopedViewSetMixin), f"/api/v1/{prefix}/ does not scope its queryset"
        assert AllowAny not in viewset.permission_classes, f"/api/v1/{prefix}/ is open to anyone"


def test_plain_api_views_need_authentication():
    for pattern in extra_paths:
        view = pattern.callback.cls
        assert view.permission_classes, pattern.name
        assert AllowAny not in view.permission_classes, pattern.name
