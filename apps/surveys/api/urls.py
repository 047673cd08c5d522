"""API routes of the surveys app (ROUTES: viewsets; PATHS: plain views)."""
from . import views

ROUTES: list = [
    ("survey-questionnaires", views.QuestionnaireViewSet, "survey-questionnaire"),
    ("survey-collections", views.CollectionViewSet, "survey-collection"),
]
PATHS: list = []
