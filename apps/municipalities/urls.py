from django.urls import path

from . import views

app_name = "municipalities"

# The fixed paths come before <slug:slug>/ so that no slug can shadow them.
urlpatterns = [
    path("", views.MunicipalityListView.as_view(), name="list"),
    path("onboard/", views.OnboardingWizardView.as_view(), name="onboard"),
    path("onboard/done/", views.OnboardingDoneView.as_view(), name="onboard_done"),
    path("<slug:slug>/", views.MunicipalityDetailView.as_view(), name="detail"),
    path("<slug:slug>/edit/", views.MunicipalityUpdateView.as_view(), name="edit"),
]
