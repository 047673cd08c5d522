"""API routes of the protocols app (ROUTES: viewsets; PATHS: plain views)."""
ROUTES: list = []
PATHS: list = []
