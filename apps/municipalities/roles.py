"""Role groups per municipality and the municipality-wide permissions each role gets by default.

A municipality may take a permission away from a role group (tighten); it never adds one that
is not listed here (loosen).
"""
from apps.core.choices import Role

ROLE_MUNICIPALITY_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.CASEWORKER: (),
    Role.SUPERVISOR: (),
    Role.COORDINATOR: (
        "view_municipality_cases",
        "view_municipality_aggregates",
        "manage_municipality_conferences",
    ),
    Role.OFFICIAL: ("view_municipality_aggregates",),
    Role.INSTITUTION_ADMIN: ("view_municipality_audit",),
}


def role_group_name(municipality_id: int, role: str) -> str:
    """The name of the auth group holding one role of one municipality."""
    return f"municipality-{municipality_id}:{role}"
