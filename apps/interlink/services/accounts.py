"""Machine accounts: created by an institution's admin, bound to that institution and a set of scopes;
tokens issued, rotated and revoked; every step audited like a person's."""
from __future__ import annotations

import hashlib
import hmac
import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.models import Membership, User
from apps.accounts.services import membership_create, membership_end
from apps.core.audit import audit_log
from apps.core.choices import AuditAction, Role

from ..choices import Scope
from ..models import MachineAccount, MachineToken, WebhookSubscription

TOKEN_MARK = "kznm"
MACHINE_EMAIL_DOMAIN = "machine.kzn.invalid"  # never delivers: the account cannot reset a password
# After a rotation the old token keeps working this long, so the other system can switch without a gap.
ROTATION_GRACE = timedelta(hours=24)
MAX_RATE_PER_MINUTE = 1200


def token_ttl() -> timedelta:
    return timedelta(days=getattr(settings, "MACHINE_TOKEN_TTL_DAYS", 180))


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_token(raw: str) -> tuple[str, str] | None:
    """``kznm_<prefix>_<secret>`` -> (prefix, whole token); None when not of that form."""
    parts = (raw or "").split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_MARK or len(parts[1]) != 12 or len(parts[2]) < 32:
        return None
    return parts[1], raw


def token_check(raw: str) -> MachineToken | None:
    """The live token this key is (constant-time comparison of the digest), else None."""
    parsed = parse_token(raw)
    if parsed is None:
        return None
    prefix, whole = parsed
    token = MachineToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None or not hmac.compare_digest(token.digest, digest(whole)) or not token.is_live():
        return None
    return token


def _new_token(account: MachineAccount, *, now) -> tuple[MachineToken, str]:
    prefix = secrets.token_hex(6)
    whole = f"{TOKEN_MARK}_{prefix}_{secrets.token_urlsafe(32)}"
    token = MachineToken.objects.create(
        account=account, user=account.user, prefix=prefix, digest=digest(whole), created_at=now, expires_at=now + token_ttl()
    )
    return token, whole


def _check_admin(user, institution) -> None:
    if institution.pk not in user.access.institution_ids(Role.INSTITUTION_ADMIN):
        raise Http404


def _clean_scopes(scopes) -> list[str]:
    scopes = list(dict.fromkeys(scopes or []))
    if not scopes:
        raise ValidationError({"scopes": _("Choose at least one thing the account may do.")})
    if any(scope not in Scope.values for scope in scopes):
        raise ValidationError({"scopes": _("Choose scopes from the list.")})
    return scopes


@transaction.atomic
def machine_account_create(*, user, institution, name: str, scopes, rate_per_minute: int = 120) -> tuple[MachineAccount, str]:
    """Create a machine account of the admin's institution with its first token (shown once)."""
    _check_admin(user, institution)
    name = (name or "").strip()
    errors = {}
    if not name:
        errors["name"] = _("Name the system that will connect.")
    if not 1 <= int(rate_per_minute or 0) <= MAX_RATE_PER_MINUTE:
        errors["rate_per_minute"] = _("Enter a limit between 1 and %(max)d requests per minute.") % {"max": MAX_RATE_PER_MINUTE}
    if errors:
        raise ValidationError(errors)
    scopes = _clean_scopes(scopes)
    handle = uuid.uuid4().hex[:12]
    machine_user = User(
        username=f"machine.{handle}", email=f"machine.{handle}@{MACHINE_EMAIL_DOMAIN}",
        first_name=name[:150], last_name=str(_("(machine account)"))[:150],
    )
    machine_user.set_unusable_password()
    machine_user.save()
    # The account reads and writes as a caseworker of its institution: the cases its institution takes part in.
    membership_create(user=machine_user, institution=institution, role=Role.CASEWORKER, created_by=user)
    account = MachineAccount(
        municipality_id=institution.municipality_id, institution=institution, user=machine_user, name=name,
        scopes=scopes, rate_per_minute=int(rate_per_minute), created_by=user,
    )
    account.full_clean()
    account.save()
    audit_log(action=AuditAction.CREATE, actor=user, obj=account, details={"scopes": scopes})
    _token, secret = _new_token(account, now=timezone.now())
    audit_log(action=AuditAction.API_TOKEN, actor=user, obj=account, details={"event": "issued", "token": _token.prefix})
    return account, secret


@transaction.atomic
def machine_account_update(*, user, account: MachineAccount, scopes, rate_per_minute: int) -> MachineAccount:
    """Change what the account may do and its rate limit."""
    _check_admin(user, account.institution)
    if not account.is_active:
        raise ValidationError({"scopes": _("A revoked account cannot be changed.")})
    if not 1 <= int(rate_per_minute or 0) <= MAX_RATE_PER_MINUTE:
        raise ValidationError({"rate_per_minute": _("Enter a limit between 1 and %(max)d requests per minute.") % {"max": MAX_RATE_PER_MINUTE}})
    account.scopes = _clean_scopes(scopes)
    account.rate_per_minute = int(rate_per_minute)
    account.full_clean()
    account.save(update_fields=["scopes", "rate_per_minute", "updated_at"])
    audit_log(action=AuditAction.UPDATE, actor=user, obj=account, details={"scopes": account.scopes, "rate": account.rate_per_minute})
    return account


@transaction.atomic
def machine_token_rotate(*, user, account: MachineAccount) -> str:
    """A new token (shown once); the live ones expire after a grace period."""
    _check_admin(user, account.institution)
    if not account.is_active:
        raise PermissionDenied(_("A revoked account gets no new token."))
    now = timezone.now()
    grace = now + ROTATION_GRACE
    for old in MachineToken.objects.filter(account=account, revoked_at__isnull=True, expires_at__gt=grace):
        old.expires_at = grace
        old.save(update_fields=["expires_at"])
    token, secret = _new_token(account, now=now)
    audit_log(action=AuditAction.API_TOKEN, actor=user, obj=account, details={"event": "rotated", "token": token.prefix})
    return secret


@transaction.atomic
def machine_token_revoke(*, user, account: MachineAccount, prefix: str) -> bool:
    """Revoke one token of the account at once."""
    _check_admin(user, account.institution)
    changed = MachineToken.objects.filter(account=account, prefix=prefix, revoked_at__isnull=True).update(revoked_at=timezone.now())
    if changed:
        audit_log(action=AuditAction.API_TOKEN, actor=user, obj=account, details={"event": "revoked", "token": prefix})
    return bool(changed)


@transaction.atomic
def machine_account_revoke(*, user, account: MachineAccount) -> MachineAccount:
    """Revoke the account: every token, its membership and its webhooks end now."""
    _check_admin(user, account.institution)
    if not account.is_active:
        return account
    now = timezone.now()
    MachineToken.objects.filter(account=account, revoked_at__isnull=True).update(revoked_at=now)
    WebhookSubscription.objects.filter(account=account).update(is_active=False)
    for membership in Membership.objects.filter(user=account.user, is_active=True):
        membership_end(membership=membership, ended_by=user)
    account.is_active = False
    account.revoked_at = now
    account.revoked_by = user
    account.save(update_fields=["is_active", "revoked_at", "revoked_by", "updated_at"])
    audit_log(action=AuditAction.API_TOKEN, actor=user, obj=account, details={"event": "account_revoked"})
    return account
