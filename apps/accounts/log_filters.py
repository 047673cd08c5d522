"""Keep one-time invitation tokens out of every log line that carries a request path."""
from __future__ import annotations

import logging
import re

_TOKEN_IN_PATH = re.compile(r"(/accounts/invite/)(?!continue/)[^/\s\"?]+")
REDACTED = r"\1[redacted]"

# Loggers that write request paths: the development server's request lines and Django's 4xx/5xx log.
PATH_LOGGERS = ("django.server", "django.request")


def redact(text: str) -> str:
    """The text with any invitation token in a path replaced."""
    return _TOKEN_IN_PATH.sub(REDACTED, text)


class RedactInvitationTokens(logging.Filter):
    """Rewrites the message and its arguments; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()}
        return True


def install() -> None:
    """Attach the filter to the loggers that write request paths (once)."""
    for name in PATH_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactInvitationTokens) for f in logger.filters):
            logger.addFilter(RedactInvitationTokens())
