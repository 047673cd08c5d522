"""Writes for municipalities: creation, settings and their role groups."""
from __future__ import annotations

from django.contrib.auth.models import Group
from django.db import transaction

from apps.core.audit import audit_log
from apps.core.choices import AuditAction, Role
from apps.core.grants import grant_object_permission

from .choices import DEFAULT_CADENCE_MONTHS, SizeClass, size_class_for_population
from .grammar import propose_forms
from .models import Municipality, MunicipalityGroupGrant
from .roles import ROLE_MUNICIPALITY_PERMISSIONS, role_group_name


def role_group(municipality: Municipality, role: str) -> Group:
    """The group of one role in one municipality (created on first use)."""
    group, _ = Group.objects.get_or_create(name=role_group_name(municipality.pk, role))
    return group


@transaction.atomic
def ensure_role_groups(*, municipality: Municipality, granted_by=None) -> None:
    """Create the municipality's role groups and their default municipality-wide grants."""
    for role in Role.values:
        group = role_group(municipality, role)
        existing = set(
            MunicipalityGroupGrant.objects.filter(group=group, content_object=municipality).values_list(
                "permission__codename", flat=True
            )
        )
        for codename in ROLE_MUNICIPALITY_PERMISSIONS[role]:
            if codename not in existing:
                grant_object_permission(
                    grant_model=MunicipalityGroupGrant,
                    obj=municipality,
                    codename=codename,
                    group=group,
                    granted_by=granted_by,
                    reason="role default",
                )


@transaction.atomic
def municipality_create(
    *,
    name: str,
    name_cyrl: str,
    code: str,
    slug: str,
    created_by=None,
    kind: str = "municipality",
    district: str = "",
    population: int | None = None,
    size_class: str | None = None,
    conference_cadence_months: int | None = None,
    **names,
) -> Municipality:
    """Create a municipality with its role groups and default grants.

    Without a size, the population sets it (smaller when the population is not known either);
    ``names`` are the name's case forms (name_locative, ...); those left out are proposed.
    """
    size_class = size_class or size_class_for_population(population) or SizeClass.SMALL
    forms = propose_forms(
        name=name, name_cyrl=name_cyrl, locative=names.pop("name_locative", "") or "",
        locative_cyrl=names.pop("name_locative_cyrl", "") or "", genitive=names.pop("name_genitive", "") or "",
        genitive_cyrl=names.pop("name_genitive_cyrl", "") or "",
    )
    municipality = Municipality(
        name=name.strip(),
        name_cyrl=name_cyrl.strip(),
        code=code.strip().upper(),
        slug=slug.strip().lower(),
        kind=kind,
        district=district.strip(),
        population=population,
        size_class=size_class,
        conference_cadence_months=conference_cadence_months or DEFAULT_CADENCE_MONTHS[SizeClass(size_class)],
        name_locative=forms.locative, name_locative_cyrl=forms.locative_cyrl,
        name_genitive=forms.genitive, name_genitive_cyrl=forms.genitive_cyrl,
        **names,
    )
    municipality.full_clean()
    municipality.save()
    ensure_role_groups(municipality=municipality, granted_by=created_by)
    audit_log(action=AuditAction.CREATE, actor=created_by, obj=municipality)
    return municipality


@transaction.atomic
def municipality_update(*, municipality: Municipality, updated_by, **fields) -> Municipality:
    """Change a municipality's settings (platform admins)."""
    changed = []
    for name, value in fields.items():
        if getattr(municipality, name) != value:
            setattr(municipality, name, value)
            changed.append(name)
    if changed:
        municipality.full_clean()
        municipality.save()
        audit_log(action=AuditAction.UPDATE, actor=updated_by, obj=municipality, details={"fields": changed})
    return municipality
