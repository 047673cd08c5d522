"""Viewsets of the case record API, one module per resource over the scoped base (views/base.py)."""
