"""URL patterns of the case-core pages (joined in apps/cases/urls.py): list, export, opening,
the case page, editing, status, team, staff, conference proposal and the timeline."""
from django.urls import path

from .views import case, case_edit, case_page, retention, team

urlpatterns = [
    path("", case.CaseListView.as_view(), name="list"),
    path("new/", case.CaseCreateView.as_view(), name="create"),
    path("export/", case.CaseExportView.as_view(), name="export"),
    path("<int:pk>/", case_page.CaseDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", case_edit.CaseEditView.as_view(), name="edit"),
    path("<int:pk>/status/", case_edit.CaseStatusView.as_view(), name="status"),
    path("<int:pk>/team/add/", team.TeamAddView.as_view(), name="team_add"),
    path("<int:pk>/team/<int:participant_pk>/remove/", team.TeamRemoveView.as_view(), name="team_remove"),
    path("<int:pk>/staff/assign/", team.AssignView.as_view(), name="assign"),
    path("<int:pk>/staff/<int:assignment_pk>/unassign/", team.UnassignView.as_view(), name="unassign"),
    path("<int:pk>/propose-conference/", case_edit.ProposeConferenceView.as_view(), name="propose_conference"),
    path("<int:pk>/timeline/", case_page.CaseTimelineView.as_view(), name="timeline"),
    path("retention/", retention.RetentionListView.as_view(), name="retention"),
    path("retention/<int:pk>/", retention.RetentionRunView.as_view(), name="retention_run"),
]
