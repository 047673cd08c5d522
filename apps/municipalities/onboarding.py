"""Onboarding a municipality: one service used by the browser wizard and the command line.

The input is a plain, already validated ``OnboardingSpec`` (the municipality, its institutions
with a local key each, and the first institution admins pointing at those keys). Running the
same spec twice changes nothing: the municipality is matched by code, institutions by
(municipality, name), and invitations are idempotent themselves.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from apps.core.audit import audit_log
from apps.core.choices import AuditAction
from apps.core.text import to_cyrillic
from apps.institutions.models import Institution
from apps.institutions.services import institution_create, institution_update

from .choices import (
    DEFAULT_CADENCE_MONTHS,
    LARGE_FROM_POPULATION,
    MunicipalityKind,
    SizeClass,
    size_class_for_population,
)
from .grammar import NameForms, propose_forms
from .models import Municipality
from .services import municipality_create, municipality_update

# Path segments of the municipality pages that a slug must not take.
RESERVED_SLUGS = frozenset({"onboard", "new", "edit"})

STANDARD_INSTITUTIONS_FILE = Path(__file__).resolve().parent / "data" / "standard_institutions.yaml"


@dataclass(frozen=True)
class MunicipalitySpec:
    """The municipality's own fields."""

    name: str
    name_cyrl: str
    code: str
    slug: str
    kind: str = MunicipalityKind.MUNICIPALITY
    district: str = ""
    population: int | None = None
    size_class: str = ""  # empty: from the population (size_class_for_population)
    conference_cadence_months: int | None = None  # None: from the size class
    # The name's case forms for institution names; empty: proposed (grammar.propose_forms).
    name_locative: str = ""
    name_locative_cyrl: str = ""
    name_genitive: str = ""
    name_genitive_cyrl: str = ""

    @property
    def resolved_size_class(self) -> str:
        """The size given, else the one the population implies (smaller when neither is known)."""
        return self.size_class or size_class_for_population(self.population) or SizeClass.SMALL

    @property
    def forms(self) -> NameForms:
        """The case forms as given, the missing ones proposed."""
        return propose_forms(
            name=self.name, name_cyrl=self.name_cyrl, locative=self.name_locative,
            locative_cyrl=self.name_locative_cyrl, genitive=self.name_genitive, genitive_cyrl=self.name_genitive_cyrl,
        )


@dataclass(frozen=True)
class InstitutionSpec:
    """One institution; ``key`` is local to the spec (admins point at it)."""

    key: str
    type: str
    name: str
    address: str = ""
    name_cyrl: str = ""  # empty: transliterated from the Latin name
    email: str = ""
    phone: str = ""


@dataclass(frozen=True)
class AdminSpec:
    """A first institution admin, invited by e-mail."""

    email: str
    institution_key: str
    first_name: str = ""
    last_name: str = ""


@dataclass(frozen=True)
class OnboardingSpec:
    """Everything one onboarding creates or confirms."""

    municipality: MunicipalitySpec
    institutions: tuple[InstitutionSpec, ...] = ()
    admins: tuple[AdminSpec, ...] = ()


@dataclass
class OnboardingResult:
    """What an onboarding created, updated or found unchanged."""

    municipality: Municipality
    municipality_created: bool = False
    municipality_updated_fields: list[str] = field(default_factory=list)
    institutions_created: list = field(default_factory=list)
    institutions_updated: list[tuple] = field(default_factory=list)  # (institution, [fields])
    institutions_unchanged: list = field(default_factory=list)
    invitations_created: list = field(default_factory=list)
    admins_unchanged: list[AdminSpec] = field(default_factory=list)  # already invited or a member
    dry_run: bool = False

    @property
    def counts(self) -> dict[str, int]:
        """Created / updated / unchanged over the municipality, institutions and invitations."""
        return {
            "created": int(self.municipality_created) + len(self.institutions_created) + len(self.invitations_created),
            "updated": int(bool(self.municipality_updated_fields)) + len(self.institutions_updated),
            "unchanged": int(not self.municipality_created and not self.municipality_updated_fields)
            + len(self.institutions_unchanged)
            + len(self.admins_unchanged),
        }

    @property
    def changed(self) -> bool:
        """Whether anything was (or, in a dry run, would be) written."""
        counts = self.counts
        return bool(counts["created"] or counts["updated"])

    def as_summary(self) -> dict:
        """A JSON-safe summary for the result page (kept in the session, never in a URL)."""
        return {
            "municipality": {
                "name": self.municipality.name,
                "name_cyrl": self.municipality.name_cyrl,
                "code": self.municipality.code,
                "slug": self.municipality.slug,
                "created": self.municipality_created,
                "updated_fields": list(self.municipality_updated_fields),
            },
            "institutions": [{"name": i.name, "status": "created"} for i in self.institutions_created]
            + [{"name": i.name, "status": "updated"} for i, _f in self.institutions_updated]
            + [{"name": i.name, "status": "unchanged"} for i in self.institutions_unchanged],
            "invitations": [{"email": inv.email, "institution": inv.institution.name, "status": "sent"}
                            for inv in self.invitations_created],
            "admins_unchanged": [{"email": a.email} for a in self.admins_unchanged],
            "counts": self.counts,
            "dry_run": self.dry_run,
        }


# ---------------------------------------------------------------------------------------------
# Checks shared by the file parser, the wizard and the service


def default_cadence(size_class: str) -> int:
    """The conference cadence (months) a size class sets."""
    return DEFAULT_CADENCE_MONTHS[SizeClass(size_class)]


def size_class_warning(*, population: int | None, size_class: str) -> str | None:
    """A note when the chosen size is not the one the population implies (the choice stands)."""
    implied = size_class_for_population(population)
    if not size_class or implied is None or implied == size_class:
        return None
    return _(
        "The population (%(population)s) implies the size “%(implied)s” (larger from %(threshold)s people), "
        "but “%(chosen)s” was chosen: check that the conference cadence is the one intended."
    ) % {
        "population": f"{population:,}".replace(",", "."), "implied": SizeClass(implied).label,
        "threshold": f"{LARGE_FROM_POPULATION:,}".replace(",", "."), "chosen": SizeClass(size_class).label,
    }


def municipality_conflicts(*, code: str, slug: str) -> list[tuple[str, str]]:
    """(field, message) for a code or slug already taken by ANOTHER municipality.

    The same code with the same slug is the same municipality (onboarding it again updates it).
    """
    problems: list[tuple[str, str]] = []
    by_code = Municipality.objects.filter(code=code).only("code", "slug", "name").first() if code else None
    if by_code is not None and by_code.slug != slug:
        problems.append(
            ("code", _("The code %(code)s is already used by another municipality (%(other)s).")
             % {"code": code, "other": by_code.name})
        )
    by_slug = Municipality.objects.filter(slug=slug).only("code", "slug", "name").first() if slug else None
    if by_slug is not None and by_slug.code != code:
        problems.append(
            ("slug", _("The short name %(slug)s is already used by another municipality (%(other)s).")
             % {"slug": slug, "other": by_slug.name})
        )
    if slug in RESERVED_SLUGS:
        problems.append(("slug", _("The short name %(slug)s is reserved; choose another.") % {"slug": slug}))
    return problems


def suggest_slug(name: str) -> str:
    """An ASCII short name from a Latin (or Cyrillic) name: "Smederevska Palanka" -> "smederevska-palanka"."""
    text = name.strip().translate(_TO_ASCII)
    return slugify(text)[:60].strip("-")


_CYRILLIC = "абвгдђежзијклљмнњопрстћуфхцчџш"
_LATIN = ["a", "b", "v", "g", "d", "dj", "e", "z", "z", "i", "j", "k", "l", "lj", "m", "n", "nj", "o", "p", "r",
          "s", "t", "c", "u", "f", "h", "c", "c", "dz", "s"]
_TO_ASCII = str.maketrans(
    {**{c: latin for c, latin in zip(_CYRILLIC, _LATIN, strict=True)},
     **{c.upper(): latin for c, latin in zip(_CYRILLIC, _LATIN, strict=True)},
     "đ": "dj", "Đ": "dj"}
)


@lru_cache(maxsize=1)
def _standard_rows() -> tuple[dict, ...]:
    with STANDARD_INSTITUTIONS_FILE.open(encoding="utf-8") as fh:
        return tuple(yaml.safe_load(fh))


_PLACEHOLDER = re.compile(r"(\{\w+\})")


def _cyrillic_pattern(pattern: str) -> str:
    """The pattern's text transliterated, its placeholders kept."""
    return "".join(part if _PLACEHOLDER.fullmatch(part) else to_cyrillic(part) for part in _PLACEHOLDER.split(pattern))


def standard_institutions(*, forms: NameForms, kind: str = MunicipalityKind.MUNICIPALITY) -> list[dict]:
    """The standard list, named in both scripts from the municipality's name in the case each name needs."""
    rows = []
    for row in _standard_rows():
        pattern = (row.get("name_by_kind") or {}).get(str(kind)) or row["name"]
        pattern_cyrl = row.get("name_cyrl") or _cyrillic_pattern(pattern)
        rows.append({
            "key": row["key"],
            "type": row["type"],
            "name": pattern.format(**forms.pattern_values(cyrillic=False)).strip(),
            "name_cyrl": pattern_cyrl.format(**forms.pattern_values(cyrillic=True)).strip(),
            "include": bool(row.get("include", True)),
        })
    return rows


# ---------------------------------------------------------------------------------------------
# The service


class _DryRun(Exception):
    def __init__(self, result):
        self.result = result


def onboard_municipality(*, spec: OnboardingSpec, onboarded_by, dry_run: bool = False) -> OnboardingResult:
    """Create or confirm a municipality, its institutions and first admins' invitations, in one transaction.

    With ``dry_run`` everything is done and then rolled back (no e-mail is queued): the result
    tells what would happen.
    """
    try:
        with transaction.atomic():
            result = _onboard(spec=spec, onboarded_by=onboarded_by)
            if dry_run:
                result.dry_run = True
                raise _DryRun(result)
    except _DryRun as stop:
        return stop.result
    return result


# The first institution admins are invited by the accounts app, a layer above this one
# (docs/architecture.md): it registers its inviter when the apps are ready (apps/accounts/apps.py).
_admin_inviter = None


def register_admin_inviter(inviter) -> None:
    """Set the function that invites an onboarded institution's first admin.

    ``inviter(*, email, institution, first_name, last_name, invited_by)`` returns the invitation it
    created, or None when that person already had one; it raises ValidationError to refuse.
    """
    global _admin_inviter
    _admin_inviter = inviter


def _invite_admin(**kwargs):
    if _admin_inviter is None:
        raise ImproperlyConfigured("No admin inviter registered: is apps.accounts in INSTALLED_APPS?")
    return _admin_inviter(**kwargs)


def _onboard(*, spec: OnboardingSpec, onboarded_by) -> OnboardingResult:
    if onboarded_by is not None and not getattr(onboarded_by, "is_platform_admin", False):
        raise PermissionDenied("Only platform admins onboard municipalities.")
    _check_spec(spec)
    m = spec.municipality
    conflicts = municipality_conflicts(code=m.code, slug=m.slug)
    if conflicts:
        raise ValidationError({name: message for name, message in conflicts})

    size_class = m.resolved_size_class
    municipality = Municipality.objects.select_for_update().filter(code=m.code).first()
    if municipality is None:
        forms = m.forms
        municipality = municipality_create(
            name=m.name, name_cyrl=m.name_cyrl, code=m.code, slug=m.slug, created_by=onboarded_by,
            kind=m.kind, district=m.district, population=m.population, size_class=size_class,
            conference_cadence_months=m.conference_cadence_months,
            name_locative=forms.locative, name_locative_cyrl=forms.locative_cyrl,
            name_genitive=forms.genitive, name_genitive_cyrl=forms.genitive_cyrl,
        )
        result = OnboardingResult(municipality=municipality, municipality_created=True)
    else:
        wanted = {
            "name": m.name.strip(), "name_cyrl": m.name_cyrl.strip(), "kind": m.kind,
            "district": m.district.strip(), "population": m.population, "size_class": size_class,
        }
        # Case forms only when given: a file without them keeps the forms stored (perhaps corrected by hand).
        for name in ("name_locative", "name_locative_cyrl", "name_genitive", "name_genitive_cyrl"):
            if getattr(m, name).strip():
                wanted[name] = getattr(m, name).strip()
        if m.conference_cadence_months is not None:
            wanted["conference_cadence_months"] = m.conference_cadence_months
        elif municipality.size_class != size_class:
            # A new size brings its default cadence unless the file sets one.
            wanted["conference_cadence_months"] = default_cadence(size_class)
        changed = [name for name, value in wanted.items() if getattr(municipality, name) != value]
        if changed:
            municipality_update(municipality=municipality, updated_by=onboarded_by, **{k: wanted[k] for k in changed})
        result = OnboardingResult(municipality=municipality, municipality_updated_fields=changed)

    existing = {i.name: i for i in Institution.objects.filter(municipality=municipality)}
    by_key = {}
    for spec_inst in spec.institutions:
        fields = {"type": spec_inst.type, "address": spec_inst.address.strip(),
                  "email": spec_inst.email.strip(), "phone": spec_inst.phone.strip()}
        if spec_inst.name_cyrl.strip():
            fields["name_cyrl"] = spec_inst.name_cyrl.strip()
        institution = existing.get(spec_inst.name.strip())
        if institution is None:
            institution = institution_create(
                municipality=municipality, name=spec_inst.name, created_by=onboarded_by, **fields
            )
            result.institutions_created.append(institution)
        else:
            changed = [k for k, v in fields.items() if getattr(institution, k) != v]
            if changed:
                institution_update(institution=institution, updated_by=onboarded_by, **{k: fields[k] for k in changed})
                result.institutions_updated.append((institution, changed))
            else:
                result.institutions_unchanged.append(institution)
        by_key[spec_inst.key] = institution

    for admin in spec.admins:
        institution = by_key[admin.institution_key]
        try:
            invitation = _invite_admin(
                email=admin.email, institution=institution, invited_by=onboarded_by,
                first_name=admin.first_name, last_name=admin.last_name,
            )
        except ValidationError as exc:
            # The membership rule (e.g. the onboarding admin's own address): say which admin it is.
            raise ValidationError({"admins": [
                _("Institution admin %(email)s: %(message)s") % {"email": admin.email, "message": message}
                for message in exc.messages
            ]}) from exc
        if invitation is not None:
            result.invitations_created.append(invitation)
        else:
            result.admins_unchanged.append(admin)

    if result.changed:
        audit_log(
            action=AuditAction.ONBOARDING, actor=onboarded_by, obj=municipality,
            details={
                "municipality_created": result.municipality_created,
                "municipality_updated_fields": result.municipality_updated_fields,
                "institutions_created": len(result.institutions_created),
                "institutions_updated": len(result.institutions_updated),
                "invitations_created": len(result.invitations_created),
            },
        )
    return result


def _check_spec(spec: OnboardingSpec) -> None:
    """Invariants the callers' validation guarantees; a breach is a programming error."""
    keys = [i.key for i in spec.institutions]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate institution key in the onboarding spec")
    unknown = {a.institution_key for a in spec.admins} - set(keys)
    if unknown:
        raise ValueError("an admin points at an institution key the spec does not have")
