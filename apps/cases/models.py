"""The domestic-violence case record: case, persons, incidents, risk, measures, plan, referrals,
consent, notes, attachments. Every table carries municipality_id, leading its indexes."""
from __future__ import annotations

from datetime import date

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from apps.core.crypto import EncryptedTextField
from apps.core.models import GrantFields, TenantScopedModel

from .choices import (
    AgeGroup,
    Answer,  # noqa: F401  (used by forms and serializers through the module)
    CaseStatus,
    ClosureReason,
    ConsentMethod,
    ContactKind,
    CourtDecision,
    EmergencyMeasureKind,
    PersonRole,
    PlaceType,
    PlanMeasureKind,
    PlanMeasureStatus,
    Priority,
    ProtectiveMeasureKind,
    ReferralStatus,
    ReferralUrgency,
    Relationship,
    ReportChannel,
    RiskLevel,
    Sex,
    TeamRole,
    ViolenceForm,
    Visibility,
)
from .querysets import (
    CaseChildManager,
    CaseManager,
    FormDraftManager,
    ReferralManager,
    RestrictedChildManager,
)

User = settings.AUTH_USER_MODEL
INSTITUTION = "institutions.Institution"
# The conditions of the work queue's partial indexes (its queries filter on exactly these lists).
OPEN_PLAN_MEASURE = (PlanMeasureStatus.PLANNED, PlanMeasureStatus.IN_PROGRESS)
ANSWERED_REFERRAL = (ReferralStatus.ACCEPTED, ReferralStatus.DECLINED)


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


class CasePerson(TenantScopedModel):
    """A victim, perpetrator, child or household member in one case; contact data encrypted."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="persons")
    role = models.CharField(_("role"), max_length=16, choices=PersonRole.choices)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    name_key = models.CharField(max_length=210, editable=False, db_index=False)
    sex = models.CharField(_("sex"), max_length=8, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    jmbg = EncryptedTextField(_("JMBG"), blank=True)
    jmbg_hash = models.CharField(max_length=64, blank=True, editable=False)
    phone = EncryptedTextField(_("phone"), blank=True)
    email = EncryptedTextField(_("e-mail"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    confidential_address = models.BooleanField(
        _("confidential address"),
        default=False,
        help_text=_("Only assigned staff of the lead institution see the address."),
    )
    disability = models.BooleanField(_("disability"), default=False)
    relationship_to_victim = models.CharField(
        _("relationship to the victim"), max_length=24, choices=Relationship.choices, blank=True
    )
    is_repeat = models.BooleanField(_("known from an earlier case"), default=False)
    known_elsewhere = models.BooleanField(_("known in another municipality"), default=False)
    version = models.PositiveIntegerField(default=1)

    objects = CaseChildManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["case_id", "role", "id"]
        indexes = [
            models.Index(fields=["municipality", "jmbg_hash"], name="person_mun_jmbg"),
            models.Index(fields=["municipality", "name_key", "birth_date"], name="person_mun_name_birth"),
            models.Index(fields=["jmbg_hash"], name="person_jmbg"),
        ]

    def __str__(self):
        return f"{self.first_name} {self.last_name}"

    @property
    def age(self) -> int | None:
        """Age in whole years today (from the date or, failing that, the year of birth)."""
        today = date.today()
        if self.birth_date:
            b = self.birth_date
            return today.year - b.year - ((today.month, today.day) < (b.month, b.day))
        if self.birth_year:
            return today.year - self.birth_year
        return None

    @property
    def age_group(self) -> str:
        """Statistical age group."""
        age = self.age
        if age is None:
            return AgeGroup.UNKNOWN
        if age < 18:
            return AgeGroup.CHILD
        if age <= 25:
            return AgeGroup.YOUNG
        if age <= 64:
            return AgeGroup.ADULT
        return AgeGroup.OLDER


class Incident(TenantScopedModel):
    """One event of violence."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="incidents")
    occurred_at = models.DateTimeField(_("occurred"))
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)
    place_type = models.CharField(_("place"), max_length=24, choices=PlaceType.choices)
    forms = ArrayField(models.CharField(max_length=24, choices=ViolenceForm.choices), verbose_name=_("forms of violence"))
    reporting_institution = models.ForeignKey(
        INSTITUTION, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("reported by")
    )
    channel = models.CharField(_("channel"), max_length=16, choices=ReportChannel.choices)
    police_event_number = models.CharField(_("police event number"), max_length=40, blank=True)
    injuries = models.BooleanField(_("injuries"), default=False)
    injuries_note = models.CharField(_("injuries (description)"), max_length=500, blank=True)
    weapon_involved = models.BooleanField(_("weapon used or threatened"), default=False)
    weapon_owned = models.BooleanField(_("perpetrator owns a weapon"), default=False)
    children_present = models.BooleanField(_("children present"), default=False)
    children_witnessed = models.BooleanField(_("children witnessed"), default=False)
    description = models.TextField(_("description"), blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = CaseChildManager()

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(fields=["municipality", "case"], name="incident_mun_case"),
            models.Index(fields=["municipality", "-occurred_at"], name="incident_mun_occurred"),
            GinIndex(fields=["forms"], name="incident_forms"),
        ]


class RiskAssessment(TenantScopedModel):
    """An art. 16 risk assessment: each item yes/no/unknown with a note; judgement may raise the level."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="risk_assessments")
    assessed_at = models.DateTimeField(_("assessed"), default=timezone.now)
    assessor = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("assessor"))
    institution = models.ForeignKey(INSTITUTION, on_delete=models.PROTECT, related_name="+", verbose_name=_("institution"))
    items = models.JSONField(_("checklist"), default=dict)
    computed_level = models.CharField(_("computed level"), max_length=12, choices=RiskLevel.choices)
    level = models.CharField(_("level"), max_length=12, choices=RiskLevel.choices)
    immediate_danger = models.BooleanField(_("immediate danger"), default=False)
    raise_reason = models.TextField(_("why the level was raised"), blank=True)
    # Why the risk is now lower than the case's current assessment; without it a lower assessment
    # does not lower the case (services.cases.current_of).
    lower_reason = models.TextField(_("why the risk is lower"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    sent_to_prosecutor_at = models.DateTimeField(_("sent to the prosecutor"), null=True, blank=True)
    source = models.CharField(max_length=32, blank=True)  # e.g. "conference" when written back by minutes

    objects = CaseChildManager()

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["-assessed_at", "-id"]
        indexes = [models.Index(fields=["municipality", "case", "-assessed_at"], name="risk_mun_case_at")]


class EmergencyMeasure(TenantScopedModel):
    """A 48-hour emergency measure with its extension deadlines (prosecutor 24 h, court 24 h, 30 days)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="emergency_measures")
    kind = models.CharField(_("measure"), max_length=16, choices=EmergencyMeasureKind.choices)
    order_number = models.CharField(_("order number"), max_length=40)
    ordered_by = models.ForeignKey(INSTITUTION, on_delete=models.PROTECT, related_name="+", verbose_name=_("ordered by"))
    delivered_at = models.DateTimeField(_("delivered"))
    expires_at = models.DateTimeField(_("expires"))
    extension_proposal_due = models.DateTimeField(_("extension proposal due"))
    extension_proposed_at = models.DateTimeField(_("extension proposed"), null=True, blank=True)
    court_decision_due = models.DateTimeField(_("court decision due"), null=True, blank=True)
    court_decided_at = models.DateTimeField(_("court decided"), null=True, blank=True)
    court_decision = models.CharField(
        _("court decision"), max_length=12, choices=CourtDecision.choices, default=CourtDecision.PENDING
    )
    extended_until = models.DateTimeField(_("extended until"), null=True, blank=True)
    appeal_due = models.DateTimeField(_("appeal due"), null=True, blank=True)
    appeal_filed_at = models.DateTimeField(_("appeal filed"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    objects = CaseChildManager()

    class Meta:
        verbose_name = _("emergency measure")
        verbose_name_plural = _("emergency measures")
        ordering = ["-delivered_at"]
        indexes = [
            models.Index(fields=["municipality", "expires_at"], name="emergency_mun_expires"),
            models.Index(fields=["municipality", "case"], name="emergency_mun_case"),
            # The work queue's measures: each of its conditions needs the later of the two ends in the
            # future, which only the few measures in force (or just extended) have at national scale.
            models.Index(F("municipality"), Greatest("expires_at", "extended_until"), name="emergency_mun_live"),
        ]


class MeasureBreach(TenantScopedModel):
    """A breach of an emergency or protective measure (an offence)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="breaches")
    emergency_measure = models.ForeignKey(EmergencyMeasure, on_delete=models.CASCADE, null=True, blank=True, related_name="breaches")
    protective_measure = models.ForeignKey("ProtectiveMeasure", on_delete=models.CASCADE, null=True, blank=True, related_name="breaches")
    occurred_at = models.DateTimeField(_("occurred"))
    description = models.TextField(_("description"), blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = CaseChildManager()

    class Meta:
        verbose_name = _("breach")
        verbose_name_plural = _("breaches")
        ordering = ["-occurred_at"]
        indexes = [models.Index(fields=["municipality", "case"], name="breach_mun_case")]


class ProtectiveMeasure(TenantScopedModel):
    """A Family Law art. 198 protective measure: up to one year, renewable."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="protective_measures")
    kind = models.CharField(_("measure"), max_length=16, choices=ProtectiveMeasureKind.choices)
    court = models.CharField(_("court"), max_length=200)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decision_date = models.DateField(_("decision date"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    distance_m = models.PositiveIntegerField(_("distance (metres)"), null=True, blank=True)
    renewed_from = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="renewals")
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = CaseChildManager()

    class Meta:
        verbose_name = _("protective measure")
        verbose_name_plural = _("protective measures")
        ordering = ["-decision_date"]
        indexes = [
            models.Index(fields=["municipality", "valid_until"], name="protective_mun_until"),
            models.Index(fields=["municipality", "case"], name="protective_mun_case"),
        ]


class ProtectionPlan(TenantScopedModel):
    """The individual protection and support plan (art. 31)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plans")
    adopted_at = models.DateField(_("adopted"), default=timezone.localdate)
    victim_participated = models.BooleanField(_("the victim took part"), default=False)
    victim_signed = models.BooleanField(_("the victim signed the plan"), default=False)
    monitoring = models.TextField(_("how the plan is monitored and evaluated"), blank=True)
    next_review = models.DateField(_("next review"), null=True, blank=True)
    is_active = models.BooleanField(_("current plan"), default=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1)

    objects = CaseChildManager()

    class Meta:
        verbose_name = _("protection and support plan")
        verbose_name_plural = _("protection and support plans")
        ordering = ["-adopted_at", "-id"]
        indexes = [models.Index(fields=["municipality", "case"], name="plan_mun_case")]


class PlanMeasure(TenantScopedModel):
    """One protection or support measure of a plan, with its owner and deadline."""

    plan = models.ForeignKey(ProtectionPlan, on_delete=models.CASCADE, related_name="measures")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plan_measures")
    kind = models.CharField(_("kind"), max_length=12, choices=PlanMeasureKind.choices)
    description = models.TextField(_("measure"))
    for_person = models.ForeignKey(CasePerson, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("for whom"))
    owner_institution = models.ForeignKey(INSTITUTION, on_delete=models.PROTECT, related_name="+", verbose_name=_("carried out by"))
    responsible_person = models.CharField(_("responsible person"), max_length=150, blank=True)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=PlanMeasureStatus.choices, default=PlanMeasureStatus.PLANNED)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = CaseChildManager()

    class Meta:
        verbose_name = _("plan measure")
        verbose_name_plural = _("plan measures")
        ordering = ["deadline", "id"]
        indexes = [
            models.Index(fields=["municipality", "owner_institution", "status", "deadline"], name="planmeasure_owner_due"),
            models.Index(fields=["municipality", "case"], name="planmeasure_mun_case"),
            # Open measures of an owner in deadline order (the work queue stops after a page); 95 % of
            # the rows are done and stay out of the index.
            models.Index(
                fields=["municipality", "owner_institution", "deadline", "id"],
                condition=Q(status__in=OPEN_PLAN_MEASURE),
                name="planmeasure_open_due",
            ),
        ]


class Consent(TenantScopedModel):
    """The victim's informed, time-limited consent to share with named institutions."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    person = models.ForeignKey(CasePerson, on_delete=models.CASCADE, related_name="consents", verbose_name=_("given by"))
    given_at = models.DateField(_("given"))
    expires_at = models.DateField(_("expires"), null=True, blank=True)
    scope = models.CharField(_("scope"), max_length=500)
    method = models.CharField(_("how it was given"), max_length=12, choices=ConsentMethod.choices)
    institutions = models.ManyToManyField(INSTITUTION, related_name="+", verbose_name=_("institutions"))
    withdrawn_at = models.DateField(_("withdrawn"), null=True, blank=True)
    recorded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")

    objects = CaseChildManager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]
        indexes = [models.Index(fields=["municipality", "case"], name="consent_mun_case")]

    def is_valid_on(self, day: date) -> bool:
        """Given, not withdrawn and not expired on that day."""
        if self.given_at > day or (self.withdrawn_at and self.withdrawn_at <= day):
            return False
        return self.expires_at is None or self.expires_at >= day


class Referral(TenantScopedModel):
    """A referral from one institution to another, possibly in another municipality."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    from_institution = models.ForeignKey(INSTITUTION, on_delete=models.PROTECT, related_name="+", verbose_name=_("from"))
    to_institution = models.ForeignKey(INSTITUTION, on_delete=models.PROTECT, related_name="received_referrals", verbose_name=_("to"))
    to_municipality_id = models.BigIntegerField(db_index=True)
    reason = models.TextField(_("reason"))
    urgency = models.CharField(_("urgency"), max_length=12, choices=ReferralUrgency.choices, default=ReferralUrgency.REGULAR)
    status = models.CharField(_("status"), max_length=12, choices=ReferralStatus.choices, default=ReferralStatus.SENT)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    sent_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    consent_override_reason = models.CharField(_("reason for acting without consent"), max_length=500, blank=True)

    objects = ReferralManager()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at"]
        indexes = [
            models.Index(fields=["municipality", "case"], name="referral_mun_case"),
            models.Index(fields=["to_municipality_id", "to_institution", "status"], name="referral_to_status"),
            # A sender's answered referrals, newest answer first (the work queue's last seven days).
            models.Index(
                fields=["municipality", "from_institution", "-answered_at"],
                condition=Q(status__in=ANSWERED_REFERRAL),
                name="referral_from_answered",
            ),
        ]

    @property
    def seconds_to_answer(self) -> int | None:
        """Time from sending to accepting or declining (protocol-compliance figure)."""
        if self.answered_at is None:
            return None
        return int((self.answered_at - self.sent_at).total_seconds())


class CaseNote(TenantScopedModel):
    """A note or a contact (home visit, interview, call...), for the team or the own institution only."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=16, choices=ContactKind.choices, default=ContactKind.NOTE)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    text = EncryptedTextField(_("text"))
    visibility = models.CharField(_("visible to"), max_length=16, choices=Visibility.choices, default=Visibility.TEAM)
    author = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(INSTITUTION, on_delete=models.PROTECT, related_name="+")

    objects = RestrictedChildManager()

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["municipality", "case", "-occurred_at"], name="note_mun_case_at")]


def attachment_path(instance, filename):
    """Files live under MEDIA_ROOT (never the static root) with an opaque name."""
    import uuid

    return f"cases/{instance.municipality_id}/{instance.case_id}/{uuid.uuid4().hex}"


class Attachment(TenantScopedModel):
    """A document on a case, served only through a permission-checked view."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=255)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    description = models.CharField(_("description"), max_length=255, blank=True)
    visibility = models.CharField(_("visible to"), max_length=16, choices=Visibility.choices, default=Visibility.TEAM)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    institution = models.ForeignKey(INSTITUTION, on_delete=models.PROTECT, related_name="+")

    objects = RestrictedChildManager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["municipality", "case"], name="attachment_mun_case")]


class Reminder(TenantScopedModel):
    """An in-app reminder (also e-mailed) about a deadline; one per object, kind and moment."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reminders")
    institution = models.ForeignKey(INSTITUTION, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=40)
    object_type = models.CharField(max_length=60)
    object_id = models.BigIntegerField()
    due_at = models.DateTimeField()
    stage = models.CharField(max_length=16)  # "before" or "overdue"
    sent_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = CaseChildManager()

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        constraints = [
            models.UniqueConstraint(fields=["object_type", "object_id", "kind", "stage", "institution"], name="reminder_once"),
        ]
        indexes = [models.Index(fields=["municipality", "institution", "read_at"], name="reminder_mun_inst")]


class CaseGroupGrant(GroupObjectPermissionBase, GrantFields):
    """A case shared with an institution's staff group (e.g. an accepted referral)."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="group_grants")

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("case group grant")
        verbose_name_plural = _("case group grants")
        indexes = [models.Index(fields=["group", "content_object"], name="casegroupgrant_group_case")]


class CaseUserGrant(UserObjectPermissionBase, GrantFields):
    """A case shared with one person."""

    content_object = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="user_grants")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("case user grant")
        verbose_name_plural = _("case user grants")
        indexes = [models.Index(fields=["user", "content_object"], name="caseusergrant_user_case")]


class FormDraft(TenantScopedModel):
    """What a user typed into a case form and has not saved yet: stored encrypted, only for that user,
    deleted when the form is saved or the draft discarded, and ignored (then removed) after it expires."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    form_key = models.CharField(max_length=40)  # e.g. "note_add", "person_edit-12"
    data = EncryptedTextField()  # JSON: {field name: [values]}
    expires_at = models.DateTimeField()

    objects = FormDraftManager()

    class Meta:
        verbose_name = _("form draft")
        verbose_name_plural = _("form drafts")
        constraints = [models.UniqueConstraint(fields=["user", "case", "form_key"], name="form_draft_once")]
        indexes = [models.Index(fields=["municipality", "user", "expires_at"], name="form_draft_mun_user")]
