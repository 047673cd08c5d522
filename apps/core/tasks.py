"""Periodic and round-trip tasks of the core."""
from celery import shared_task
from django.contrib.sessions.backends.cached_db import SessionStore

from . import outbox
from .audit_chain import seal
from .grants import expire_grants


@shared_task(name="core.ping", time_limit=30)
def ping(value: str) -> str:
    """Answer with what it was given: proves a broker + worker + result round trip."""
    return f"pong:{value}"


@shared_task(name="core.expire_grants", time_limit=300, autoretry_for=(Exception,), max_retries=3)
def expire_grants_task() -> int:
    """Remove expired per-object grants."""
    return expire_grants()


@shared_task(name="core.seal_audit", time_limit=600, autoretry_for=(Exception,), max_retries=3)
def seal_audit_task() -> int:
    """Link the new audit entries into their municipality's hash chain."""
    return seal()  # opens the audited platform context itself, once per batch


# The outbox's tasks run outside any tenant transaction (``tenant_free``): a delivery must commit
# "sending" before it calls the mail server, and the outbox is no tenant's table.
@shared_task(name="core.deliver_outbox", time_limit=90, acks_late=True, tenant_free=True)
def deliver_outbox(message_id: int) -> str:
    """Deliver one outbox message (a second delivery of the same message finds it taken)."""
    return outbox.deliver(message_id)


@shared_task(name="core.outbox_sweep", time_limit=300, acks_late=True, tenant_free=True)
def outbox_sweep() -> dict:
    """Settle interrupted deliveries, deliver what is due (also what waited for the broker)."""
    return outbox.sweep()


@shared_task(name="core.clear_expired_sessions", time_limit=600, tenant_free=True)
def clear_expired_sessions() -> int:
    """Delete the sessions whose expiry has passed from the database (the cache forgets them itself)."""
    return SessionStore.clear_expired() or 0
