from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Anonymous questionnaires."""

    name = "apps.surveys"
    label = "surveys"
    verbose_name = _("Questionnaires")

    def ready(self):
        # cycle: app registry -> apps.py -> models (the ready() idiom): home_panels imports models.
        from . import home_panels  # noqa: F401
