"""API serializers of the surveys app."""
