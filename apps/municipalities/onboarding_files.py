"""Reading an onboarding file (YAML or CSV) into an ``OnboardingSpec``, or a list of errors.

Every error names where it is (the line of a CSV file; the path and line in a YAML file) and
the field, in the user's language. Nothing is saved here; the caller gives a clean spec to
``onboard_municipality``. The two layouts are described in docs/onboarding-example.yaml and
docs/onboarding-example.csv.

CSV layout: one table, the first row a header; a ``record`` column says what each row is
(``municipality``, ``institution`` or ``admin``), and the other columns are shared:

    record, name, name_cyrl, code, slug, kind, district, population, size_class,
    conference_cadence_months, name_locative, name_locative_cyrl, name_genitive, name_genitive_cyrl,
    key, type, address, email, phone, first_name, last_name, institution

``name`` and ``name_cyrl`` are the municipality's names on the municipality row and the
institution's names on institution rows; ``email`` is the institution's e-mail on institution rows and the admin's
on admin rows; ``institution`` (admin rows) is the ``key`` of an institution row. Columns not
needed by a row type are left empty. Comma or semicolon separated, UTF-8 (with or without BOM).
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import validate_email, validate_slug
from django.utils.translation import gettext as _

from apps.institutions.choices import InstitutionType

from .choices import MunicipalityKind, SizeClass, size_class_for_population
from .onboarding import (
    AdminSpec,
    InstitutionSpec,
    MunicipalitySpec,
    OnboardingSpec,
    municipality_conflicts,
    size_class_warning,
)

CODE_RE = re.compile(r"^[A-Z]{2,8}$")
CYRILLIC_RE = re.compile(r"[\u0400-\u04FF]")

NAME_CASE_FIELDS = ("name_locative", "name_locative_cyrl", "name_genitive", "name_genitive_cyrl")
MUNICIPALITY_FIELDS = (
    "name", "name_cyrl", "code", "slug", "kind", "district", "population", "size_class", "conference_cadence_months",
    *NAME_CASE_FIELDS,
)
INSTITUTION_FIELDS = ("key", "type", "name", "name_cyrl", "address", "email", "phone")
ADMIN_FIELDS = ("email", "first_name", "last_name", "institution")

CSV_COLUMNS = (
    "record", "name", "name_cyrl", "code", "slug", "kind", "district", "population", "size_class",
    "conference_cadence_months", *NAME_CASE_FIELDS,
    "key", "type", "address", "email", "phone", "first_name", "last_name", "institution",
)
# Columns every CSV file must have (the others may be left out).
CSV_REQUIRED_COLUMNS = ("record", "name", "name_cyrl", "code", "slug", "key", "type", "email", "institution")

RECORD_MUNICIPALITY = "municipality"
RECORD_INSTITUTION = "institution"
RECORD_ADMIN = "admin"

MAX_LENGTHS = {
    "name": 120, "name_cyrl": 120, "slug": 60, **dict.fromkeys(NAME_CASE_FIELDS, 120), "district": 120,
    "key": 60, "address": 255, "phone": 40, "first_name": 150, "last_name": 150, "email": 254,
}


@dataclass(frozen=True)
class Where:
    """Where a record is: a CSV line, or a YAML path (with its line when known)."""

    line: int | None = None
    path: str | None = None


@dataclass(frozen=True)
class OnboardingError:
    """One problem in a file: where, which field, what."""

    where: Where
    field: str
    message: str

    def __str__(self) -> str:
        if self.where.path is not None:
            location = f"{self.where.path}.{self.field}" if self.field else self.where.path
            if self.where.line:
                return _("%(location)s (line %(line)s): %(message)s") % {
                    "location": location, "line": self.where.line, "message": self.message}
            return f"{location}: {self.message}"
        if self.field:
            return _("Line %(line)s, column “%(field)s”: %(message)s") % {
                "line": self.where.line, "field": self.field, "message": self.message}
        return _("Line %(line)s: %(message)s") % {"line": self.where.line, "message": self.message}


@dataclass
class ParseResult:
    """A clean spec, or the errors that stop it (never both); warnings do not stop it."""

    spec: OnboardingSpec | None
    errors: list[OnboardingError]
    warnings: list[OnboardingError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.spec is not None and not self.errors


# ---------------------------------------------------------------------------------------------
# Entry points


def parse_onboarding_file(path: str | Path, *, file_format: str | None = None) -> ParseResult:
    """Read a .yaml/.yml or .csv file (or the given format) into a spec or errors."""
    path = Path(path)
    fmt = (file_format or path.suffix.lstrip(".")).lower()
    try:
        raw = path.read_bytes()
    except OSError:
        return ParseResult(None, [OnboardingError(Where(line=0), "", _("The file cannot be read."))])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return ParseResult(None, [OnboardingError(Where(line=0), "", _("The file is not UTF-8 text."))])
    if fmt in ("yaml", "yml"):
        return parse_yaml(text)
    if fmt == "csv":
        return parse_csv(text)
    return ParseResult(None, [OnboardingError(Where(line=0), "", _("Use a .yaml, .yml or .csv file."))])


def parse_yaml(text: str) -> ParseResult:
    """A YAML document with ``municipality``, ``institutions`` and ``admins``."""
    try:
        data = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a BaseLoader: plain strings only
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 0
        return ParseResult(None, [OnboardingError(Where(line=line), "", _("The YAML syntax is not valid."))])
    errors: list[OnboardingError] = []
    if not isinstance(data, dict):
        return ParseResult(None, [OnboardingError(Where(path="$"), "", _(
            "The file must be a mapping with municipality, institutions and admins."))])
    top = Where(path="$", line=data.get("__line__"))
    for key in data:
        if key not in ("municipality", "institutions", "admins", "__line__"):
            errors.append(OnboardingError(top, key, _("Unknown field.")))

    municipalities: list[tuple[Where, dict]] = []
    mun = data.get("municipality")
    if mun is None:
        errors.append(OnboardingError(top, "municipality", _("This field is required.")))
    elif not isinstance(mun, dict):
        errors.append(OnboardingError(top, "municipality", _("Must be a mapping of the municipality's fields.")))
    else:
        municipalities.append((Where(path="municipality", line=mun.get("__line__")), mun))

    def records(name: str) -> list[tuple[Where, dict]]:
        items = data.get(name)
        if items in (None, ""):
            return []
        if not isinstance(items, list):
            errors.append(OnboardingError(top, name, _("Must be a list.")))
            return []
        out = []
        for index, item in enumerate(items):
            where = Where(path=f"{name}[{index}]", line=item.get("__line__") if isinstance(item, dict) else None)
            if not isinstance(item, dict):
                errors.append(OnboardingError(where, "", _("Must be a mapping of fields.")))
                continue
            out.append((where, item))
        return out

    institutions = records("institutions")
    admins = records("admins")
    for allowed, items in (
        (MUNICIPALITY_FIELDS, municipalities), (INSTITUTION_FIELDS, institutions), (ADMIN_FIELDS, admins)
    ):
        for where, item in items:
            for key in list(item):
                if key == "__line__":
                    continue
                if key not in allowed:
                    errors.append(OnboardingError(where, key, _("Unknown field.")))
                elif not isinstance(item[key], str):
                    errors.append(OnboardingError(where, key, _("Must be a single value.")))
                    item[key] = ""
    return _validate("yaml", municipalities, institutions, admins, errors)


def parse_csv(text: str) -> ParseResult:
    """One table with a ``record`` column (municipality / institution / admin)."""
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    errors: list[OnboardingError] = []
    try:
        header = next(reader)
    except StopIteration:
        return ParseResult(None, [OnboardingError(Where(line=1), "", _("The file is empty."))])
    except csv.Error:
        return ParseResult(None, [OnboardingError(Where(line=1), "", _("The CSV header cannot be read."))])
    columns = [c.strip().lower() for c in header]
    head = Where(line=1)
    for column in CSV_REQUIRED_COLUMNS:
        if column not in columns:
            errors.append(OnboardingError(head, column, _("The column is missing.")))
    seen = set()
    for column in columns:
        if column and column not in CSV_COLUMNS:
            errors.append(OnboardingError(head, column, _("Unknown column.")))
        elif column in seen:
            errors.append(OnboardingError(head, column, _("The column appears twice.")))
        seen.add(column)
    if errors:
        return ParseResult(None, errors)

    municipalities, institutions, admins = [], [], []
    allowed = {
        RECORD_MUNICIPALITY: (MUNICIPALITY_FIELDS, municipalities),
        RECORD_INSTITUTION: (INSTITUTION_FIELDS, institutions),
        RECORD_ADMIN: (ADMIN_FIELDS, admins),
    }
    last_line = 1
    try:
        for row in reader:
            line = last_line + 1  # the line the row starts on (quoted fields may span lines)
            last_line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            where = Where(line=line)
            if len(row) > len(columns):
                errors.append(OnboardingError(where, "", _("The row has more cells than the header.")))
                continue
            values = dict(zip(columns, row, strict=False))
            record = values.get("record", "").strip().lower()
            if record not in allowed:
                errors.append(OnboardingError(where, "record", _(
                    "Unknown record “%(value)s”; use municipality, institution or admin.") % {"value": record}))
                continue
            fields, target = allowed[record]
            target.append((where, {k: values[k] for k in fields if k in values}))
    except csv.Error:
        errors.append(OnboardingError(Where(line=reader.line_num), "", _("The CSV row cannot be read.")))
    return _validate("csv", municipalities, institutions, admins, errors)


# ---------------------------------------------------------------------------------------------
# Validation shared by both layouts


def _validate(fmt: str, municipalities, institutions, admins, errors: list[OnboardingError]) -> ParseResult:
    warnings: list[OnboardingError] = []
    def text(where, item, name, required=False) -> str:
        value = (item.get(name) or "").strip()
        if required and not value:
            errors.append(OnboardingError(where, name, _("This field is required.")))
        if value and name in MAX_LENGTHS and len(value) > MAX_LENGTHS[name]:
            errors.append(OnboardingError(where, name, _("At most %(n)s characters.") % {"n": MAX_LENGTHS[name]}))
        return value

    def number(where, item, name, low, high, separators=False) -> int | None:
        value = (item.get(name) or "").strip()
        if separators:  # 260.237 or 260 237, as people write populations
            value = value.replace(".", "").replace(" ", "").replace("\u00a0", "")
        if not value:
            return None
        if not value.isdigit():
            errors.append(OnboardingError(where, name, _("Enter a whole number.")))
            return None
        n = int(value)
        if n < low or n > high:
            errors.append(OnboardingError(where, name, _("Enter a number from %(low)s to %(high)s.") % {
                "low": low, "high": high}))
            return None
        return n

    def email(where, item, name, required=False) -> str:
        value = text(where, item, name, required=required)
        if value:
            try:
                validate_email(value)
            except ValidationError:
                # The value is not repeated: an address is personal data.
                errors.append(OnboardingError(where, name, _("This is not a valid e-mail address.")))
        return value

    # The municipality: exactly one.
    mun_spec = None
    if not municipalities:
        if fmt == "yaml":
            errors.append(OnboardingError(Where(path="$"), "municipality", _("The file has no municipality.")))
        else:
            errors.append(OnboardingError(Where(line=1), "record", _("The file has no municipality row.")))
    for extra_where, _extra in municipalities[1:]:
        errors.append(OnboardingError(extra_where, "record", _("Only one municipality per file.")))
    if municipalities:
        where, item = municipalities[0]
        before = len(errors)
        name = text(where, item, "name", required=True)
        name_cyrl = text(where, item, "name_cyrl", required=True)
        if name_cyrl and not CYRILLIC_RE.search(name_cyrl):
            errors.append(OnboardingError(where, "name_cyrl", _("Write the name in Cyrillic script.")))
        code = text(where, item, "code", required=True)
        if code and not CODE_RE.match(code):
            errors.append(OnboardingError(where, "code", _("Use 2 to 8 capital Latin letters, e.g. LAZ.")))
        slug = text(where, item, "slug", required=True)
        if slug:
            try:
                validate_slug(slug)
                if slug != slug.lower():
                    raise ValidationError("upper case")
            except ValidationError:
                errors.append(OnboardingError(where, "slug", _(
                    "Use lower-case ASCII letters, digits and hyphens only, e.g. smederevska-palanka.")))
        kind = text(where, item, "kind") or MunicipalityKind.MUNICIPALITY
        if kind not in MunicipalityKind.values:
            errors.append(OnboardingError(where, "kind", _("Unknown kind “%(value)s”; use one of: %(choices)s.") % {
                "value": kind, "choices": ", ".join(MunicipalityKind.values)}))
        district = text(where, item, "district")
        population = number(where, item, "population", 0, 100_000_000, separators=True)
        size_class = text(where, item, "size_class")
        if size_class and size_class not in SizeClass.values:
            errors.append(OnboardingError(where, "size_class", _(
                "Unknown size “%(value)s”; use one of: %(choices)s.") % {
                "value": size_class, "choices": ", ".join(SizeClass.values)}))
        elif size_class:
            note = size_class_warning(population=population, size_class=size_class)
            if note:
                warnings.append(OnboardingError(where, "size_class", note))
        elif "population" not in {e.field for e in errors[before:]}:
            size_class = size_class_for_population(population) or ""
            if not size_class:
                errors.append(OnboardingError(where, "size_class", _(
                    "Give the population (the size follows from it) or the size_class.")))
        cases = {}
        for case_field in NAME_CASE_FIELDS:
            cases[case_field] = text(where, item, case_field)
            if case_field.endswith("_cyrl") and cases[case_field] and not CYRILLIC_RE.search(cases[case_field]):
                errors.append(OnboardingError(where, case_field, _("Write the name in Cyrillic script.")))
        cadence = number(where, item, "conference_cadence_months", 1, 12)
        if len(errors) == before:
            for field_name, message in municipality_conflicts(code=code, slug=slug):
                errors.append(OnboardingError(where, field_name, message))
            mun_spec = MunicipalitySpec(
                name=name, name_cyrl=name_cyrl, code=code, slug=slug, kind=kind, district=district,
                population=population, size_class=size_class, conference_cadence_months=cadence, **cases,
            )

    # Institutions: unique keys and names, known types.
    inst_specs: list[InstitutionSpec] = []
    keys: dict[str, Where] = {}
    names: dict[str, Where] = {}
    for where, item in institutions:
        key = text(where, item, "key", required=True)
        type_ = text(where, item, "type", required=True)
        name = text(where, item, "name", required=True)
        name_cyrl = text(where, item, "name_cyrl")
        if name_cyrl and not CYRILLIC_RE.search(name_cyrl):
            errors.append(OnboardingError(where, "name_cyrl", _("Write the name in Cyrillic script.")))
        address = text(where, item, "address")
        inst_email = email(where, item, "email")
        phone = text(where, item, "phone")
        if type_ and type_ not in InstitutionType.values:
            errors.append(OnboardingError(where, "type", _(
                "Unknown institution type “%(value)s”; use one of: %(choices)s.") % {
                "value": type_, "choices": ", ".join(InstitutionType.values)}))
        if key:
            if key in keys:
                errors.append(OnboardingError(where, "key", _(
                    "The key “%(value)s” is used twice (first at %(first)s).") % {
                    "value": key, "first": _where_label(keys[key])}))
            else:
                keys[key] = where
        if name:
            folded = name.casefold()
            if folded in names:
                errors.append(OnboardingError(where, "name", _(
                    "The institution “%(value)s” is listed twice (first at %(first)s).") % {
                    "value": name, "first": _where_label(names[folded])}))
            else:
                names[folded] = where
        inst_specs.append(InstitutionSpec(key=key, type=type_, name=name, name_cyrl=name_cyrl, address=address,
                                          email=inst_email, phone=phone))

    # Admins: a known institution key, a valid e-mail, no duplicate rows.
    admin_specs: list[AdminSpec] = []
    seen_admins: dict[tuple[str, str], Where] = {}
    for where, item in admins:
        admin_email = email(where, item, "email", required=True)
        first_name = text(where, item, "first_name")
        last_name = text(where, item, "last_name")
        key = text(where, item, "institution", required=True)
        if key and key not in keys:
            errors.append(OnboardingError(where, "institution", _(
                "No institution in this file has the key “%(value)s”.") % {"value": key}))
        if admin_email and key:
            pair = (admin_email.lower(), key)
            if pair in seen_admins:
                errors.append(OnboardingError(where, "email", _(
                    "This admin is listed twice for the same institution (first at %(first)s).") % {
                    "first": _where_label(seen_admins[pair])}))
            else:
                seen_admins[pair] = where
        admin_specs.append(AdminSpec(email=admin_email.lower(), institution_key=key, first_name=first_name,
                                     last_name=last_name))

    if errors or mun_spec is None:
        return ParseResult(None, errors, warnings)
    return ParseResult(OnboardingSpec(municipality=mun_spec, institutions=tuple(inst_specs),
                                      admins=tuple(admin_specs)), [], warnings)


def _where_label(where: Where) -> str:
    if where.path is not None:
        return where.path
    return _("line %(line)s") % {"line": where.line}


class _LineLoader(yaml.BaseLoader):
    """Plain strings only (no YAML 1.1 surprises such as NO becoming false), with each mapping's line."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=True)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    lambda loader, node: loader.construct_mapping(node, deep=True),
)
