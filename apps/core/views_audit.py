"""The audit log pages: platform admins see everything, institution admins their municipalities.

Filters are posted, kept in the session under a random key and referred to as ``?f=<key>``, so
that nothing typed into them (an e-mail address) ends up in a URL or a server log. Pages are
keyset-paginated by (at, id) descending with an opaque cursor; the table is never counted.
"""
from __future__ import annotations

import base64
import binascii
import csv
import datetime
import secrets
from urllib.parse import urlencode

from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.http import Http404, HttpResponseRedirect, StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from .audit import audit_log
from .audit_queries import audit_entries_visible_to, audit_municipalities_for, audit_municipality_ids
from .choices import AuditAction
from .filters import AuditFilter, object_type_label
from .tenant_models import institution_model, municipality_model

PAGE_SIZE = 50
EXPORT_MAX_ROWS = 100_000
SESSION_KEY = "audit_filters"
MAX_SAVED_FILTERS = 20
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


# --- keyset cursor -------------------------------------------------------------------------

def encode_cursor(entry) -> str:
    """An opaque cursor for a position (at, id) in the log."""
    raw = f"{entry.at.isoformat()}|{entry.pk}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(value: str | None) -> tuple[datetime.datetime, int] | None:
    """The (at, id) of a cursor, or None for a missing or damaged one (the first page is shown)."""
    if not value:
        return None
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
        at_text, id_text = raw.split("|", 1)
        at = datetime.datetime.fromisoformat(at_text)
        if timezone.is_naive(at):
            return None
        return at, int(id_text)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def keyset_page(queryset, *, after=None, before=None, size: int = PAGE_SIZE):
    """One page of entries, newest first, and the cursors of the older and newer pages (or None)."""
    if before is not None:
        at, pk = before
        rows = list(queryset.filter(Q(at__gt=at) | Q(at=at, id__gt=pk)).order_by("at", "id")[: size + 1])
        has_newer = len(rows) > size
        rows = rows[:size][::-1]
        if not rows:
            return keyset_page(queryset, size=size)
        newer = encode_cursor(rows[0]) if has_newer else None
        older = encode_cursor(rows[-1])
        return rows, older, newer
    if after is not None:
        at, pk = after
        queryset = queryset.filter(Q(at__lt=at) | Q(at=at, id__lt=pk))
    rows = list(queryset.order_by("-at", "-id")[: size + 1])
    has_older = len(rows) > size
    rows = rows[:size]
    older = encode_cursor(rows[-1]) if has_older and rows else None
    newer = encode_cursor(rows[0]) if after is not None and rows else None
    return rows, older, newer


# --- shared by the page and the export ------------------------------------------------------

def csv_safe(value) -> str:
    """A cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def detail_keys(details) -> str:
    """What the details hold, by key only (field names), never the values."""
    if not isinstance(details, dict):
        return ""
    parts = []
    for key in sorted(details):
        value = details[key]
        if key == "fields" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            parts.append(f"{key}: {', '.join(value)}")
        else:
            parts.append(str(key))
    return "; ".join(parts)


class AuditAccessMixin(LoginRequiredMixin):
    """Anonymous users go to the login page; users who may not read the log get 404."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if audit_municipality_ids(request.user) == frozenset():
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def saved_filters(self) -> tuple[str, dict]:
        key = self.request.GET.get("f", "")
        saved = self.request.session.get(SESSION_KEY, {})
        return (key, saved[key]) if key in saved else ("", {})

    def filterset(self, data=None) -> AuditFilter:
        user = self.request.user
        return AuditFilter(
            data if data is not None else (self.saved_filters()[1] or None),
            queryset=audit_entries_visible_to(user),
            municipalities=audit_municipalities_for(user),
        )

    def name_maps(self, rows=None) -> tuple[dict, dict]:
        """Institution and municipality names the user may see (for the rows given, or all)."""
        user = self.request.user
        institutions = institution_model().objects.visible_to(user)
        municipalities = municipality_model().objects.visible_to(user)
        if rows is not None:
            institutions = institutions.filter(pk__in={r.institution_id for r in rows if r.institution_id})
            municipalities = municipalities.filter(pk__in={r.municipality_id for r in rows if r.municipality_id})
        return dict(institutions.values_list("pk", "name")), dict(municipalities.values_list("pk", "name"))


class AuditLogView(AuditAccessMixin, TemplateView):
    """The filterable audit log, newest first."""

    template_name = "core/audit.html"

    def post(self, request):
        filterset = self.filterset(request.POST)
        if not filterset.form.is_valid():
            return self.render_to_response(self.get_context_data(filterset=filterset))
        data = {k: v for k, v in filterset.form.data.items() if k in filterset.filters and v not in ("", None)}
        if not data:
            return HttpResponseRedirect(reverse("core:audit"))
        saved = dict(request.session.get(SESSION_KEY, {}))
        key = secrets.token_urlsafe(9)
        saved[key] = data
        while len(saved) > MAX_SAVED_FILTERS:
            saved.pop(next(iter(saved)))
        request.session[SESSION_KEY] = saved
        return HttpResponseRedirect(f"{reverse('core:audit')}?{urlencode({'f': key})}")

    def get_context_data(self, filterset=None, **kwargs):
        ctx = super().get_context_data(**kwargs)
        key, _data = self.saved_filters()
        if filterset is None:
            filterset = self.filterset()
        rows, older, newer = [], None, None
        if not filterset.is_bound or filterset.form.is_valid():
            rows, older, newer = keyset_page(
                filterset.qs,
                after=decode_cursor(self.request.GET.get("after")),
                before=decode_cursor(self.request.GET.get("before")),
            )
        institutions, municipalities = self.name_maps(rows)
        base = {"f": key} if key else {}
        ctx.update(
            filterset=filterset,
            form=filterset.form,
            filter_key=key,
            entries=[
                {
                    "at": r.at,
                    "user": r.actor_label,
                    "institution": institutions.get(r.institution_id, f"#{r.institution_id}" if r.institution_id else ""),
                    "municipality": municipalities.get(
                        r.municipality_id, f"#{r.municipality_id}" if r.municipality_id else ""
                    ),
                    "action": r.get_action_display(),
                    "object_type": object_type_label(r.object_type) if r.object_type else "",
                    "object_id": r.object_id,
                    "ip": r.ip or "",
                    "details": detail_keys(r.details),
                }
                for r in rows
            ],
            older_url=f"?{urlencode({**base, 'after': older})}" if older else None,
            newer_url=f"?{urlencode({**base, 'before': newer})}" if newer else None,
            export_url=reverse("core:audit_export") + (f"?{urlencode(base)}" if base else ""),
            is_filtered=bool(key),
        )
        return ctx


class _Echo:
    def write(self, value):
        return value


class AuditExportView(AuditAccessMixin, View):
    """The filtered log as CSV (safe to open in a spreadsheet); the export itself is audited."""

    def get(self, request):
        filterset = self.filterset()
        if filterset.is_bound and not filterset.form.is_valid():
            return HttpResponseRedirect(reverse("core:audit"))
        ids = audit_municipality_ids(request.user)
        chosen = filterset.form.cleaned_data.get("municipality") if filterset.is_bound else None
        municipality_id = chosen.pk if chosen else (next(iter(ids)) if ids and len(ids) == 1 else None)
        audit_log(
            action=AuditAction.EXPORT,
            actor=request.user,
            object_type="core.auditentry",
            municipality_id=municipality_id,
            details={"filters": filterset.used_filters()},
        )
        institutions, municipalities = self.name_maps()
        rows = filterset.qs.order_by("-at", "-id")[:EXPORT_MAX_ROWS].iterator(chunk_size=2000)
        writer = csv.writer(_Echo())

        def lines():
            yield "\ufeff"  # lets spreadsheet programs detect UTF-8 (names in Cyrillic)
            yield writer.writerow(
                [
                    _("Time"), _("User"), _("Institution"), _("Municipality"), _("Action"),
                    _("Object type"), _("Object id"), _("IP address"), _("Details (keys only)"),
                ]
            )
            for r in rows:
                yield writer.writerow(
                    [
                        csv_safe(v)
                        for v in (
                            timezone.localtime(r.at).strftime("%d.%m.%Y %H:%M"),
                            r.actor_label,
                            institutions.get(r.institution_id, r.institution_id or ""),
                            municipalities.get(r.municipality_id, r.municipality_id or ""),
                            r.get_action_display(),
                            object_type_label(r.object_type) if r.object_type else "",
                            r.object_id,
                            r.ip or "",
                            detail_keys(r.details),
                        )
                    ]
                )

        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
        return response
