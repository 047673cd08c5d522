"""URL patterns of the case-core pages (joined in apps/cases/urls.py): list, export, opening,
the case page, editing, status, team, staff, conference proposal and the timeline."""
from django.urls import path

from .views import case as views

urlpatterns = [
    path("", views.CaseListView.as_view(), name="list"),
    path("new/", views.CaseCreateView.as_view(), name="create"),
    path("export/", views.CaseExportView.as_view(), name="export"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.CaseEditView.as_view(), name="edit"),
    path("<int:pk>/status/", views.CaseStatusView.as_view(), name="status"),
    path("<int:pk>/team/add/", views.TeamAddView.as_view(), name="team_add"),
    path("<int:pk>/team/<int:participant_pk>/remove/", views.TeamRemoveView.as_view(), name="team_remove"),
    path("<int:pk>/staff/assign/", views.AssignView.as_view(), name="assign"),
    path("<int:pk>/staff/<int:assignment_pk>/unassign/", views.UnassignView.as_view(), name="unassign"),
    path("<int:pk>/propose-conference/", views.ProposeConferenceView.as_view(), name="propose_conference"),
    path("<int:pk>/timeline/", views.CaseTimelineView.as_view(), name="timeline"),
]
