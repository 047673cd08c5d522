from django.urls import path

from .views import dashboard, runs

app_name = "reports"

urlpatterns = [
    path("", dashboard.DashboardView.as_view(), name="dashboard"),
    path("export/<str:fmt>/<slug:key>/", dashboard.DashboardExportView.as_view(), name="dashboard_export"),
    path("national/", dashboard.NationalDashboardView.as_view(), name="national"),
    path("national/export/<str:fmt>/<slug:key>/", dashboard.NationalExportView.as_view(), name="national_export"),
    path("national/reports/<int:pk>/pdf/", dashboard.NationalReportDownloadView.as_view(), name="national_report"),
    path("runs/", runs.RunListView.as_view(), name="runs"),
    path("runs/request/", runs.RunRequestView.as_view(), name="run_request"),
    path("runs/subscription/", runs.SubscriptionView.as_view(), name="subscription"),
    path("runs/<int:pk>/pdf/", runs.RunDownloadView.as_view(), name="run_download"),
]
