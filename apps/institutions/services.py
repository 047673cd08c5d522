"""Writes for institutions."""
from __future__ import annotations

from django.db import transaction

from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from .models import Institution


@transaction.atomic
def institution_create(*, municipality, type: str, name: str, created_by=None, **fields) -> Institution:
    """Add an institution to a municipality."""
    institution = Institution(municipality=municipality, type=type, name=name.strip(), **fields)
    institution.full_clean()
    institution.save()
    audit_log(action=AuditAction.CREATE, actor=created_by, obj=institution)
    return institution


@transaction.atomic
def institution_update(*, institution: Institution, updated_by, **fields) -> Institution:
    """Change an institution's contact data or status."""
    changed = [k for k, v in fields.items() if getattr(institution, k) != v]
    for key in changed:
        setattr(institution, key, fields[key])
    if changed:
        institution.full_clean()
        institution.save()
        audit_log(action=AuditAction.UPDATE, actor=updated_by, obj=institution, details={"fields": changed})
    return institution
