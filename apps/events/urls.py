"""Pages of the events app."""
from django.urls import path

from .views import attendance, exports, materials, public, targets
from .views import events as views

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(), name="event_list"),
    path("new/", views.EventCreateView.as_view(), name="event_create"),
    path("<int:pk>/", views.EventDetailView.as_view(), name="event_detail"),
    path("<int:pk>/edit/", views.EventEditView.as_view(), name="event_edit"),
    path("<int:pk>/cancel/", views.EventCancelView.as_view(), name="event_cancel"),
    path("<int:pk>/event.ics", views.EventIcsView.as_view(), name="event_ics"),
    path("<int:pk>/participants/add/", attendance.ParticipantAddView.as_view(), name="participant_add"),
    path("<int:pk>/participants/<int:participant_pk>/remove/", attendance.ParticipantRemoveView.as_view(),
         name="participant_remove"),
    path("<int:pk>/attendance/", attendance.AttendanceView.as_view(), name="attendance"),
    path("<int:pk>/sign-in.pdf", attendance.SignInPdfView.as_view(), name="sign_in_pdf"),
    path("<int:pk>/attendance.pdf", attendance.AttendancePdfView.as_view(), name="attendance_pdf"),
    path("<int:pk>/attendance.<str:fmt>", exports.AttendanceExportView.as_view(), name="attendance_export"),
    path("<int:pk>/certificates/", attendance.CertificatesIssueView.as_view(), name="certificates_issue"),
    path("<int:pk>/certificates/runs/<int:run_pk>/", attendance.CertificateRunView.as_view(), name="certificate_run"),
    path("<int:pk>/certificates/<int:certificate_pk>.pdf", attendance.CertificatePdfView.as_view(),
         name="certificate_pdf"),
    path("<int:pk>/certificates/<int:certificate_pk>/revoke/", attendance.CertificateRevokeView.as_view(),
         name="certificate_revoke"),
    path("<int:pk>/coverage/", materials.CoverageAddView.as_view(), name="coverage_add"),
    path("<int:pk>/coverage/<int:coverage_pk>/clipping/", materials.CoverageClippingView.as_view(),
         name="coverage_clipping"),
    path("materials/", materials.MaterialListView.as_view(), name="material_list"),
    path("materials/<int:pk>/file/", materials.MaterialFileView.as_view(), name="material_file"),
    path("<int:pk>/clipping/", materials.ClippingView.as_view(), name="clipping"),
    path("materials/new/", materials.MaterialCreateView.as_view(), name="material_create"),
    path("materials/<int:pk>/edit/", materials.MaterialEditView.as_view(), name="material_edit"),
    path("materials/<int:pk>/stock/", materials.StockAddView.as_view(), name="stock_add"),
    path("materials/distribute/", materials.DistributionCreateView.as_view(), name="distribution_create"),
    path("materials/public-page/", materials.PublicPageToggleView.as_view(), name="public_page_toggle"),
    path("targets.<str:fmt>", exports.TargetsExportView.as_view(), name="targets_export"),
    path("targets/<int:municipality_pk>/", targets.TargetsEditView.as_view(), name="targets_edit"),
    path("verify/", public.verify, name="verify"),
    path("verify/<str:code>/", public.verify, name="verify_code"),
    path("public/<slug:slug>/", public.public_page, name="public_page"),
]
