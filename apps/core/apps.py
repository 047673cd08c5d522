from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Tenancy, access, audit and shared building blocks."""

    name = "apps.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        # The audit of logins and lockouts writes AuditEntry rows: its module loads once models are ready.
        # cycle: app registry -> core.apps -> core.models -> app registry
        from . import signals  # noqa: F401
