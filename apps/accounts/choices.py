"""Account choices."""
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.choices import Role  # noqa: F401  (re-exported: roles belong to memberships)


class AccessNoticeKind(models.TextChoices):
    """What kind of new access to cases a notice records."""

    ROLE = "role", _("Role")
    CASE_GRANT = "case_grant", _("Shared case")
