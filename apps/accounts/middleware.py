"""Session lifetime and the second-factor requirement."""
import time

from django.conf import settings
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device
from django_otp.middleware import OTPMiddleware as BaseOTPMiddleware
from django_otp.plugins.otp_totp.models import TOTPDevice

from apps.core import fixed_sql
from apps.core.second_factor import skips_2fa

SESSION_STARTED_KEY = "kzn_session_started"
SESSION_TOUCHED_KEY = "kzn_session_touched"

# Paths a logged-in user may reach before completing the second factor.
_OPEN_PREFIXES = (
    "/static/", "/i18n/", "/accounts/logout/", "/accounts/2fa/", "/accounts/invite/", "/health/", "/api/",
)


def touch_interval() -> float:
    """How often activity renews the idle expiry: a tenth of the idle limit, at most a minute. The
    session store is written only then, not on every request (a 30-minute idle limit is kept to
    within a minute)."""
    return min(60.0, settings.SESSION_COOKIE_AGE / 10)


class SessionLifetimeMiddleware:
    """Ends a session 12 hours after login whatever the activity; renews the idle expiry (the
    session's age in the store, SESSION_COOKIE_AGE) on activity, at most once per touch_interval()."""

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
            if now - request.session.get(SESSION_TOUCHED_KEY, 0) >= touch_interval():
                request.session[SESSION_TOUCHED_KEY] = now  # modified: saved with a fresh expiry
        return self.get_response(request)


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
            target = "accounts:otp_verify" if user_has_device(user) else "accounts:otp_setup"
            return redirect(reverse(target))
        return self.get_response(request)


class OTPMiddleware(BaseOTPMiddleware):
    """django-otp's middleware reading the session's TOTP device with a prepared statement (it is read
    on every request); other device kinds go the library's way."""

    def _device_from_persistent_id(self, persistent_id: str):
        label, _sep, device_id = self._normalize_persistent_id(persistent_id).rpartition("/")
        if label != TOTPDevice._meta.label_lower:
            return super()._device_from_persistent_id(persistent_id)
        try:
            found = fixed_sql.instances(TOTPDevice, '"id" = %s', [int(device_id)])
        except ValueError:
            return None
        return found[0] if found else None
