from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from apps.core import indicators


class EventsConfig(AppConfig):
    """Programme events: trainings, expert meetings, round tables, media activities and information materials."""

    name = "apps.events"
    label = "events"
    verbose_name = _("Programme events")

    def ready(self):
        # The calendar feed lists events and the conference targets page shows the event targets beside
        # its own: both through registries, so neither the core nor the conferences import this app.
        # cycle: app registry -> apps.py -> models (the ready() idiom)
        from apps.conferences import target_panels

        # cycle: app registry -> apps.py -> models (the ready() idiom)
        from apps.core.calendar import feed

        # cycle: app registry -> apps.py -> models (the ready() idiom)
        from . import home_panels  # noqa: F401

        # cycle: app registry -> apps.py -> models (the ready() idiom)
        from .calendar import feed_entries

        # cycle: app registry -> apps.py -> models (the ready() idiom)
        from .selectors.targets import target_panel

        feed.register(feed_entries)
        target_panels.register(target_panel)

        # The dashboards show the event targets (apps/core/indicators.py registry).
        # cycle: app registry -> apps.py -> models (the ready() idiom)
        from .indicators import event_figures

        indicators.register(event_figures)
