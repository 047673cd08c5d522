from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.core import indicators


class ConferencesConfig(AppConfig):
    """Case conferences and coordination-group meetings: agenda, invitations, minutes, actions."""

    name = "apps.conferences"
    label = "conferences"
    verbose_name = _("Case conferences")

    def ready(self):
        # cycle: app registry -> apps.py -> models: hooks and home_panels import models, which Django loads
        # only after every AppConfig is imported, so they are imported here (the ready() idiom).
        # hooks registers what the case pages and the work queue call (cases never imports conferences);
        # home_panels adds the next meeting and the conference figures to the home page; the meetings
        # are a source of the private calendar feed (apps.core.calendar.feed).
        # cycle: app registry -> apps.py -> models (the ready() idiom, as above)
        from apps.core.calendar import feed

        # cycle: app registry -> apps.py -> models (the ready() idiom, as above)
        from . import home_panels, hooks  # noqa: F401

        # cycle: app registry -> apps.py -> models (the ready() idiom, as above)
        from .feeds import meeting_entries

        feed.register(meeting_entries)

        # The dashboards show the conference targets (apps/core/indicators.py registry).
        # cycle: app registry -> apps.py -> models (the ready() idiom, as above)
        from .indicators import conference_figures

        indicators.register(conference_figures)
