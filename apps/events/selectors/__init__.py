"""Reads of the events app."""
