"""Pages of the action_plans app."""
