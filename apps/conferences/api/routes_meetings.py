"""API routes for meetings, invitations, agendas and the calendar."""
from . import views_meetings as views

ROUTES: list = [
    ("meetings", views.MeetingViewSet, "meeting"),
]
PATHS: list = []
