"""URL patterns of the records pages: persons, incidents, risk, consent, notes, attachments
(joined in apps/cases/urls.py under the "cases" namespace)."""
from django.urls import path

from .views import consent, documents, drafts, incidents, notes, persons, risk

urlpatterns = [
    path("<int:pk>/persons/add/", persons.PersonAddView.as_view(), name="person_add"),
    path("<int:pk>/persons/check/", persons.PersonCheckView.as_view(), name="person_check"),
    path("<int:pk>/persons/<int:person_pk>/edit/", persons.PersonEditView.as_view(), name="person_edit"),
    path("<int:pk>/incidents/add/", incidents.IncidentAddView.as_view(), name="incident_add"),
    path("<int:pk>/risk/add/", risk.RiskAddView.as_view(), name="risk_add"),
    path("<int:pk>/risk/preview/", risk.RiskPreviewView.as_view(), name="risk_preview"),
    path("<int:pk>/consents/add/", consent.ConsentAddView.as_view(), name="consent_add"),
    path(
        "<int:pk>/consents/<int:consent_pk>/withdraw/",
        consent.ConsentWithdrawView.as_view(),
        name="consent_withdraw",
    ),
    path("<int:pk>/notes/add/", notes.NoteAddView.as_view(), name="note_add"),
    path("<int:pk>/notes/<int:note_pk>/edit/", notes.NoteEditView.as_view(), name="note_edit"),
    path("<int:pk>/drafts/<slug:key>/", drafts.DraftSaveView.as_view(), name="draft_save"),
    path("<int:pk>/drafts/<slug:key>/discard/", drafts.DraftDiscardView.as_view(), name="draft_discard"),
    path("<int:pk>/attachments/add/", documents.AttachmentAddView.as_view(), name="attachment_add"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/download/",
        documents.AttachmentDownloadView.as_view(),
        name="attachment_download",
    ),
]
