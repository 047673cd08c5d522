"""API views of the action_plans app."""
