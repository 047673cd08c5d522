"""Reads of the protocols app."""
