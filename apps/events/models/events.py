"""Programme events: one row per training, meeting, round table, media activity or distribution."""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import TenantScopedModel

from ..choices import EventKind, EventStatus, MediaKind
from ..querysets import EventChildManager, EventManager

User = settings.AUTH_USER_MODEL


def clipping_path(instance, filename):
    """Clippings live under MEDIA_ROOT with an opaque name (never the uploader's): they are found
    through their event or coverage entry and served only by a permission-checked view."""
    return f"events/clippings/{instance.municipality_id}/{uuid.uuid4().hex}"


def new_uid() -> str:
    """A globally unique iCalendar UID (kept across changes and cancellation)."""
    return f"{uuid.uuid4()}@kzn-events"


class Event(TenantScopedModel):
    """One programme event. ``municipality`` is the host; an inter-municipal meeting also names a
    coordination area whose municipalities take part (``EventMunicipality``), as coordination-group
    meetings do: row-level security admits the area's municipalities to the host's rows.

    ``survey_ref`` is the link point of the before/after questionnaire: the surveys app stores its
    questionnaire's reference here (this app never imports it)."""

    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices, default=EventKind.TRAINING)
    title = models.CharField(_("title"), max_length=200)
    area = models.ForeignKey(
        "conferences.CoordinationArea", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("coordination area"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    facilitators = models.CharField(_("facilitators / trainers"), max_length=500, blank=True)
    target_groups = models.JSONField(_("target groups"), default=list, blank=True)
    topics = models.TextField(_("curriculum topics"), blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.PLANNED)
    # Round tables and media activities.
    public_summary = models.TextField(_("public summary"), blank=True)
    citizens_count = models.PositiveIntegerField(_("citizens present"), null=True, blank=True)
    institutions_present = models.CharField(_("institutions present"), max_length=500, blank=True)
    media_outlet = models.CharField(_("outlet"), max_length=200, blank=True)
    media_kind = models.CharField(_("media kind"), max_length=20, choices=MediaKind.choices, blank=True)
    media_link = models.URLField(_("link"), max_length=500, blank=True)
    media_clipping = models.FileField(_("clipping"), upload_to=clipping_path, max_length=255, blank=True)
    media_clipping_name = models.CharField(_("file name"), max_length=255, blank=True)
    media_clipping_type = models.CharField(max_length=100, blank=True)
    survey_ref = models.CharField(_("questionnaire reference"), max_length=100, blank=True)
    uid = models.CharField(max_length=80, unique=True, default=new_uid, editable=False)
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("planned by"))
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = EventManager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"),
        ]
        indexes = [
            models.Index(fields=["municipality", "-starts_at"], name="event_mun_starts"),
            models.Index(fields=["municipality", "kind", "status", "starts_at"], name="event_mun_kind_status"),
            models.Index(fields=["area", "-starts_at"], name="event_area_starts"),
        ]

    def __str__(self):
        return self.title or f"{self.get_kind_display()} {timezone.localtime(self.starts_at):%d.%m.%Y}"

    @property
    def is_over(self) -> bool:
        return self.starts_at <= timezone.now()


class EventMunicipality(TenantScopedModel):
    """A municipality taking part in an event (``member``; the host is listed too): what the targets
    of each municipality count. ``municipality`` is the event's (host's), so the row lives with its
    event; the members of an inter-municipal meeting are the municipalities of its coordination area,
    whose users row-level security admits to the host's rows."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="municipalities")
    member = models.ForeignKey("municipalities.Municipality", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("municipality taking part"))

    objects = EventChildManager()

    class Meta:
        verbose_name = _("municipality of the event")
        verbose_name_plural = _("municipalities of the event")
        constraints = [models.UniqueConstraint(fields=["event", "member"], name="event_member_once")]
        indexes = [models.Index(fields=["member", "event"], name="eventmun_member_event")]


class MediaCoverage(TenantScopedModel):
    """A media report about an event (``municipality`` is the event's)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="coverage")
    outlet = models.CharField(_("outlet"), max_length=200)
    published_on = models.DateField(_("published"))
    kind = models.CharField(_("media kind"), max_length=20, choices=MediaKind.choices)
    link = models.URLField(_("link"), max_length=500, blank=True)
    clipping = models.FileField(_("clipping"), upload_to=clipping_path, max_length=255, blank=True)
    clipping_name = models.CharField(_("file name"), max_length=255, blank=True)
    clipping_type = models.CharField(max_length=100, blank=True)

    objects = EventChildManager()

    class Meta:
        verbose_name = _("media coverage")
        verbose_name_plural = _("media coverage")
        ordering = ["-published_on", "-id"]
