"""Choices shared by every app."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a member of an institution does on the platform."""

    CASEWORKER = "caseworker", _("Caseworker")
    COORDINATOR = "coordinator", _("Coordinator")
    SUPERVISOR = "supervisor", _("Supervisor")
    OFFICIAL = "official", _("Official")
    INSTITUTION_ADMIN = "institution_admin", _("Institution admin")


# Roles that can see personal data; these must use a second factor.
ROLES_WITH_PERSONAL_DATA = frozenset(
    {Role.CASEWORKER, Role.COORDINATOR, Role.SUPERVISOR, Role.INSTITUTION_ADMIN}
)

# Roles that read cases (officials see aggregates only, institution admins manage staff): never held
# by a platform admin, never given to oneself, and every grant of one is shown to the coordinators.
CASE_READING_ROLES = frozenset({Role.CASEWORKER, Role.COORDINATOR, Role.SUPERVISOR})


class AuditAction(models.TextChoices):
    """What an audit entry records; never the data values themselves."""

    LOGIN = "login", _("Login")
    LOGOUT = "logout", _("Logout")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOCKOUT = "lockout", _("Lockout")
    OTP_ENROLLED = "otp_enrolled", _("Two-factor enrolled")
    OTP_REMOVED = "otp_removed", _("Two-factor removed")
    OTP_FAILED = "otp_failed", _("Wrong two-factor code")
    PASSWORD_RESET = "password_reset", _("Password reset")
    MEMBERSHIP_CREATED = "membership_created", _("Membership created")
    MEMBERSHIP_CHANGED = "membership_changed", _("Membership changed")
    MEMBERSHIP_ENDED = "membership_ended", _("Membership ended")
    PERMISSION_GRANTED = "permission_granted", _("Permission granted")
    PERMISSION_REVOKED = "permission_revoked", _("Permission revoked")
    INVITATION_SENT = "invitation_sent", _("Invitation sent")
    INVITATION_ACCEPTED = "invitation_accepted", _("Invitation accepted")
    INVITATION_REVOKED = "invitation_revoked", _("Invitation revoked")
    ONBOARDING = "onboarding", _("Municipality onboarded")
    CREATE = "create", _("Create")
    VIEW = "view", _("View")
    UPDATE = "update", _("Update")
    DELETE = "delete", _("Delete")
    EXPORT = "export", _("Export")
    API_TOKEN = "api_token", _("API token issued")
    PLATFORM = "platform", _("Platform-wide job")


class OutboxStatus(models.TextChoices):
    """Where one outgoing message stands."""

    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # The process died while sending: it may or may not have gone out, so it is not sent again by itself.
    UNCERTAIN = "uncertain", _("Uncertain")
    DISCARDED = "discarded", _("Discarded")
