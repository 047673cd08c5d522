"""Choices of the interlinking app."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What a machine account may do; a token never does more than its account's scopes."""

    SEND_POLICE_REPORTS = "police_reports:send", _("Send police reports")
    SEND_EMERGENCY_ORDERS = "emergency_orders:send", _("Send emergency-measure orders")
    SEND_COURT_DECISIONS = "court_decisions:send", _("Send court decisions")
    READ_RECORDS = "records:read", _("Read its own records and where they landed")
    READ_EVENTS = "events:read", _("Read the event feed")
    MANAGE_WEBHOOKS = "webhooks:manage", _("Manage its webhook subscriptions")


class RecordKind(models.TextChoices):
    """The kinds of record another system may send."""

    POLICE_REPORT = "police_report", _("Police report")
    EMERGENCY_ORDER = "emergency_order", _("Emergency-measure order")
    COURT_DECISION = "court_decision", _("Court decision")


# The scope each kind of record needs.
SEND_SCOPE = {
    RecordKind.POLICE_REPORT: Scope.SEND_POLICE_REPORTS,
    RecordKind.EMERGENCY_ORDER: Scope.SEND_EMERGENCY_ORDERS,
    RecordKind.COURT_DECISION: Scope.SEND_COURT_DECISIONS,
}


class RecordStatus(models.TextChoices):
    """Where an inbound record stands."""

    LANDED = "landed", _("On a case")
    QUEUED = "queued", _("Waiting to be matched")


class Decision(models.TextChoices):
    """How the record found its case."""

    NONE = "", _("Not decided")
    JOINED_AUTO = "joined_auto", _("Joined a case automatically")
    OPENED_AUTO = "opened_auto", _("Opened a new case automatically")
    JOINED_BY_PERSON = "joined_by_person", _("Joined a case chosen by a person")
    OPENED_BY_PERSON = "opened_by_person", _("Opened a new case chosen by a person")
    LINKED = "linked", _("Linked by the sender's reference")


class CourtDecisionType(models.TextChoices):
    """What a court decision record states."""

    EXTENSION = "extension", _("Extension of an emergency measure")
    PROTECTIVE_MEASURE = "protective_measure", _("Protective measure")


class ImportStatus(models.TextChoices):
    """The state of a file import."""

    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Importing")
    DONE = "done", _("Done")
    REFUSED = "refused", _("Refused")
    FAILED = "failed", _("Failed")


class EventType(models.TextChoices):
    """Events the platform sends to another system."""

    MEASURE_DEADLINE = "measure.deadline", _("Emergency-measure deadline")
    CONFERENCE_DECISION = "conference.decision", _("Case conference decision")
    ACTION_ITEM = "action_item.changed", _("Action item owned by the institution")
    REFERRAL = "referral.changed", _("Referral changed")
