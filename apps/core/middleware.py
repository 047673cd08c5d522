"""Request context for the audit log and the database; no caching of per-user pages and API answers."""
import uuid

from django.conf import settings
from django.db import transaction

from . import context, tenancy
from .client_ip import client_ip


class TenantContextMiddleware:
    """Each request is one transaction that states whose request it is (row-level security,
    apps/core/tenancy.py): one statement after authentication. A server error rolls it back. A
    streaming response (the audit CSV) is produced after this transaction has ended: its chunks get
    a transaction and context of their own."""

    def __init__(self, get_response):
        self.get_response = get_response
        # Anonymous public pages whose views open a tenant context of their own around every database
        # access (TENANT_CONTEXT_SELF_MANAGED_PATHS: the questionnaire's public link, whose page is
        # served from memory most of the time and must stand a poster campaign's bursts).
        self.self_managed = tuple(getattr(settings, "TENANT_CONTEXT_SELF_MANAGED_PATHS", ()))

    def __call__(self, request):
        if request.path.startswith(settings.STATIC_URL):
            return self.get_response(request)
        if (self.self_managed and request.path.startswith(self.self_managed)
                and settings.SESSION_COOKIE_NAME not in request.COOKIES):
            return self.get_response(request)
        # DRF's test client forces its user onto the request before any middleware (never in production).
        user = getattr(request, "_force_auth_user", None) or request.user
        with tenancy.tenant_context(tenancy.state_for(user)):
            response = self.get_response(request)
            if response.status_code >= 500:
                transaction.set_rollback(True)
            # A login, or an API token authenticated in the view, re-binds the context.
            state = tenancy.current()
        if response.streaming:
            response.streaming_content = tenancy.streamed(response.streaming_content, state)
        return response


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
