from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterlinkConfig(AppConfig):
    """Interlinking with the services' own systems: machine accounts, inbound records, matching, events out."""

    name = "apps.interlink"
    label = "interlink"
    verbose_name = _("Interlinking")

    def ready(self):
        # webhooks registers the outbox channel that sends the events, in every process that may deliver them.
        # cycle: app registry -> apps.py -> models (the ready() idiom)
        from . import webhooks  # noqa: F401
