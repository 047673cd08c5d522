"""Pages of the interlinking app."""
from django.urls import path

from . import views

app_name = "interlink"

urlpatterns = [
    path("accounts/", views.AccountListView.as_view(), name="account_list"),
    path("accounts/new/", views.AccountCreateView.as_view(), name="account_create"),
    path("accounts/<int:pk>/", views.AccountDetailView.as_view(), name="account_detail"),
    path("accounts/<int:pk>/rotate/", views.AccountRotateView.as_view(), name="account_rotate"),
    path("accounts/<int:pk>/revoke/", views.AccountRevokeView.as_view(), name="account_revoke"),
    path("accounts/<int:pk>/tokens/<str:prefix>/revoke/", views.TokenRevokeView.as_view(), name="token_revoke"),
    path("accounts/<int:pk>/upload/", views.UploadView.as_view(), name="account_upload"),
    path("imports/<int:pk>/", views.ImportDetailView.as_view(), name="import_detail"),
    path("records/", views.RecordListView.as_view(), name="record_list"),
    path("records/<int:pk>/", views.RecordDetailView.as_view(), name="record_detail"),
    path("records/<int:pk>/assign/", views.RecordAssignView.as_view(), name="record_assign"),
    path("records/<int:pk>/undo/", views.RecordUndoView.as_view(), name="record_undo"),
]
