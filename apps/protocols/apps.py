from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtocolsConfig(AppConfig):
    """Protocols, cooperation agreements and self-assessment."""

    name = "apps.protocols"
    label = "protocols"
    verbose_name = _("Protocols and agreements")

    def ready(self):
        # cycle: app registry -> apps.py -> models (the ready() idiom): the case-page panel and the home panel.
        from . import home_panels, hooks  # noqa: F401
