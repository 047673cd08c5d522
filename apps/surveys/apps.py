from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """Anonymous questionnaires."""

    name = "apps.surveys"
    label = "surveys"
    verbose_name = _("Questionnaires")
