"""Classifications of programme events, attendance, materials and targets."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    """The kinds of programme event the targets count."""

    TRAINING = "training", _("Training / seminar")
    EXPERT_MEETING = "expert_meeting", _("Expert meeting")
    ROUND_TABLE = "round_table", _("Public round table")
    INTER_MUNICIPAL = "inter_municipal", _("Inter-municipal meeting")
    MEDIA = "media", _("Media activity")
    DISTRIBUTION = "distribution", _("Information-material distribution")


class EventStatus(models.TextChoices):
    """Planned, held or cancelled."""

    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class TargetGroup(models.TextChoices):
    """Who an event is for."""

    CSR = "csr", _("Centres for social work")
    POLICE = "police", _("Police")
    HEALTH = "health", _("Health")
    JUDICIARY = "judiciary", _("Judiciary")
    EDUCATION = "education", _("Education")
    NGO = "ngo", _("NGOs")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    PUBLIC = "public", _("Public")


class MediaKind(models.TextChoices):
    """What a media activity or coverage entry was."""

    TV = "tv", _("Television")
    RADIO = "radio", _("Radio station")
    PRINT = "print", _("Print")
    ONLINE = "online", _("Online")
    SOCIAL = "social", _("Social media")
    PRESS_CONFERENCE = "press_conference", _("Press conference")


class MaterialKind(models.TextChoices):
    """Information materials of the programme."""

    BROCHURE = "brochure", _("Brochure")
    LEAFLET = "leaflet", _("Leaflet")
    POSTER = "poster", _("Poster")
    OTHER = "other", _("Other")


class Language(models.TextChoices):
    """Languages and scripts of materials and certificates (the platform's three)."""

    SR_LATN = "sr-latn", _("Serbian (Latin)")
    SR_CYRL = "sr-cyrl", _("Serbian (Cyrillic)")
    EN = "en", _("English")


class RunStatus(models.TextChoices):
    """A certificate run."""

    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


# The programme's default targets per municipality over one programme period (DOMAIN.md), kind ->
# count; settings.EVENT_TARGETS overrides them, a ProgrammeTarget row overrides one municipality's.
DEFAULT_TARGETS = {
    EventKind.EXPERT_MEETING.value: 2,
    EventKind.ROUND_TABLE.value: 1,
    EventKind.TRAINING.value: 2,
    EventKind.INTER_MUNICIPAL.value: 2,
    EventKind.MEDIA.value: 2,
    EventKind.DISTRIBUTION.value: 3,
}
