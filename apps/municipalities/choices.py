"""Municipality classifications."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class MunicipalityKind(models.TextChoices):
    """Local self-government unit type."""

    MUNICIPALITY = "municipality", _("Municipality")
    CITY = "city", _("City")
    CITY_MUNICIPALITY = "city_municipality", _("City municipality")


class SizeClass(models.TextChoices):
    """Size class; it sets the default case-conference cadence."""

    LARGE = "large", _("Larger (monthly conferences)")
    SMALL = "small", _("Smaller (conference every two months)")


DEFAULT_CADENCE_MONTHS = {SizeClass.LARGE: 1, SizeClass.SMALL: 2}
