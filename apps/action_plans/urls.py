"""Pages of the action plans."""
from django.urls import path

from .views import activities, budget, codes, files, plans

app_name = "action_plans"

urlpatterns = [
    path("", plans.PlanListView.as_view(), name="plan_list"),
    path("new/", plans.PlanCreateView.as_view(), name="plan_create"),
    path("<int:pk>/", plans.PlanDetailView.as_view(), name="plan_detail"),
    path("<int:pk>/edit/", plans.PlanEditView.as_view(), name="plan_edit"),
    path("<int:pk>/advance/", plans.PlanAdvanceView.as_view(), name="plan_advance"),
    path("<int:pk>/publish/", plans.PlanPublishView.as_view(), name="plan_publish"),
    path("<int:pk>/amendment/", plans.AmendmentOpenView.as_view(), name="amendment_open"),
    path("<int:pk>/amendment/close/", plans.AmendmentCloseView.as_view(), name="amendment_close"),
    path("<int:pk>/documents/add/", plans.DocumentAddView.as_view(), name="document_add"),
    path("<int:pk>/goals/add/", plans.GoalAddView.as_view(), name="goal_add"),
    path("<int:pk>/goals/<int:goal_pk>/measures/add/", plans.MeasureAddView.as_view(), name="measure_add"),
    path("<int:pk>/measures/<int:measure_pk>/activities/add/", activities.ActivityAddView.as_view(), name="activity_add"),
    path("<int:pk>/indicators/add/", activities.IndicatorAddView.as_view(), name="indicator_add"),
    path("<int:pk>/budget/", budget.BudgetView.as_view(), name="budget"),
    path("<int:pk>/budget/<str:name>.<str:fmt>", files.ExportView.as_view(), name="export"),
    path("<int:pk>/budget/import/", files.ImportView.as_view(), name="import"),
    path("<int:pk>/pdf/", files.PlanPdfView.as_view(), name="pdf"),
    path("budget-sample.<str:fmt>", files.SampleView.as_view(), name="sample"),
    path("activities/<int:pk>/", activities.ActivityDetailView.as_view(), name="activity_detail"),
    path("activities/<int:pk>/edit/", activities.ActivityEditView.as_view(), name="activity_edit"),
    path("activities/<int:pk>/status/", activities.ActivityStatusView.as_view(), name="activity_status"),
    path("activities/<int:pk>/report/", activities.ProgressReportView.as_view(), name="progress_report"),
    path("activities/<int:pk>/lines/add/", budget.LineAddView.as_view(), name="line_add"),
    path("lines/<int:pk>/edit/", budget.LineEditView.as_view(), name="line_edit"),
    path("lines/<int:pk>/execute/", budget.ExecutionAddView.as_view(), name="execution_add"),
    path("indicators/<int:pk>/value/", activities.IndicatorValueView.as_view(), name="indicator_value"),
    path("codes/", codes.CodeListView.as_view(), name="codes"),
    path("codes/copy/", codes.CodeCopyView.as_view(), name="codes_copy"),
]
