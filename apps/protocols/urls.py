"""Pages of the protocols app: protocols, agreements, self-assessment, compliance."""
from django.urls import path, re_path

from .views import agreements, assessment, compliance, protocols

app_name = "protocols"

urlpatterns = [
    path("", protocols.ProtocolListView.as_view(), name="protocol_list"),
    path("new/", protocols.ProtocolCreateView.as_view(), name="protocol_create"),
    path("<int:pk>/", protocols.ProtocolDetailView.as_view(), name="protocol_detail"),
    path("<int:pk>/new-version/", protocols.VersionNewView.as_view(), name="version_new"),
    path("versions/<int:pk>/", protocols.VersionDetailView.as_view(), name="version_detail"),
    path("versions/<int:pk>/edit/", protocols.VersionEditView.as_view(), name="version_edit"),
    path("versions/<int:pk>/steps/add/", protocols.StepFormView.as_view(), name="step_add"),
    path("versions/<int:pk>/steps/<int:step_pk>/", protocols.StepFormView.as_view(), name="step_edit"),
    path("versions/<int:pk>/steps/<int:step_pk>/delete/", protocols.StepDeleteView.as_view(), name="step_delete"),
    path("versions/<int:pk>/adopt/", protocols.VersionAdoptView.as_view(), name="version_adopt"),
    path("versions/<int:pk>/compare/", protocols.VersionDiffView.as_view(), name="version_diff"),
    path("versions/<int:pk>/pdf/", protocols.VersionPdfView.as_view(), name="version_pdf"),
    path("agreements/", agreements.AgreementListView.as_view(), name="agreement_list"),
    path("agreements/bound/", agreements.AgreementBoundView.as_view(), name="agreement_bound"),
    path("agreements/new/", agreements.AgreementFormView.as_view(), name="agreement_create"),
    path("agreements/<int:pk>/", agreements.AgreementDetailView.as_view(), name="agreement_detail"),
    path("agreements/<int:pk>/edit/", agreements.AgreementFormView.as_view(), name="agreement_edit"),
    path("agreements/<int:pk>/parties/add/", agreements.PartyAddView.as_view(), name="party_add"),
    path("agreements/<int:pk>/parties/<int:party_pk>/sign/", agreements.PartySignView.as_view(), name="party_sign"),
    path("agreements/<int:pk>/scan/", agreements.AgreementScanView.as_view(), name="agreement_scan"),
    path("agreements/<int:pk>/annexes/add/", agreements.AnnexAddView.as_view(), name="annex_add"),
    path("agreements/<int:pk>/terminate/", agreements.AgreementTerminateView.as_view(), name="agreement_terminate"),
    path("checklists/", assessment.ChecklistListView.as_view(), name="checklist_list"),
    path("checklists/<int:pk>/", assessment.ChecklistDetailView.as_view(), name="checklist_detail"),
    path("checklists/<int:pk>/adapt/", assessment.ChecklistAdaptView.as_view(), name="checklist_adapt"),
    path("checklists/<int:pk>/items/<int:item_pk>/", assessment.ChecklistItemEditView.as_view(), name="checklist_item_edit"),
    path("rounds/", assessment.RoundListView.as_view(), name="round_list"),
    path("rounds/new/", assessment.RoundCreateView.as_view(), name="round_create"),
    path("rounds/<int:pk>/", assessment.RoundDetailView.as_view(), name="round_detail"),
    path("rounds/<int:pk>/close/", assessment.RoundCloseView.as_view(), name="round_close"),
    re_path(r"^rounds/(?P<pk>[0-9]+)/export\.(?P<fmt>csv|xlsx)$", assessment.RoundExportView.as_view(),
            name="round_export"),
    path("answers/<int:pk>/", assessment.ResponseDetailView.as_view(), name="response_detail"),
    path("answers/<int:pk>/return/", assessment.ResponseReturnView.as_view(), name="response_return"),
    path("answers/<int:pk>/action-points/", assessment.ActionPointAddView.as_view(), name="action_point_add"),
    path("compliance/", compliance.ComplianceView.as_view(), name="compliance"),
    path("compliance/cases/", compliance.ComplianceCasesView.as_view(), name="compliance_cases"),
    re_path(r"^compliance/export\.(?P<fmt>csv|xlsx)$", compliance.ComplianceExportView.as_view(),
            name="compliance_export"),
]
