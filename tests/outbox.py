"""Running what a transaction left for after its commit (the outbox's deliveries, queued tasks)."""
import functools


def run_after_commit(callbacks) -> int:
    """Run the callbacks captured by ``django_capture_on_commit_callbacks(execute=False)``: e-mail recorded
    in the outbox is delivered to the locmem outbox (``OUTBOX_DELIVERY = "inline"`` in the test settings)."""
    for callback in callbacks:
        assert isinstance(callback, functools.partial), "after-commit work is queued as a partial"
        callback()
    return len(callbacks)
