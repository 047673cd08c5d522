from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MunicipalitiesConfig(AppConfig):
    """The tenant: municipalities, their settings, targets and onboarding."""

    name = "apps.municipalities"
    label = "municipalities"
    verbose_name = _("Municipalities")
