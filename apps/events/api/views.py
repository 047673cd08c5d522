"""API views of the events app."""
