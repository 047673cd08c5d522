"""Writes of the protocols app (keyword-only, validated, atomic, audited)."""
