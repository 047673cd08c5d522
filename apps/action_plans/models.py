"""Models of the action_plans app."""
