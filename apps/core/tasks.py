"""Periodic and round-trip tasks of the core."""
from celery import shared_task

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
