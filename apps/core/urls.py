from django.urls import path

from . import views_audit, views_pages

app_name = "core"

urlpatterns = [
    path("", views_pages.HomeView.as_view(), name="home"),
    path("audit/", views_audit.AuditLogView.as_view(), name="audit"),
    path("audit/export/", views_audit.AuditExportView.as_view(), name="audit_export"),
]
