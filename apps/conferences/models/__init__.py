"""Meetings where services decide together on cases: municipal case conferences, the coordination and
cooperation group of a basic prosecutor's office area (art. 25-26), and expert/supervision meetings.

Tenancy: a meeting belongs to its host municipality; an agenda item and an action item belong to
the municipality of their case, so a case of one municipality on an area meeting's shared agenda
is still that municipality's row, and nobody outside the meeting sees it through the meeting.

One module per resource; every model is importable from here (``from apps.conferences.models import
Meeting``), which the migrations also rely on (``apps.conferences.models.new_uid``).
"""
from .actions import ActionItem
from .agenda import AGENDA_REASON_SEPARATOR, AgendaItem
from .areas import AreaMember, AreaMunicipality, CoordinationArea
from .feeds import CalendarFeed
from .meetings import Meeting, MeetingInvitee, new_uid
from .minutes import Minutes, MinutesAmendment
from .supervision import SupervisionFeedback

__all__ = [
    "AGENDA_REASON_SEPARATOR",
    "ActionItem",
    "AgendaItem",
    "AreaMember",
    "AreaMunicipality",
    "CalendarFeed",
    "CoordinationArea",
    "Meeting",
    "MeetingInvitee",
    "Minutes",
    "MinutesAmendment",
    "SupervisionFeedback",
    "new_uid",
]
