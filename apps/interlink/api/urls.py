"""API routes of the interlinking app (ROUTES: viewsets; PATHS: plain views)."""
from django.urls import path

from . import views

ROUTES: list = [
    ("interlink/records", views.RecordViewSet, "interlink-record"),
    ("interlink/imports", views.ImportViewSet, "interlink-import"),
    ("interlink/events", views.EventFeedViewSet, "interlink-event"),
    ("interlink/webhooks", views.WebhookViewSet, "interlink-webhook"),
]
PATHS: list = [
    path("interlink/police-reports/", views.PoliceReportSendView.as_view(), name="interlink-police-report-send"),
    path("interlink/emergency-orders/", views.EmergencyOrderSendView.as_view(), name="interlink-emergency-order-send"),
    path("interlink/court-decisions/", views.CourtDecisionSendView.as_view(), name="interlink-court-decision-send"),
]
