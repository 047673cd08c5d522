"""API routes of the institutions app (registered by config/api_router.py)."""
from .views import InstitutionViewSet

ROUTES = [("institutions", InstitutionViewSet, "institution")]
