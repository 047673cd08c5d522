"""API routes for minutes, action items, supervision feedback and targets."""
from django.urls import path

from . import views_minutes as views

ROUTES: list = [
    ("minutes", views.MinutesViewSet, "minutes"),
    ("minutes-items", views.MinutesItemViewSet, "minutes-item"),
    ("action-items", views.ActionItemViewSet, "action-item"),
    ("supervision-feedback", views.SupervisionFeedbackViewSet, "supervision-feedback"),
]
PATHS: list = [
    path("conference-targets/", views.TargetsView.as_view(), name="conference-targets"),
]
