from django.urls import path

from . import views_audit, views_outbox, views_pages

app_name = "core"

urlpatterns = [
    path("", views_pages.HomeView.as_view(), name="home"),
    path("audit/", views_audit.AuditLogView.as_view(), name="audit"),
    path("audit/export/", views_audit.AuditExportView.as_view(), name="audit_export"),
    path("deliveries/", views_outbox.OutboxView.as_view(), name="outbox"),
    path("deliveries/<int:pk>/<slug:action>/", views_outbox.OutboxActionView.as_view(), name="outbox_action"),
]
