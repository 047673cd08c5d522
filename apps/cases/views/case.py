"""Case-core pages: the case list (tabs, filters, search, keyset pages, exports), opening a case,
the case page with its team and staff, editing with version checks, the status workflow, the timeline.

Every case comes from ``Case.objects.visible_to(user)`` (404 otherwise); every change goes through
the services in apps/cases/services/cases.py, whose ValidationErrors are shown on the form fields.
"""
from __future__ import annotations

import secrets
from html import escape as html_escape
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views import View

from apps.accounts.models import Membership
from apps.core.audit import audit_entries, audit_log
from apps.core.choices import AuditAction
from apps.institutions.choices import InstitutionType

from .. import deadlines, hooks
from ..choices import (
    CaseStatus,
    PersonRole,
    Priority,
    ReferralUrgency,
    RiskLevel,
    TeamRole,
    ViolenceForm,
    Visibility,
)
from ..exports import export_cases_csv, export_cases_xlsx
from ..forms_case import AssignForm, CaseCreateForm, CaseEditForm, CaseFilterForm, CaseStatusForm, TeamAddForm
from ..models import Case, CaseAssignment, CaseParticipant, CasePerson, CaseStatusChange
from ..querysets import mark_visible, on_team
from ..selectors.case_rows import case_rows, load_case_record, load_visible_case
from ..selectors.list_sql import LIST_ONLY, case_page, in_tab
from ..selectors.lists import SCOPES, WIDE_PERMISSION, case_queryset
from ..selectors.readers import case_readers
from ..selectors.search import case_search
from ..selectors.team import case_team_for
from ..selectors.timeline import Kind, case_timeline, timeline_audit_details
from ..services import cases as case_services
from ..services.locking import VersionConflict
from .notices import proposed_message

User = get_user_model()

PAGE_SIZE = 50
FILTER_SESSION_KEY = "case_list_filters"
MAX_SAVED_FILTERS = 20
READERS_SHOWN = 50
# Where a read of the case happened (AuditEntry.details["view"]), for the "who opened" panel.
READ_PLACES = {
    "detail": _("case page"),
    "timeline": _("timeline"),
    "list": _("case list"),
    "search": _("search"),
    "edit": _("edit form"),
    "status": _("status form"),
    "team_add": _("case team form"),
    "assign": _("staff form"),
}
OPENING_ROLES = case_services.OPENING_ROLES
STAFF_ROLES = case_services.STAFF_ROLES
CASE_SELECT = ("lead_institution", "opened_by", "municipality", "proposed_for_conference_by")


# --- helpers shared by the pages (the area helpers may import them) ----------------------------


def apply_service_errors(form, error: ValidationError, aliases: dict | None = None) -> None:
    """Put a service's ValidationError on the form: on the field it names (or its alias in this
    form), else as a form error."""
    aliases = aliases or {}
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            field = aliases.get(field, field)
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            for item in errors:
                form.add_error(target, item)
    else:
        form.add_error(None, error)


def _display_value(obj: Model, name: str) -> str:
    """A stored value as a person reads it (choice labels, names, dates as 27.11.2026 14:20)."""
    try:
        field = obj._meta.get_field(name)
    except Exception:  # noqa: BLE001 - an unknown name shows as empty
        return ""
    value = getattr(obj, name, None)
    if value is None or value == "":
        return "—"
    if getattr(field, "choices", None):
        display = getattr(obj, f"get_{name}_display", None)
        return str(display()) if display else str(value)
    if isinstance(value, bool):
        return _t("Yes") if value else _t("No")
    if field.get_internal_type() == "DateTimeField":
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if field.get_internal_type() == "DateField":
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, list | tuple):
        base = getattr(field, "base_field", None)
        labels = dict(base.choices) if base is not None and base.choices else {}
        return ", ".join(str(labels.get(v, v)) for v in value)
    if isinstance(value, Model):
        full_name = getattr(value, "get_full_name", None)
        return (full_name() if callable(full_name) else "") or str(value)
    if isinstance(value, dict):
        return _t("(changed)")
    text = str(value)
    return text if len(text) <= 300 else text[:300] + "…"


def describe_conflict(conflict: VersionConflict) -> list[dict]:
    """Rows for templates/cases/_conflict.html: each changed field's label and the value now stored.

    Also sets ``conflict.rows`` so that the partial needs nothing but ``conflict`` in its context.
    """
    rows = [
        {"label": str(label).capitalize(), "value": _display_value(conflict.current, name)}
        for name, label in zip(conflict.changed_fields, conflict.changed_labels, strict=False)
    ]
    conflict.rows = rows
    return rows


def countdown_text(due, now=None) -> tuple[str, str]:
    """("expires in 5 h 20 min" / "overdue by 2 h", css class) for a deadline."""
    left = deadlines.countdown(due, now or timezone.now())
    seconds = abs(left.seconds)
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        span = _t("%(d)s d %(h)s h") % {"d": days, "h": hours}
    elif hours:
        span = _t("%(h)s h %(m)s min") % {"h": hours, "m": minutes}
    else:
        span = _t("%(m)s min") % {"m": minutes}
    if left.overdue:
        return _t("overdue by %(span)s") % {"span": span}, "badge-err"
    return _t("due in %(span)s") % {"span": span}, ("badge-warn" if left.seconds < 86400 else "badge")


def may_steer(user, case: Case) -> bool:
    """Staff of the lead institution and the municipality's coordinators decide the lead and the
    restricted flag (the service checks the same)."""
    access = user.access
    if case.lead_institution_id in access.institution_ids(*STAFF_ROLES):
        return True
    return case.municipality_id in access.municipalities_with(WIDE_PERMISSION)


def is_on_team(user, case: Case) -> bool:
    """Whether the user reaches the case as the team or a coordinator (not only through a grant)."""
    return on_team(user, case)


class CaseMixin(LoginRequiredMixin):
    """Loads the case of the URL from the user's visible cases (404 otherwise)."""

    case_action = "view"

    def get_case(self) -> Case:
        if getattr(self, "_case", None) is None:
            user = self.request.user
            # The case rule does not depend on the action: one fixed statement reads the case, the
            # rows shown with it and whether the user is on its team (selectors/case_rows.py).
            applies, case = load_visible_case(user, self.kwargs["pk"])
            if not applies:
                queryset = Case.objects.visible_to(user, self.case_action).select_related(*CASE_SELECT)
                case = mark_visible(get_object_or_404(queryset, pk=self.kwargs["pk"]), user)
            elif case is None:
                raise Http404
            self._case = case
        return self._case

    def detail_url(self, anchor: str = "") -> str:
        url = reverse("cases:detail", args=[self.kwargs["pk"]])
        return f"{url}#{anchor}" if anchor else url


# --- the list ------------------------------------------------------------------------------------


def default_scope(user) -> str:
    """Coordinators start on all cases of the municipality, everyone else on their own cases."""
    return "all" if user.access.municipalities_with(WIDE_PERMISSION) else "mine"


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


def filtered_cases(request, scope: str, form: CaseFilterForm, *, cursor: str | None = None):
    """(cases, next cursor, used scope, searched) for the list page and the export."""
    user = request.user
    filters = form.selector_filters() if form.is_bound and form.is_valid() else {}
    q = (form.cleaned_data.get("q") or "").strip() if form.is_bound and form.is_valid() else ""
    if q:
        # Search finds up to 50 cases across the user's cases; the tab and the filters then narrow them.
        results = case_search(user, q, fields=LIST_ONLY, forms=False)
        ids = [r.case.pk for r in results]
        allowed = in_tab(user, scope=scope, ids=ids, **filters)
        if allowed is None:  # the shared tab: the reference rule
            allowed = set(case_queryset(user, scope=scope, **filters).filter(pk__in=ids).values_list("pk", flat=True))
        return [r.case for r in results if r.case.pk in allowed], None, True
    page = case_page(user, scope=scope, cursor=cursor, page_size=PAGE_SIZE, **filters)
    return page.cases, page.next_cursor, False


_ROW_HTML = (
    '<tr class="case-row{immediate}">'
    '<td data-label="[l_case]"><a class="case-number" href="[head]{pk}[tail]">{number}</a>{restricted}</td>'
    '<td data-label="[l_status]"><span class="badge status-{status}">{status_label}</span></td>'
    '<td data-label="[l_risk]">{risk} <span class="badge priority-{priority}">{priority_label}</span></td>'
    '<td data-label="[l_lead]">{lead}</td>'
    '<td data-label="[l_reported]"><time datetime="{reported_iso}">{reported}</time></td>'
    '<td data-label="[l_repeat]">{repeat}{known}</td>'
    '<td data-label="[l_activity]"><time datetime="{activity_iso}">{activity}</time></td>'
    "</tr>"
)


_ROW_PARTS: dict = {}


def _row_parts() -> dict:
    """The fixed parts of a list row in the active language, built once per language and process:
    the row's words and link escaped into the row template, the badges and labels of every status,
    level and priority (translations do not change while the platform runs)."""
    language = get_language()
    parts = _ROW_PARTS.get(language)
    if parts is not None:
        return parts
    # The case page's address: /…/cases/<pk>/ with the number put in for each row.
    sentinel = 987654321
    head, tail = reverse("cases:detail", args=[sentinel]).split(str(sentinel))
    fixed = {
        "[l_case]": _t("Case"), "[l_status]": _t("Status"), "[l_risk]": _t("Risk and priority"),
        "[l_lead]": _t("Lead institution"), "[l_reported]": _t("Reported"), "[l_repeat]": _t("Repeat"),
        "[l_activity]": _t("Last activity"), "[head]": head, "[tail]": tail,
    }
    template = _ROW_HTML
    for token, text in fixed.items():
        template = template.replace(token, escape(text).replace("{", "{{").replace("}", "}}"))
    parts = {
        "template": template,
        "restricted": format_html(
            ' <span class="badge badge-restricted" title="{}">{}</span>',
            _t("Only the assigned staff see this case"), _t("Restricted"),
        ),
        "not_assessed": format_html('<span class="badge">{}</span>', _t("Not assessed")),
        "repeat": format_html('<span class="badge badge-warn">{}</span>', _t("Repeat case")),
        "not_repeat": format_html('<span class="muted">{}</span>', _t("No")),
        "known": format_html(' <span class="badge badge-warn">{}</span>', _t("Known elsewhere")),
        "risks": {code: format_html('<span class="badge risk-{}">{}</span>', code, label)
                  for code, label in RiskLevel.choices},
        "statuses": {code: str(escape(label)) for code, label in CaseStatus.choices},
        "priorities": {code: str(escape(label)) for code, label in Priority.choices},
        "day_and_time": formats.get_format("SHORT_DATETIME_FORMAT") == formats.get_format("SHORT_DATE_FORMAT") + " H:i",
    }
    _ROW_PARTS[language] = parts
    return parts


def list_rows(cases) -> None:
    """Each list row's markup (``case.row_html``), written in Python: the case list is the most
    requested page, and its 50 rows of a dozen fields cost the template engine about a thousand
    variable look-ups per page. The row's fixed words, badges and link are escaped once per language
    (_row_parts); per row only its own values are escaped (the standard library's ``html.escape``,
    which is what Django's ``escape`` applies) and put in. Dates are written like the template's
    ``date`` filter (``c`` is ``isoformat``)."""
    parts = _row_parts()
    template, statuses, priorities, risks = parts["template"], parts["statuses"], parts["priorities"], parts["risks"]
    restricted, not_assessed, known = parts["restricted"], parts["not_assessed"], parts["known"]
    repeat_case, not_repeat, day_and_time = parts["repeat"], parts["not_repeat"], parts["day_and_time"]
    zone = timezone.get_current_timezone()
    days: dict = {}  # a page of the newest cases shares a handful of days: each is formatted once

    def day(value):
        key = value.date()
        if key not in days:
            days[key] = escape(formats.date_format(value, "SHORT_DATE_FORMAT"))
        return days[key]

    def moment(value):
        # The day formatted once, the hour and minute added per row, where the locale's date-and-time
        # format is its date format and "H:i" (all three of the platform's); otherwise the filter's way.
        if day_and_time:
            return f"{day(value)} {value.hour:02d}:{value.minute:02d}"
        return escape(formats.date_format(value, "SHORT_DATETIME_FORMAT"))

    for case in cases:
        reported = case.reported_at.astimezone(zone)
        activity = case.last_activity_at.astimezone(zone)
        status, priority, level = case.status, case.priority, case.risk_level
        case.row_html = mark_safe(
            template.format(
                immediate=" is-immediate" if priority == Priority.IMMEDIATE else "",
                pk=int(case.pk),
                number=html_escape(case.number),
                restricted=restricted if case.is_restricted else "",
                status=html_escape(status),
                status_label=statuses.get(status) or html_escape(status),
                risk=(risks.get(level) or html_escape(level)) if level else not_assessed,
                priority=html_escape(priority),
                priority_label=priorities.get(priority) or html_escape(priority),
                lead=html_escape(case.lead_institution.display_name()),
                reported_iso=reported.isoformat(),
                reported=day(reported),
                repeat=repeat_case if case.is_repeat else not_repeat,
                known=known if case.known_elsewhere else "",
                activity_iso=activity.isoformat(),
                activity=moment(activity),
            )
        )


class CaseListView(LoginRequiredMixin, View):
    """My cases / my institution / all cases (coordinators) / shared with me, with filters and search."""

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
        form = CaseFilterForm(data or None, user=request.user)
        return self.render_list(request, scope, key, form, cursor=request.GET.get("cursor") or None)

    def post(self, request):
        scope = self._scope(request)
        form = CaseFilterForm(request.POST, user=request.user)
        if not form.is_valid():
            return self.render_list(request, scope, "", form, status=200)
        data = {name: request.POST.get(name, "") for name in form.fields if request.POST.get(name)}
        key = _save_filters(request, data) if data else ""
        return HttpResponseRedirect(_list_url(scope, key))

    def render_list(self, request, scope, key, form, *, cursor=None, status=200):
        user = request.user
        cases, next_cursor, searched = [], None, False
        # Invalid filters are shown on their fields above the unfiltered list.
        used = form if not form.is_bound or form.is_valid() else CaseFilterForm(user=user)
        try:
            cases, next_cursor, searched = filtered_cases(request, scope, used, cursor=cursor)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            cases, next_cursor, searched = filtered_cases(request, scope, used)
        list_rows(cases)
        access = user.access
        tabs = [
            ("mine", _("My cases")),
            ("institution", _("My institution")),
        ]
        if access.municipalities_with(WIDE_PERMISSION):
            tabs.append(("all", _("All cases")))
        tabs.append(("shared", _("Shared with me")))
        context = {
            "form": form,
            "scope": scope,
            "tabs": [{"scope": s, "label": label, "url": _list_url(s, key), "current": s == scope} for s, label in tabs],
            "cases": cases,
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


class CaseExportView(LoginRequiredMixin, View):
    """The filtered list as CSV or XLSX (case facts only; restricted cases are never exported)."""

    def get(self, request):
        fmt = request.GET.get("format", "csv")
        if fmt not in ("csv", "xlsx"):
            return HttpResponseBadRequest(_t("Choose CSV or XLSX."))
        scope = CaseListView()._scope(request)
        _key, data = _saved_filters(request)
        form = CaseFilterForm(data or None, user=request.user)
        filters = form.selector_filters() if form.is_bound and form.is_valid() else {}
        q = (form.cleaned_data.get("q") or "").strip() if form.is_bound and form.is_valid() else ""
        if q:
            ids = [r.case.pk for r in case_search(request.user, q)]
            queryset = case_queryset(request.user, scope=scope, **filters).filter(pk__in=ids)
            kwargs = {"queryset": queryset}
        else:
            kwargs = {"scope": scope, **filters}
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


class CaseCreateView(LoginRequiredMixin, View):
    """Open a case; the next step (adding the victim) is shown on the new case page."""

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


# --- the case page --------------------------------------------------------------------------------


def _entry_summary(entry) -> str:
    """A short line under a timeline entry (codes turned into labels; no contact data)."""
    d = entry.details
    kind = entry.kind
    if kind == Kind.STATUS_CHANGED:
        src = CaseStatus(d["from"]).label if d.get("from") in CaseStatus.values else "—"
        dst = CaseStatus(d["to"]).label if d.get("to") in CaseStatus.values else ""
        return f"{src} → {dst}"
    if kind == Kind.INCIDENT:
        return ", ".join(str(ViolenceForm(f).label) for f in d.get("forms", []) if f in ViolenceForm.values)
    if kind == Kind.RISK_ASSESSMENT:
        level = str(RiskLevel(d["level"]).label) if d.get("level") in RiskLevel.values else ""
        return f"{level} · {_t('immediate danger')}" if d.get("immediate_danger") and d.get("level") != RiskLevel.IMMEDIATE else level
    if kind == Kind.PERSON_ADDED:
        role = PersonRole(d["role"]).label if d.get("role") in PersonRole.values else ""
        return f"{role}: {entry.obj}"
    if kind == Kind.ASSIGNED:
        role = TeamRole(d["role"]).label if d.get("role") in TeamRole.values else ""
        user = entry.obj.user
        return f"{user.get_full_name() or user.email} · {role}"
    if kind == Kind.UNASSIGNED:
        user = entry.obj.user
        return user.get_full_name() or user.email
    if kind == Kind.REFERRAL_SENT:
        urgency = ReferralUrgency(d["urgency"]).label if d.get("urgency") in ReferralUrgency.values else ""
        return f"{entry.obj.to_institution} · {urgency}"
    if kind in (Kind.NOTE, Kind.ATTACHMENT):
        label = entry.obj.get_kind_display() if kind == Kind.NOTE else entry.obj.original_name
        if d.get("visibility") == Visibility.OWN_INSTITUTION:
            return f"{label} · {Visibility.OWN_INSTITUTION.label}"
        return str(label)
    if kind in (Kind.EMERGENCY_MEASURE, Kind.PROTECTIVE_MEASURE, Kind.PROTECTIVE_MEASURE_RENEWED):
        return entry.obj.get_kind_display()
    if kind == Kind.COURT_DECISION:
        return entry.obj.get_court_decision_display()
    return ""


def timeline_context(user, case: Case, *, audit: bool = True) -> dict:
    """The timeline's lines, written once in Python (title, summary, time, who and where): the same
    text the template filters would write, without a template lookup per field of each entry."""
    entries = case_timeline(user, case, audit=audit)
    written: dict = {}  # entries of the same minute (or day) share their text
    for entry in entries:
        entry.summary = _entry_summary(entry)
        at = timezone.localtime(entry.at)
        entry.iso = at.isoformat()  # the ``date`` filter's "c"
        key = (at.date(), None) if entry.all_day else (at.date(), at.hour, at.minute)
        if key not in written:
            written[key] = formats.date_format(at, "SHORT_DATE_FORMAT" if entry.all_day else "SHORT_DATETIME_FORMAT")
        entry.when = written[key]
        actor, institution = entry.actor, entry.institution
        who = (actor.get_full_name() or actor.email) if actor is not None else ""
        where = institution.display_name() if institution is not None else ""
        entry.meta = " · ".join(part for part in (who, where) if part)
        entry.heading = str(entry.title)
        entry.html = format_html(
            '<li class="tl-item tl-{}">\n      <time class="tl-time" datetime="{}">{}</time>\n      <div class="tl-body">\n'
            "        <strong>{}</strong>{}\n        {}\n      </div>\n    </li>",
            entry.kind, entry.iso, entry.when, entry.heading,
            format_html('<span class="tl-summary"> · {}</span>', entry.summary) if entry.summary else "",
            format_html('<div class="tl-meta">{}</div>', entry.meta) if entry.meta else "",
        )
    return {"timeline": entries}


def readers_of(case: Case, user) -> list[dict]:
    """Who opened the case (audited reads), newest first; one row per request."""
    rows = case_readers(user, case, READERS_SHOWN * 3)
    seen, result = set(), []
    places = {view: format_html(' <span class="help">· {}</span>', label) for view, label in READ_PLACES.items()}
    minutes: dict = {}  # reads close together share their minute: each is written once
    for _pk, at, actor_label, institution_id, request_id, view, first, last, email, institution in rows:
        token = request_id or f"id{_pk}"
        if token in seen:
            continue
        seen.add(token)
        name = f"{first or ''} {last or ''}".strip() or email or actor_label
        if institution is None:
            institution = _t("Service in another municipality") if institution_id else "—"
        where = READ_PLACES.get(view or "", "")
        local = timezone.localtime(at)
        minute = local.replace(second=0, microsecond=0)
        if minute not in minutes:
            minutes[minute] = escape(formats.date_format(local, "SHORT_DATETIME_FORMAT"))
        # The ``date`` filter's "c" is ``isoformat``.
        html = mark_safe(
            f'<li><span class="reader-name">{escape(name)}</span> <span class="help">{escape(institution)}</span><br>'
            f'<time class="help" datetime="{local.isoformat()}">{minutes[minute]}</time>{places.get(view or "", "")}</li>'
        )
        result.append({"user": name, "institution": institution, "at": at, "where": where, "html": html})
        if len(result) >= READERS_SHOWN:
            break
    return result


def team_context(request, case: Case, *, on_team: bool) -> dict:
    """The side panel: the case team and the assigned staff. The forms that change them open on
    demand (TeamAddView, AssignView): a large centre's staff list is hundreds of options the page
    would otherwise build and send on every visit."""
    user = request.user
    team = case_team_for(user, case)
    members = [{"member": m, "added_by": m.participant.added_by} for m in team]
    # The timeline reads every assignment of the case (oldest first); the panel shows the open ones,
    # the case manager first.
    assignments = [a for a in case_rows(user, case, CaseAssignment) if a.ended_at is None]
    assignments.sort(key=lambda a: a.team_role, reverse=True)
    open_case = case.status != CaseStatus.CLOSED
    return {
        "team": members,
        "assignments": assignments,
        "can_change_team": on_team and open_case,
        "is_lead_staff": case.lead_institution_id in user.access.institution_ids(*STAFF_ROLES),
    }


def staff_choices(case: Case, team_ids) -> tuple:
    """Active staff of the institutions on the team (who can be assigned), and their institution names."""
    memberships = Membership.objects.filter(
        institution_id__in=list(team_ids),
        municipality_id=case.municipality_id,
        is_active=True,
        role__in=STAFF_ROLES,
        institution__is_active=True,
        user__is_active=True,
    )
    labels: dict[int, str] = {}
    cyrillic = (get_language() or "").lower().endswith("cyrl")
    for user_id, name, name_cyrl in memberships.values_list("user_id", "institution__name", "institution__name_cyrl"):
        labels.setdefault(user_id, name_cyrl if cyrillic and name_cyrl else name)
    # Only what the option label needs: a large centre lists hundreds of people here.
    queryset = (
        User.objects.filter(pk__in=list(labels))
        .only("id", "first_name", "last_name", "email")
        .order_by("last_name", "first_name", "email")
    )
    return queryset, labels


class CaseDetailView(CaseMixin, View):
    """The case page: header and actions, the sections of the record, the team panel, the timeline."""

    template_name = "cases/detail.html"

    def get(self, request, pk):
        return render(request, self.template_name, self.build_context())

    def build_context(self, **extra) -> dict:
        from . import measures, records

        request, user = self.request, self.request.user
        case = self.get_case()
        on_team = is_on_team(user, case)
        is_lead_staff = case.lead_institution_id in user.access.institution_ids(*STAFF_ROLES)
        # Everything the sections, the side panel and the timeline show, read together.
        load_case_record(user, case)
        context = {
            "case": case,
            "on_team": on_team,
            "is_closed": case.status == CaseStatus.CLOSED,
            "reaction": None,
        }
        if case.status == CaseStatus.REPORTED and case.lead_institution.type == InstitutionType.CSR:
            # The centre's reaction time by priority (24 h / 3 days / 7 days) runs until work starts.
            due = deadlines.csr_reaction_due(case.reported_at, case.priority).due
            text, css = countdown_text(due)
            context["reaction"] = {"due": due, "text": text, "css": css}
        context.update(team_context(request, case, on_team=on_team))
        context.update(extra)
        context.update(timeline_context(user, case, audit=False))
        context.update(records.detail_context(request, case, audit=False) or {})
        # The page's reads (its timeline, the persons' contact data, the case) in one INSERT, before
        # the readers panel (which shows this read too).
        audit_entries(
            [
                (AuditAction.VIEW, case, timeline_audit_details(context["timeline"])),
                *records.persons_audit_entries(context),
                (AuditAction.VIEW, case, {"view": "detail"}),
            ],
            actor=user,
        )
        if is_lead_staff:
            context["readers"] = readers_of(case, user)
        # The persons section has just read the case's persons: whether one is a victim comes with them.
        recorded = context.get("records")
        context["has_victim"] = (
            recorded.has_victims
            if recorded is not None
            else CasePerson.objects.of_case(user, case).filter(role=PersonRole.VICTIM).exists()
        )
        context.update(measures.detail_context(request, case) or {})
        context["hook_panels"] = hooks.collect_case_panels(request, case)
        context["case"] = case  # the sections must not replace the case itself
        return context


class CaseTimelineView(CaseMixin, View):
    """The timeline alone (an htmx partial; a page of its own without htmx)."""

    def get(self, request, pk):
        case = self.get_case()
        context = {"case": case, **timeline_context(request.user, case)}
        template = "cases/_timeline.html" if getattr(request, "htmx", False) else "cases/timeline.html"
        response = render(request, template, context)
        patch_vary_headers(response, ("HX-Request",))
        return response


# --- changes ------------------------------------------------------------------------------------------


class CaseFormView(CaseMixin, View):
    """A form page about one case; subclasses build the form and call the service."""

    template_name = ""
    partial_template = ""  # the form alone, for htmx requests (opened inside the case page)
    case_action = "change"
    field_aliases: dict = {}
    audit_view = "form"

    def render_form(self, form, status=200, **extra):
        case = self.get_case()
        if self.request.method == "GET":
            # The form shows case data (number, summary, status): the read is audited like the case page.
            audit_log(action=AuditAction.VIEW, actor=self.request.user, obj=case, details={"view": self.audit_view})
        context = {"case": case, "form": form, **extra}
        if self.partial_template and self.request.method == "GET" and getattr(self.request, "htmx", False):
            # Opened inside the case page's side panel: the form alone, posting to this page.
            response = render(self.request, self.partial_template, context, status=status)
        else:
            response = render(self.request, self.template_name, context, status=status)
        patch_vary_headers(response, ("HX-Request",))
        return response

    def run(self, form, call, success: str, anchor: str = ""):
        """Call the service; on success redirect to the case page with a message, else re-render."""
        conflict = None
        try:
            call()
        except VersionConflict as error:
            # Shown by templates/cases/_conflict.html with what changed (not repeated as a form error).
            conflict = error
            describe_conflict(error)
        except ValidationError as error:
            apply_service_errors(form, error, self.field_aliases)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _t("You cannot do this on this case."))
        else:
            messages.success(self.request, success)
            return HttpResponseRedirect(self.detail_url(anchor))
        if conflict is not None:
            # Show the stored version so the user can re-enter the change on top of it.
            self._case = None
            fresh = self.get_case()
            form.data = form.data.copy()
            form.data["version"] = str(fresh.version)
        return self.render_form(form, conflict=conflict)


class CaseEditView(CaseFormView):
    """Edit the summary (everyone on the team), the lead institution and the restricted flag (leads)."""

    template_name = "cases/form_edit.html"
    audit_view = "edit"
    # The consent rule speaks of the institution joining the team: here that is the new lead.
    field_aliases = {"institution": "lead_institution"}

    def make_form(self, data=None):
        case = self.get_case()
        steer = may_steer(self.request.user, case)
        initial = {
            "version": case.version,
            "summary": case.summary,
            "lead_institution": case.lead_institution_id,
            "is_restricted": case.is_restricted,
        }
        form = CaseEditForm(data, initial=initial, user=self.request.user, case=case, may_steer=steer)
        if steer and not case_services.is_immediate_danger(case):
            # The reason is only ever asked for under immediate danger (the service's consent rule).
            form.fields["override_reason"].widget = forms.HiddenInput()
        return form

    def render_form(self, form, status=200, **extra):
        field = form.fields.get("override_reason")
        if field is not None and "override_reason" in form.errors and field.widget.is_hidden:
            field.widget = forms.Textarea(attrs={"rows": 2})
        return super().render_form(form, status, **extra)

    def get(self, request, pk):
        return self.render_form(self.make_form())

    def post(self, request, pk):
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        case = self.get_case()
        data = form.cleaned_data
        kwargs = {"summary": data["summary"]}
        if form.may_steer:
            kwargs.update(
                is_restricted=data["is_restricted"],
                lead_institution=data["lead_institution"],
                override_reason=data.get("override_reason", ""),
            )
        return self.run(
            form,
            lambda: case_services.case_update(
                user=request.user, case=case, expected_version=data["version"], **kwargs
            ),
            _t("The case is saved."),
        )


class CaseStatusView(CaseFormView):
    """Change the status (the allowed moves only), close with a reason, reopen."""

    template_name = "cases/form_status.html"
    audit_view = "status"

    def make_form(self, data=None):
        case = self.get_case()
        return CaseStatusForm(data, initial={"version": case.version}, case=case)

    def render_form(self, form, status=200, **extra):
        history = (
            CaseStatusChange.objects.visible_to(self.request.user)
            .filter(case_id=self.get_case().pk)
            .select_related("changed_by")
            .order_by("-changed_at", "-id")
        )
        return super().render_form(form, status, history=history, **extra)

    def get(self, request, pk):
        return self.render_form(self.make_form())

    def post(self, request, pk):
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        case = self.get_case()
        data = form.cleaned_data
        label = CaseStatus(data["to_status"]).label
        return self.run(
            form,
            lambda: case_services.case_change_status(
                user=request.user,
                case=case,
                to_status=data["to_status"],
                expected_version=data["version"],
                closure_reason=data["closure_reason"] if data["to_status"] == CaseStatus.CLOSED else "",
                note=data["note"],
            ),
            _t("The case status is now “%(status)s”.") % {"status": label},
        )


class TeamFormView(CaseFormView):
    """A form that changes the team or the staff: only for the case team and the municipality's
    coordinators (a case shared for one task does not show the team's institutions and staff)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_on_team(request.user, self.get_case()):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def team_ids(self) -> list[int]:
        """The institutions on the case team now."""
        return list(
            CaseParticipant.objects.visible_to(self.request.user)
            .filter(case_id=self.get_case().pk, ended_at__isnull=True)
            .values_list("institution_id", flat=True)
        )

    def make_form(self, data=None):
        raise NotImplementedError

    def change(self, form):
        """``(the change to run, the message when it succeeded, the case page section)`` for a valid form."""
        raise NotImplementedError

    def get(self, request, pk):
        return self.render_form(self.make_form())

    def post(self, request, pk):
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_form(form)
        action, message, anchor = self.change(form)
        return self.run(form, action, message, anchor=anchor)


class TeamAddView(TeamFormView):
    """Add an institution to the case team (the victim's consent, or immediate danger and a reason)."""

    template_name = "cases/form_team.html"
    partial_template = "cases/_team_add_form.html"
    audit_view = "team_add"

    def make_form(self, data=None, show_override=None):
        case = self.get_case()
        if show_override is None:
            show_override = case_services.is_immediate_danger(case)
        return TeamAddForm(data, user=self.request.user, case=case, team_ids=self.team_ids(), show_override=show_override)

    def change(self, form):
        institution = form.cleaned_data["institution"]
        return (
            lambda: case_services.case_add_participant(
                user=self.request.user,
                case=self.get_case(),
                institution=institution,
                override_reason=form.cleaned_data.get("override_reason", ""),
            ),
            _t("%(institution)s joined the case team.") % {"institution": institution.display_name()},
            "team",
        )

    def render_form(self, form, status=200, **extra):
        if "override_reason" in form.errors and not form.show_override:
            # The service asks for a reason (immediate danger, no consent): show the field.
            form.show_override = True
            form.fields["override_reason"].widget = forms.Textarea(attrs={"rows": 3})
        return super().render_form(form, status, **extra)


class TeamRemoveView(CaseMixin, View):
    """Take an institution off the team (POST)."""

    case_action = "change"

    def post(self, request, pk, participant_pk):
        case = self.get_case()
        participant = get_object_or_404(
            CaseParticipant.objects.visible_to(request.user).select_related("institution"),
            pk=participant_pk,
            case_id=case.pk,
        )
        try:
            case_services.case_remove_participant(user=request.user, case=case, institution=participant.institution)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
        else:
            messages.success(request, _t("%(institution)s left the case team.") % {"institution": participant.institution.display_name()})
        return HttpResponseRedirect(self.detail_url("team"))


class AssignView(TeamFormView):
    """Assign a staff member of an institution on the team."""

    template_name = "cases/form_assign.html"
    partial_template = "cases/_assign_form.html"
    audit_view = "assign"

    def make_form(self, data=None):
        queryset, labels = staff_choices(self.get_case(), self.team_ids())
        return AssignForm(data, staff_queryset=queryset, staff_labels=labels)

    def change(self, form):
        assignee = form.cleaned_data["assignee"]
        return (
            lambda: case_services.case_assign_user(
                user=self.request.user, case=self.get_case(), assignee=assignee,
                team_role=form.cleaned_data["team_role"],
            ),
            _t("%(name)s is assigned to the case.") % {"name": assignee.get_full_name() or assignee.email},
            "staff",
        )


class UnassignView(CaseMixin, View):
    """End a staff member's assignment (POST)."""

    case_action = "change"

    def post(self, request, pk, assignment_pk):
        case = self.get_case()
        assignment = get_object_or_404(
            CaseAssignment.objects.visible_to(request.user).select_related("user"),
            pk=assignment_pk,
            case_id=case.pk,
            ended_at__isnull=True,
        )
        try:
            case_services.case_unassign_user(user=request.user, case=case, assignee=assignment.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
        else:
            messages.success(request, _t("The assignment has ended."))
        return HttpResponseRedirect(self.detail_url("staff"))


class ProposeConferenceView(CaseMixin, View):
    """Propose the case for the next case conference (POST)."""

    case_action = "change"

    def post(self, request, pk):
        case = self.get_case()
        already = case.proposed_for_conference_at is not None
        try:
            case_services.case_propose_for_conference(user=request.user, case=case)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", None) or [str(error)]))
        else:
            if already:
                messages.info(request, proposed_message(request.user, case, already=True))
            else:
                messages.success(request, proposed_message(request.user, case))
        return HttpResponseRedirect(self.detail_url())
