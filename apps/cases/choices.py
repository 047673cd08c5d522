"""Classifications of the case record (DOMAIN.md: the law's and the statistics' categories)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    """Workflow: reported -> assessment -> active protection -> monitoring -> closed (reopen allowed)."""

    REPORTED = "reported", _("Reported")
    ASSESSMENT = "assessment", _("Assessment")
    ACTIVE_PROTECTION = "active_protection", _("Active protection")
    MONITORING = "monitoring", _("Monitoring")
    CLOSED = "closed", _("Closed")


# Allowed moves; "closed -> assessment" is a reopen.
STATUS_TRANSITIONS = {
    CaseStatus.REPORTED: {CaseStatus.ASSESSMENT, CaseStatus.ACTIVE_PROTECTION, CaseStatus.CLOSED},
    CaseStatus.ASSESSMENT: {CaseStatus.ACTIVE_PROTECTION, CaseStatus.MONITORING, CaseStatus.CLOSED},
    CaseStatus.ACTIVE_PROTECTION: {CaseStatus.MONITORING, CaseStatus.ASSESSMENT, CaseStatus.CLOSED},
    CaseStatus.MONITORING: {CaseStatus.ACTIVE_PROTECTION, CaseStatus.ASSESSMENT, CaseStatus.CLOSED},
    CaseStatus.CLOSED: {CaseStatus.ASSESSMENT},
}


class ClosureReason(models.TextChoices):
    """Why a case was closed."""

    SAFETY_ACHIEVED = "safety_achieved", _("Safety achieved, plan completed")
    VICTIM_WITHDREW = "victim_withdrew", _("Victim withdrew consent")
    MOVED_AWAY = "moved_away", _("Moved to another municipality")
    TRANSFERRED = "transferred", _("Transferred to another service")
    NOT_DOMESTIC_VIOLENCE = "not_dv", _("Not domestic violence after assessment")
    DEATH = "death", _("Death")
    OTHER = "other", _("Other")


class RiskLevel(models.TextChoices):
    """Risk level; ordered from lowest to highest."""

    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")
    IMMEDIATE = "immediate", _("Immediate danger")


RISK_ORDER = {RiskLevel.LOW: 0, RiskLevel.MEDIUM: 1, RiskLevel.HIGH: 2, RiskLevel.IMMEDIATE: 3}


class Priority(models.TextChoices):
    """CSR reaction priority (immediate 24 h, urgent 3 days, regular 7 days)."""

    REGULAR = "regular", _("Regular (7 days)")
    URGENT = "urgent", _("Urgent (3 days)")
    IMMEDIATE = "immediate", _("Immediate (24 hours)")


PRIORITY_FROM_RISK = {
    RiskLevel.LOW: Priority.REGULAR,
    RiskLevel.MEDIUM: Priority.URGENT,
    RiskLevel.HIGH: Priority.IMMEDIATE,
    RiskLevel.IMMEDIATE: Priority.IMMEDIATE,
}


class PersonRole(models.TextChoices):
    """A person's part in a case."""

    VICTIM = "victim", _("Victim")
    PERPETRATOR = "perpetrator", _("Perpetrator")
    CHILD = "child", _("Child")
    HOUSEHOLD_MEMBER = "household", _("Other household member")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Unknown")


class AgeGroup(models.TextChoices):
    """Statistical age groups."""

    CHILD = "0-17", _("Children 0-17")
    YOUNG = "18-25", _("Young 18-25")
    ADULT = "26-64", _("Adults 26-64")
    OLDER = "65+", _("Older 65+")
    UNKNOWN = "unknown", _("Unknown")


class Relationship(models.TextChoices):
    """Relationship of the perpetrator to the victim (statistical classification)."""

    SPOUSE = "spouse", _("Spouse")
    COHABITING_PARTNER = "cohabiting_partner", _("Cohabiting partner")
    INTIMATE_PARTNER = "intimate_partner", _("Intimate partner")
    FORMER_PARTNER = "former_partner", _("Former spouse or partner")
    PARENT = "parent", _("Parent")
    CHILD = "child", _("Son or daughter")
    SIBLING = "sibling", _("Brother or sister")
    OTHER_FAMILY = "other_family", _("Other family member")
    PARENTS_PARTNER = "parents_partner", _("Parent's partner")
    SPOUSES_RELATIVE = "spouses_relative", _("Spouse's relative")
    ADOPTIVE = "adoptive", _("Adoptive")
    FOSTER = "foster", _("Foster")
    OTHER_HOUSEHOLD = "other_household", _("Other household member")


class ViolenceForm(models.TextChoices):
    """Forms of violence: the law's four and the practice categories."""

    PHYSICAL = "physical", _("Physical")
    PSYCHOLOGICAL = "psychological", _("Psychological")
    SEXUAL = "sexual", _("Sexual")
    ECONOMIC = "economic", _("Economic")
    STALKING = "stalking", _("Stalking")
    NEGLECT = "neglect", _("Neglect")
    DIGITAL = "digital", _("Digital")
    SOCIAL_ISOLATION = "social_isolation", _("Social isolation")


class PlaceType(models.TextChoices):
    SHARED_HOME = "shared_home", _("Shared home")
    VICTIM_HOME = "victim_home", _("Victim's home")
    PERPETRATOR_HOME = "perpetrator_home", _("Perpetrator's home")
    PUBLIC_PLACE = "public_place", _("Public place")
    WORKPLACE = "workplace", _("Workplace")
    SCHOOL = "school", _("School")
    ONLINE = "online", _("Online")
    OTHER = "other", _("Other")


class ReportChannel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    POLICE_REPORT = "police_report", _("Police report")
    REFERRAL = "referral", _("Referral from another service")
    HELPLINE = "helpline", _("SOS helpline")
    EMAIL = "email", _("E-mail or letter")
    OTHER = "other", _("Other")


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Unknown")


# Art. 16 checklist plus the indicators practitioners add (DOMAIN.md).
RISK_ITEMS = [
    ("prior_violence", _("Prior or recent violence")),
    ("intent_to_repeat", _("Intent to repeat the violence")),
    ("murder_threat", _("Threats of murder")),
    ("suicide_threat", _("Threats of suicide")),
    ("weapon_owned", _("Owns or has access to a weapon")),
    ("weapon_used", _("Use or threat of a weapon, knife or hammer")),
    ("strangling", _("Strangling or choking")),
    ("mental_illness", _("Mental illness")),
    ("substance_abuse", _("Alcohol or drug abuse")),
    ("custody_dispute", _("Custody or contact dispute")),
    ("pending_proceedings", _("Pending divorce, custody or property case")),
    ("previous_measures", _("Previous emergency or protective measures")),
    ("measure_breach", _("Breach of a measure")),
    ("security_forces", _("Member of security forces, hunter or war veteran")),
    ("children_present", _("Children present or targeted")),
    ("escalation", _("Violence escalating in frequency or severity")),
    ("separation", _("Recent or planned separation")),
    ("victim_fear", _("Victim is afraid for her life or safety")),
]
RISK_ITEM_CODES = [code for code, _label in RISK_ITEMS]
# Items that alone indicate at least high risk (lethality indicators).
RISK_RED_FLAGS = {"murder_threat", "weapon_used", "strangling", "measure_breach"}


class EmergencyMeasureKind(models.TextChoices):
    """Emergency measures ordered by the specialised police officer (48 hours)."""

    REMOVAL = "removal", _("Temporary removal of the perpetrator from the dwelling")
    CONTACT_BAN = "contact_ban", _("Temporary ban on contacting and approaching the victim")


class CourtDecision(models.TextChoices):
    PENDING = "pending", _("Pending")
    EXTENDED = "extended", _("Extended for 30 days")
    REJECTED = "rejected", _("Extension rejected")


class ProtectiveMeasureKind(models.TextChoices):
    """Family Law art. 198 protective measures."""

    MOVE_OUT = "move_out", _("Order to move out of the family home")
    MOVE_IN = "move_in", _("Order to move the victim into the family home")
    APPROACH_BAN = "approach_ban", _("Ban on approaching within a distance")
    ACCESS_BAN = "access_ban", _("Ban on access to the home or workplace surroundings")
    HARASSMENT_BAN = "harassment_ban", _("Ban on further harassment")


class PlanMeasureKind(models.TextChoices):
    PROTECTION = "protection", _("Protection measure")
    SUPPORT = "support", _("Support measure")


class PlanMeasureStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ReferralUrgency(models.TextChoices):
    REGULAR = "regular", _("Regular")
    URGENT = "urgent", _("Urgent")
    IMMEDIATE = "immediate", _("Immediate")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class ConsentMethod(models.TextChoices):
    WRITTEN = "written", _("Written, signed")
    ORAL = "oral", _("Oral, recorded by staff")
    ELECTRONIC = "electronic", _("Electronic")


class ContactKind(models.TextChoices):
    """Notes and contacts."""

    NOTE = "note", _("Note")
    HOME_VISIT = "home_visit", _("Home visit")
    INTERVIEW = "interview", _("Interview")
    PHONE_CALL = "phone_call", _("Phone call")
    OFFICE_VISIT = "office_visit", _("Office visit")
    CASE_MEETING = "case_meeting", _("Meeting with other services")


class Visibility(models.TextChoices):
    TEAM = "team", _("Whole case team")
    OWN_INSTITUTION = "own_institution", _("Own institution only")


class TeamRole(models.TextChoices):
    CASE_MANAGER = "case_manager", _("Case manager")
    MEMBER = "member", _("Team member")


class RetentionStatus(models.TextChoices):
    """A retention proposal: proposed (dry run) -> confirmed -> done, or cancelled."""

    PROPOSED = "proposed", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed, being anonymised")
    DONE = "done", _("Anonymised")
    CANCELLED = "cancelled", _("Cancelled")
