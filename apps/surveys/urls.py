"""Pages of the surveys app."""
from django.urls import path

from .views import exports, public, staff

app_name = "surveys"

urlpatterns: list = [
    path("", staff.SurveyHome.as_view(), name="home"),
    path("adopt/", staff.AdoptView.as_view(), name="adopt"),
    path("new/", staff.AdoptView.as_view(new=True), name="create"),
    path("questionnaires/<int:pk>/", staff.QuestionnaireView.as_view(), name="questionnaire"),
    path("versions/<int:pk>/<slug:op>/", staff.VersionActionView.as_view(), name="version_action"),
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
