"""What a calendar item is, as the iCalendar files and the invitation e-mails need it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CalendarEntry:
    """One calendar item, already written in the language of its reader.

    ``summary`` names the kind and the host (never a person or a case); ``url`` is the absolute
    address of the item's page (empty: no link, e.g. for outside invitees who cannot log in).
    """

    uid: str
    sequence: int
    starts_at: datetime
    ends_at: datetime
    summary: str
    kind: str = ""
    host: str = ""
    place: str = ""
    online_url: str = ""
    url: str = ""
    cancelled: bool = False
    page_label: str = ""  # how the description introduces the link, e.g. "Meeting page: %(url)s"
