"""iCalendar files of calendar entries: invitations (REQUEST), cancellations (CANCEL) and the
private feed (PUBLISH).

No personal data: the summary is what the app put in the entry (kind and host), the description only
the online link and a link to the item's page. The only address in an invitation is the recipient's
own (ATTENDEE, so that the calendar client can match it) and the platform's sender address as
ORGANIZER. Times are written with TZID=Europe/Belgrade and a VTIMEZONE.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _t
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vText

from .entry import CalendarEntry

TZID = "Europe/Belgrade"
BELGRADE = ZoneInfo(TZID)
PRODID = "-//KZN coordinated response//Meetings//EN"


def absolute_url(path: str) -> str:
    """The platform's address of a path."""
    return settings.SITE_URL.rstrip("/") + path


def host_name(item) -> str:
    """Who hosts a meeting or event, in the current language and script: its coordination area when it
    names one, else its municipality (both keep their names in two scripts)."""
    host = item.area if getattr(item, "area_id", None) and item.area is not None else item.municipality
    return host.display_name(translation.get_language() or "")


def organizer_address() -> str:
    """The platform's sender address (never a person's)."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "no-reply@kzn.example.org"


def _vtimezone() -> Timezone:
    """Europe/Belgrade (CET/CEST with the EU rules)."""
    tz = Timezone()
    tz.add("tzid", TZID)
    tz.add("x-lic-location", TZID)
    daylight = TimezoneDaylight()
    daylight.add("tzname", "CEST")
    daylight.add("dtstart", datetime(1970, 3, 29, 2, 0, 0))
    daylight.add("tzoffsetfrom", timedelta(hours=1))
    daylight.add("tzoffsetto", timedelta(hours=2))
    daylight.add("rrule", {"freq": "yearly", "bymonth": 3, "byday": "-1su"})
    standard = TimezoneStandard()
    standard.add("tzname", "CET")
    standard.add("dtstart", datetime(1970, 10, 25, 3, 0, 0))
    standard.add("tzoffsetfrom", timedelta(hours=2))
    standard.add("tzoffsetto", timedelta(hours=1))
    standard.add("rrule", {"freq": "yearly", "bymonth": 10, "byday": "-1su"})
    tz.add_component(daylight)
    tz.add_component(standard)
    return tz


def _calendar(method: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add_component(_vtimezone())
    return cal


def _event(entry: CalendarEntry, *, attendee: str | None) -> Event:
    event = Event()
    event.add("uid", entry.uid)
    event.add("sequence", entry.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(entry.starts_at, BELGRADE))
    event.add("dtend", timezone.localtime(entry.ends_at, BELGRADE))
    event.add("summary", entry.summary)
    location = entry.place or entry.online_url
    if location:
        event.add("location", location)
    lines = []
    if entry.online_url:
        lines.append(_t("Online: %(url)s") % {"url": entry.online_url})
    if entry.url:
        event.add("url", entry.url)
        lines.append((entry.page_label or _t("Page: %(url)s")) % {"url": entry.url})
    if lines:
        event.add("description", "\n".join(lines))
    organizer = vCalAddress(f"mailto:{organizer_address()}")
    organizer.params["cn"] = vText("KZN")
    event.add("organizer", organizer)
    if attendee:
        address = vCalAddress(f"mailto:{attendee}")
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["partstat"] = vText("NEEDS-ACTION")
        address.params["rsvp"] = vText("FALSE")
        event.add("attendee", address)
    event.add("status", "CANCELLED" if entry.cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def invitation_ics(entry: CalendarEntry, *, attendee: str, cancel: bool = False) -> bytes:
    """One recipient's invitation: METHOD:REQUEST, or METHOD:CANCEL when the entry is cancelled or
    the recipient was removed (``cancel``)."""
    if cancel and not entry.cancelled:
        entry = replace(entry, cancelled=True)
    cal = _calendar("CANCEL" if entry.cancelled else "REQUEST")
    cal.add_component(_event(entry, attendee=attendee))
    return cal.to_ical()


def feed_ics(entries: Iterable[CalendarEntry], *, name: str) -> bytes:
    """A user's private feed (METHOD:PUBLISH): every entry once, cancelled ones marked so."""
    cal = _calendar("PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TZID)
    for entry in entries:
        cal.add_component(_event(entry, attendee=None))
    return cal.to_ical()
