"""Meetings where services decide together on cases: municipal case conferences, the coordination and
cooperation group of a basic prosecutor's office area (art. 25-26), and expert/supervision meetings.

Tenancy: a meeting belongs to its host municipality; an agenda item and an action item belong to
the municipality of their case, so a case of one municipality on an area meeting's shared agenda
is still that municipality's row, and nobody outside the meeting sees it through the meeting.
"""
from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.crypto import EncryptedTextField
from apps.core.models import TenantScopedModel

from .choices import (
    ActionStatus,
    AgendaOrigin,
    AgendaReason,
    AgendaSection,
    InvitationResponse,
    InviteeRole,
    MeetingKind,
    MeetingStatus,
    MinutesStatus,
    Rating,
)
from .querysets import (
    ActionItemManager,
    AgendaItemManager,
    AreaManager,
    MeetingChildManager,
    MeetingManager,
    MeetingRecordManager,
)

User = settings.AUTH_USER_MODEL
INSTITUTION = "institutions.Institution"


AGENDA_REASON_SEPARATOR = ";"


def new_uid() -> str:
    """A globally unique iCalendar UID for a meeting (kept across reschedules and cancellation)."""
    return f"{uuid.uuid4()}@kzn"


class CoordinationArea(TenantScopedModel):
    """The area of one basic public prosecutor's office; its coordination group may cover several
    municipalities. ``municipality`` is the seat (where the prosecutor's office is)."""

    name = models.CharField(_("name (Latin)"), max_length=160)
    name_cyrl = models.CharField(_("name (Cyrillic)"), max_length=160, blank=True)
    prosecutor_office = models.ForeignKey(
        INSTITUTION,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("basic public prosecutor's office"),
    )
    meeting_interval_days = models.PositiveSmallIntegerField(_("meets at least every (days)"), default=15)
    is_active = models.BooleanField(_("active"), default=True)

    objects = AreaManager()

    class Meta:
        verbose_name = _("coordination area")
        verbose_name_plural = _("coordination areas")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="area_unique_name")]

    def __str__(self):
        return self.name

    def display_name(self, language: str | None = None) -> str:
        """The name in the script of the given language."""
        return self.name_cyrl if (language or "").lower().endswith("cyrl") and self.name_cyrl else self.name


class AreaMunicipality(TenantScopedModel):
    """A municipality covered by a coordination area (``municipality`` is the member)."""

    area = models.ForeignKey(CoordinationArea, on_delete=models.CASCADE, related_name="members")

    class Meta:
        verbose_name = _("municipality of the area")
        verbose_name_plural = _("municipalities of the area")
        constraints = [models.UniqueConstraint(fields=["area", "municipality"], name="area_municipality_once")]
        indexes = [models.Index(fields=["municipality", "area"], name="areamun_mun_area")]


class AreaMember(TenantScopedModel):
    """A permanent member institution of an area's coordination group (``municipality`` is the
    institution's)."""

    area = models.ForeignKey(CoordinationArea, on_delete=models.CASCADE, related_name="member_institutions")
    institution = models.ForeignKey(INSTITUTION, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("member institution of the area")
        verbose_name_plural = _("member institutions of the area")
        constraints = [models.UniqueConstraint(fields=["area", "institution"], name="area_member_once")]


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


class AgendaItem(TenantScopedModel):
    """A case on a meeting's agenda and, once discussed, its part of the minutes.
    ``municipality`` is the case's, not the meeting's."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case"))
    section = models.CharField(_("agenda table"), max_length=12, choices=AgendaSection.choices, default=AgendaSection.OTHER)
    origin = models.CharField(max_length=12, choices=AgendaOrigin.choices, default=AgendaOrigin.MANUAL)
    position = models.PositiveIntegerField(_("order"), default=0)
    planned_minutes = models.PositiveSmallIntegerField(_("minutes planned"), default=15)
    reason = models.CharField(_("why on the agenda"), max_length=255, blank=True)
    presenter = models.ForeignKey(
        INSTITUTION, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("presented by")
    )
    discussed = models.BooleanField(_("discussed"), default=False)
    discussion = models.TextField(_("discussion summary"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    risk_level = models.CharField(_("risk level after the discussion"), max_length=12, blank=True)
    risk_reason = models.TextField(_("why the risk level was raised"), blank=True)
    risk_assessment = models.ForeignKey(
        "cases.RiskAssessment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    next_review_on = models.DateField(_("next review"), null=True, blank=True)
    added_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    objects = AgendaItemManager()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting_id", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "case"], name="agenda_case_once")]
        indexes = [
            models.Index(fields=["municipality", "case"], name="agenda_mun_case"),
            models.Index(fields=["meeting", "position"], name="agenda_meeting_position"),
        ]

    @property
    def reason_display(self) -> str:
        """Why the case is on the agenda, in the reader's language: the builder stores reason codes,
        a person types free text."""
        if self.origin == AgendaOrigin.AUTOMATIC:
            codes = self.reason.split(AGENDA_REASON_SEPARATOR)
            if codes and all(code in AgendaReason.values for code in codes):
                return "; ".join(str(AgendaReason(code).label) for code in codes)
        return self.reason


class Minutes(TenantScopedModel):
    """The minutes (zapisnik) of one meeting: attendance and general notes; per-case parts live on the
    agenda items. Approved minutes are locked; later changes are amendments."""

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    attendance_note = models.TextField(_("also present"), blank=True)
    general_notes = models.TextField(_("general notes"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("recorded by"))
    approved_by = models.ForeignKey(
        User, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("approved by")
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = MeetingRecordManager()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")


class MinutesAmendment(TenantScopedModel):
    """A correction to approved minutes, recorded as such (the approved text is never rewritten)."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="amendments")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="amendments", verbose_name=_("case")
    )
    text = models.TextField(_("amendment"))
    reason = models.CharField(_("reason"), max_length=255)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("author"))

    objects = MeetingRecordManager()

    class Meta:
        verbose_name = _("amendment")
        verbose_name_plural = _("amendments")
        ordering = ["created_at", "id"]


class ActionItem(TenantScopedModel):
    """A task decided at a meeting for one case: owner institution, responsible person, due date,
    tracked to completion. ``municipality`` is the case's."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="action_items")
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="action_items")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="+", verbose_name=_("case"))
    description = models.TextField(_("action"))
    owner_institution = models.ForeignKey(
        INSTITUTION, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner institution")
    )
    responsible = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("responsible person")
    )
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    completed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    completion_note = models.TextField(_("completion note"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    objects = ActionItemManager()

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["municipality", "owner_institution", "status", "due_on"], name="action_owner_due"),
            models.Index(fields=["municipality", "case"], name="action_mun_case"),
            models.Index(fields=["municipality", "status", "due_on"], name="action_mun_status_due"),
            # The work queue's two branches (selectors.actions.open_actions_for), walked in due order and
            # stopped after a page. Not municipality-leading on purpose: the owner rule holds in every
            # municipality (an area meeting gives items of a member municipality's case to another's
            # institution), and a person may be named in several municipalities.
            models.Index(
                fields=["owner_institution", "due_on", "id"], condition=Q(status=ActionStatus.OPEN),
                name="action_open_owner_due",
            ),
            models.Index(
                fields=["responsible", "due_on", "id"], condition=Q(status=ActionStatus.OPEN),
                name="action_open_responsible_due",
            ),
        ]

    def __str__(self):
        return self.description[:60]


class SupervisionFeedback(TenantScopedModel):
    """The supervisor's structured feedback on a meeting, plus notes (one per supervisor)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="feedback")
    supervisor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("supervisor"))
    preparation = models.PositiveSmallIntegerField(_("preparation and agenda"), choices=Rating.choices)
    risk_focus = models.PositiveSmallIntegerField(_("focus on risk and safety"), choices=Rating.choices)
    participation = models.PositiveSmallIntegerField(_("participation of the services"), choices=Rating.choices)
    victim_voice = models.PositiveSmallIntegerField(_("the victim's view heard"), choices=Rating.choices)
    decisions = models.PositiveSmallIntegerField(_("clear decisions and owners"), choices=Rating.choices)
    strengths = models.TextField(_("what went well"), blank=True)
    improvements = models.TextField(_("what to improve"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    objects = MeetingRecordManager()

    class Meta:
        verbose_name = _("supervision feedback")
        verbose_name_plural = _("supervision feedback")
        constraints = [models.UniqueConstraint(fields=["meeting", "supervisor"], name="feedback_once")]


class CalendarFeed(models.Model):
    """A private calendar feed of one user's meetings; the token is shown once and stored hashed."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="calendar_feeds")
    name = models.CharField(_("name"), max_length=80, blank=True, help_text=_("E.g. the device or calendar it is used in."))
    token_hash = models.CharField(max_length=64, unique=True)
    token_hint = models.CharField(max_length=8)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")
        ordering = ["-created_at"]
