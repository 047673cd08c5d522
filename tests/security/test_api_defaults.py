"""Deny by default in the API: every viewset is scoped and nothing is open to anonymous callers."""
from rest_framework.permissions import AllowAny

from apps.core.api.views import ScopedViewSetMixin
from config.api_router import extra_paths, router


def test_every_registered_viewset_is_scoped():
    assert router.registry, "no API routes registered"
    for prefix, viewset, _basename in router.registry:
        assert issubclass(viewset, ScopedViewSetMixin), f"/api/v1/{prefix}/ does not scope its queryset"
        assert AllowAny not in viewset.permission_classes, f"/api/v1/{prefix}/ is open to anyone"


def test_plain_api_views_need_authentication():
    for pattern in extra_paths:
        view = pattern.callback.cls
        assert view.permission_classes, pattern.name
        assert AllowAny not in view.permission_classes, pattern.name
