"""The private calendar feed: an .ics of one user's meetings at a secret address.

The token sits in the URL path because calendar clients cannot send headers; it is looked up by
its keyed hash, and neither the token nor the path is logged (the 404 of a revoked or unknown
token is marked as logged, and the request-line loggers get a filter that hides the token).
"""
from __future__ import annotations

import logging
import re

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _t
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.core import tenancy
from apps.core.calendar import feed as core_feed
from apps.core.calendar import ics as core_ics

from . import ics
from .selectors.meetings import feed_meetings
from .services.invitations import feed_for_token

_TOKEN_IN_PATH = re.compile(r"(/calendar/feed/)[^/\s\"?]+")
PATH_LOGGERS = ("django.server", "django.request")


def redact(text: str) -> str:
    """The text with any feed token in a path replaced."""
    return _TOKEN_IN_PATH.sub(r"\1[redacted]", text)


class RedactFeedTokens(logging.Filter):
    """Rewrites log records that carry a feed path; never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


def install_log_filter() -> None:
    """Attach the filter to the loggers that write request paths (once)."""
    for name in PATH_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactFeedTokens) for f in logger.filters):
            logger.addFilter(RedactFeedTokens())


def _not_found() -> HttpResponse:
    response = HttpResponse(status=404, content_type="text/plain; charset=utf-8")
    response._has_been_logged = True  # Django's request logger would write the path with the token
    return response


def meeting_entries(user):
    """The feed source of meetings (registered on apps.core.calendar.feed in the app's ready())."""
    return [ics.entry(meeting) for meeting in feed_meetings(user)]


def calendar_feed_entries(user):
    """Everything the user's private feed lists: the meetings and whatever other apps registered."""
    return core_feed.entries_for(user)


@never_cache
@require_GET
def calendar_feed(request, token: str):
    """The user's meetings and events as METHOD:PUBLISH; unknown or revoked tokens answer 404."""
    feed = feed_for_token(token)
    if feed is None:
        return _not_found()
    user = feed.user
    tenancy.bind_user(user)  # the feed's token speaks for its user (row-level security context)
    type(feed).objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    with translation.override(getattr(user, "language", "") or None):
        body = core_ics.feed_ics(calendar_feed_entries(user), name=_t("KZN meetings"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="meetings.ics"'
    response["X-Robots-Tag"] = "noindex"
    response["Referrer-Policy"] = "no-referrer"
    return response
