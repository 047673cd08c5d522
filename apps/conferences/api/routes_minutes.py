"""API routes for minutes, action items, supervision feedback and targets."""
ROUTES: list = []
PATHS: list = []
