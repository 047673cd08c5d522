"""Account choices."""
from apps.core.choices import Role  # noqa: F401  (re-exported: roles belong to memberships)
