"""API routes of the municipalities app (registered by config/api_router.py)."""
from .views import MunicipalityViewSet

ROUTES = [("municipalities", MunicipalityViewSet, "municipality")]
