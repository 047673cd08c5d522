"""Template helpers of the events pages."""
from django import template

from ..choices import RunStatus
from ..services.certificates import progress

register = template.Library()


@register.simple_tag
def run_progress(run) -> dict:
    """A certificate run's progress (the cache while it runs)."""
    done, status = progress(run)
    return {"done": done, "status": status, "status_label": dict(RunStatus.choices).get(status, status),
            "running": status in (RunStatus.QUEUED, RunStatus.RUNNING),
            "percent": 100 if not run.total else int(done * 100 / run.total)}
