"""Reading a staff spreadsheet (CSV) into invitation rows; a bad file is refused whole."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _

from apps.core.choices import CASE_READING_ROLES, Role

from .invitations import InvitationRow
from .models import User

REQUIRED_COLUMNS = ("email", "first_name", "last_name", "role")
OPTIONAL_COLUMNS = ("institution_id",)
MAX_ROWS = 1000
MAX_BYTES = 1024 * 1024
MAX_NAME = 150

# Header spellings people type in spreadsheets, mapped to our column names.
_HEADER_ALIASES = {
    "e-mail": "email",
    "e_mail": "email",
    "mail": "email",
    "firstname": "first_name",
    "lastname": "last_name",
    "institution": "institution_id",
}


@dataclass
class CsvResult:
    """Valid rows, or the errors that refuse the whole file."""
    rows: list[InvitationRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def role_lookup() -> dict[str, str]:
    """Role codes and their labels in every language (case-insensitive) -> role code."""
    lookup: dict[str, str] = {}
    for code in Role.values:
        lookup[code.casefold()] = code
        lookup[code.replace("_", " ").casefold()] = code
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for code, label in Role.choices:
                lookup[str(label).strip().casefold()] = code
    return lookup


def _normalise_header(name: str) -> str:
    key = (name or "").strip().lower().replace(" ", "_")
    return _HEADER_ALIASES.get(key, key)


def _decode(raw: bytes) -> str | None:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _delimiter(first_line: str) -> str:
    return ";" if first_line.count(";") > first_line.count(",") else ","


def parse_invitation_csv(raw: bytes, *, institutions, default_institution=None, uploaded_by=None) -> CsvResult:
    """Validate every row of a staff CSV against the institutions the uploader may manage and the
    membership rule (not the uploader's own address; no role that reads cases for a platform admin).

    Columns: email, first_name, last_name, role, optional institution_id. Row numbers are the
    lines of the file as a spreadsheet shows them (the header is row 1).
    """
    result = CsvResult()
    if len(raw) > MAX_BYTES:
        result.errors.append(_("The file is larger than 1 MB. Split it into smaller files."))
        return result
    text = _decode(raw)
    if text is None:
        result.errors.append(_("The file is not UTF-8 text. Save it as \"CSV UTF-8\" and upload it again."))
        return result
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        result.errors.append(_("The file is empty. The first row must name the columns: email, first_name, last_name, role."))
        return result
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(lines[0]))
    try:
        header = [_normalise_header(h) for h in next(reader)]
    except csv.Error:
        header = []
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    for column in missing:
        result.errors.append(_("Row 1, column %(column)s: the column is missing.") % {"column": column})
    if missing:
        return result
    index = {name: header.index(name) for name in (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS) if name in header}
    allowed = {inst.pk: inst for inst in institutions}
    roles = role_lookup()
    seen: dict[tuple[str, int, str], int] = {}
    has_institution_column = "institution_id" in index
    if not has_institution_column and default_institution is None and len(allowed) != 1:
        result.errors.append(
            _("Choose the institution above, or add an institution_id column: you manage more than one institution.")
        )
        return result

    data_rows = 0
    own_email = (getattr(uploaded_by, "email", "") or "").strip().lower()
    row_numbers: list[int] = []
    try:
        records = [(reader.line_num, cells) for cells in reader]
    except csv.Error:
        result.errors.append(_("The file could not be read as CSV. Save it from the spreadsheet as \"CSV UTF-8\"."))
        return result
    for row_number, cells in records:
        if not any(c.strip() for c in cells):
            continue
        data_rows += 1
        if data_rows > MAX_ROWS:
            result.errors.append(_("The file has more than %(max)s people. Split it into smaller files.") % {"max": MAX_ROWS})
            break

        def cell(name, cells=cells):
            i = index.get(name)
            return cells[i].strip() if i is not None and i < len(cells) else ""

        def error(column, message, row_number=row_number):
            result.errors.append(
                _("Row %(row)s, column %(column)s: %(message)s") % {"row": row_number, "column": column, "message": message}
            )

        row_ok = True
        email = cell("email").lower()
        if not email:
            error("email", _("the e-mail address is missing."))
            row_ok = False
        else:
            try:
                validate_email(email)
            except ValidationError:
                error("email", _("this is not a valid e-mail address."))
                row_ok = False
        first_name, last_name = cell("first_name"), cell("last_name")
        for column, value in (("first_name", first_name), ("last_name", last_name)):
            if len(value) > MAX_NAME:
                error(column, _("longer than %(max)s characters.") % {"max": MAX_NAME})
                row_ok = False
        role_text = cell("role")
        role = roles.get(role_text.casefold()) if role_text else None
        if role is None:
            error("role", _("unknown role; use one of: %(roles)s.") % {"roles": ", ".join(Role.values)})
            row_ok = False

        institution = None
        institution_text = cell("institution_id") if has_institution_column else ""
        if institution_text:
            try:
                institution = allowed.get(int(institution_text))
            except ValueError:
                institution = None
            if institution is None:
                error("institution_id", _("not the number of an institution you manage."))
                row_ok = False
        elif default_institution is not None:
            institution = default_institution
        elif len(allowed) == 1:
            institution = next(iter(allowed.values()))
        else:
            error("institution_id", _("the institution is missing."))
            row_ok = False

        if not row_ok:
            continue
        key = (email, institution.pk, role)
        if key in seen:
            error("email", _("duplicate of row %(row)s.") % {"row": seen[key]})
            continue
        seen[key] = row_number
        if own_email and email == own_email:
            error("email", _("this is your own address: nobody can give themselves a role. Ask another admin."))
            continue
        row_numbers.append(row_number)
        result.rows.append(
            InvitationRow(email=email, first_name=first_name, last_name=last_name, role=role, institution=institution)
        )
    _refuse_platform_admins(result, row_numbers)
    if not result.errors and not result.rows:
        result.errors.append(_("The file has no people in it, only the header row."))
    if result.errors:
        result.rows = []
    return result


def _refuse_platform_admins(result: CsvResult, row_numbers: list[int]) -> None:
    """Rows giving a role that reads cases to a platform admin's address (one query for the file)."""

    wanted = {row.email for row in result.rows if row.role in CASE_READING_ROLES}
    if not wanted:
        return
    admins = set(
        User.objects.annotate(address=Lower("email"))
        .filter(is_platform_admin=True, address__in=wanted)
        .values_list("address", flat=True)
    )
    for row_number, row in zip(row_numbers, result.rows, strict=True):
        if row.role in CASE_READING_ROLES and row.email in admins:
            result.errors.append(
                _("Row %(row)s, column %(column)s: %(message)s")
                % {"row": row_number, "column": "role", "message": _(
                    "this person is a platform admin, who cannot hold a role that reads cases; "
                    "case work needs a separate account."
                )}
            )


def template_csv() -> str:
    """A sample file to fill in (fictional people)."""
    return (
        "email;first_name;last_name;role\r\n"
        "petra.primer@example.org;Petra;Primer;caseworker\r\n"
        "nikola.ogledni@example.org;Nikola;Ogledni;coordinator\r\n"
    )
