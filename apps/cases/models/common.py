"""References shared by the case record's models."""
from django.conf import settings

User = settings.AUTH_USER_MODEL
INSTITUTION = "institutions.Institution"
