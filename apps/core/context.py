"""The request being served, for the audit log and for code far from the view."""
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    """Who is acting, from where, as which institution."""

    user_id: int | None = None
    institution_id: int | None = None
    ip: str | None = None
    request_id: str = ""


_EMPTY = RequestContext()
_current: ContextVar[RequestContext] = ContextVar("kzn_request_context", default=_EMPTY)  # noqa: B039 (frozen, immutable)


def current() -> RequestContext:
    """The context of the request (or task) being served."""
    return _current.get()


def set_current(ctx: RequestContext):
    """Set the context; returns a token for reset()."""
    return _current.set(ctx)


def reset(token) -> None:
    """Restore the previous context."""
    _current.reset(token)
