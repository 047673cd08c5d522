"""API serializers of the protocols app."""
