"""Institution types."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class InstitutionType(models.TextChoices):
    """The kinds of services in the coordinated response."""

    CSR = "csr", _("Centre for social work")
    POLICE = "police", _("Police")
    HEALTH_CENTRE = "health_centre", _("Health centre")
    HOSPITAL = "hospital", _("Hospital")
    PROSECUTOR = "prosecutor", _("Basic public prosecutor's office")
    BASIC_COURT = "basic_court", _("Basic court")
    MISDEMEANOUR_COURT = "misdemeanour_court", _("Misdemeanour court")
    SCHOOL = "school", _("School")
    NGO = "ngo", _("NGO")
    SAFE_HOUSE = "safe_house", _("Safe house")
    LOCAL_GOVERNMENT = "local_government", _("Local self-government")
    EMPLOYMENT_SERVICE = "employment_service", _("Employment service")
    OTHER = "other", _("Other")


# Services that take referrals from any municipality (a victim may need a safe house elsewhere):
# they appear in every user's institution directory for referrals and consents.
OPEN_DIRECTORY_TYPES = (InstitutionType.SAFE_HOUSE,)
