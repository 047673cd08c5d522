"""Invitations: a one-time, expiring link by e-mail; the e-mail is sent by a task after commit."""
from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from .models import Invitation, Membership, User


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
    invitation.save()
    audit_log(action=AuditAction.INVITATION_SENT, actor=invited_by, obj=invitation, details={"role": role})
    lang = language or translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(lambda: _queue_invitation_email(invitation.pk, token, lang))
    return invitation


def _queue_invitation_email(invitation_id: int, token: str, language: str) -> None:
    from .tasks import send_invitation

    send_invitation.delay(invitation_id=invitation_id, token=token, language=language)


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


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str, first_name: str, last_name: str) -> User:
    """Create (or reuse) the user for the invited e-mail, give the membership, close the invitation."""
    from .services import membership_create

    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not invitation.is_usable:
        raise ValueError("invitation not usable")
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        base = invitation.email.split("@")[0][:140]
        username = base
        n = 1
        while User.objects.filter(username__iexact=username).exists():
            n += 1
            username = f"{base}{n}"
        user = User(email=invitation.email, username=username, first_name=first_name, last_name=last_name)
        user.set_password(password)
        user.full_clean()
        user.save()
    membership_create(user=user, institution=invitation.institution, role=invitation.role, created_by=invitation.invited_by)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
    audit_log(action=AuditAction.INVITATION_ACCEPTED, actor=user, obj=invitation)
    return user
