"""Reads of the action plans."""
