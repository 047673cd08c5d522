"""Machine tokens: ``Authorization: Machine <token>``; the request then acts as the account's user,
stated to row-level security like a person's request (no bypass)."""
from __future__ import annotations

from dataclasses import replace

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, permissions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.throttling import SimpleRateThrottle

from apps.core import context, tenancy

from ..models import MachineAccount, MachineToken
from ..services.accounts import token_check

KEYWORD = b"machine"


class MachineTokenAuthentication(BaseAuthentication):
    """A machine account's token; refused when revoked, expired, or the account is no longer active."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Send one machine token."))
        token = token_check(header[1].decode("latin-1"))
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The machine token is not valid."))
        tenancy.bind_user(token.user)  # from here on the transaction serves the account's user
        account = MachineAccount.objects.visible_to(token.user).select_related("institution").filter(pk=token.account_id).first()
        if account is None or not account.is_active:
            raise exceptions.AuthenticationFailed(_("The machine account is revoked."))
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            MachineToken.objects.filter(pk=token.pk).update(last_used_at=now)
        # The audit names the account's user and its institution, like a person's request.
        context.set_current(replace(context.current(), user_id=token.user.pk, institution_id=account.institution_id))
        request._machine_account = account
        return token.user, account

    def authenticate_header(self, request):
        return "Machine"


class HasScope(permissions.BasePermission):
    """The view's ``required_scopes[action]`` (or ``required_scope``) must be among the account's."""

    message = _("This machine account may not do this.")

    def has_permission(self, request, view):
        account = request.auth if isinstance(request.auth, MachineAccount) else None
        if account is None:
            return False
        scopes = getattr(view, "required_scopes", {})
        needed = scopes.get(getattr(view, "action", None) or request.method.lower(), getattr(view, "required_scope", None))
        return needed is None or account.has_scope(needed)


class MachineRateThrottle(SimpleRateThrottle):
    """Requests per minute per machine account, as its admin set them."""

    scope = "machine"

    def get_rate(self):
        return "0/m"  # replaced per request in allow_request

    def allow_request(self, request, view):
        account = request.auth if isinstance(request.auth, MachineAccount) else None
        if account is None:
            return True
        self.num_requests, self.duration = account.rate_per_minute, 60
        self.key = f"interlink:throttle:{account.pk}"
        self.history = self.cache.get(self.key, [])
        self.now = self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()


class MachineTokenScheme(OpenApiAuthenticationExtension):
    """How the schema names the machine token."""

    target_class = "apps.interlink.api.authentication.MachineTokenAuthentication"
    name = "machineToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey", "in": "header", "name": "Authorization",
            "description": "`Machine kznm_<prefix>_<secret>`: a token of an institution's machine account.",
        }
