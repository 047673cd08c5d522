"""Writes of the surveys app (each in one transaction, audited; the public answer is not audited:
an audit entry would tie the visitor's address to the time of an answer)."""
