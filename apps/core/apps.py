from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Tenancy, access, audit and shared building blocks."""

    name = "apps.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        # The audit of logins and lockouts writes AuditEntry rows, the tenant context of logins and
        # Celery tasks reads the models: their modules load once models are ready.
        # cycle: app registry -> core.apps -> core.models -> app registry
        from . import signals, tenancy_hooks  # noqa: F401

        # cycle: app registry -> core.apps -> core.models -> app registry
        from .rls_schema import on_post_migrate

        # Every tenant table gets ENABLE + FORCE row-level security and its policy after each migrate.
        post_migrate.connect(on_post_migrate, sender=self, dispatch_uid="core.row_level_security")
