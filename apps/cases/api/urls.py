"""API routes of the cases app (registered by config/api_router.py)."""
from . import views

ROUTES = [
    ("cases", views.CaseViewSet, "case"),
    ("case-persons", views.CasePersonViewSet, "case-person"),
    ("incidents", views.IncidentViewSet, "incident"),
    ("risk-assessments", views.RiskAssessmentViewSet, "risk-assessment"),
    ("consents", views.ConsentViewSet, "consent"),
    ("emergency-measures", views.EmergencyMeasureViewSet, "emergency-measure"),
    ("breaches", views.BreachViewSet, "breach"),
    ("protective-measures", views.ProtectiveMeasureViewSet, "protective-measure"),
    ("plans", views.ProtectionPlanViewSet, "plan"),
    ("plan-measures", views.PlanMeasureViewSet, "plan-measure"),
    ("referrals", views.ReferralViewSet, "referral"),
    ("notes", views.CaseNoteViewSet, "note"),
    ("attachments", views.AttachmentViewSet, "attachment"),
    ("work-queue", views.WorkQueueViewSet, "work-queue"),
]
