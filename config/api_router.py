"""The /api/v1/ router: every app registers its viewsets here."""
from rest_framework.routers import DefaultRouter


class Router(DefaultRouter):
    """Routes whose ids are numbers unless a viewset declares its own ``lookup_value_regex``: a
    malformed id does not match (a JSON 404), it never reaches a query."""

    def get_lookup_regex(self, viewset, lookup_prefix=""):
        lookup_url_kwarg = getattr(viewset, "lookup_url_kwarg", None) or getattr(viewset, "lookup_field", "pk")
        lookup_value = getattr(viewset, "lookup_value_regex", r"[0-9]+")
        return f"(?P<{lookup_prefix}{lookup_url_kwarg}>{lookup_value})"


router = Router(trailing_slash=True)
router.include_root_view = False

API_APPS = (
    "municipalities", "institutions", "accounts", "cases", "conferences",
    "protocols", "action_plans", "surveys", "events", "interlink", "reports",
)


def register_all() -> list:
    """Import each app's API routes (ROUTES: viewsets; PATHS: plain views) from the app's api/urls.py."""
    from importlib import import_module

    paths = []
    for app in API_APPS:
        try:
            module = import_module(f"apps.{app}.api.urls")
        except ModuleNotFoundError:
            continue
        for prefix, viewset, basename in getattr(module, "ROUTES", ()):
            router.register(prefix, viewset, basename=basename)
        paths.extend(getattr(module, "PATHS", ()))
    return paths


extra_paths = register_all()
urlpatterns = router.urls + extra_paths
