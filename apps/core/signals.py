"""Cross-cutting audit of authentication events (the only use of signals in the project)."""
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .audit import audit_log
from .choices import AuditAction


@receiver(user_logged_in)
def _on_login(sender, request, user, **kwargs):
    audit_log(action=AuditAction.LOGIN, actor=user, obj=None)


@receiver(user_logged_out)
def _on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_log(action=AuditAction.LOGOUT, actor=user)


@receiver(user_login_failed)
def _on_login_failed(sender, credentials, request=None, **kwargs):
    attempted = str((credentials or {}).get("username", ""))[:254]
    audit_log(action=AuditAction.LOGIN_FAILED, actor_label=attempted)


@receiver(user_locked_out)
def _on_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    audit_log(action=AuditAction.LOCKOUT, actor_label=str(username or "")[:254])
