"""iCalendar files of meetings: invitations (REQUEST), cancellations (CANCEL) and the private feed (PUBLISH).

No personal data and no case data: the summary is the meeting's kind and the host municipality or
area, the description only a link to the meeting page. The only address in an invitation is the
recipient's own (ATTENDEE, so that the calendar client can match it) and the platform's sender
address as ORGANIZER. Times are written with TZID=Europe/Belgrade and a VTIMEZONE.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _t
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vCalAddress, vText

from .choices import MeetingStatus

TZID = "Europe/Belgrade"
BELGRADE = ZoneInfo(TZID)
PRODID = "-//KZN coordinated response//Meetings//EN"


def meeting_url(meeting) -> str:
    """The absolute address of the meeting page."""
    return settings.SITE_URL.rstrip("/") + reverse("conferences:meeting_detail", kwargs={"pk": meeting.pk})


def organizer_address() -> str:
    """The platform's sender address (never a person's)."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1] or "no-reply@kzn.example.org"


def host_name(meeting) -> str:
    """The host municipality or coordination area as written in the current language."""
    language = translation.get_language() or ""
    if meeting.area_id and meeting.area is not None:
        return meeting.area.display_name(language)
    municipality = meeting.municipality
    if language.endswith("cyrl") and municipality.name_cyrl:
        return municipality.name_cyrl
    return municipality.name


def summary(meeting) -> str:
    """What the calendar entry is called: kind and host, nothing about cases or people."""
    return f"{meeting.get_kind_display()} · {host_name(meeting)}"


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


def _event(meeting, *, sequence: int, cancelled: bool, attendee: str | None, with_link: bool) -> Event:
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", timezone.localtime(meeting.starts_at, BELGRADE))
    event.add("dtend", timezone.localtime(meeting.ends_at, BELGRADE))
    event.add("summary", summary(meeting))
    location = meeting.place or meeting.online_url
    if location:
        event.add("location", location)
    lines = []
    if meeting.online_url:
        lines.append(_t("Online: %(url)s") % {"url": meeting.online_url})
    if with_link:
        url = meeting_url(meeting)
        event.add("url", url)
        lines.append(_t("Meeting page: %(url)s") % {"url": url})
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
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def invitation_ics(meeting, *, attendee: str, sequence: int | None = None, cancel: bool = False,
                   with_link: bool = True) -> bytes:
    """One recipient's invitation: METHOD:REQUEST, or METHOD:CANCEL when the meeting is cancelled or
    the recipient was removed (``cancel``)."""
    cancelled = cancel or meeting.status == MeetingStatus.CANCELLED
    cal = _calendar("CANCEL" if cancelled else "REQUEST")
    seq = meeting.sequence if sequence is None else sequence
    cal.add_component(_event(meeting, sequence=seq, cancelled=cancelled, attendee=attendee, with_link=with_link))
    return cal.to_ical()


def feed_ics(meetings, *, name: str) -> bytes:
    """A user's private feed (METHOD:PUBLISH): every meeting once, cancelled ones marked so."""
    cal = _calendar("PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TZID)
    for meeting in meetings:
        cal.add_component(
            _event(meeting, sequence=meeting.sequence, cancelled=meeting.status == MeetingStatus.CANCELLED,
                   attendee=None, with_link=True)
        )
    return cal.to_ical()
