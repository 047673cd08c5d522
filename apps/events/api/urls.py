"""API routes of the events app (ROUTES: viewsets; PATHS: plain views)."""
from . import views

ROUTES: list = [
    ("events", views.EventViewSet, "event"),
    ("event-participants", views.ParticipantViewSet, "event-participant"),
    ("event-certificates", views.CertificateViewSet, "event-certificate"),
    ("materials", views.MaterialViewSet, "material"),
    ("material-distributions", views.DistributionViewSet, "material-distribution"),
]
PATHS: list = []
