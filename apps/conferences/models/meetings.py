"""Meetings and the people and institutions invited to them."""
from __future__ import annotations

import uuid

from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import EncryptedTextField
from apps.core.models import TenantScopedModel

from ..choices import InvitationResponse, InviteeRole, MeetingKind, MeetingStatus
from ..querysets import MeetingChildManager, MeetingManager
from .areas import CoordinationArea
from .common import INSTITUTION, User


def new_uid() -> str:
    """A globally unique iCalendar UID for a meeting (kept across reschedules and cancellation)."""
    return f"{uuid.uuid4()}@kzn"


class Meeting(TenantScopedModel):
    """One meeting: a case conference, a coordination-group meeting or a supervision meeting."""

    kind = models.CharField(_("kind"), max_length=24, choices=MeetingKind.choices, default=MeetingKind.CASE_CONFERENCE)
    area = models.ForeignKey(
        CoordinationArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("coordination area"),
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=255, blank=True)
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    chair = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("chair")
    )
    supervisor = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("supervisor")
    )
    status = models.CharField(_("status"), max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    uid = models.CharField(max_length=80, unique=True, default=new_uid, editable=False)
    sequence = models.PositiveIntegerField(_("calendar revision"), default=0)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("organised by"))
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.CharField(_("reason for cancelling"), max_length=255, blank=True)
    agenda_prepared_at = models.DateTimeField(_("agenda prepared"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = MeetingManager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="meeting_ends_after_start"),
        ]
        indexes = [
            models.Index(fields=["municipality", "-starts_at"], name="meeting_mun_starts"),
            models.Index(fields=["municipality", "kind", "status", "starts_at"], name="meeting_mun_kind_status"),
            models.Index(fields=["area", "-starts_at"], name="meeting_area_starts"),
        ]

    def __str__(self):
        return self.title or f"{self.get_kind_display()} {timezone.localtime(self.starts_at):%d.%m.%Y %H:%M}"


class MeetingInvitee(TenantScopedModel):
    """Someone invited: an institution, a staff member, or an outside person (the victim or her
    representative, whose name and address are stored encrypted). ``municipality`` is the meeting's."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    institution = models.ForeignKey(
        INSTITUTION, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("institution")
    )
    user = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("person"))
    name = EncryptedTextField(_("name"), blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)
    role = models.CharField(_("invited as"), max_length=16, choices=InviteeRole.choices, default=InviteeRole.MEMBER)
    response = models.CharField(
        _("answer"), max_length=12, choices=InvitationResponse.choices, default=InvitationResponse.PENDING
    )
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    response_note = models.CharField(_("note"), max_length=255, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    sent_sequence = models.PositiveIntegerField(null=True, blank=True, editable=False)

    objects = MeetingChildManager()

    class Meta:
        verbose_name = _("invitee")
        verbose_name_plural = _("invitees")
        ordering = ["meeting_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(institution__isnull=False) | Q(user__isnull=False) | ~Q(email=""),
                name="invitee_has_someone",
            ),
            models.UniqueConstraint(fields=["meeting", "user"], condition=Q(user__isnull=False), name="invitee_user_once"),
            models.UniqueConstraint(
                fields=["meeting", "institution"],
                condition=Q(institution__isnull=False, user__isnull=True),
                name="invitee_institution_once",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "meeting"], name="invitee_user_meeting"),
            models.Index(fields=["institution", "meeting"], name="invitee_inst_meeting"),
        ]
