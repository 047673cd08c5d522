"""API authentication: hashed, expiring tokens (knox) and sessions that passed the second factor."""
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication

from apps.core.second_factor import skips_2fa

from .. import tenancy


class TokenAuthentication(KnoxTokenAuthentication):
    """``Authorization: Token <key>``; tokens are stored hashed and expire."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            tenancy.bind_user(result[0])  # the request's transaction now acts for the token's user
        return result


class VerifiedSessionAuthentication(SessionAuthentication):
    """Browser sessions count only once the second factor has been verified where it is required."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        user, auth = result
        if user.requires_2fa and not getattr(request._request.user, "is_verified", lambda: False)() and not skips_2fa(user):
            raise exceptions.AuthenticationFailed(_("Complete the two-factor login first."))
        return user, auth


from . import schema as _schema  # noqa: E402,F401  (registers the OpenAPI descriptions of these classes)
