"""The /api/v1/ router: every app registers its viewsets here."""
from rest_framework.routers import DefaultRouter

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False


def register_all():
    """Import each app's API routes (kept in the app's api/urls.py as ROUTES)."""
    from importlib import import_module

    for app in ("municipalities", "institutions", "accounts"):
        try:
            module = import_module(f"apps.{app}.api.urls")
        except ModuleNotFoundError:
            continue
        for prefix, viewset, basename in getattr(module, "ROUTES", ()):
            router.register(prefix, viewset, basename=basename)


register_all()
urlpatterns = router.urls
