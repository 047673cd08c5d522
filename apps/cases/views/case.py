"""Case-core pages: the case list (tabs, filters, search, keyset pages, exports) and opening a case.

Every case comes from ``Case.objects.visible_to(user)``; every change goes through the services in
apps/cases/services/cases.py, whose ValidationErrors are shown on the form fields."""
from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views import View

from apps.core.jinja_env import jinja_macros
from apps.core.service_errors import apply_service_errors
from apps.core.views_scoped import ScopedView

from ..choices import (
    CaseStatus,
    Priority,
    RiskLevel,
)
from ..exports import export_cases_csv, export_cases_xlsx
from ..filters import CaseListFilter, default_scope
from ..forms_case import CaseCreateForm
from ..models import Case
from ..selectors.list_search import search_in_tab
from ..selectors.list_sql import LIST_ONLY, case_page
from ..selectors.lists import SCOPES, WIDE_PERMISSION
from ..services import cases as case_services

User = get_user_model()

PAGE_SIZE = 50
FILTER_SESSION_KEY = "case_list_filters"
MAX_SAVED_FILTERS = 20
OPENING_ROLES = case_services.OPENING_ROLES
ROWS_TEMPLATE = "cases/list_rows.html"


# --- the list ------------------------------------------------------------------------------------


def _saved_filters(request) -> tuple[str, dict]:
    key = request.GET.get("f", "")
    saved = request.session.get(FILTER_SESSION_KEY, {})
    return (key, saved[key]) if key in saved else ("", {})


def _save_filters(request, data: dict) -> str:
    saved = dict(request.session.get(FILTER_SESSION_KEY, {}))
    key = secrets.token_urlsafe(9)
    saved[key] = data
    while len(saved) > MAX_SAVED_FILTERS:
        saved.pop(next(iter(saved)))
    request.session[FILTER_SESSION_KEY] = saved
    return key


def _list_url(scope: str, key: str = "", **extra) -> str:
    params = {"scope": scope}
    if key:
        params["f"] = key
    params.update({k: v for k, v in extra.items() if v})
    return f"{reverse('cases:list')}?{urlencode(params)}"


def filtered_cases(request, scope: str, filters: CaseListFilter, *, cursor: str | None = None):
    """(cases, next cursor, searched) for the list page: the case list's parameters (filters.py),
    the tab from the URL; a search is narrowed by the tab and the filters as in the export and the API."""
    user = request.user
    query = filters.query(scope=scope)  # valid or unbound (render_list shows bad filters on their fields)
    if query.q:
        return search_in_tab(user, query.q, scope=query.scope, fields=LIST_ONLY, forms=False, **query.filters), None, True
    page = case_page(user, scope=query.scope, cursor=cursor, page_size=PAGE_SIZE, **query.filters)
    return page.cases, page.next_cursor, False


_ROW_PARTS: dict = {}


def _row_parts() -> dict:
    """What every list row shares in the active language, built once per language and process by the
    macros of jinja2/cases/list_rows.html: each column's cell with its label, the badges of every
    status, level and priority, and the case page's address around the case number (translations do
    not change while the platform runs)."""
    language = get_language()
    parts = _ROW_PARTS.get(language)
    if parts is None:
        m = jinja_macros(ROWS_TEMPLATE)
        sentinel = 987654321
        head, tail = reverse("cases:detail", args=[sentinel]).split(str(sentinel))
        labels = {
            "case": _t("Case"), "status": _t("Status"), "risk": _t("Risk and priority"), "lead": _t("Lead institution"),
            "reported": _t("Reported"), "repeat_cell": _t("Repeat"), "activity": _t("Last activity"),
        }
        parts = _ROW_PARTS[language] = {
            "cells": {name: m.cell(label) for name, label in labels.items()},
            "macros": m, "head": head, "tail": tail,
            "statuses": {code: m.status_badge(code, label) for code, label in CaseStatus.choices},
            "priorities": {code: m.priority_badge(code, label) for code, label in Priority.choices},
            "risks": {code: m.risk_badge(code, label) for code, label in (("", ""), *RiskLevel.choices)},
            "repeat": {True: m.repeat(True), False: m.repeat(False)},
            "restricted": m.restricted(), "known": m.known(),
            "day_and_time": formats.get_format("SHORT_DATETIME_FORMAT") == formats.get_format("SHORT_DATE_FORMAT") + " H:i",
        }
    return parts


def list_rows(cases):
    """The list's rows as markup, rendered by the compiled template jinja2/cases/list_rows.html: the
    case list is the most requested page. Each row's values are prepared here (the link, the dates as
    the template's ``date`` filter writes them, ``c`` being ``isoformat``; a page of the newest cases
    shares a handful of days, each formatted once) and its badges picked from the fragments rendered
    once per language."""
    parts = _row_parts()
    m, head, tail = parts["macros"], parts["head"], parts["tail"]
    statuses, priorities, risks, repeat = parts["statuses"], parts["priorities"], parts["risks"], parts["repeat"]
    restricted, known, day_and_time = parts["restricted"], parts["known"], parts["day_and_time"]
    zone = timezone.get_current_timezone()
    days: dict = {}

    def day(value):
        key = value.date()
        if key not in days:
            days[key] = formats.date_format(value, "SHORT_DATE_FORMAT")
        return days[key]

    def moment(value):
        # The day formatted once, the hour and minute added per row, where the locale's date-and-time
        # format is its date format and "H:i" (all three of the platform's); otherwise the filter's way.
        if day_and_time:
            return f"{day(value)} {value.hour:02d}:{value.minute:02d}"
        return formats.date_format(value, "SHORT_DATETIME_FORMAT")

    rows = []
    for case in cases:
        reported = case.reported_at.astimezone(zone)
        activity = case.last_activity_at.astimezone(zone)
        status, priority, level = case.status, case.priority, case.risk_level or ""
        # In the order the template's loop unpacks them.
        rows.append((
            priority == Priority.IMMEDIATE,
            f"{head}{int(case.pk)}{tail}",
            case.number,
            restricted if case.is_restricted else "",
            statuses.get(status) or m.status_badge(status, status),
            risks.get(level) or m.risk_badge(level, level),
            priorities.get(priority) or m.priority_badge(priority, priority),
            case.lead_institution.display_name(),
            reported.isoformat(),
            day(reported),
            repeat[bool(case.is_repeat)],
            known if case.known_elsewhere else "",
            activity.isoformat(),
            moment(activity),
        ))
    return m.rows(rows, parts["cells"])


class CaseListView(ScopedView, View):
    """My cases / my institution / all cases (coordinators) / shared with me, with filters and search."""

    model = Case

    template_name = "cases/list.html"

    def _scope(self, request) -> str:
        scope = request.GET.get("scope") or default_scope(request.user)
        if scope not in SCOPES:
            scope = default_scope(request.user)
        if scope == "all" and not request.user.access.municipalities_with(WIDE_PERMISSION):
            scope = "institution"
        return scope

    def get(self, request):
        scope = self._scope(request)
        key, data = _saved_filters(request)
        filters = CaseListFilter(data or None, user=request.user)
        return self.render_list(request, scope, key, filters, cursor=request.GET.get("cursor") or None)

    def post(self, request):
        scope = self._scope(request)
        filters = CaseListFilter(request.POST, user=request.user)
        if not filters.is_valid():
            return self.render_list(request, scope, "", filters, status=200)
        data = filters.saved_data()
        key = _save_filters(request, data) if data else ""
        return HttpResponseRedirect(_list_url(scope, key))

    def render_list(self, request, scope, key, filters, *, cursor=None, status=200):
        user = request.user
        cases, next_cursor, searched = [], None, False
        # Invalid filters are shown on their fields above the unfiltered list.
        used = filters if not filters.is_bound or filters.is_valid() else CaseListFilter(user=user)
        try:
            cases, next_cursor, searched = filtered_cases(request, scope, used, cursor=cursor)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            cases, next_cursor, searched = filtered_cases(request, scope, used)
        rows_html = list_rows(cases)
        access = user.access
        tabs = [
            ("mine", _("My cases")),
            ("institution", _("My institution")),
        ]
        if access.municipalities_with(WIDE_PERMISSION):
            tabs.append(("all", _("All cases")))
        tabs.append(("shared", _("Shared with me")))
        context = {
            "form": filters.form,
            "scope": scope,
            "tabs": [{"scope": s, "label": label, "url": _list_url(s, key), "current": s == scope} for s, label in tabs],
            "cases": cases,
            "rows_html": rows_html,
            "searched": searched,
            "is_filtered": bool(key),
            "clear_url": _list_url(scope),
            "next_url": _list_url(scope, key, cursor=next_cursor) if next_cursor else "",
            "first_url": _list_url(scope, key) if cursor else "",
            "export_csv_url": f"{reverse('cases:export')}?{urlencode({'format': 'csv', 'scope': scope, **({'f': key} if key else {})})}",
            "export_xlsx_url": f"{reverse('cases:export')}?{urlencode({'format': 'xlsx', 'scope': scope, **({'f': key} if key else {})})}",
            "can_open": bool(access.institution_ids(*OPENING_ROLES)),
            "post_url": _list_url(scope),
        }
        return render(request, self.template_name, context, status=status)


class CaseExportView(ScopedView, View):
    """The filtered list as CSV or XLSX (case facts only; restricted cases are never exported)."""

    model = Case

    def get(self, request):
        fmt = request.GET.get("format", "csv")
        if fmt not in ("csv", "xlsx"):
            return HttpResponseBadRequest(_t("Choose CSV or XLSX."))
        scope = CaseListView()._scope(request)
        _key, data = _saved_filters(request)
        filters = CaseListFilter(data or None, user=request.user)
        if filters.is_bound and not filters.is_valid():
            filters = CaseListFilter(user=request.user)  # as the page: bad saved filters are not applied
        query = filters.query(scope=scope)
        if query.q:
            ids = [case.pk for case in search_in_tab(request.user, query.q, scope=query.scope, fields=LIST_ONLY, forms=False,
                                                   **query.filters)]
            kwargs = {"queryset": Case.objects.filter(pk__in=ids)}
        else:
            kwargs = {"scope": query.scope, **query.filters}
        stamp = timezone.localtime().strftime("%Y-%m-%d")
        if fmt == "csv":
            content = export_cases_csv(request.user, **kwargs)
            response = HttpResponse(content, content_type="text/csv; charset=utf-8")
        else:
            content = export_cases_xlsx(request.user, **kwargs)
            response = HttpResponse(
                content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
        # The file name says only what and when: never a search text or a person's name.
        response["Content-Disposition"] = f'attachment; filename="cases-{stamp}.{fmt}"'
        response["Cache-Control"] = "no-store"
        return response


# --- opening a case --------------------------------------------------------------------------------


class CaseCreateView(ScopedView, View):
    """Open a case; the next step (adding the victim) is shown on the new case page."""

    model = Case

    template_name = "cases/form.html"

    def opening_ids(self, request):
        ids = request.user.access.institution_ids(*OPENING_ROLES)
        if not ids:
            raise Http404
        return ids

    def get(self, request):
        form = CaseCreateForm(user=request.user, opening_institution_ids=self.opening_ids(request))
        return render(request, self.template_name, {"form": form})

    def post(self, request):
        form = CaseCreateForm(request.POST, user=request.user, opening_institution_ids=self.opening_ids(request))
        if form.is_valid():
            lead = form.cleaned_data["lead_institution"]
            try:
                case = case_services.case_open(
                    user=request.user,
                    municipality=lead.municipality,
                    lead_institution=lead,
                    reported_at=form.cleaned_data["reported_at"],
                    summary=form.cleaned_data["summary"],
                    is_restricted=form.cleaned_data["is_restricted"],
                )
            except ValidationError as error:
                apply_service_errors(form, error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _t("Case %(number)s is open. Next step: add the victim.") % {"number": case.number},
                )
                return HttpResponseRedirect(reverse("cases:detail", args=[case.pk]))
        return render(request, self.template_name, {"form": form})
