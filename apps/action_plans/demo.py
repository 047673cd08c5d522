"""Demo action plans (JOURNEYS.md: Marko in Kragujevac, Dragana in Zvezdara), written through the
services like real work:

- the national code lists of last year to four years ahead;
- Kragujevac and Zvezdara: plans 2026-2029 adopted by the assembly after a public consultation and in
  implementation, with budget lines across four programme activities and four funding sources (one
  co-financed by a donor), one rebalans, executions month by month this year, quarterly progress
  reports; Kragujevac's plan is published to the other municipalities; Kragujevac has one late activity,
  Zvezdara one indicator off track;
- Loznica: a plan in public consultation; Ćuprija: a plan being drafted.

Idempotent: a municipality that already has a demo plan is left alone.
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .choices import ActivityStatus, DocumentKind, EventKind
from .models import Plan
from .services import budget as budget_services
from .services import plans as plan_services
from .services import structure as structure_services

NATIONAL = ("Strategija za sprečavanje i borbu protiv rodno zasnovanog nasilja prema ženama i nasilja u porodici",
            "Sl. glasnik RS 47/2021")

# (goal, [(measure, programme activity, [(activity, owner key, partner keys, months from Jan 1, length, event,
#   [(programme activity, konto, source, planned, donor)])])])
STRUCTURE = [
    ("Unapređena multisektorska zaštita žrtava nasilja u porodici (demo)", [
        ("Obuke stručnjaka iz sistema zaštite (demo)", "0901-0001", [
            ("Dvodnevna obuka o proceni rizika za CSR i policiju (demo)", "csr", ("police", "health"), 1, 3, EventKind.TRAINING,
             [("0901-0001", "423", "01", "420000.00", ""), ("0901-0001", "423", "06", "180000.00", "UN Women (demo)")]),
            ("Supervizija timova za nasilje u porodici (demo)", "csr", ("prosecutor",), 2, 8, "",
             [("0901-0001", "424", "01", "360000.00", "")]),
        ]),
        ("Specijalizovane usluge podrške žrtvama (demo)", "0901-0003", [
            ("SOS linija i savetovalište udruženja (demo)", "ngo", ("csr",), 0, 12, "",
             [("0901-0003", "481", "01", "900000.00", ""), ("0901-0003", "481", "07", "600000.00", "")]),
            ("Besplatna pravna pomoć žrtvama (demo)", "local", ("ngo",), 0, 9, "",
             [("0901-0003", "472", "01", "240000.00", "")]),
        ]),
    ]),
    ("Prevencija nasilja i podizanje svesti zajednice (demo)", [
        ("Kampanje i javni događaji (demo)", "0901-P1", [
            ("Kampanja „16 dana aktivizma“ (demo)", "local", ("school", "ngo"), 10, 1, EventKind.CAMPAIGN,
             [("0901-P1", "423", "05", "250000.00", "Ambasada (demo)"), ("0901-P1", "426", "01", "80000.00", "")]),
            ("Okrugli sto o koordinisanom odgovoru (demo)", "csr", ("police", "prosecutor", "health"), 4, 1, EventKind.ROUND_TABLE,
             [("0901-P1", "423", "01", "60000.00", "")]),
        ]),
        ("Programi u školama (demo)", "0901-0006", [
            ("Radionice o zdravim odnosima za učenike (demo)", "school", ("csr",), 8, 4, EventKind.TRAINING,
             [("0901-0006", "424", "01", "150000.00", ""), ("0901-0006", "424", "56", "150000.00", "IPA program (demo)")]),
        ]),
    ]),
]


def _month(year: int, months: int) -> date:
    return date(year + months // 12, months % 12 + 1, 1)


def _build(coordinator, institutions, municipality, year: int, title: str, title_cyrl: str) -> Plan:
    plan = plan_services.plan_create(user=coordinator, municipality=municipality, title=title, title_cyrl=title_cyrl,
                                     period_from=year, period_to=year + 3,
                                     general_goal="Smanjenje nasilja u porodici i delotvorna zaštita žrtava (demo).")
    plan_services.document_add(user=coordinator, plan=plan, kind=DocumentKind.NATIONAL_STRATEGY, name=NATIONAL[0], reference=NATIONAL[1])
    plan_services.document_add(user=coordinator, plan=plan, kind=DocumentKind.LOCAL_STRATEGY,
                               name=f"Strategija socijalne zaštite – {municipality.name} (demo)", reference="Službeni list (demo)")
    for goal_title, measures in STRUCTURE:
        goal = structure_services.goal_create(user=coordinator, plan=plan, title=goal_title)
        for measure_title, programme_activity, activities in measures:
            measure = structure_services.measure_create(user=coordinator, goal=goal, title=measure_title,
                                                        programme_activity=programme_activity)
            for title_a, owner, partners, start, length, event, lines in activities:
                starts = _month(year, start)
                ends = min(_month(year, start + length) - timedelta(days=1), date(year, 12, 31))
                activity = structure_services.activity_create(
                    user=coordinator, measure=measure, title=title_a, owner_institution=institutions[owner],
                    partners=[institutions[p] for p in partners], starts_on=starts, ends_on=ends,
                    responsible=coordinator if owner == "csr" else None, event_kind=event)
                for pa, konto, source, planned, donor in lines:
                    budget_services.line_create(user=coordinator, activity=activity, year=year, programme=pa[:4],
                                                programme_activity=pa, function="090", konto=konto, source=source,
                                                planned=Decimal(planned), donor=donor, description=title_a[:300])
        structure_services.indicator_create(
            user=coordinator, plan=plan, goal=goal, name=f"Broj obučenih stručnjaka – cilj {goal.number} (demo)", unit="broj",
            baseline=Decimal("20"), baseline_year=year - 1, source="Evidencija CSR (demo)",
            targets={year: Decimal("100"), year + 1: Decimal("140"), year + 2: Decimal("170"), year + 3: Decimal("200")})
    return plan


def _adopt(plan: Plan, coordinator, year: int, *, implement: bool) -> Plan:
    plan = plan_services.plan_advance(user=coordinator, plan=plan, expected_version=plan.version,
                                      consultation_from=date(year - 1, 10, 15), consultation_until=date(year - 1, 11, 14))
    plan = plan_services.plan_advance(user=coordinator, plan=plan, expected_version=plan.version,
                                      decision_number=f"06-{plan.municipality.code}-114/{year - 1} (demo)",
                                      decision_date=date(year - 1, 12, 18))
    if implement:
        plan = plan_services.plan_advance(user=coordinator, plan=plan, expected_version=plan.version)
    return plan


def _run(plan: Plan, coordinator, today: date, *, late: bool, off_track: bool) -> None:
    """Executions month by month up to today, one rebalans, progress reports, indicator values."""
    year = plan.period_from
    lines = list(plan.budget_lines.select_related("activity").order_by("id"))
    months = [m for m in range(1, 13) if date(year, m, 20) <= today] or [1]
    for index, line in enumerate(lines):
        if index == 2:  # a mid-year rebalans of the SOS line
            budget_services.line_update(user=coordinator, line=line, expected_version=line.version,
                                        amended=line.planned + Decimal("150000.00"), committed=Decimal("300000.00"))
            line.refresh_from_db()
        if line.activity.starts_on > today:
            continue
        share = (line.current_amount * Decimal("0.8") / 12).quantize(Decimal("0.01"))
        for month in months:
            if date(year, month, 1) < line.activity.starts_on.replace(day=1) or date(year, month, 1) > line.activity.ends_on:
                continue
            budget_services.execution_record(user=coordinator, line=line, executed_on=date(year, month, 20),
                                             document=f"Nalog {month}-{line.pk}/{year} (demo)", amount=share)
    for activity in plan.activities.select_related("measure__goal").order_by("id"):
        is_late_one = late and (activity.measure.goal.number, activity.measure.number, activity.number) == (1, 1, 2)
        if is_late_one:
            # The supervision has not finished: past its end it is late by date, before it marked late.
            status = ActivityStatus.UNDER_WAY if activity.ends_on < today else ActivityStatus.LATE
        elif activity.ends_on < today:
            status = ActivityStatus.DONE
        elif activity.starts_on <= today:
            status = ActivityStatus.UNDER_WAY
        else:
            continue
        if activity.starts_on > today:
            structure_services.activity_set_status(user=coordinator, activity=activity,
                                                   expected_version=activity.version, status=status)
            continue
        quarter = (min(today, activity.ends_on).month - 1) // 3 + 1
        structure_services.progress_report_submit(user=coordinator, activity=activity, year=year, quarter=quarter,
                                                  status=status, narrative="Aktivnost se sprovodi po planu (demo).",
                                                  spending=Decimal("0"))
    quarter = max((today.month - 1) // 3, 1)
    for indicator in plan.indicators.order_by("id"):
        value = Decimal("30") if off_track and indicator.goal.number == 1 else Decimal("20") + Decimal("80") * quarter / 4
        structure_services.indicator_value_record(user=coordinator, indicator=indicator, year=year, quarter=quarter, value=value)


def seed(context: dict) -> None:
    """Add the demo plans to the municipalities that have none yet."""
    today = timezone.localdate()
    year = today.year
    budget_services.codes_seed(years=range(year - 1, year + 5))
    stages = {"kragujevac": "implementation", "zvezdara": "implementation", "loznica": "consultation", "cuprija": "draft"}
    for slug, stage in stages.items():
        municipality = context["municipalities"].get(slug)
        if municipality is None or Plan.objects.filter(municipality=municipality, title__endswith="(demo)").exists():
            continue
        coordinator = context["users"][f"{slug}.coordinator"]
        coordinator.refresh_access()
        institutions = context["institutions"][slug]
        with transaction.atomic():
            start = year if stage == "implementation" else year + 1
            plan = _build(coordinator, institutions, municipality, start,
                          f"Lokalni akcioni plan za prevenciju i zaštitu od nasilja u porodici {start}–{start + 3} – {municipality.name} (demo)",
                          f"Локални акциони план за превенцију и заштиту од насиља у породици {start}–{start + 3} – {municipality.name_cyrl} (демо)")
            if stage == "implementation":
                plan = _adopt(plan, coordinator, start, implement=True)
                _run(plan, coordinator, today, late=slug == "kragujevac", off_track=slug == "zvezdara")
                if slug == "kragujevac":
                    plan_services.plan_publish(user=coordinator, plan=plan, expected_version=plan.version, published=True)
            elif stage == "consultation":
                plan_services.plan_advance(user=coordinator, plan=plan, expected_version=plan.version,
                                           consultation_from=today - timedelta(days=10), consultation_until=today + timedelta(days=20))
