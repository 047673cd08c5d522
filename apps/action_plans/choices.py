"""Choices of the action plans (translated labels)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    """Where a plan stands: drafted, in public consultation, adopted, being implemented, evaluated."""

    DRAFT = "draft", _("Draft")
    CONSULTATION = "consultation", _("Public consultation")
    ADOPTED = "adopted", _("Adopted")
    IMPLEMENTATION = "implementation", _("In implementation")
    EVALUATED = "evaluated", _("Evaluated")


# An adopted plan changes only through a recorded amendment.
ADOPTED_STATUSES = frozenset({PlanStatus.ADOPTED, PlanStatus.IMPLEMENTATION, PlanStatus.EVALUATED})
NEXT_STATUS = {
    PlanStatus.DRAFT: PlanStatus.CONSULTATION,
    PlanStatus.CONSULTATION: PlanStatus.ADOPTED,
    PlanStatus.ADOPTED: PlanStatus.IMPLEMENTATION,
    PlanStatus.IMPLEMENTATION: PlanStatus.EVALUATED,
}


class DocumentKind(models.TextChoices):
    """A strategic document the plan implements."""

    LOCAL_STRATEGY = "local_strategy", _("Local social-protection strategy")
    NATIONAL_STRATEGY = "national_strategy", _("National strategy")
    OTHER = "other", _("Other document")


class ActivityStatus(models.TextChoices):
    """Where an activity stands."""

    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    DONE = "done", _("Done")
    LATE = "late", _("Late")
    CANCELLED = "cancelled", _("Cancelled")


class EventKind(models.TextChoices):
    """Whether an activity is a programme event (the link point for the events app)."""

    NONE = "", _("Not an event")
    TRAINING = "training", _("Training")
    ROUND_TABLE = "round_table", _("Round table")
    CAMPAIGN = "campaign", _("Campaign")
    OTHER_EVENT = "other_event", _("Other event")


class CodeKind(models.TextChoices):
    """The code lists of the programme budget (versioned by year)."""

    PROGRAMME = "programme", _("Programme")
    ACTIVITY = "activity", _("Programme activity or project")
    FUNCTION = "function", _("Function")
    ECONOMIC = "economic", _("Economic classification (konto)")
    SOURCE = "source", _("Funding source")


class AmendmentKind(models.TextChoices):
    """A recorded version of a plan: its adoption, or an amendment of the adopted plan."""

    ADOPTION = "adoption", _("Adoption")
    AMENDMENT = "amendment", _("Amendment")


class AlertKind(models.TextChoices):
    """What a reminder or flag was about (sent once per period)."""

    REPORT_DUE = "report_due", _("Progress report due")
    ACTIVITY_LATE = "activity_late", _("Activity late")
    INDICATOR_OFF_TRACK = "indicator_off_track", _("Indicator off track")
