"""Classifications of meetings, invitations, agenda items, minutes and action items."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class MeetingKind(models.TextChoices):
    """The three kinds of meeting the programme counts."""

    CASE_CONFERENCE = "case_conference", _("Case conference")
    COORDINATION_GROUP = "coordination_group", _("Coordination and cooperation group")
    SUPERVISION = "supervision", _("Expert / supervision meeting")


class MeetingStatus(models.TextChoices):
    """Scheduled, held (minutes may be written) or cancelled."""

    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class InviteeRole(models.TextChoices):
    """Why someone is invited."""

    MEMBER = "member", _("Member")
    GUEST = "guest", _("Invited as needed")
    SUPERVISOR = "supervisor", _("Supervisor")
    VICTIM = "victim", _("Victim")
    REPRESENTATIVE = "representative", _("Victim's representative")


class InvitationResponse(models.TextChoices):
    """An invitee's answer."""

    PENDING = "pending", _("No answer yet")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class AgendaSection(models.TextChoices):
    """Agenda tables, in the order the minutes follow (new, current, acceleration cases)."""

    NEW = "new", _("New cases reported since the last meeting")
    REVIEW = "review", _("Ongoing cases due for review")
    MEASURES = "measures", _("Emergency measures expiring or extension pending")
    REPEAT = "repeat", _("Repeat cases")
    ACTIONS = "actions", _("Cases with open action items")
    PROPOSED = "proposed", _("Proposed by a member")
    OTHER = "other", _("Added by the coordinator")


class AgendaReason(models.TextChoices):
    """Why the agenda builder put a case on the agenda; stored as codes, shown in the reader's language."""

    KNOWN_PERSON = "known_person", _("New case; a person is known from an earlier case")
    NEW_CASE = "new_case", _("New case reported since the last meeting")
    REPEAT_VIOLENCE = "repeat_violence", _(
        "New violence between the same victim and perpetrator within 12 months of a conference"
    )
    EXTENSION_PENDING = "extension_pending", _("Extension of an emergency measure to be decided")
    MEASURE_EXPIRING = "measure_expiring", _("Emergency measure expiring")
    PROPOSED = "proposed", _("Proposed for a case conference")
    REVIEW_DUE = "review_due", _("Due for review")
    OPEN_ACTIONS = "open_actions", _("Open action items from an earlier meeting")


class AgendaOrigin(models.TextChoices):
    """Whether the agenda builder or a person put the case on the agenda."""

    AUTOMATIC = "automatic", _("Prepared automatically")
    MANUAL = "manual", _("Added by hand")


class MinutesStatus(models.TextChoices):
    """Draft minutes may be edited; approved minutes are locked and only amended."""

    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class ActionStatus(models.TextChoices):
    """An action item's state."""

    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Rating(models.IntegerChoices):
    """A supervisor's five-point rating."""

    POOR = 1, _("1 - poor")
    WEAK = 2, _("2 - weak")
    ADEQUATE = 3, _("3 - adequate")
    GOOD = 4, _("4 - good")
    EXCELLENT = 5, _("5 - excellent")
