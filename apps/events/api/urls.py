"""API routes of the events app (ROUTES: viewsets; PATHS: plain views)."""
ROUTES: list = []
PATHS: list = []
