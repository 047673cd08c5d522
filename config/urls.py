"""URL configuration."""
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog  # noqa: F401
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from apps.core.views import health

urlpatterns = [
    path("", include("apps.core.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("municipalities/", include("apps.municipalities.urls")),
    path("institutions/", include("apps.institutions.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", health, name="health"),
    path("api/v1/", include("config.api_router")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-docs"),
]
