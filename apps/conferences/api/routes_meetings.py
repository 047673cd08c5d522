"""API routes for meetings, invitations, agendas and the calendar."""
ROUTES: list = []
PATHS: list = []
