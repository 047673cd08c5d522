"""Writes of the action plans (keyword-only, validated, atomic, audited)."""
