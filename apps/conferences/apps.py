from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferencesConfig(AppConfig):
    """Case conferences and coordination-group meetings: agenda, invitations, minutes, actions."""

    name = "apps.conferences"
    label = "conferences"
    verbose_name = _("Case conferences")

    def ready(self):
        # Registers the conference hooks the case pages and the work queue call (cases never imports us).
        # The next meeting and the conference figures on the home page.
        from . import home_panels, hooks  # noqa: F401
