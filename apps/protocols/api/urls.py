"""API routes of the protocols app (ROUTES: viewsets; PATHS: plain views)."""
from django.urls import path

from . import views

ROUTES: list = [
    ("protocols", views.ProtocolViewSet, "protocol"),
    ("protocol-versions", views.ProtocolVersionViewSet, "protocol-version"),
    ("agreements", views.AgreementViewSet, "agreement"),
    ("agreement-parties", views.AgreementPartyViewSet, "agreement-party"),
    ("assessment-rounds", views.RoundViewSet, "assessment-round"),
    ("assessment-answers", views.ResponseViewSet, "assessment-response"),
]
PATHS: list = [
    path("protocol-compliance/", views.ComplianceView.as_view(), name="protocol-compliance"),
]
