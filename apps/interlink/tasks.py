"""Celery tasks of the interlinking app (thin: services do the work)."""
from celery import shared_task

from .services.events import collect_all
from .services.imports import import_chunk_run


@shared_task(name="interlink.import_chunk", time_limit=600, soft_time_limit=540, acks_late=True)
def import_chunk(run_id: int) -> bool:
    """Import the next chunk of a checked file (queues itself again while rows remain)."""
    return import_chunk_run(run_id)


@shared_task(name="interlink.collect_events", time_limit=300, soft_time_limit=270)
def collect_events() -> int:
    """Turn what happened for each machine account's institution into feed events (idempotent)."""
    return collect_all()
