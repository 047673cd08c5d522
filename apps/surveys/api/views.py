"""API views of the surveys app."""
