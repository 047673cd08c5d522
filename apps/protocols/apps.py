from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProtocolsConfig(AppConfig):
    """Protocols, cooperation agreements and self-assessment."""

    name = "apps.protocols"
    label = "protocols"
    verbose_name = _("Protocols and agreements")
