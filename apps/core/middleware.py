"""Request context for the audit log; no caching of per-user pages and API answers."""
import uuid

from django.conf import settings

from . import context
from .client_ip import client_ip


class RequestContextMiddleware:
    """Publishes who is acting, as which institution and from where, for the audit log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        user_id = user.pk if user is not None and user.is_authenticated else None
        institution_id = None
        if user_id is not None:
            membership = getattr(user, "active_membership", None)
            if callable(membership):
                membership = membership(request)
            institution_id = getattr(membership, "institution_id", None)
        token = context.set_current(
            context.RequestContext(
                user_id=user_id,
                institution_id=institution_id,
                ip=client_ip(request),
                request_id=uuid.uuid4().hex,
            )
        )
        try:
            return self.get_response(request)
        finally:
            context.reset(token)


class NoStoreMiddleware:
    """Nothing a signed-in user sees, and no API answer, is kept in the browser's or a shared cache
    (a shared computer's cache would keep victims' data). A response that already says ``no-store``
    keeps its own header; static files never reach this middleware (WhiteNoise answers them first)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(settings.STATIC_URL):
            return response
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            if "no-store" not in response.get("Cache-Control", ""):
                response["Cache-Control"] = "no-store, private"
            response.setdefault("Pragma", "no-cache")  # HTTP/1.0 caches
        return response
