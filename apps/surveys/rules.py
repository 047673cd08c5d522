"""Who reaches which questionnaire, collection and result: stated once, read by every page, export,
API action and PDF (through the querysets of apps/surveys/querysets.py).

- **Manage** (build, adopt, distribute, read free text): the coordinators of the municipality; the
  institution admins for what belongs to their institution.
- **Read results** (suppressed aggregates): those who manage and the officials of the municipality.
  Platform admins read none: survey rows are municipality content, which row-level security keeps
  from the directory context of a platform admin.
- **National templates** (no municipality): read by everyone signed in (to adopt one), kept by platform
  admins (new version as a copy, edit the draft, publish).
- **Raw answers** (without free text, audited): the coordinators of the municipality only.
Caseworkers and supervisors reach nothing here (they answer professionals' waves through the public
link like anyone else).
"""
from __future__ import annotations

from django.db.models import Q

from apps.core.choices import Role


def manage_condition(access, prefix: str = "") -> Q | None:
    """Rows the user manages: their coordinator municipalities, their admin institutions."""
    coordinated = access.municipality_ids(Role.COORDINATOR)
    administered = access.institution_ids(Role.INSTITUTION_ADMIN)
    condition = None
    if coordinated:
        condition = Q(**{f"{prefix}municipality_id__in": coordinated})
    if administered:
        own = Q(**{f"{prefix}institution_id__in": administered})
        condition = own if condition is None else condition | own
    return condition


def read_condition(access, prefix: str = "") -> Q | None:
    """Rows whose (suppressed) results the user reads."""
    condition = manage_condition(access, prefix)
    officials = access.municipality_ids(Role.OFFICIAL)
    if officials:
        theirs = Q(**{f"{prefix}municipality_id__in": officials})
        condition = theirs if condition is None else condition | theirs
    return condition


def questionnaire_view_condition(access, prefix: str = "") -> Q | None:
    """Questionnaires: everything of the municipalities where the user manages or reads results (an
    institution admin adopts and distributes the municipality's questionnaires too)."""
    municipalities = access.municipality_ids(Role.COORDINATOR, Role.INSTITUTION_ADMIN, Role.OFFICIAL)
    return Q(**{f"{prefix}municipality_id__in": municipalities}) if municipalities else None


def wave_condition(access) -> Q | None:
    """Pre/post waves (trainings across services): the coordinators and officials of the
    municipality; changed by coordinators only."""
    municipalities = access.municipality_ids(Role.COORDINATOR, Role.OFFICIAL)
    return Q(municipality_id__in=municipalities) if municipalities else None


def raw_condition(access, prefix: str = "") -> Q | None:
    """Raw answers (no free text): the coordinators of the municipality."""
    coordinated = access.municipality_ids(Role.COORDINATOR)
    return Q(**{f"{prefix}municipality_id__in": coordinated}) if coordinated else None


def distribution_institutions(access) -> Q | None:
    """Institutions a questionnaire may be adopted for or distributed to (over the institution table):
    every institution of the user's coordinator municipalities, and their own admin institutions."""
    coordinated = access.municipality_ids(Role.COORDINATOR)
    administered = access.institution_ids(Role.INSTITUTION_ADMIN)
    condition = None
    if coordinated:
        condition = Q(municipality_id__in=coordinated)
    if administered:
        own = Q(pk__in=administered)
        condition = own if condition is None else condition | own
    return condition


def may_build(access) -> bool:
    """Whether the user may create questionnaires and collections at all."""
    return bool(access.municipality_ids(Role.COORDINATOR) or access.institution_ids(Role.INSTITUTION_ADMIN))


def may_keep_templates(access) -> bool:
    """The national templates are kept by platform admins."""
    return bool(access.is_platform_admin)
