from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Indicators, dashboards and periodic reports: reads every domain app, imported by none."""

    name = "apps.reports"
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        # The official's home page shows her dashboard (a panel of the core's registry).
        # cycle: app registry -> apps.py -> models (the ready() idiom)
        from . import home_panels  # noqa: F401
