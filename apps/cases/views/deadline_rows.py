"""Deadlines as the pages show them: countdown badges computed on the server from
``apps.cases.deadlines`` (static/js/cases-measures.js only keeps their text current while the page
stays open), and the rows of emergency and protective measures, plan measures and referrals."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from .. import deadlines
from ..choices import (
    CourtDecision,
    PlanMeasureStatus,
    ReferralStatus,
)
from ..deadlines import DeadlineKind
from ..forms_measures import (
    PlanMeasureStatusForm,
)
from ..models import (
    EmergencyMeasure,
    MeasureBreach,
    PlanMeasure,
    ProtectiveMeasure,
    Referral,
)

WARN_BEFORE = {
    DeadlineKind.EMERGENCY_EXPIRY: timedelta(hours=12),
    DeadlineKind.EXTENSION_PROPOSAL: timedelta(hours=6),
    DeadlineKind.COURT_DECISION: timedelta(hours=6),
    DeadlineKind.EXTENSION_EXPIRY: timedelta(days=3),
    DeadlineKind.APPEAL: timedelta(days=1),
    DeadlineKind.PROTECTIVE_EXPIRY: timedelta(days=14),
    DeadlineKind.PLAN_MEASURE: timedelta(days=2),
}
DEADLINE_LABELS = {
    DeadlineKind.EMERGENCY_EXPIRY: _("Measure expires (48 h)"),
    DeadlineKind.EXTENSION_PROPOSAL: _("Prosecutor's extension proposal (24 h)"),
    DeadlineKind.COURT_DECISION: _("Court decision on the extension (24 h)"),
    DeadlineKind.EXTENSION_EXPIRY: _("Extended measure expires (30 days)"),
    DeadlineKind.APPEAL: _("Appeal (3 days)"),
    DeadlineKind.PROTECTIVE_EXPIRY: _("Protective measure expires"),
    DeadlineKind.PLAN_MEASURE: _("Plan measure deadline"),
}


# --- countdowns -----------------------------------------------------------------------------------


def format_duration(seconds: int) -> str:
    """A duration as people say it: "2 d 5 h", "5 h 20 min", "12 min" (whole units, rounded down)."""
    seconds = abs(int(seconds))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = max(rest // 60, 0)
    if days:
        if hours:
            return _g("%(days)s d %(hours)s h") % {"days": days, "hours": hours}
        return _g("%(days)s d") % {"days": days}
    if hours:
        if minutes:
            return _g("%(hours)s h %(minutes)s min") % {"hours": hours, "minutes": minutes}
        return _g("%(hours)s h") % {"hours": hours}
    return _g("%(minutes)s min") % {"minutes": max(minutes, 1)}


def short(value: datetime | date | None) -> str:
    """27.11.2026 14:20 (local time) or 27.11.2026."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    return date_format(value, "SHORT_DATE_FORMAT")


@dataclass(slots=True)
class Badge:
    """A deadline badge: its text and colour now, and what the page script needs to keep it current.

    Rendered by the one badge macro (templates/jinja2/cases/macros.html). ``live`` badges carry the due moment and the phrases with "{}" for the duration; ``css`` is
    "badge-err" once overdue, "badge-warn" when close, "badge-ok" for a met deadline.
    """

    text: str
    css: str = ""
    due: datetime | None = None
    live: bool = False
    future: str = ""
    past: str = ""
    warn_seconds: int = 0
    past_css: str = "badge-err"
    due_text: str = ""  # the due moment as the page writes it (``short``), when known already
    data: str = ""  # the fixed attributes of its kind, rendered once per page (macros.html countdown_data)

    @property
    def title(self) -> str:
        return self.due_text or short(self.due)

    @property
    def due_iso(self) -> str:
        return self.due.isoformat() if self.due else ""

    @property
    def units(self) -> dict:
        """The duration formats for the page script ({d}, {h}, {m} stand for the numbers)."""
        # The same for every badge of a page: built once per language (the template reads five keys
        # of every badge, which used to translate 25 phrases per badge).
        return _duration_units(get_language())


@lru_cache(maxsize=16)
def _duration_units(language: str | None) -> dict:
    return {
        "dh": _g("%(days)s d %(hours)s h") % {"days": "{d}", "hours": "{h}"},
        "d": _g("%(days)s d") % {"days": "{d}"},
        "hm": _g("%(hours)s h %(minutes)s min") % {"hours": "{h}", "minutes": "{m}"},
        "h": _g("%(hours)s h") % {"hours": "{h}"},
        "m": _g("%(minutes)s min") % {"minutes": "{m}"},
    }


def countdown_badge(due: datetime, now: datetime, kind: str, *, mode: str = "due", past_css: str = "badge-err") -> Badge:
    """A live badge: "expires in 5 h 20 min" / "due in 3 h" / "overdue by 2 h" / "expired 2 h ago"."""
    cd = deadlines.countdown(due, now)
    warn = WARN_BEFORE.get(kind, timedelta(hours=12))
    if mode == "expires":
        future, past = _g("expires in %(duration)s"), _g("expired %(duration)s ago")
    else:
        future, past = _g("due in %(duration)s"), _g("overdue by %(duration)s")
    duration = format_duration(cd.seconds)
    if cd.overdue:
        text, css = past % {"duration": duration}, past_css
    else:
        text = future % {"duration": duration}
        css = "badge-warn" if cd.seconds <= warn.total_seconds() else ""
    return Badge(
        text=text,
        css=css,
        due=timezone.localtime(due),
        live=True,
        future=future % {"duration": "{}"},
        past=past % {"duration": "{}"},
        warn_seconds=int(warn.total_seconds()),
        past_css=past_css,
    )


def done_badge(text: str, css: str = "badge-ok") -> Badge:
    return Badge(text=text, css=css)


@dataclass(frozen=True)
class DeadlineRow:
    """One deadline of a measure: what, when, and its badge."""

    kind: str
    label: str
    due: datetime | date | None
    badge: Badge


@dataclass
class EmergencyRow:
    """An emergency measure as the case page shows it."""

    measure: EmergencyMeasure
    in_force_until: datetime
    in_force: bool
    deadlines: list[DeadlineRow]
    missing_proposal: bool
    next_step: str  # "proposal", "decision", "appeal" or ""
    breaches: list[MeasureBreach] = field(default_factory=list)


def emergency_rows_for(measure: EmergencyMeasure, now: datetime) -> EmergencyRow:
    """The deadlines of one emergency measure with their badges (red when overdue while it matters)."""
    extended = measure.court_decision == CourtDecision.EXTENDED and measure.extended_until is not None
    in_force_until = measure.extended_until if extended else measure.expires_at
    in_force = now < in_force_until
    pending = measure.court_decision == CourtDecision.PENDING
    rows = []

    if extended:
        badge = done_badge(_g("extended by the court"))
    elif now < measure.expires_at:
        badge = countdown_badge(measure.expires_at, now, DeadlineKind.EMERGENCY_EXPIRY, mode="expires", past_css="")
    else:
        badge = done_badge(_g("expired %(when)s") % {"when": short(measure.expires_at)}, "")
    rows.append(DeadlineRow(DeadlineKind.EMERGENCY_EXPIRY, DEADLINE_LABELS[DeadlineKind.EMERGENCY_EXPIRY], measure.expires_at, badge))

    if measure.extension_proposed_at:
        late = measure.extension_proposed_at > measure.extension_proposal_due
        text = (_g("proposed late, %(when)s") if late else _g("proposed %(when)s")) % {"when": short(measure.extension_proposed_at)}
        badge = done_badge(text, "badge-warn" if late else "badge-ok")
    elif not pending:
        badge = done_badge(_g("not recorded"), "")
    elif in_force:
        badge = countdown_badge(measure.extension_proposal_due, now, DeadlineKind.EXTENSION_PROPOSAL)
    else:
        badge = done_badge(_g("no proposal recorded"), "")
    rows.append(
        DeadlineRow(DeadlineKind.EXTENSION_PROPOSAL, DEADLINE_LABELS[DeadlineKind.EXTENSION_PROPOSAL], measure.extension_proposal_due, badge)
    )

    if measure.court_decision_due:
        if measure.court_decided_at:
            badge = done_badge(
                _g("%(decision)s, %(when)s") % {"decision": measure.get_court_decision_display(), "when": short(measure.court_decided_at)},
                "badge-ok",
            )
        else:
            badge = countdown_badge(measure.court_decision_due, now, DeadlineKind.COURT_DECISION)
        rows.append(
            DeadlineRow(DeadlineKind.COURT_DECISION, DEADLINE_LABELS[DeadlineKind.COURT_DECISION], measure.court_decision_due, badge)
        )

    if extended:
        if now < measure.extended_until:
            badge = countdown_badge(measure.extended_until, now, DeadlineKind.EXTENSION_EXPIRY, mode="expires", past_css="")
        else:
            badge = done_badge(_g("ended %(when)s") % {"when": short(measure.extended_until)}, "")
        rows.append(
            DeadlineRow(DeadlineKind.EXTENSION_EXPIRY, DEADLINE_LABELS[DeadlineKind.EXTENSION_EXPIRY], measure.extended_until, badge)
        )

    if measure.appeal_due:
        if measure.appeal_filed_at:
            late = measure.appeal_filed_at > measure.appeal_due
            text = (_g("filed late, %(when)s") if late else _g("filed %(when)s")) % {"when": short(measure.appeal_filed_at)}
            badge = done_badge(text, "badge-warn" if late else "badge-ok")
        elif now < measure.appeal_due:
            badge = countdown_badge(measure.appeal_due, now, DeadlineKind.APPEAL)
        else:
            badge = done_badge(_g("no appeal; the period ended %(when)s") % {"when": short(measure.appeal_due)}, "")
        rows.append(DeadlineRow(DeadlineKind.APPEAL, DEADLINE_LABELS[DeadlineKind.APPEAL], measure.appeal_due, badge))

    if pending and measure.extension_proposed_at is None:
        next_step = "proposal"
    elif pending:
        next_step = "decision"
    elif measure.appeal_filed_at is None:
        next_step = "appeal"
    else:
        next_step = ""
    return EmergencyRow(
        measure=measure,
        in_force_until=in_force_until,
        in_force=in_force,
        deadlines=rows,
        missing_proposal=pending and measure.extension_proposed_at is None and in_force,
        next_step=next_step,
    )


@dataclass
class ProtectiveRow:
    measure: ProtectiveMeasure
    badge: Badge
    in_force: bool
    renewed: bool
    breaches: list[MeasureBreach] = field(default_factory=list)


def protective_row_for(measure: ProtectiveMeasure, now: datetime, renewed: bool) -> ProtectiveRow:
    end = deadlines.protective_expiry(measure.valid_until).due
    today = timezone.localdate(now)
    in_force = measure.valid_from <= today <= measure.valid_until
    if renewed:
        badge = done_badge(_g("renewed"), "badge-ok")
    elif now <= end:
        badge = countdown_badge(end, now, DeadlineKind.PROTECTIVE_EXPIRY, mode="expires", past_css="")
    else:
        badge = done_badge(_g("ended %(when)s") % {"when": short(measure.valid_until)}, "")
    return ProtectiveRow(measure=measure, badge=badge, in_force=in_force, renewed=renewed)


@dataclass
class PlanMeasureRow:
    measure: PlanMeasure
    badge: Badge
    overdue: bool
    status_form: PlanMeasureStatusForm | None = None
    snapshot: str = ""


def plan_measure_row_for(measure: PlanMeasure, now: datetime) -> PlanMeasureRow:
    is_open = measure.status in (PlanMeasureStatus.PLANNED, PlanMeasureStatus.IN_PROGRESS)
    due = deadlines.plan_measure_due(measure.deadline).due
    if measure.status == PlanMeasureStatus.DONE:
        badge = done_badge(_g("done %(when)s") % {"when": short(measure.completed_at)} if measure.completed_at else _g("done"))
    elif not is_open:
        badge = done_badge(measure.get_status_display(), "")
    else:
        badge = countdown_badge(due, now, DeadlineKind.PLAN_MEASURE)
    overdue = is_open and now > due
    return PlanMeasureRow(measure=measure, badge=badge, overdue=overdue)


@dataclass
class ReferralRow:
    referral: Referral
    to_answer: str  # "answered after 3 h" / "waiting for 5 h"
    waiting: bool
    received: bool  # addressed to one of the user's institutions
    can_complete: bool
    show_override: bool


def referral_wait_text(referral: Referral, now: datetime) -> tuple[str, bool]:
    """"answered after 3 h 5 min" or "waiting for 2 d 1 h"."""
    if referral.answered_at is not None:
        return _g("answered after %(duration)s") % {"duration": format_duration(referral.seconds_to_answer or 0)}, False
    if referral.status == ReferralStatus.SENT:
        return _g("waiting for %(duration)s") % {"duration": format_duration((now - referral.sent_at).total_seconds())}, True
    return "", False
