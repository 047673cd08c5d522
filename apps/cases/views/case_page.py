"""The case page: header and actions, the sections of the record, the team panel, the readers and the
timeline (the timeline also alone, as an htmx partial)."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views import View

from apps.core.audit import audit_entries
from apps.core.choices import AuditAction
from apps.core.jinja_env import jinja_macros
from apps.institutions.choices import InstitutionType

from .. import deadlines, hooks
from ..choices import (
    CaseStatus,
    PersonRole,
    ReferralUrgency,
    RiskLevel,
    TeamRole,
    ViolenceForm,
    Visibility,
)
from ..models import Case, CasePerson
from ..querysets import on_team
from ..selectors.case_rows import load_case_record
from ..selectors.readers import case_readers
from ..selectors.timeline import Kind, case_timeline, timeline_audit_details
from ..services.cases import STAFF_ROLES
from . import measures, records
from .base import CaseView
from .team import team_context

User = get_user_model()

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


def is_on_team(user, case: Case) -> bool:
    """Whether the user reaches the case as the team or a coordinator (not only through a grant)."""
    return on_team(user, case)


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


def _lists():
    """The macros of the case page's long lists (jinja2/cases/case_page_lists.html)."""
    return jinja_macros("cases/case_page_lists.html")


def timeline_context(user, case: Case, *, audit: bool = True) -> dict:
    """The timeline's lines: their texts prepared once in Python (title, summary, time, who and where),
    entries of the same minute sharing their formatted time, written by the compiled template
    jinja2/cases/case_page_lists.html (a case's timeline runs to hundreds of entries)."""
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
    return {"timeline": entries, "timeline_html": _lists().timeline(entries) if entries else ""}


def readers_of(case: Case, user) -> list[dict]:
    """Who opened the case (audited reads), newest first; one row per request (shown by the readers
    panel of templates/cases/detail.html)."""
    rows = case_readers(user, case, READERS_SHOWN * 3)
    seen, result = set(), []
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
            minutes[minute] = formats.date_format(local, "SHORT_DATETIME_FORMAT")
        # The ``date`` filter's "c" is ``isoformat``.
        result.append({
            "user": name, "institution": institution, "at": at, "where": where, "iso": local.isoformat(),
            "when": minutes[minute],
        })
        if len(result) >= READERS_SHOWN:
            break
    return result


class CaseDetailView(CaseView, View):
    """The case page: header and actions, the sections of the record, the team panel, the timeline."""

    template_name = "cases/detail.html"

    def get(self, request, pk):
        return render(request, self.template_name, self.build_context())

    def build_context(self, **extra) -> dict:
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
            context["readers_html"] = _lists().readers(context["readers"])
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


class CaseTimelineView(CaseView, View):
    """The timeline alone (an htmx partial; a page of its own without htmx)."""

    def get(self, request, pk):
        case = self.get_case()
        context = {"case": case, **timeline_context(request.user, case)}
        template = "cases/_timeline.html" if getattr(request, "htmx", False) else "cases/timeline.html"
        response = render(request, template, context)
        patch_vary_headers(response, ("HX-Request",))
        return response
