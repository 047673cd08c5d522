"""Pages of the protocols app, by resource."""
