"""Serializers of the case record API, one module per resource."""
