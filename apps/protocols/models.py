"""Models of the protocols app."""
