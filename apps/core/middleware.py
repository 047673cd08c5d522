"""Request context for the audit log."""
import uuid

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
