"""Pages of the surveys app."""
from django.urls import path

from .views import builder, exports, national, public, staff

app_name = "surveys"

urlpatterns: list = [
    path("", staff.SurveyHome.as_view(), name="home"),
    path("adopt/", staff.AdoptView.as_view(), name="adopt"),
    path("new/", staff.AdoptView.as_view(new=True), name="create"),
    path("questionnaires/<int:pk>/", staff.QuestionnaireView.as_view(), name="questionnaire"),
    path("versions/<int:pk>/<slug:op>/", staff.VersionActionView.as_view(), name="version_action"),
    path("versions/<int:pk>/questions/<int:question_pk>/", builder.QuestionEditView.as_view(), name="question_edit"),
    path("versions/<int:pk>/questions/<int:question_pk>/move/", builder.QuestionMoveView.as_view(), name="question_move"),
    path("versions/<int:pk>/sections/<int:section_pk>/", builder.SectionEditView.as_view(), name="section_edit"),
    path("versions/<int:pk>/sections/<int:section_pk>/move/", builder.SectionMoveView.as_view(), name="section_move"),
    path("versions/<int:pk>/sections/<int:section_pk>/delete/", builder.SectionDeleteView.as_view(),
         name="section_delete"),
    # National templates (platform admins).
    path("national/", national.NationalListView.as_view(), name="national"),
    path("national/<int:pk>/", national.NationalDetailView.as_view(), name="national_detail"),
    path("national/<int:pk>/<slug:op>/", national.NationalActionView.as_view(), name="national_action"),
    path("national/<int:pk>/questions/<slug:key>/", national.NationalQuestionView.as_view(), name="national_question"),
    path("national/<int:pk>/sections/<int:number>/", national.NationalSectionView.as_view(), name="national_section"),
    path("collections/<int:pk>/", staff.CollectionView.as_view(), name="collection"),
    path("collections/<int:pk>/close/", staff.CollectionCloseView.as_view(), name="collection_close"),
    path("collections/<int:pk>/results.<slug:fmt>", exports.ResultsExportView.as_view(), name="results_export"),
    path("collections/<int:pk>/answers.csv", exports.RawExportView.as_view(), name="raw_export"),
    path("collections/<int:pk>/<slug:kind>.pdf", exports.PosterView.as_view(), name="poster"),
    path("waves/<int:pk>/", staff.WaveView.as_view(), name="wave"),
    # The public page: no login, documented in the README (not part of the authenticated API).
    path("a/<str:token>/", public.answer, name="public_answer"),
    path("a/<str:token>/thanks/", public.thanks, name="public_thanks"),
]
