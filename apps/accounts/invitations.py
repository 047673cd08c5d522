"""Invitations: a one-time, expiring link by e-mail; the e-mail is sent by a task after commit."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from apps.core import outbox
from apps.core.audit import audit_log
from apps.core.choices import AuditAction, Role

from .models import SELF_GRANT, Invitation, Membership, User
from .services import membership_create, role_grant_check


@transaction.atomic
def invitation_create(
    *, email: str, institution, role: str, invited_by=None, first_name: str = "", last_name: str = "",
    language: str | None = None,
) -> Invitation | None:
    """Invite a person to an institution in a role.

    Idempotent: an existing active membership or a pending invitation for the same e-mail,
    institution and role means nothing new is created or sent (returns the pending one or None).
    """
    email = email.strip().lower()
    invitation_check(email=email, role=role, invited_by=invited_by)
    if Membership.objects.filter(
        user__email__iexact=email, institution=institution, role=role, is_active=True
    ).exists():
        return None
    pending = (
        Invitation.objects.filter(
            email__iexact=email, institution=institution, role=role,
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now(),
        )
        .order_by("-created_at")
        .first()
    )
    if pending is not None:
        return pending
    token, token_hash = Invitation.new_token()
    invitation = Invitation(
        municipality_id=institution.municipality_id,
        institution=institution,
        role=role,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        token_hash=token_hash,
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
        invited_by=invited_by,
    )
    invitation.full_clean()
    invitation.sent_at = timezone.now()  # recorded in the outbox below, in this transaction
    invitation.save()
    audit_log(action=AuditAction.INVITATION_SENT, actor=invited_by, obj=invitation, details={"role": role})
    lang = language or translation.get_language() or settings.LANGUAGE_CODE
    # The link is recorded (encrypted) in the outbox with the invitation: both or neither.
    subject, body = invitation_email(invitation, token, lang)
    outbox.send_email(subject=subject, body=body, to=[invitation.email], kind="accounts.invitation",
                      key=f"accounts.invitation:{invitation.pk}", municipality_id=invitation.municipality_id)
    return invitation


def onboarding_admin_invite(
    *, email: str, institution, invited_by=None, first_name: str = "", last_name: str = ""
) -> Invitation | None:
    """Invite an onboarded institution's first admin; the new invitation, or None when one was already
    there (registered with the municipality onboarding in apps/accounts/apps.py)."""
    before = set(
        Invitation.objects.filter(
            email__iexact=email.strip(), institution=institution, role=Role.INSTITUTION_ADMIN
        ).values_list("pk", flat=True)
    )
    invitation = invitation_create(
        email=email, institution=institution, role=Role.INSTITUTION_ADMIN, invited_by=invited_by,
        first_name=first_name, last_name=last_name,
    )
    return invitation if invitation is not None and invitation.pk not in before else None


def invitation_check(*, email: str, role: str, invited_by=None) -> None:
    """The membership rule (apps/accounts/services.role_grant_check) applied before anyone is invited:
    not one's own address, not a role that reads cases for a platform admin's address."""

    email = email.strip().lower()
    if invited_by is not None and (invited_by.email or "").strip().lower() == email:
        raise ValidationError({"email": SELF_GRANT}, code="self_grant")
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        role_grant_check(user=existing, role=role, granted_by=invited_by, field="email")


@dataclass(frozen=True)
class InvitationRow:
    """One person to invite (a line of a spreadsheet, already validated)."""

    email: str
    first_name: str
    last_name: str
    role: str
    institution: object


@dataclass
class InvitationBatchResult:
    """What a batch of invitations did."""

    sent: int = 0
    already_pending: int = 0
    already_member: int = 0


@transaction.atomic
def invitation_create_many(
    *, rows: list[InvitationRow], invited_by, language: str | None = None
) -> InvitationBatchResult:
    """Invite many people at once: all or nothing (the e-mails go out only after the commit)."""
    result = InvitationBatchResult()
    for row in rows:
        pending_before = _pending_exists(row.email, row.institution, row.role)
        invitation = invitation_create(
            email=row.email, institution=row.institution, role=row.role, invited_by=invited_by,
            first_name=row.first_name, last_name=row.last_name, language=language,
        )
        if invitation is None:
            result.already_member += 1
        elif pending_before:
            result.already_pending += 1
        else:
            result.sent += 1
    return result


def _pending_exists(email: str, institution, role: str) -> bool:
    return Invitation.objects.filter(
        email__iexact=email.strip(), institution=institution, role=role,
        accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now(),
    ).exists()


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, revoked_by) -> Invitation:
    """Kill a pending invitation's link; accepted or already revoked invitations stay as they are."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        return invitation
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at", "updated_at"])
    audit_log(action=AuditAction.INVITATION_REVOKED, actor=revoked_by, obj=invitation)
    return invitation


def invitation_url(token: str) -> str:
    """The absolute one-time link for a token."""
    return settings.SITE_URL.rstrip("/") + reverse("accounts:invitation_accept", kwargs={"token": token})


def invitation_email(invitation: Invitation, token: str, language: str) -> tuple[str, str]:
    """Subject and body of the invitation e-mail, in the inviter's language."""
    with translation.override(language):
        context = {
            "invitation": invitation,
            "url": invitation_url(token),
            "institution": invitation.institution,
            "role": invitation.get_role_display(),
            "expires_at": invitation.expires_at,
        }
        subject = "".join(render_to_string("accounts/email/invitation_subject.txt", context).splitlines())
        body = render_to_string("accounts/email/invitation.txt", context)
    return subject, body


class InvitationUnusable(ValueError):
    """The link was used, revoked or has expired meanwhile."""


@transaction.atomic
def invitation_accept(
    *, invitation: Invitation, password: str, first_name: str, last_name: str, language: str = ""
) -> User:
    """Create (or reuse) the user for the invited e-mail, give the membership, close the invitation."""

    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise InvitationUnusable("invitation not usable")
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        base = invitation.email.split("@")[0][:140]
        username = base
        n = 1
        while User.objects.filter(username__iexact=username).exists():
            n += 1
            username = f"{base}{n}"
        user = User(email=invitation.email, username=username, first_name=first_name, last_name=last_name)
        if language in dict(settings.LANGUAGES):
            user.language = language
        user.set_password(password)
        user.full_clean()
        user.save()
    membership_create(user=user, institution=invitation.institution, role=invitation.role, created_by=invitation.invited_by)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    audit_log(action=AuditAction.INVITATION_ACCEPTED, actor=user, obj=invitation)
    return user
