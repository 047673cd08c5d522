"""API views of the protocols app."""
