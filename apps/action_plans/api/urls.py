"""API routes of the action_plans app (ROUTES: viewsets; PATHS: plain views)."""
ROUTES: list = []
PATHS: list = []
