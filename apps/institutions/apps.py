from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    """Services taking part in the coordinated response."""

    name = "apps.institutions"
    label = "institutions"
    verbose_name = _("Institutions")
