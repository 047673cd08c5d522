"""API routes of the surveys app (ROUTES: viewsets; PATHS: plain views)."""
ROUTES: list = []
PATHS: list = []
