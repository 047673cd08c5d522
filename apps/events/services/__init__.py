"""Writes of the events app (every one takes the acting user, validates before writing, audits)."""
