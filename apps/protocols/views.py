"""Pages of the protocols app."""
