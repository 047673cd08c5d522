"""URL configuration."""
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog  # noqa: F401
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import IsAuthenticated

from apps.core.api.docs import ApiDocsView
from apps.core.views import health

urlpatterns = [
    path("", include("apps.core.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("municipalities/", include("apps.municipalities.urls")),
    path("institutions/", include("apps.institutions.urls")),
    path("cases/", include("apps.cases.urls")),
    path("conferences/", include("apps.conferences.urls")),
    path("protocols/", include("apps.protocols.urls")),
    path("action-plans/", include("apps.action_plans.urls")),
    path("surveys/", include("apps.surveys.urls")),
    path("events/", include("apps.events.urls")),
    path("interlink/", include("apps.interlink.urls")),
    path("reports/", include("apps.reports.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", health, name="health"),
    path("api/v1/", include("config.api_router")),
    # The schema and its docs page are for signed-in users (API token or verified session).
    path("api/schema/", SpectacularAPIView.as_view(permission_classes=[IsAuthenticated]), name="api-schema"),
    path("api/docs/", ApiDocsView.as_view(), name="api-docs"),
]

# Under /api/ a route that does not match (e.g. a non-numeric id) answers JSON like the rest of the API.
handler404 = "apps.core.api.errors.not_found"
handler500 = "apps.core.api.errors.server_error"
