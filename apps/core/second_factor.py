"""Who must pass the second factor: the one rule read by the login middleware (apps/accounts) and
the API's session authentication (apps/core/api)."""
from django.conf import settings


def skips_2fa(user) -> bool:
    """Demo users may skip the second factor only while the demo setting is on."""
    return bool(settings.DEMO_SKIP_2FA and getattr(user, "is_demo", False))
