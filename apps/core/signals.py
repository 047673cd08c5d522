"""Cross-cutting audit of authentication events (the only use of signals in the project)."""
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import login_identity
from .audit import audit_log
from .choices import AuditAction


@receiver(user_logged_in)
def _on_login(sender, request, user, **kwargs):
    audit_log(action=AuditAction.LOGIN, actor=user, obj=None)


@receiver(user_logged_out)
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_log(action=AuditAction.LOGOUT, actor=user)


def _audit_attempt(action, account, key):
    """The attempt is recorded against the account it names; a name that is no account only as its
    keyed hash (it may be a password typed into the wrong field)."""
    if account is not None:
        audit_log(action=action, obj=account, actor_label=account.email)
    else:
        audit_log(action=action, actor_label=key)


@receiver(user_login_failed)
def _on_login_failed(sender, credentials, request=None, **kwargs):
    account, key = login_identity.identify((credentials or {}).get("username", ""), request)
    _audit_attempt(AuditAction.LOGIN_FAILED, account, key)


@receiver(user_locked_out)
def _on_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    # ``username`` is the lockout's key (apps/core/login_identity.py), not the typed text.
    key = str(username or "")
    _audit_attempt(AuditAction.LOCKOUT, login_identity.account_for_key(key), key)
