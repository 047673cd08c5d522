"""Isolation matrix entries of the action plans (pages and API).

Scopes: OWN is a draft plan of municipality A whose activity is owned by CSR A (the institution of
every role user); SAME a draft plan of municipality A whose activity is owned by police A; OTHER a
plan of municipality B, not published; PUBLISHED a plan of a third municipality, published. Each plan
has a goal, a measure, an activity, an indicator and a budget line.

Following apps/action_plans/rules.py: every member of A reads A's plans (OWN, SAME) and everyone
signed in reads the published plan (platform admins: only that one); only the coordinator of A changes
A's plans; the status, progress reports and executions of an activity are also recorded by the owner
institution's staff (CSR A on OWN). Nobody in A reaches anything of B's unpublished plan (404), and its
title is on the leak list of every answer.
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from .matrix import API, CO, CW, IA, OF, OTHER, OWN, PA, PAGE, REDIRECT, SAME, SU, Entry, e

PUBLISHED = "published"
PLAN_SCOPES = (OWN, SAME, OTHER, PUBLISHED)
MEMBERS = (CW, CO, SU, OF, IA)
SECRET_TITLE = "Neobjavljeni plan Testgrad B (matrica)"


def readers(ok=200) -> dict:
    """Members of A read OWN and SAME and the published plan; platform admins only the published one."""
    table = {role: {OWN: ok, SAME: ok, PUBLISHED: ok} for role in MEMBERS}
    table[PA] = {PUBLISHED: ok}
    return e(default=404, **table)


def coordinator(ok) -> dict:
    return e(default=404, **{CO: {OWN: ok, SAME: ok}})


def reporters(ok) -> dict:
    """The coordinator on A's plans, the CSR A staff on the OWN activity (owned by CSR A)."""
    table = {role: {OWN: ok} for role in MEMBERS}
    table[CO] = {OWN: ok, SAME: ok}
    return e(default=404, **table)


def pk_of(key):
    def build(w, scope):
        return {"pk": w.ap[key][scope].pk}

    return build


def measure_kwargs(w, scope):
    return {"pk": w.ap["plan"][scope].pk, "measure_pk": w.ap["measure"][scope].pk}


def goal_kwargs(w, scope):
    return {"pk": w.ap["plan"][scope].pk, "goal_pk": w.ap["goal"][scope].pk}


def export_kwargs(w, scope):
    return {"pk": w.ap["plan"][scope].pk, "name": "lines", "fmt": "csv"}


def version_of(key, **extra):
    def build(w, scope):
        return {"version": w.ap[key][scope].version, **extra}

    return build


def plan_body(w, scope):
    return {"title": "Matrica plan", "title_cyrl": "Матрица план", "period_from": 2027, "period_to": 2030,
            "general_goal": "", "version": w.ap["plan"][scope].version}


def new_plan(w, scope):
    return {"municipality": w.municipality[OWN].pk, "title": "Matrica novi plan", "title_cyrl": "Матрица нови план",
            "period_from": 2027, "period_to": 2030, "general_goal": ""}


def new_activity(w, scope):
    return {"title": "Matrica aktivnost", "owner_institution": w.institution[OWN].pk, "starts_on": "2027-02-01",
            "ends_on": "2027-03-01", "version": 1}


def progress(w, scope):
    return {"year": 2027, "quarter": 1, "status": "under_way", "narrative": "Matrica izveštaj", "spending": "0"}


PAGES = [
    Entry("action_plans:plan_list", PAGE, e(default=200), leaks=False,
          note="lists the published plan of a third municipality (its name is meant to show); B's unpublished "
               "plan's title is on the leak list and checked in tests/action_plans/test_access.py"),
    Entry("action_plans:plan_create", PAGE, e(default=404, **{CO: 200})),
    Entry("action_plans:plan_create", PAGE, e(default=404, **{CO: REDIRECT}), method="POST", data=new_plan),
    Entry("action_plans:plan_detail", PAGE, readers(), kwargs=pk_of("plan"), scopes=PLAN_SCOPES),
    Entry("action_plans:plan_edit", PAGE, coordinator(200), kwargs=pk_of("plan"), scopes=PLAN_SCOPES),
    Entry("action_plans:plan_edit", PAGE, coordinator(REDIRECT), method="POST", kwargs=pk_of("plan"),
          scopes=PLAN_SCOPES, data=plan_body),
    Entry("action_plans:plan_advance", PAGE, coordinator(200), kwargs=pk_of("plan"), scopes=PLAN_SCOPES),
    Entry("action_plans:plan_advance", PAGE, coordinator(REDIRECT), method="POST", kwargs=pk_of("plan"), scopes=PLAN_SCOPES,
          data=version_of("plan", consultation_from="2026-12-01", consultation_until="2026-12-31")),
    Entry("action_plans:plan_publish", PAGE, coordinator(REDIRECT), method="POST", kwargs=pk_of("plan"), scopes=PLAN_SCOPES,
          data=version_of("plan", published="1")),
    Entry("action_plans:amendment_open", PAGE, coordinator(200), kwargs=pk_of("plan"), scopes=PLAN_SCOPES),
    Entry("action_plans:amendment_open", PAGE, coordinator(200), method="POST", kwargs=pk_of("plan"), scopes=PLAN_SCOPES,
          data=lambda w, scope: {"reason": "Matrica"}, note="a draft is not amended: refused on the form"),
    Entry("action_plans:amendment_close", PAGE, coordinator(REDIRECT), method="POST", kwargs=pk_of("plan"),
          scopes=PLAN_SCOPES, note="none open: back to the plan with the message"),
    Entry("action_plans:document_add", PAGE, coordinator(200), kwargs=pk_of("plan"), scopes=PLAN_SCOPES),
    Entry("action_plans:document_add", PAGE, coordinator(REDIRECT), method="POST", kwargs=pk_of("plan"), scopes=PLAN_SCOPES,
          data=lambda w, scope: {"kind": "other", "name": "Matrica dokument"}),
    Entry("action_plans:goal_add", PAGE, coordinator(200), kwargs=pk_of("plan"), scopes=PLAN_SCOPES),
    Entry("action_plans:goal_add", PAGE, coordinator(REDIRECT), method="POST", kwargs=pk_of("plan"), scopes=PLAN_SCOPES,
          data=lambda w, scope: {"title": "Matrica cilj"}),
    Entry("action_plans:measure_add", PAGE, coordinator(200), kwargs=goal_kwargs, scopes=PLAN_SCOPES),
    Entry("action_plans:measure_add", PAGE, coordinator(REDIRECT), method="POST", kwargs=goal_kwargs, scopes=PLAN_SCOPES,
          data=lambda w, scope: {"title": "Matrica mera"}),
    Entry("action_plans:activity_add", PAGE, coordinator(200), kwargs=measure_kwargs, scopes=PLAN_SCOPES),
    Entry("action_plans:activity_add", PAGE, coordinator(REDIRECT), method="POST", kwargs=measure_kwargs,
          scopes=PLAN_SCOPES, data=new_activity),
    Entry("action_plans:indicator_add", PAGE, coordinator(200), kwargs=pk_of("plan"), scopes=PLAN_SCOPES),
    Entry("action_plans:indicator_add", PAGE, coordinator(200), method="POST", kwargs=pk_of("plan"), scopes=PLAN_SCOPES,
          data=lambda w, scope: {}, note="empty: refused with field errors"),
    Entry("action_plans:budget", PAGE, readers(), kwargs=pk_of("plan"), scopes=PLAN_SCOPES,
          note="the published plan's page names its own municipality (a third one, not B)"),
    Entry("action_plans:export", PAGE, readers(), kwargs=export_kwargs, scopes=PLAN_SCOPES),
    Entry("action_plans:import", PAGE, coordinator(200), kwargs=pk_of("plan"), scopes=PLAN_SCOPES),
    Entry("action_plans:import", PAGE, coordinator(200), method="POST", kwargs=pk_of("plan"), scopes=PLAN_SCOPES,
          data=lambda w, scope: {}, note="no file: refused on the form"),
    Entry("action_plans:pdf", PAGE, readers(), kwargs=pk_of("plan"), scopes=PLAN_SCOPES),
    Entry("action_plans:sample", PAGE, e(default=200), kwargs=lambda w, scope: {"fmt": "csv"}, scopes=("none",),
          note="an empty sample table, no data"),
    Entry("action_plans:activity_detail", PAGE, readers(), kwargs=pk_of("activity"), scopes=PLAN_SCOPES),
    Entry("action_plans:activity_edit", PAGE, coordinator(200), kwargs=pk_of("activity"), scopes=PLAN_SCOPES),
    Entry("action_plans:activity_edit", PAGE, coordinator(200), method="POST", kwargs=pk_of("activity"), scopes=PLAN_SCOPES,
          data=lambda w, scope: {}, note="empty: refused with field errors"),
    Entry("action_plans:activity_status", PAGE, reporters(200), kwargs=pk_of("activity"), scopes=PLAN_SCOPES),
    Entry("action_plans:activity_status", PAGE, reporters(REDIRECT), method="POST", kwargs=pk_of("activity"),
          scopes=PLAN_SCOPES, data=version_of("activity", status="under_way", cancel_reason="")),
    Entry("action_plans:progress_report", PAGE, reporters(200), kwargs=pk_of("activity"), scopes=PLAN_SCOPES),
    Entry("action_plans:progress_report", PAGE, reporters(REDIRECT), method="POST", kwargs=pk_of("activity"),
          scopes=PLAN_SCOPES, data=progress),
    Entry("action_plans:line_add", PAGE, coordinator(200), kwargs=pk_of("activity"), scopes=PLAN_SCOPES),
    Entry("action_plans:line_add", PAGE, coordinator(200), method="POST", kwargs=pk_of("activity"), scopes=PLAN_SCOPES,
          data=lambda w, scope: {}, note="empty: refused with field errors"),
    Entry("action_plans:line_edit", PAGE, coordinator(200), kwargs=pk_of("line"), scopes=PLAN_SCOPES),
    Entry("action_plans:line_edit", PAGE, coordinator(200), method="POST", kwargs=pk_of("line"), scopes=PLAN_SCOPES,
          data=lambda w, scope: {}, note="empty: refused with field errors"),
    Entry("action_plans:execution_add", PAGE, reporters(200), kwargs=pk_of("line"), scopes=PLAN_SCOPES),
    Entry("action_plans:execution_add", PAGE, reporters(200), method="POST", kwargs=pk_of("line"), scopes=PLAN_SCOPES,
          data=lambda w, scope: {}, note="empty: refused with field errors"),
    Entry("action_plans:indicator_value", PAGE, coordinator(200), kwargs=pk_of("indicator"), scopes=PLAN_SCOPES),
    Entry("action_plans:indicator_value", PAGE, coordinator(200), method="POST", kwargs=pk_of("indicator"),
          scopes=PLAN_SCOPES, data=lambda w, scope: {}, note="empty: refused with field errors"),
    Entry("action_plans:codes", PAGE, e(default=200)),
    Entry("action_plans:codes", PAGE, e(default=404, **{PA: 200}), method="POST", data=lambda w, scope: {},
          note="platform admins keep the code lists; an empty form is refused"),
    Entry("action_plans:codes_copy", PAGE, e(default=404, **{PA: REDIRECT}), method="POST", data=lambda w, scope: {}),
]

API_ENTRIES = [
    Entry("action-plan-list", API, e(default=200), leaks=False, note="includes the published plan of a third municipality"),
    Entry("action-plan-list", API, e(default=400, **{CO: 201}), method="POST", data=new_plan,
          note="others: the municipality is not one they coordinate"),
    Entry("action-plan-detail", API, readers(), kwargs=pk_of("plan"), scopes=PLAN_SCOPES),
    Entry("action-plan-detail", API, coordinator(428), method="PATCH", kwargs=pk_of("plan"), scopes=PLAN_SCOPES,
          data=lambda w, scope: {"title": "Matrica"}, note="no If-Match: 428 for the coordinator"),
    Entry("action-plan-advance", API, coordinator(428), method="POST", kwargs=pk_of("plan"), scopes=PLAN_SCOPES,
          data=lambda w, scope: {}),
    Entry("action-plan-publish", API, coordinator(428), method="POST", kwargs=pk_of("plan"), scopes=PLAN_SCOPES,
          data=lambda w, scope: {"published": True}),
    Entry("action-plan-amendments", API, coordinator(400), method="POST", kwargs=pk_of("plan"), scopes=PLAN_SCOPES,
          data=lambda w, scope: {"reason": "Matrica"}, note="a draft is not amended"),
    Entry("action-plan-close-amendment", API, coordinator(400), method="POST", kwargs=pk_of("plan"), scopes=PLAN_SCOPES),
    Entry("action-plan-goal-list", API, e(default=200), leaks=False, note="includes the published plan's goals"),
    Entry("action-plan-goal-list", API, e(default=400, **{CO: {OWN: 201, SAME: 201}}), method="POST", scopes=PLAN_SCOPES,
          data=lambda w, scope: {"plan": w.ap["plan"][scope].pk, "title": "Matrica cilj"}),
    Entry("action-plan-goal-detail", API, readers(), kwargs=pk_of("goal"), scopes=PLAN_SCOPES),
    Entry("action-plan-measure-list", API, e(default=200), leaks=False),
    Entry("action-plan-measure-list", API, e(default=400, **{CO: {OWN: 201, SAME: 201}}), method="POST", scopes=PLAN_SCOPES,
          data=lambda w, scope: {"goal": w.ap["goal"][scope].pk, "title": "Matrica mera"}),
    Entry("action-plan-measure-detail", API, readers(), kwargs=pk_of("measure"), scopes=PLAN_SCOPES),
    Entry("action-plan-activity-list", API, e(default=200), leaks=False),
    Entry("action-plan-activity-list", API, e(default=400, **{CO: {OWN: 201, SAME: 201}}), method="POST",
          scopes=PLAN_SCOPES, data=lambda w, scope: {"measure": w.ap["measure"][scope].pk, "title": "Matrica",
                                                     "owner_institution": w.institution[OWN].pk,
                                                     "starts_on": "2027-02-01", "ends_on": "2027-03-01"}),
    Entry("action-plan-activity-detail", API, readers(), kwargs=pk_of("activity"), scopes=PLAN_SCOPES),
    Entry("action-plan-activity-detail", API, coordinator(428), method="PATCH", kwargs=pk_of("activity"),
          scopes=PLAN_SCOPES, data=lambda w, scope: {"title": "Matrica"}),
    Entry("action-plan-activity-status", API, reporters(428), method="POST", kwargs=pk_of("activity"),
          scopes=PLAN_SCOPES, data=lambda w, scope: {"status": "under_way"}),
    Entry("action-plan-indicator-list", API, e(default=200), leaks=False),
    Entry("action-plan-indicator-list", API, e(default=400), method="POST", data=lambda w, scope: {},
          note="empty: refused with field errors"),
    Entry("action-plan-indicator-detail", API, readers(), kwargs=pk_of("indicator"), scopes=PLAN_SCOPES),
    Entry("action-plan-indicator-values", API, coordinator(201), method="POST", kwargs=pk_of("indicator"),
          scopes=PLAN_SCOPES, data=lambda w, scope: {"year": 2027, "quarter": 1, "value": "3"}),
    Entry("budget-line-list", API, e(default=200), leaks=False),
    Entry("budget-line-list", API, e(default=400, **{CO: {OWN: 201, SAME: 201}}), method="POST", scopes=PLAN_SCOPES,
          data=lambda w, scope: {"activity": w.ap["activity"][scope].pk, "year": 2027, "programme": "0901",
                                 "programme_activity": "0901-0001", "function": "090", "konto": "423", "source": "01",
                                 "planned": "1000.00"}),
    Entry("budget-line-detail", API, readers(), kwargs=pk_of("line"), scopes=PLAN_SCOPES),
    Entry("budget-line-detail", API, coordinator(428), method="PATCH", kwargs=pk_of("line"), scopes=PLAN_SCOPES,
          data=lambda w, scope: {"committed": "10.00"}),
    Entry("budget-execution-list", API, e(default=200), leaks=False),
    Entry("budget-execution-list", API, e(default=400, **{CO: {OWN: 201, SAME: 201}, CW: {OWN: 201}, SU: {OWN: 201},
                                                           OF: {OWN: 201}, IA: {OWN: 201}}),
          method="POST", scopes=PLAN_SCOPES,
          data=lambda w, scope: {"line": w.ap["line"][scope].pk, "executed_on": "2027-03-01", "document": "Matrica 1/2027",
                                 "amount": "10.00"}),
    Entry("budget-execution-detail", API, readers(), kwargs=pk_of("execution"), scopes=PLAN_SCOPES),
]

ENTRIES = [*PAGES, *API_ENTRIES]


def build(w) -> None:
    """Per scope: a plan with a goal, a measure, an activity, an indicator, a budget line and an execution."""
    from apps.action_plans.models import (
        Activity,
        BudgetLine,
        Execution,
        Goal,
        Indicator,
        IndicatorTarget,
        Measure,
        Plan,
    )
    from apps.institutions.choices import InstitutionType
    from tests.action_plans.conftest import make_codes
    from tests.factories import InstitutionFactory, MunicipalityFactory

    make_codes(2027)
    third = MunicipalityFactory(name="Objavgrad C", name_cyrl="Објавград Ц")
    third_csr = InstitutionFactory(municipality=third, type=InstitutionType.CSR, name="CSR Objavgrad C")
    municipalities = {OWN: w.municipality[OWN], SAME: w.municipality[OWN], OTHER: w.municipality[OTHER], PUBLISHED: third}
    owners = {OWN: w.institution[OWN], SAME: w.institution[SAME], OTHER: w.institution[OTHER], PUBLISHED: third_csr}
    w.ap = {key: {} for key in ("plan", "goal", "measure", "activity", "indicator", "line", "execution")}
    for scope in PLAN_SCOPES:
        mun = municipalities[scope]
        title = SECRET_TITLE if scope == OTHER else f"Plan {scope} (matrica)"
        plan = Plan.objects.create(municipality=mun, title=title, title_cyrl=title, period_from=2027, period_to=2030,
                                   is_published=scope == PUBLISHED)
        goal = Goal.objects.create(municipality=mun, plan=plan, number=1, title="Cilj (matrica)")
        measure = Measure.objects.create(municipality=mun, plan=plan, goal=goal, number=1, title="Mera (matrica)")
        activity = Activity.objects.create(municipality=mun, plan=plan, measure=measure, number=1, title="Aktivnost (matrica)",
                                           owner_institution=owners[scope], starts_on=date(2027, 2, 1), ends_on=date(2027, 6, 1))
        indicator = Indicator.objects.create(municipality=mun, plan=plan, goal=goal, name="Pokazatelj (matrica)", unit="broj",
                                             baseline=Decimal("1"), baseline_year=2026, source="Evidencija")
        IndicatorTarget.objects.create(municipality=mun, plan=plan, indicator=indicator, year=2027, value=Decimal("5"))
        line = BudgetLine.objects.create(municipality=mun, plan=plan, activity=activity, year=2027, programme="0901",
                                         programme_activity="0901-0001", function="090", konto="423", source="01",
                                         planned=Decimal("1000.00"))
        execution = Execution.objects.create(municipality=mun, plan=plan, line=line, executed_on=date(2027, 2, 10),
                                             document="Nalog 1 (matrica)", amount=Decimal("100.00"))
        for key, obj in (("plan", plan), ("goal", goal), ("measure", measure), ("activity", activity),
                         ("indicator", indicator), ("line", line), ("execution", execution)):
            w.ap[key][scope] = obj
    w.leak_texts.append(SECRET_TITLE)
