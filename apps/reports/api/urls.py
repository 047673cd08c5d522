"""API routes of the reports app (ROUTES: viewsets; PATHS: plain views)."""
from django.urls import path

from . import views

ROUTES: list = [
    ("report-runs", views.ReportRunViewSet, "report-run"),
]
PATHS: list = [
    path("report-figures/", views.FiguresView.as_view(), name="report-figures"),
    path("report-figures/national/", views.NationalFiguresView.as_view(), name="report-figures-national"),
]
