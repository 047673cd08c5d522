from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Programme events: trainings, expert meetings, round tables, media activities and information materials."""

    name = "apps.events"
    label = "events"
    verbose_name = _("Programme events")
