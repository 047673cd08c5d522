"""Case lists: my cases, my institution's, all (municipality-wide roles) and shared with me;
filters, and keyset pagination on (reported_at, id), newest first."""
from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.db.models import F, Func, OuterRef, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.core.audit import audit_many
from apps.core.choices import AuditAction
from apps.core.rules import all_of, rule

from .. import rules
from ..choices import CaseStatus, RiskLevel, ViolenceForm
from ..models import Case, Incident
from ..rules import WIDE_PERMISSION

SCOPES = ("mine", "institution", "all", "shared")
DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
_FORM_ORDER = {value: i for i, value in enumerate(ViolenceForm.values)}


@dataclass
class CasePage:
    """One page of cases and the cursor of the next (older) page, or None at the end."""

    cases: list[Case]
    next_cursor: str | None
    scope: str


def effective_scope(user, scope: str) -> str:
    """The scope actually used: "all" needs the municipality-wide permission, else "institution"."""
    if scope not in SCOPES:
        raise ValidationError({"scope": _("Choose one of: my cases, my institution's cases, all cases, shared with me.")})
    if scope == "all":
        access = getattr(user, "access", None) if user is not None and user.is_authenticated else None
        if access is None or not access.municipalities_with(WIDE_PERMISSION):
            return "institution"
    return scope


def _as_list(value) -> list[str]:
    if value in (None, "", [], ()):
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, Iterable):
        return [str(v) for v in value if v not in (None, "")]
    return [str(value)]


def clean_filters(*, status=None, risk_level=None, form=None, reported_from=None, reported_to=None, institution=None):
    """The list filters checked and normalised: (statuses, levels, form, reported_from, reported_to,
    institution id); a ValidationError names each bad one."""
    errors: dict[str, list] = {}
    statuses = _as_list(status)
    if any(s not in CaseStatus.values for s in statuses):
        errors["status"] = [_("Unknown status.")]
    levels = _as_list(risk_level)
    if any(level not in RiskLevel.values for level in levels):
        errors["risk_level"] = [_("Unknown risk level.")]
    if form and form not in ViolenceForm.values:
        errors["form"] = [_("Unknown form of violence.")]
    if isinstance(reported_from, datetime) or isinstance(reported_to, datetime):
        errors["reported_from"] = [_("Give dates, not times.")]
    elif reported_from and reported_to and reported_from > reported_to:
        errors["reported_to"] = [_("The end of the period is before its start.")]
    institution_id = getattr(institution, "pk", institution)
    if institution_id not in (None, ""):
        try:
            institution_id = int(institution_id)
        except (TypeError, ValueError):
            errors["institution"] = [_("Unknown institution.")]
    else:
        institution_id = None
    if errors:
        raise ValidationError(errors)
    return statuses, levels, form or None, reported_from or None, reported_to or None, institution_id


def case_queryset(
    user,
    *,
    scope: str = "mine",
    status=None,
    risk_level=None,
    form: str | None = None,
    reported_from: date | None = None,
    reported_to: date | None = None,
    institution=None,
) -> QuerySet:
    """The scoped, filtered cases (not yet ordered or paginated); built from listed_for/shared_with."""
    scope = effective_scope(user, scope)
    statuses, levels, form, reported_from, reported_to, institution_id = clean_filters(
        status=status, risk_level=risk_level, form=form, reported_from=reported_from, reported_to=reported_to,
        institution=institution,
    )

    queryset = Case.objects.in_tab(user, scope)
    chosen = {
        "statuses": statuses, "levels": levels, "form": form, "reported_from": reported_from,
        "reported_to": reported_to, "institution_id": institution_id,
    }
    if rules.list_filters("c", **chosen):
        queryset = queryset.filter(rule(lambda a: all_of(*rules.list_filters(a, **chosen))))
    return queryset


def with_list_data(queryset: QuerySet, *, fields: tuple[str, ...] | None = None, forms: bool = True) -> QuerySet:
    """What a list row shows, in the list's own query: the lead institution and the forms of
    violence over the case's incidents (an array subquery PostgreSQL evaluates for the rows of the
    page only, after the LIMIT), so a page is one query whatever its size. ``fields`` loads only
    those columns of the case (and the lead institution's name); ``forms=False`` leaves the forms out."""
    queryset = queryset.select_related("lead_institution")
    if fields is not None:
        queryset = queryset.only(*fields, "lead_institution__id", "lead_institution__name", "lead_institution__name_cyrl")
    if not forms:
        return queryset
    forms_query = (
        Incident.objects.filter(case_id=OuterRef("pk"))
        .order_by()
        .annotate(form=Func(F("forms"), function="unnest"))
        .values("form")
    )
    return queryset.annotate(list_forms=ArraySubquery(forms_query))


def violence_forms(case: Case) -> list[str]:
    """The forms of violence over all incidents of a case (needs with_list_data)."""
    found = set(getattr(case, "list_forms", None) or ())
    return sorted(found, key=lambda f: _FORM_ORDER.get(f, 99))


def encode_cursor(case: Case) -> str:
    """An opaque cursor for the position (reported_at, id) of a case."""
    raw = f"{case.reported_at.isoformat()}|{case.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(value: str) -> tuple[datetime, int]:
    """The position a cursor stands for; a damaged cursor is a ValidationError on ``cursor``."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        at_text, id_text = raw.split("|", 1)
        at = datetime.fromisoformat(at_text)
        if timezone.is_naive(at):
            raise ValueError("naive")
        return at, int(id_text)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValidationError({"cursor": _("The page link is damaged; start again from the first page.")})


def case_list(
    user,
    *,
    scope: str = "mine",
    cursor: str | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
    audit: bool = True,
    fields: tuple[str, ...] | None = None,
    forms: bool = True,
    **filters,
) -> CasePage:
    """One page of the user's cases, newest reported first; the cases shown are audited as read.
    ``fields`` and ``forms`` narrow what is loaded (with_list_data) for a caller that shows less."""
    used_scope = effective_scope(user, scope)
    queryset = case_queryset(user, scope=used_scope, **filters)
    try:
        size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    except (TypeError, ValueError):
        size = DEFAULT_PAGE_SIZE
    if cursor:
        at, pk = decode_cursor(cursor)
        queryset = queryset.filter(rule(lambda a: rules.after(a, at, pk)))
    rows = list(with_list_data(queryset.order_by("-reported_at", "-id"), fields=fields, forms=forms)[: size + 1])
    has_more = len(rows) > size
    rows = rows[:size]
    if forms:
        for case in rows:
            case.violence_forms = violence_forms(case)
    if audit and rows:
        audit_many(action=AuditAction.VIEW, objects=rows, actor=user, details={"view": "list", "scope": used_scope})
    return CasePage(cases=rows, next_cursor=encode_cursor(rows[-1]) if has_more else None, scope=used_scope)
