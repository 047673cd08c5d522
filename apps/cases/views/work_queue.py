"""The work queue: what needs doing now, most urgent first (also the home page's panel), and marking
a reminder read."""
from __future__ import annotations

import unicodedata
from datetime import datetime, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.backends.utils import csrf_input
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from apps.core.jinja_env import jinja_macros
from apps.core.views_scoped import ScopedView

from .. import deadlines
from ..choices import (
    CaseStatus,
    CourtDecision,
    EmergencyMeasureKind,
    PlanMeasureKind,
    ReferralStatus,
    ReferralUrgency,
)
from ..deadlines import DeadlineKind
from ..models import (
    Referral,
    Reminder,
)
from ..querysets import CASE_ROLES
from ..selectors.work_queue import work_queue_for
from ..services.reminders import KIND_LABELS, STAGE_LABELS, reminder_mark_read
from .deadline_rows import DEADLINE_LABELS, WARN_BEFORE, Badge

# --- the work queue -------------------------------------------------------------------------------


class _CaseUrls:
    """Addresses for many rows from one ``reverse`` per pattern: the paths are fixed text around integer
    ids, so each is reversed once with marker ids and filled in with ``str.format`` (the check below
    falls back to ``reverse`` should a pattern ever change the ids it is given)."""

    MARKS = (987654321, 987654322)

    def __init__(self):
        self._patterns = {}

    def _url(self, name: str, *ids) -> str:
        pattern = self._patterns.get(name)
        if pattern is None:
            path = reverse(name, args=self.MARKS[: len(ids)])
            marks = [str(m) for m in self.MARKS[: len(ids)]]
            exact = all(path.count(m) == 1 for m in marks) and "{" not in path and "}" not in path
            for i, mark in reversed(list(enumerate(marks))):
                path = path.replace(mark, "{" + str(i) + "}")
            pattern = self._patterns[name] = path if exact else ""
        return pattern.format(*ids) if pattern else reverse(name, args=ids)

    def case(self, case_id, anchor: str = "") -> str:
        return self._url("cases:detail", case_id) + anchor

    def measure_update(self, case_id, measure_id) -> str:
        return self._url("cases:emergency_update", case_id, measure_id)

    def answer(self, case_id, referral_id) -> str:
        return self._url("cases:referral_answer", case_id, referral_id)

    def read(self, reminder_id) -> str:
        return self._url("cases:reminder_read", reminder_id)


class _QueueWriter:
    """What every row of one work queue page shares, resolved once: the date formats, the duration
    phrases and, per kind of badge, its phrases. ``badge`` writes the same
    badge as ``countdown_badge(...)`` and ``short`` the same text as ``short``."""

    def __init__(self, now: datetime):
        self.now = now
        self.macros = jinja_macros("cases/macros.html")
        self.datetime_format = get_format("SHORT_DATETIME_FORMAT")
        self.date_format = get_format("SHORT_DATE_FORMAT")
        self._datetimes: dict = {}
        self._dates: dict = {}
        self._badges: dict = {}
        self.phrases = (
            _g("%(days)s d %(hours)s h"), _g("%(days)s d"), _g("%(hours)s h %(minutes)s min"), _g("%(hours)s h"),
            _g("%(minutes)s min"),
        )

    def short(self, value) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime):
            text = self._datetimes.get(value)
            if text is None:
                text = self._datetimes[value] = dateformat.format(timezone.localtime(value), self.datetime_format)
            return text
        text = self._dates.get(value)
        if text is None:
            text = self._dates[value] = dateformat.format(value, self.date_format)
        return text

    def duration(self, seconds) -> str:
        """``format_duration`` with the page's phrases."""
        seconds = abs(int(seconds))
        days, rest = divmod(seconds, 86400)
        hours, rest = divmod(rest, 3600)
        minutes = max(rest // 60, 0)
        dh, d, hm, h, m = self.phrases
        if days:
            return dh % {"days": days, "hours": hours} if hours else d % {"days": days}
        if hours:
            return hm % {"hours": hours, "minutes": minutes} if minutes else h % {"hours": hours}
        return m % {"minutes": max(minutes, 1)}

    def _kind(self, kind: str, mode: str, past_css: str):
        key = (kind, mode, past_css)
        found = self._badges.get(key)
        if found is None:
            warn = WARN_BEFORE.get(kind, timedelta(hours=12))
            if mode == "expires":
                future, past = _g("expires in %(duration)s"), _g("expired %(duration)s ago")
            else:
                future, past = _g("due in %(duration)s"), _g("overdue by %(duration)s")
            # The fixed attributes of this kind of badge, rendered once for the page by the badge macros.
            data = self.macros.countdown_data(Badge(
                text="", future=future % {"duration": "{}"}, past=past % {"duration": "{}"},
                warn_seconds=int(warn.total_seconds()), past_css=past_css,
            ))
            found = self._badges[key] = (future, past, warn.total_seconds(), data)
        return found

    def badge(self, due: datetime, kind: str, *, mode: str = "due", past_css: str = "badge-err") -> Badge:
        future, past, warn_seconds, data = self._kind(kind, mode, past_css)
        cd = deadlines.countdown(due, self.now)
        duration = self.duration(cd.seconds)
        if cd.overdue:
            text, css = past % {"duration": duration}, past_css
        else:
            text = future % {"duration": duration}
            css = "badge-warn" if cd.seconds <= warn_seconds else ""
        local = timezone.localtime(due)
        return Badge(
            text=text, css=css, due=local, live=True, future=future % {"duration": "{}"},
            past=past % {"duration": "{}"}, warn_seconds=int(warn_seconds), past_css=past_css,
            due_text=self.short(local), data=data,
        )

    def wait(self, referral: Referral) -> str:
        """``referral_wait_text(referral, now)[0]`` with the page's phrases."""
        if referral.answered_at is not None:
            return _g("answered after %(duration)s") % {"duration": self.duration(referral.seconds_to_answer or 0)}
        if referral.status == ReferralStatus.SENT:
            return _g("waiting for %(duration)s") % {"duration": self.duration((self.now - referral.sent_at).total_seconds())}
        return ""


def _truncated(text: str, length: int) -> str:
    """``Truncator(text).chars(length)``, without walking texts that fit (most of them)."""
    if len(text) <= length:
        return unicodedata.normalize("NFC", text)
    return Truncator(text).chars(length)


def _labels(mapping) -> dict:
    """Choice labels translated once for the page (lazy texts otherwise translate on every row)."""
    return {key: str(label) for key, label in mapping.items()}


def work_queue_rows(queue, now: datetime) -> dict:
    """What each row of the work queue shows, formatted once in Python (labels, dates, addresses,
    badges): the same text the template filters and includes wrote, for ~100 rows at a fraction of the cost."""
    urls = _CaseUrls()
    w = _QueueWriter(now)
    short_ = w.short
    kinds = _labels(dict(EmergencyMeasureKind.choices))
    plan_kinds = _labels(dict(PlanMeasureKind.choices))
    urgencies = _labels(dict(ReferralUrgency.choices))
    referral_statuses = _labels(dict(ReferralStatus.choices))
    case_statuses = _labels(dict(CaseStatus.choices))
    deadline_labels = _labels(DEADLINE_LABELS)
    reminder_kinds = _labels(KIND_LABELS)
    stages = _labels(STAGE_LABELS)
    expiry = (DeadlineKind.EMERGENCY_EXPIRY, DeadlineKind.EXTENSION_EXPIRY)

    measures = []
    for item in queue.expiring_measures:
        m = item.measure
        mode = "expires" if item.deadline.kind in expiry else "due"
        in_force_badge = ""
        if item.deadline.kind not in expiry:
            kind = DeadlineKind.EXTENSION_EXPIRY if m.court_decision == CourtDecision.EXTENDED else DeadlineKind.EMERGENCY_EXPIRY
            in_force_badge = w.badge(item.in_force_until, kind, mode="expires", past_css="")
        measures.append({
            "item": item,
            "url": urls.case(m.case_id, "#emergency"),
            "number": m.case.number,
            "kind": kinds.get(m.kind, m.kind),
            "order_number": m.order_number,
            "ordered_by": m.ordered_by.name,
            "label": deadline_labels.get(item.deadline.kind, ""),
            "due": short_(item.deadline.due),
            "badge": w.badge(item.deadline.due, item.deadline.kind, mode=mode),
            "update_url": urls.measure_update(m.case_id, m.pk) if item.missing_proposal else "",
            "in_force": short_(item.in_force_until),
            "in_force_badge": in_force_badge,
        })
    plan_rows = []
    for item in queue.overdue_plan_measures:
        pm = item.measure
        plan_rows.append({
            "item": item,
            "url": urls.case(pm.case_id, "#plan"),
            "number": pm.case.number,
            "kind": plan_kinds.get(pm.kind, pm.kind),
            "description": _truncated(pm.description, 120),
            "owner": pm.owner_institution.display_name(),
            "responsible": pm.responsible_person,
            "deadline": short_(pm.deadline),
            "badge": w.badge(item.deadline.due, DeadlineKind.PLAN_MEASURE),
        })
    waiting = [
        {
            "referral": r,
            "pk": r.pk,
            "url": urls.answer(r.case_id, r.pk),
            "number": r.case.number,
            "urgency": urgencies.get(r.urgency, r.urgency),
            "urgent": r.urgency != ReferralUrgency.REGULAR,
            "from": r.from_institution.display_name(),
            "sent": short_(r.sent_at),
            "wait": w.wait(r),
            "reason": _truncated(r.reason, 200),
        }
        for r in queue.waiting_referrals
    ]
    answered = [
        {
            "referral": r,
            "url": urls.case(r.case_id, "#referrals"),
            "number": r.case.number,
            "to": r.to_institution.display_name(),
            "declined": r.status == ReferralStatus.DECLINED,
            "status": referral_statuses.get(r.status, r.status),
            "wait": w.wait(r),
            "decline_reason": _truncated(r.decline_reason, 120) if r.decline_reason else "",
        }
        for r in queue.answered_referrals
    ]
    activity = _g("last activity %(when)s (%(idle)s ago)")
    stale = [
        {
            "case": c,
            "url": urls.case(c.pk),
            "number": c.number,
            "status": case_statuses.get(c.status, c.status),
            "activity": activity % {
                "when": short_(timezone.localtime(c.last_activity_at).date()),
                "idle": w.duration((now - c.last_activity_at).total_seconds()),
            },
        }
        for c in queue.stale_cases
    ]
    reminders = [
        {
            "reminder": r,
            "url": urls.case(r.case_id),
            "number": r.case.number,
            "what": reminder_kinds.get(r.kind, r.kind),
            "stage": stages.get(r.stage, r.stage),
            "overdue": r.stage == "overdue",
            "due": short_(r.due_at),
            "institution": r.institution.display_name(),
            "read_url": urls.read(r.pk),
        }
        for r in queue.unread_reminders
    ]
    return {
        "measures": measures, "plan_rows": plan_rows, "waiting": waiting, "answered": answered, "stale": stale,
        "reminders": reminders,
    }


class WorkQueueView(ScopedView, TemplateView):
    """Jelena's Monday morning: what needs doing now, most urgent first."""

    template_name = "cases/measures/work_queue.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(work_queue_context(self.request, timezone.now()))
        return ctx


def work_queue_context(request, now: datetime) -> dict:
    """What templates/cases/measures/_work_queue_body.html needs: the queue page's and the home page's."""
    queue = work_queue_for(request.user, now)
    rows = work_queue_rows(queue, now)
    html = work_queue_html(rows, request) if queue.total else {}
    return {"queue": queue, "now": now, "html": html, **rows}


GROUPS = ("measures", "plan_rows", "waiting", "answered", "stale", "reminders")


def work_queue_html(rows: dict, request) -> dict:
    """Each group's rows as markup, rendered by the macros of the compiled template
    jinja2/cases/work_queue_rows.html (a hundred rows of a dozen values each are most of the page)."""
    macros = jinja_macros("cases/work_queue_rows.html", csrf_input=csrf_input(request))
    return {name: getattr(macros, name)(rows[name]) for name in GROUPS if rows[name]}


class ReminderReadView(ScopedView, View):
    """Mark an in-app reminder as read."""

    model = Reminder

    def post(self, request, *args, **kwargs):
        reminder = self.scoped_row(Reminder, kwargs["reminder_pk"])
        if reminder.institution_id not in request.user.access.institution_ids(*CASE_ROLES):
            # Visible with the case (a coordinator), but addressed to another institution's staff.
            raise PermissionDenied(_("This reminder is addressed to another institution."))
        reminder_mark_read(user=request.user, reminder=reminder)
        messages.success(request, _("The reminder is marked as read."))
        return HttpResponseRedirect(reverse("cases:work_queue"))
