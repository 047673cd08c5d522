"""Writes of the interlinking app."""
