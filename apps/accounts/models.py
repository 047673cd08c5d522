"""Users, memberships (user x institution x role) and invitations."""
from __future__ import annotations

import hashlib
import secrets
from functools import cached_property

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core import tenancy
from apps.core.choices import CASE_READING_ROLES, ROLES_WITH_PERSONAL_DATA, Role
from apps.core.models import TenantScopedModel

from .access import Access
from .choices import AccessNoticeKind
from .querysets import AccessNoticeManager, InvitationManager, MembershipManager, UserManager

# Shown wherever a platform admin would be given a role that reads cases (services, forms, CSV).
PLATFORM_ADMIN_CASE_ROLE = _(
    "A platform admin cannot hold a role that reads cases (caseworker, coordinator, supervisor). "
    "Case work needs a separate account."
)
SELF_GRANT = _("Nobody can give themselves a role or raise their own role. Ask another admin.")


class User(AbstractUser):
    """A person working on the platform; logs in with e-mail (or username) and a second factor."""

    email = models.EmailField(_("e-mail"), unique=True)
    is_platform_admin = models.BooleanField(
        _("platform admin"),
        default=False,
        help_text=_("Onboards municipalities and manages users; never reads case content."),
    )
    is_national_reader = models.BooleanField(
        _("national reader"),
        default=False,
        help_text=_("Reads the national aggregates of every municipality (ministry, programme team); never a case."),
    )
    is_demo = models.BooleanField(_("demo user"), default=False)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="sr-latn")
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["username"]
    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    @cached_property
    def access(self) -> Access:
        """The user's access context (memberships and municipality-wide grants)."""
        return Access(self)

    def refresh_access(self) -> None:
        """Forget the cached access context (after a membership change), and what the transaction's
        opening statement read of it (apps/core/tenancy.py)."""
        self.__dict__.pop("access", None)
        tenancy.forget_reach(self.pk)

    @property
    def requires_2fa(self) -> bool:
        """Platform admins and every role that can see personal data need a second factor."""

        if self.is_platform_admin or self.is_superuser:
            return True
        return any(m.role in ROLES_WITH_PERSONAL_DATA for m in self.access.memberships)

    def active_membership(self, request=None):
        """The membership the user is acting through (chosen in the header; first by default)."""
        memberships = self.access.memberships
        if not memberships:
            return None
        wanted = request.session.get("active_membership_id") if request is not None else None
        for m in memberships:
            if m.id == wanted:
                return m
        return memberships[0]


class Membership(TenantScopedModel):
    """A user's role in one institution (and so in its municipality)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.PROTECT, related_name="memberships", verbose_name=_("institution")
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    objects = MembershipManager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["municipality_id", "institution_id", "role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "institution", "role"], name="membership_unique_role"),
        ]
        indexes = [
            models.Index(fields=["municipality", "institution", "role"], name="membership_mun_inst_role"),
            models.Index(fields=["user", "is_active"], name="membership_user_active"),
        ]

    def __str__(self):
        return f"{self.user} · {self.institution} · {self.get_role_display()}"

    def clean(self):
        if self.institution_id and self.municipality_id and self.institution.municipality_id != self.municipality_id:
            raise ValidationError({"institution": _("The institution belongs to another municipality.")})
        if self.role in CASE_READING_ROLES and self.user_id and self.user.is_platform_admin:
            raise ValidationError({"role": PLATFORM_ADMIN_CASE_ROLE})


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(TenantScopedModel):
    """A one-time, expiring link inviting a person to join an institution in a role."""

    email = models.EmailField(_("e-mail"))
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="invitations", verbose_name=_("institution")
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("invited by")
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("accepted by")
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = InvitationManager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["municipality", "institution", "email"], name="invitation_mun_inst_email")]

    def __str__(self):
        return f"{self.email} → {self.institution}"

    @staticmethod
    def new_token() -> tuple[str, str]:
        """A fresh random token and its hash (only the hash is stored)."""
        token = secrets.token_urlsafe(32)
        return token, _token_hash(token)

    @classmethod
    def find_by_token(cls, token: str):
        """The invitation for a token, or None."""
        token_hash = _token_hash(token)
        tenancy.bind_invitation(token_hash)  # the link's holder may read its invitation (row-level security)
        return cls.objects.filter(token_hash=token_hash).select_related("institution", "municipality").first()

    @property
    def is_usable(self) -> bool:
        """Not accepted, not revoked, not expired."""
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"


class AccessNotice(TenantScopedModel):
    """Someone was given access that reads cases (a role, or a case shared with an institution):
    shown to the municipality's coordinators (work queue, e-mail) and on the "New access" list."""

    kind = models.CharField(_("kind"), max_length=16, choices=AccessNoticeKind.choices, default=AccessNoticeKind.ROLE)
    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("person")
    )
    institution = models.ForeignKey(
        "institutions.Institution", on_delete=models.CASCADE, related_name="+", verbose_name=_("institution")
    )
    role = models.CharField(_("role"), max_length=24, choices=Role.choices, blank=True)
    # The case number only (a shared case), never anything about the people in it.
    case_number = models.CharField(_("case"), max_length=40, blank=True)
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("granted by")
    )

    objects = AccessNoticeManager()

    class Meta:
        verbose_name = _("new access")
        verbose_name_plural = _("new access")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["municipality", "-created_at"], name="accessnotice_mun_created")]

    def __str__(self):
        return f"{self.user or self.institution} · {self.get_role_display() or self.case_number}"
