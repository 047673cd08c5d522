"""The case and its team: the case, its status history, the institutions on it and the staff assigned."""
from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.models import TenantScopedModel

from ..choices import CaseStatus, ClosureReason, Priority, RiskLevel, TeamRole
from ..querysets import CaseChildManager, CaseManager
from .common import INSTITUTION, User


class Case(TenantScopedModel):
    """A domestic-violence case, numbered per municipality and year (e.g. LAZ-2026-00042)."""

    number = models.CharField(_("case number"), max_length=32)
    year = models.PositiveSmallIntegerField(_("year"))
    sequence = models.PositiveIntegerField(_("sequence"))
    lead_institution = models.ForeignKey(
        INSTITUTION, on_delete=models.PROTECT, related_name="led_cases", verbose_name=_("lead institution")
    )
    status = models.CharField(_("status"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.REPORTED)
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    closure_reason = models.CharField(_("closure reason"), max_length=24, choices=ClosureReason.choices, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Past retention: persons, contact data, notes, documents and free texts removed; the skeleton
    # (dates, forms of violence, measures, referrals) stays for the statistics.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)
    risk_level = models.CharField(_("risk level"), max_length=12, choices=RiskLevel.choices, blank=True)
    priority = models.CharField(_("priority"), max_length=12, choices=Priority.choices, default=Priority.REGULAR)
    is_restricted = models.BooleanField(
        _("restricted"), default=False, help_text=_("Only the assigned staff see a restricted case.")
    )
    is_repeat = models.BooleanField(_("repeat case"), default=False)
    known_elsewhere = models.BooleanField(_("person known in another municipality"), default=False)
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)
    summary = models.TextField(_("summary"), blank=True)
    opened_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("opened by"))
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now)
    proposed_for_conference_at = models.DateTimeField(_("proposed for a case conference"), null=True, blank=True)
    proposed_for_conference_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = CaseManager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-id"]
        permissions = [("work_on_case", _("Work on a shared case"))]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "number"], name="case_unique_number"),
            models.UniqueConstraint(fields=["municipality", "year", "sequence"], name="case_unique_sequence"),
        ]
        indexes = [
            models.Index(fields=["municipality", "lead_institution", "-id"], name="case_mun_lead_id"),
            models.Index(fields=["municipality", "status", "-id"], name="case_mun_status_id"),
            models.Index(fields=["municipality", "-last_activity_at"], name="case_mun_activity"),
            models.Index(fields=["municipality", "-reported_at"], name="case_mun_reported"),
        ]

    def __str__(self):
        return self.number


class CaseStatusChange(TenantScopedModel):
    """Who moved a case from one status to another, and when."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=24, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=24, choices=CaseStatus.choices)
    changed_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("changed by"))
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = CaseChildManager()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["changed_at", "id"]
        indexes = [models.Index(fields=["municipality", "case"], name="casestatus_mun_case")]


class CaseParticipant(TenantScopedModel):
    """An institution on the case team (its staff then see the case)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    institution = models.ForeignKey(INSTITUTION, on_delete=models.PROTECT, related_name="case_participations")
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    added_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("added by"))
    ended_at = models.DateTimeField(_("left"), null=True, blank=True)
    consent_override_reason = models.CharField(_("reason for acting without consent"), max_length=500, blank=True)

    objects = CaseChildManager()

    class Meta:
        verbose_name = _("case team member")
        verbose_name_plural = _("case team")
        constraints = [models.UniqueConstraint(fields=["case", "institution"], name="participant_unique")]
        indexes = [
            models.Index(fields=["municipality", "institution", "case"], name="participant_mun_inst_case"),
        ]


class CaseAssignment(TenantScopedModel):
    """A staff member assigned to a case (the case manager and others)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="case_assignments")
    institution = models.ForeignKey(INSTITUTION, on_delete=models.PROTECT, related_name="+")
    team_role = models.CharField(_("role on the case"), max_length=16, choices=TeamRole.choices, default=TeamRole.MEMBER)
    assigned_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    objects = CaseChildManager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        indexes = [
            models.Index(fields=["municipality", "user", "case"], name="assignment_mun_user_case"),
            # "My cases" (the caseworker's first tab): the live assignments of one person, read from the
            # index alone.
            models.Index(fields=["user", "case"], condition=models.Q(ended_at__isnull=True), name="assignment_live_user_case"),
        ]
