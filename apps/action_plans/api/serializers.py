"""API serializers of the action_plans app."""
