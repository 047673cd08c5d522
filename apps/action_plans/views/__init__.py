"""Pages of the action plans, by resource."""
