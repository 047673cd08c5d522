"""Writes for accounts: memberships, second factor."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from apps.core.audit import audit_log
from apps.core.choices import CASE_READING_ROLES, AuditAction
from apps.institutions.services import sync_staff_group
from apps.municipalities.services import role_group

from .models import PLATFORM_ADMIN_CASE_ROLE, SELF_GRANT, Membership, User
from .notices import access_notice_record


def role_grant_check(*, user: User, role: str, granted_by=None, field: str = "user") -> None:
    """The one rule every path that gives a role goes through (pages, API, CSV, onboarding, invitations):
    nobody gives a role to themselves or raises their own, and a platform admin never holds a role
    that reads cases. ``field`` names the form or API field the person was chosen in."""
    if granted_by is not None and user.pk is not None and granted_by.pk == user.pk:
        raise ValidationError({field: SELF_GRANT}, code="self_grant")
    if role in CASE_READING_ROLES and user.is_platform_admin:
        raise ValidationError({"role": PLATFORM_ADMIN_CASE_ROLE}, code="platform_admin")


@transaction.atomic
def membership_create(*, user: User, institution, role: str, created_by=None) -> Membership:
    """Give a user a role in an institution and put them in the municipality's role group; a role that
    reads cases is recorded as new access and the municipality's coordinators are told."""

    role_grant_check(user=user, role=role, granted_by=created_by)
    membership, created = Membership.objects.get_or_create(
        user=user,
        institution=institution,
        role=role,
        defaults={"municipality_id": institution.municipality_id, "created_by": created_by},
    )
    if not created and membership.is_active:
        return membership
    if not created:
        membership.is_active = True
        membership.ended_at = None
        membership.save(update_fields=["is_active", "ended_at", "updated_at"])
    membership.full_clean()
    user.groups.add(role_group(institution.municipality, role))
    sync_staff_group(user=user, institution=institution)
    audit_log(
        action=AuditAction.MEMBERSHIP_CREATED,
        actor=created_by,
        obj=membership,
        details={"user": user.pk, "institution": institution.pk, "role": role},
    )
    if role in CASE_READING_ROLES:
        access_notice_record(user=user, institution=institution, role=role, granted_by=created_by)
    user.refresh_access()
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, ended_by) -> Membership:
    """End a membership; the user leaves the role group unless another membership keeps them in it."""

    membership.is_active = False
    membership.ended_at = timezone.now()
    membership.save(update_fields=["is_active", "ended_at", "updated_at"])
    sync_staff_group(user=membership.user, institution=membership.institution)
    still = Membership.objects.filter(
        user=membership.user, municipality_id=membership.municipality_id, role=membership.role, is_active=True
    ).exists()
    if not still:
        membership.user.groups.remove(role_group(membership.institution.municipality, membership.role))
    audit_log(action=AuditAction.MEMBERSHIP_ENDED, actor=ended_by, obj=membership)
    membership.user.refresh_access()
    return membership


@transaction.atomic
def totp_device_start(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator for the user (replaces any earlier unconfirmed one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator", confirmed=False)


@transaction.atomic
def totp_device_confirm(*, device: TOTPDevice, code: str) -> bool:
    """Confirm an authenticator with its first code; other devices of the user are removed."""
    if not device.verify_token(code):
        return False
    TOTPDevice.objects.filter(user=device.user).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_log(action=AuditAction.OTP_ENROLLED, actor=device.user, obj=None)
    return True


@transaction.atomic
def totp_reset(*, user: User, reset_by) -> int:
    """Remove a user's authenticators (lost phone); they enrol again at next login."""
    deleted, _ = TOTPDevice.objects.filter(user=user).delete()
    audit_log(action=AuditAction.OTP_REMOVED, actor=reset_by, details={"user": user.pk})
    return deleted


@transaction.atomic
def user_profile_update(*, user: User, first_name: str, last_name: str, phone: str, language: str) -> User:
    """Change a person's own name, phone and preferred language (the audit names the fields, not values)."""
    new = {"first_name": first_name.strip(), "last_name": last_name.strip(), "phone": phone.strip(), "language": language}
    changed = sorted(name for name, value in new.items() if getattr(user, name) != value)
    if not changed:
        return user
    for name, value in new.items():
        setattr(user, name, value)
    user.full_clean()
    user.save(update_fields=[*changed])
    audit_log(action=AuditAction.UPDATE, actor=user, obj=user, details={"fields": changed})
    return user


def password_changed(*, user: User) -> None:
    """Record that a person changed their own password."""
    audit_log(action=AuditAction.UPDATE, actor=user, obj=user, details={"fields": ["password"]})


MAX_API_TOKENS = 10


class TooManyApiTokens(ValueError):
    """A person may hold only a few live API tokens."""


@transaction.atomic
def api_token_create(*, user: User) -> tuple:
    """Issue a personal API token; the secret is returned once and only its hash is stored."""

    live = AuthToken.objects.filter(user=user).exclude(expiry__lte=timezone.now())
    if live.count() >= MAX_API_TOKENS:
        raise TooManyApiTokens(f"at most {MAX_API_TOKENS} tokens")
    instance, token = AuthToken.objects.create(user=user)
    audit_log(
        action=AuditAction.API_TOKEN, actor=user, object_type="knox.authtoken", object_id=instance.token_key[:8],
        details={"event": "issued"},
    )
    return instance, token


@transaction.atomic
def api_token_revoke(*, user: User, token_key: str) -> bool:
    """Revoke one of the person's own API tokens (False when there is no such token)."""

    deleted, _ = AuthToken.objects.filter(user=user, token_key=token_key).delete()
    if deleted:
        audit_log(
            action=AuditAction.API_TOKEN, actor=user, object_type="knox.authtoken", object_id=token_key[:8],
            details={"event": "revoked"},
        )
    return bool(deleted)
