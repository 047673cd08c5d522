"""Session lifetime and the second-factor requirement."""
import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

SESSION_STARTED_KEY = "kzn_session_started"

# Paths a logged-in user may reach before completing the second factor.
_OPEN_PREFIXES = (
    "/static/", "/i18n/", "/accounts/logout/", "/accounts/2fa/", "/accounts/invite/", "/health/", "/api/",
)


class SessionLifetimeMiddleware:
    """Ends a session 12 hours after login whatever the activity (idle expiry is the cookie age)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get(SESSION_STARTED_KEY)
            now = time.time()
            if started is None:
                request.session[SESSION_STARTED_KEY] = now
            elif now - started > settings.SESSION_ABSOLUTE_SECONDS:
                logout(request)
                return redirect(f"{reverse('accounts:login')}?expired=1")
        return self.get_response(request)


def skips_2fa(user) -> bool:
    """Demo users may skip the second factor only while the demo setting is on."""
    return bool(settings.DEMO_SKIP_2FA and getattr(user, "is_demo", False))


class TwoFactorRequiredMiddleware:
    """Users who can see personal data must verify a second factor before anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path.startswith(_OPEN_PREFIXES)
            and user.requires_2fa
            and not user.is_verified()
            and not skips_2fa(user)
        ):
            from django_otp import user_has_device

            target = "accounts:otp_verify" if user_has_device(user) else "accounts:otp_setup"
            return redirect(reverse(target))
        return self.get_response(request)
