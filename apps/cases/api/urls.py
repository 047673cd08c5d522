"""API routes of the cases app (registered by config/api_router.py)."""
from .views.cases import CaseViewSet
from .views.documents import AttachmentViewSet
from .views.incidents import IncidentViewSet
from .views.measures import BreachViewSet, EmergencyMeasureViewSet, ProtectiveMeasureViewSet
from .views.notes import CaseNoteViewSet
from .views.persons import CasePersonViewSet, ConsentViewSet
from .views.plans import PlanMeasureViewSet, ProtectionPlanViewSet
from .views.referrals import ReferralViewSet
from .views.risk import RiskAssessmentViewSet
from .views.work_queue import WorkQueueViewSet

ROUTES = [
    ("cases", CaseViewSet, "case"),
    ("case-persons", CasePersonViewSet, "case-person"),
    ("incidents", IncidentViewSet, "incident"),
    ("risk-assessments", RiskAssessmentViewSet, "risk-assessment"),
    ("consents", ConsentViewSet, "consent"),
    ("emergency-measures", EmergencyMeasureViewSet, "emergency-measure"),
    ("breaches", BreachViewSet, "breach"),
    ("protective-measures", ProtectiveMeasureViewSet, "protective-measure"),
    ("plans", ProtectionPlanViewSet, "plan"),
    ("plan-measures", PlanMeasureViewSet, "plan-measure"),
    ("referrals", ReferralViewSet, "referral"),
    ("notes", CaseNoteViewSet, "note"),
    ("attachments", AttachmentViewSet, "attachment"),
    ("work-queue", WorkQueueViewSet, "work-queue"),
]
