"""Case list exports (CSV and XLSX): case facts only, never names, JMBG, addresses or notes;
restricted cases are left out entirely; cells are safe against formula injection."""
from __future__ import annotations

import csv
import io
import re

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from apps.core.audit import audit_log
from apps.core.choices import AuditAction

from .choices import ViolenceForm
from .models import Case
from .selectors.lists import case_queryset, violence_forms, with_list_data

EXPORT_MAX_ROWS = 100_000
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Control characters that XML (and so XLSX) cannot hold; removed before the formula check so
# that removing them cannot bring a formula to the front.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def safe_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula (a leading = + - @ tab or CR gets a quote)."""
    text = "" if value is None else _CONTROL.sub("", str(value))
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def headers() -> list[str]:
    return [
        _("Case number"),
        _("Status"),
        _("Risk level"),
        _("Priority"),
        _("Lead institution"),
        _("Reported"),
        _("Forms of violence"),
        _("Repeat case"),
    ]


def _row(case: Case) -> list[str]:
    forms = "; ".join(str(ViolenceForm(f).label) for f in violence_forms(case) if f in ViolenceForm.values)
    return [
        safe_cell(v)
        for v in (
            case.number,
            case.get_status_display(),
            case.get_risk_level_display() if case.risk_level else "",
            case.get_priority_display(),
            case.lead_institution.display_name(),
            timezone.localtime(case.reported_at).strftime("%d.%m.%Y"),
            forms,
            _("Yes") if case.is_repeat else _("No"),
        )
    ]


def export_queryset(user, *, queryset: QuerySet | None = None, scope: str = "institution", **filters) -> QuerySet:
    """The cases to export: the caller's queryset narrowed to what the user may see, or the
    user's list for ``scope`` and ``filters``; restricted cases are never exported."""
    if queryset is not None:
        visible = Case.objects.visible_to(user).values("pk")
        queryset = queryset.filter(pk__in=visible)
    else:
        queryset = case_queryset(user, scope=scope, **filters)
    return with_list_data(queryset.filter(is_restricted=False).order_by("-reported_at", "-id"))


def _rows(user, fmt: str, *, queryset, scope, filters):
    cases = export_queryset(user, queryset=queryset, scope=scope, **filters)[:EXPORT_MAX_ROWS]
    count = 0
    municipalities: set[int] = set()
    for case in cases.iterator(chunk_size=2000):
        count += 1
        municipalities.add(case.municipality_id)
        yield _row(case)
    audit_log(
        action=AuditAction.EXPORT,
        actor=user,
        object_type="cases.case",
        municipality_id=next(iter(municipalities)) if len(municipalities) == 1 else None,
        details={
            "format": fmt,
            "rows": count,
            "scope": scope if queryset is None else "selection",
            "filters": sorted(k for k, v in filters.items() if v not in (None, "", [], ())),
        },
    )


def export_cases_csv(user, *, queryset: QuerySet | None = None, scope: str = "institution", **filters) -> bytes:
    """The cases as CSV (UTF-8 with a byte-order mark so that spreadsheets read Cyrillic)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers())
    for row in _rows(user, "csv", queryset=queryset, scope=scope, filters=filters):
        writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_cases_xlsx(user, *, queryset: QuerySet | None = None, scope: str = "institution", **filters) -> bytes:
    """The cases as an Excel workbook (openpyxl, write-only)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Cases"))[:31])
    sheet.append(headers())
    for row in _rows(user, "xlsx", queryset=queryset, scope=scope, filters=filters):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
