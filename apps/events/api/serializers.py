"""API serializers of the events app."""
