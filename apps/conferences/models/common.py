"""References shared by the meeting models."""
from django.conf import settings

User = settings.AUTH_USER_MODEL
INSTITUTION = "institutions.Institution"
