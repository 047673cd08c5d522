"""Meetings as calendar entries; the iCalendar files themselves are built by apps.core.calendar.ics
(one implementation shared with the programme events).

No personal data and no case data: the summary is the meeting's kind and the host municipality or
area, the description only a link to the meeting page.
"""
from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _t

from apps.core.calendar import ics as core_ics
from apps.core.calendar.entry import CalendarEntry

from .choices import MeetingStatus

TZID = core_ics.TZID
BELGRADE = core_ics.BELGRADE
PRODID = core_ics.PRODID
organizer_address = core_ics.organizer_address


def meeting_url(meeting) -> str:
    """The absolute address of the meeting page."""
    return core_ics.absolute_url(reverse("conferences:meeting_detail", kwargs={"pk": meeting.pk}))


def summary(meeting) -> str:
    """What the calendar entry is called: kind and host, nothing about cases or people."""
    return f"{meeting.get_kind_display()} · {core_ics.host_name(meeting)}"


def entry(meeting, *, sequence: int | None = None, cancelled: bool | None = None, with_link: bool = True) -> CalendarEntry:
    """The meeting as a calendar entry, in the current language."""
    return CalendarEntry(
        uid=meeting.uid,
        sequence=meeting.sequence if sequence is None else sequence,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        summary=summary(meeting),
        kind=str(meeting.get_kind_display()),
        host=core_ics.host_name(meeting),
        place=meeting.place,
        online_url=meeting.online_url,
        url=meeting_url(meeting) if with_link else "",
        cancelled=meeting.status == MeetingStatus.CANCELLED if cancelled is None else cancelled,
        page_label=_t("Meeting page: %(url)s"),
    )


def invitation_ics(meeting, *, attendee: str, sequence: int | None = None, cancel: bool = False,
                   with_link: bool = True) -> bytes:
    """One recipient's invitation: METHOD:REQUEST, or METHOD:CANCEL when the meeting is cancelled or
    the recipient was removed (``cancel``)."""
    return core_ics.invitation_ics(entry(meeting, sequence=sequence, with_link=with_link), attendee=attendee,
                                   cancel=cancel)


def feed_ics(meetings, *, name: str) -> bytes:
    """A feed of these meetings only (METHOD:PUBLISH)."""
    return core_ics.feed_ics((entry(m) for m in meetings), name=name)
