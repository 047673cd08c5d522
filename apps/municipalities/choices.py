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

# The founding programme held monthly conferences in its larger municipalities (over 100,000
# people: Palilula, Zvezdara, Voždovac, Kragujevac) and every two months in the others.
LARGE_FROM_POPULATION = 100_000


def size_class_for_population(population: int | None) -> str | None:
    """The size class the population implies (None when the population is not known).

    The one rule behind the wizard's proposal, the onboarding files and the services.
    """
    if population is None:
        return None
    return SizeClass.LARGE if population >= LARGE_FROM_POPULATION else SizeClass.SMALL
