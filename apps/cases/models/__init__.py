"""The domestic-violence case record: case, persons, incidents, risk, measures, plan, referrals,
consent, notes, attachments. Every table carries municipality_id, leading its indexes.

One module per resource; every model is importable from here (``from apps.cases.models import Case``),
which the migrations also rely on (``apps.cases.models.attachment_path``)."""
from .attachments import Attachment, attachment_path
from .case import Case, CaseAssignment, CaseParticipant, CaseStatusChange
from .consent import Consent
from .drafts import FormDraft
from .grants import CaseGroupGrant, CaseUserGrant
from .incidents import Incident
from .measures import EmergencyMeasure, MeasureBreach, ProtectiveMeasure
from .notes import CaseNote
from .persons import CasePerson
from .plans import OPEN_PLAN_MEASURE, PlanMeasure, ProtectionPlan
from .referrals import ANSWERED_REFERRAL, Referral
from .reminders import Reminder
from .retention import RetentionRun
from .risk import RiskAssessment

__all__ = [
    "ANSWERED_REFERRAL",
    "OPEN_PLAN_MEASURE",
    "Attachment",
    "Case",
    "CaseAssignment",
    "CaseGroupGrant",
    "CaseNote",
    "CaseParticipant",
    "CasePerson",
    "CaseStatusChange",
    "CaseUserGrant",
    "Consent",
    "EmergencyMeasure",
    "FormDraft",
    "Incident",
    "MeasureBreach",
    "PlanMeasure",
    "ProtectionPlan",
    "ProtectiveMeasure",
    "Referral",
    "Reminder",
    "RetentionRun",
    "RiskAssessment",
    "attachment_path",
]
