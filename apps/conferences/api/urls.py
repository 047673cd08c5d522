"""API routes of the conferences app (collected by config/api_router.py)."""
from .routes_meetings import PATHS as MEETING_PATHS
from .routes_meetings import ROUTES as MEETING_ROUTES
from .routes_minutes import PATHS as MINUTES_PATHS
from .routes_minutes import ROUTES as MINUTES_ROUTES

ROUTES = [*MEETING_ROUTES, *MINUTES_ROUTES]
PATHS = [*MEETING_PATHS, *MINUTES_PATHS]
