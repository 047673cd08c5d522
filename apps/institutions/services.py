"""Writes for institutions."""
from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.text import to_cyrillic

from .models import Institution


@transaction.atomic
def institution_create(
    *, municipality, type: str, name: str, name_cyrl: str = "", created_by=None, **fields
) -> Institution:
    """Add an institution to a municipality (the Cyrillic name, left empty, is transliterated)."""
    name = name.strip()
    institution = Institution(
        municipality=municipality, type=type, name=name, name_cyrl=(name_cyrl or "").strip() or to_cyrillic(name),
        **fields,
    )
    institution.full_clean()
    institution.save()
    audit_log(action=AuditAction.CREATE, actor=created_by, obj=institution)
    return institution


@transaction.atomic
def institution_update(*, institution: Institution, updated_by, **fields) -> Institution:
    """Change an institution's names, contact data or status.

    A new Latin name without a Cyrillic one renews the Cyrillic name when it was the transliteration
    of the old Latin name (an own Cyrillic spelling is kept).
    """
    if "name" in fields:
        fields["name"] = fields["name"].strip()
    if "name_cyrl" in fields:
        fields["name_cyrl"] = (fields["name_cyrl"] or "").strip() or to_cyrillic(fields.get("name", institution.name))
    elif fields.get("name", institution.name) != institution.name and (
        not institution.name_cyrl or institution.name_cyrl == to_cyrillic(institution.name)
    ):
        fields["name_cyrl"] = to_cyrillic(fields["name"])
    changed = [k for k, v in fields.items() if getattr(institution, k) != v]
    for key in changed:
        setattr(institution, key, fields[key])
    if changed:
        institution.full_clean()
        institution.save()
        audit_log(action=AuditAction.UPDATE, actor=updated_by, obj=institution, details={"fields": changed})
    return institution


# Roles whose holders work on cases; only they join an institution's staff group, which receives
# per-case grants (an accepted referral). Officials and institution admins never read a case.
STAFF_GROUP_ROLES = ("caseworker", "coordinator", "supervisor")


def staff_group_name(institution_id: int) -> str:
    """The auth group holding the case staff of one institution."""
    return f"institution-{institution_id}:staff"


def sync_staff_group(*, user, institution) -> None:
    """Put the user in (or take them out of) the institution's staff group after a membership change."""

    group, _created = Group.objects.get_or_create(name=staff_group_name(institution.pk))
    works_on_cases = user.memberships.filter(
        institution=institution, is_active=True, role__in=STAFF_GROUP_ROLES
    ).exists()
    if works_on_cases:
        user.groups.add(group)
    else:
        user.groups.remove(group)
