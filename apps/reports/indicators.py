"""The indicators: every count the dashboards and reports show, defined once (docs/indicators.md says
the same in words; tests/reports/test_indicators.py checks each against hand-computed values).

A *unit* is what is counted (new cases, victims in new cases, emergency measures...). Each unit is one
SQL statement that returns ``(institution_id, category, month, count)`` rows for one municipality and
calendar year; the institution is always the case's lead institution, so that the institutions of a
municipality add up to it. Category ``""`` is the unit's total; a *partition* is a list of categories
that add up to the total (victims by sex, victims by age group); *extra* categories do not add up to
anything (a case may show several forms of violence). These facts are the relations the small-number
protection (apps/core/suppression.py) knows a reader knows.

Units marked ``sensitive`` count people or their cases and are suppressed for readers who may not open
the cases; the others (meetings held, action items) count the services' work.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from apps.cases.choices import (
    AgeGroup,
    EmergencyMeasureKind,
    ProtectiveMeasureKind,
    Relationship,
    RiskLevel,
    Sex,
    ViolenceForm,
)

TZ = "Europe/Belgrade"
# The case's month and lead institution, and the range of the year; every unit's statement filters on
# the municipality first (the leading column of every index).
CASE_WHERE = "c.municipality_id = %(m)s AND c.reported_at >= %(start)s AND c.reported_at < %(end)s"
MONTH = "EXTRACT(MONTH FROM {col} AT TIME ZONE '" + TZ + "')::int"


def _age_sql(person: str) -> str:
    age = (f"COALESCE(EXTRACT(YEAR FROM age((c.reported_at AT TIME ZONE '{TZ}')::date, {person}.birth_date)), "
           f"EXTRACT(YEAR FROM c.reported_at AT TIME ZONE '{TZ}') - {person}.birth_year)")
    return (f"CASE WHEN {age} IS NULL THEN 'age:unknown' WHEN {age} < 18 THEN 'age:0-17' "
            f"WHEN {age} <= 25 THEN 'age:18-25' WHEN {age} <= 64 THEN 'age:26-64' ELSE 'age:65+' END")


def _people_sql(role: str, *, relationship: bool) -> str:
    cats = ["'sex:' || p.sex", _age_sql("p")]
    if relationship:
        cats.append("'rel:' || COALESCE(NULLIF(p.relationship_to_victim, ''), 'unknown')")
    cats.append("''")
    branches = "\nUNION ALL\n".join(
        f"""SELECT c.lead_institution_id, {cat}, {MONTH.format(col='c.reported_at')}, count(*)
            FROM cases_case c JOIN cases_caseperson p ON p.municipality_id = c.municipality_id AND p.case_id = c.id
            WHERE {CASE_WHERE} AND p.role = '{role}' GROUP BY 1, 2, 3"""
        for cat in cats
    )
    return branches


CASES_SQL = f"""
SELECT c.lead_institution_id, CASE WHEN c.risk_level = 'high' THEN 'risk:high'
       WHEN c.risk_level = 'immediate' THEN 'risk:immediate' ELSE 'risk:other' END,
       {MONTH.format(col='c.reported_at')}, count(*)
  FROM cases_case c WHERE {CASE_WHERE} GROUP BY 1, 2, 3
UNION ALL
SELECT c.lead_institution_id, '', {MONTH.format(col='c.reported_at')}, count(*)
  FROM cases_case c WHERE {CASE_WHERE} GROUP BY 1, 2, 3
"""

FORMS_SQL = f"""
SELECT c.lead_institution_id, 'form:' || f.form, {MONTH.format(col='c.reported_at')}, count(DISTINCT c.id)
  FROM cases_case c
  JOIN cases_incident i ON i.municipality_id = c.municipality_id AND i.case_id = c.id
  CROSS JOIN LATERAL unnest(i.forms) AS f(form)
 WHERE {CASE_WHERE} GROUP BY 1, 2, 3
"""

# Measures, referrals and plans are counted in the month they happened, for the cases of the
# municipality (whenever those were reported).
EVENT_WHERE = "x.municipality_id = %(m)s AND {col} >= %(start)s AND {col} < %(end)s"


def _event_sql(table: str, col: str, category: str, *, total: bool = True, extra_where: str = "") -> str:
    where = EVENT_WHERE.format(col=col) + (f" AND {extra_where}" if extra_where else "")
    head = f"""SELECT c.lead_institution_id, {{cat}}, {MONTH.format(col=col)}, count(*)
      FROM {table} x JOIN cases_case c ON c.municipality_id = x.municipality_id AND c.id = x.case_id
     WHERE {where} GROUP BY 1, 2, 3"""
    parts = [head.format(cat=category)]
    if total and category != "''":
        parts.append(head.format(cat="''"))
    return "\nUNION ALL\n".join(parts)


EMERGENCY_SQL = _event_sql("cases_emergencymeasure", "x.delivered_at", "'kind:' || x.kind")
EXTENSION_PROPOSED_SQL = _event_sql("cases_emergencymeasure", "x.extension_proposed_at", "''")
EXTENDED_SQL = _event_sql("cases_emergencymeasure", "x.court_decided_at", "''", extra_where="x.court_decision = 'extended'")
BREACHES_SQL = _event_sql("cases_measurebreach", "x.occurred_at", "''")
PROTECTIVE_SQL = _event_sql("cases_protectivemeasure", "(x.decision_date::timestamp AT TIME ZONE '" + TZ + "')",
                            "'kind:' || x.kind")
PLANS_SQL = _event_sql("cases_protectionplan", "(x.adopted_at::timestamp AT TIME ZONE '" + TZ + "')", "''")
REFERRALS_SQL = _event_sql(
    "cases_referral", "x.sent_at",
    "CASE WHEN x.answered_at IS NULL THEN 'answer:none' "
    "WHEN x.answered_at - x.sent_at <= interval '24 hours' THEN 'answer:24h' "
    "WHEN x.answered_at - x.sent_at <= interval '72 hours' THEN 'answer:72h' ELSE 'answer:later' END",
)

# A victim (perpetrator) of a new case who was a victim (perpetrator) of another case of the same
# municipality reported in the 12 months before, recognised by the identity number's hash.
REPEAT_SQL = f"""
SELECT c.lead_institution_id, 'repeat:' || p.role, {MONTH.format(col='c.reported_at')}, count(DISTINCT p.id)
  FROM cases_case c JOIN cases_caseperson p ON p.municipality_id = c.municipality_id AND p.case_id = c.id
 WHERE {CASE_WHERE} AND p.role IN ('victim', 'perpetrator') AND p.jmbg_hash <> ''
   AND EXISTS (SELECT 1 FROM cases_caseperson q JOIN cases_case d ON d.municipality_id = q.municipality_id AND d.id = q.case_id
                WHERE q.municipality_id = c.municipality_id AND q.jmbg_hash = p.jmbg_hash AND q.role = p.role
                  AND d.id <> c.id AND d.reported_at < c.reported_at AND d.reported_at >= c.reported_at - interval '12 months')
 GROUP BY 1, 2, 3
"""

# The services' work (not suppressed): meetings held, cases reviewed at them, action items by due month.
MEETINGS_SQL = f"""
SELECT 0::bigint, 'kind:' || x.kind, {MONTH.format(col='x.starts_at')}, count(*)
  FROM conferences_meeting x WHERE {EVENT_WHERE.format(col='x.starts_at')} AND x.status = 'held' GROUP BY 1, 2, 3
UNION ALL
SELECT 0::bigint, '', {MONTH.format(col='x.starts_at')}, count(*)
  FROM conferences_meeting x WHERE {EVENT_WHERE.format(col='x.starts_at')} AND x.status = 'held' GROUP BY 1, 2, 3
"""
REVIEWED_SQL = f"""
SELECT 0::bigint, '', {MONTH.format(col='x.starts_at')}, count(a.id)
  FROM conferences_meeting x JOIN conferences_agendaitem a ON a.municipality_id = x.municipality_id AND a.meeting_id = x.id
 WHERE {EVENT_WHERE.format(col='x.starts_at')} AND x.status = 'held' GROUP BY 1, 2, 3
"""
ACTIONS_SQL = f"""
SELECT 0::bigint, CASE WHEN x.status = 'done' THEN 'action:done'
                       WHEN x.due_on < (%(now)s AT TIME ZONE '{TZ}')::date THEN 'action:overdue' ELSE 'action:open' END,
       {MONTH.format(col=f"(x.due_on::timestamp AT TIME ZONE '{TZ}')")}, count(*)
  FROM conferences_actionitem x
 WHERE {EVENT_WHERE.format(col=f"(x.due_on::timestamp AT TIME ZONE '{TZ}')")} AND x.status <> 'cancelled' GROUP BY 1, 2, 3
"""


def _choices(prefix: str, choices, *, unknown: bool = False) -> tuple[tuple[str, str], ...]:
    items = [(f"{prefix}:{value}", label) for value, label in choices]
    if unknown and not any(key.endswith(":unknown") for key, _label in items):
        items.append((f"{prefix}:unknown", _("Unknown")))
    return tuple(items)


RISK = (("risk:high", RiskLevel.HIGH.label), ("risk:immediate", RiskLevel.IMMEDIATE.label),
        ("risk:other", _("Lower or not assessed")))
SEX = _choices("sex", Sex.choices)
AGE = _choices("age", AgeGroup.choices)
RELATIONSHIP = _choices("rel", Relationship.choices, unknown=True)
ANSWER = (("answer:24h", _("Answered within 24 hours")), ("answer:72h", _("Answered within 3 days")),
          ("answer:later", _("Answered later")), ("answer:none", _("Not answered")))


@dataclass(frozen=True)
class Unit:
    """One thing counted, its statement and how its categories relate."""

    key: str
    title: str
    sql: str
    total: bool = True
    partitions: tuple[tuple[tuple[str, str], ...], ...] = ()
    extra: tuple[tuple[str, str], ...] = ()
    sensitive: bool = True
    by_institution: bool = True

    @property
    def categories(self) -> list[tuple[str, str]]:
        items = [item for partition in self.partitions for item in partition]
        return [*items, *self.extra]


@dataclass(frozen=True)
class Figure:
    """One table or chart of the dashboard: a unit's total and/or some of its categories."""

    key: str
    unit: str
    title: str
    description: str
    categories: tuple[tuple[str, str], ...] = ()
    with_total: bool = True
    chart: str = "bars"  # "bars": the total by month; "stacked": the categories by month
    share_of_total: bool = False
    tags: tuple[str, ...] = field(default=())


UNITS: dict[str, Unit] = {u.key: u for u in (
    Unit("cases", _("New cases"), CASES_SQL, partitions=(RISK,)),
    Unit("forms", _("New cases by form of violence"), FORMS_SQL, total=False,
         extra=_choices("form", ViolenceForm.choices)),
    Unit("victims", _("Victims in new cases"), _people_sql("victim", relationship=False), partitions=(SEX, AGE)),
    Unit("perpetrators", _("Perpetrators in new cases"), _people_sql("perpetrator", relationship=True),
         partitions=(SEX, AGE, RELATIONSHIP)),
    Unit("repeat", _("Repeat victims and perpetrators"), REPEAT_SQL, total=False,
         extra=(("repeat:victim", _("Repeat victims")), ("repeat:perpetrator", _("Repeat perpetrators")))),
    Unit("emergency", _("Emergency measures ordered"), EMERGENCY_SQL,
         partitions=(_choices("kind", EmergencyMeasureKind.choices),)),
    Unit("extension_proposed", _("Extension proposals"), EXTENSION_PROPOSED_SQL),
    Unit("extended", _("Emergency measures extended"), EXTENDED_SQL),
    Unit("breaches", _("Breaches of measures"), BREACHES_SQL),
    Unit("protective", _("Protective measures ordered"), PROTECTIVE_SQL,
         partitions=(_choices("kind", ProtectiveMeasureKind.choices),)),
    Unit("referrals", _("Referrals sent"), REFERRALS_SQL, partitions=(ANSWER,)),
    Unit("plans", _("Individual protection plans made"), PLANS_SQL),
    Unit("meetings", _("Case conferences and coordination meetings held"), MEETINGS_SQL, sensitive=False,
         by_institution=False),
    Unit("reviewed", _("Cases reviewed at meetings"), REVIEWED_SQL, sensitive=False, by_institution=False),
    Unit("actions", _("Action items by due month"), ACTIONS_SQL, total=False, sensitive=False, by_institution=False,
         extra=(("action:done", _("Done")), ("action:open", _("Open, not yet due")),
                ("action:overdue", _("Overdue")))),
)}


FIGURES: tuple[Figure, ...] = (
    Figure("new_cases", "cases", _("New cases by month"),
           _("Cases opened in the month (date reported), all forms of violence.")),
    Figure("forms", "forms", _("New cases by form of violence"),
           _("Cases opened in the month with at least one incident of the form; a case may show several "
             "forms, so the rows do not add up to the new cases."),
           categories=UNITS["forms"].extra, with_total=False, chart="stacked"),
    Figure("risk", "cases", _("High risk and immediate danger"),
           _("New cases by their current risk level; the share is of the new cases."),
           categories=RISK, chart="stacked", share_of_total=True),
    Figure("victims_sex", "victims", _("Victims by sex"), _("Victims named in the new cases."),
           categories=SEX, chart="stacked"),
    Figure("victims_age", "victims", _("Victims by age group"),
           _("Age on the day the case was reported."), categories=AGE, chart="stacked"),
    Figure("perpetrators_sex", "perpetrators", _("Perpetrators by sex"), _("Perpetrators named in the new cases."),
           categories=SEX, chart="stacked"),
    Figure("perpetrators_age", "perpetrators", _("Perpetrators by age group"),
           _("Age on the day the case was reported."), categories=AGE, chart="stacked"),
    Figure("relationship", "perpetrators", _("Relationship of the perpetrator to the victim"),
           _("As recorded for each perpetrator of the new cases."), categories=RELATIONSHIP, chart="stacked"),
    Figure("repeat", "repeat", _("Repeat victims and perpetrators within 12 months"),
           _("People of the new cases who were in the same part in another case of the municipality "
             "reported in the 12 months before (recognised by the identity number)."),
           categories=UNITS["repeat"].extra, with_total=False, chart="stacked"),
    Figure("emergency", "emergency", _("Emergency measures ordered"),
           _("Orders delivered in the month, by measure."),
           categories=_choices("kind", EmergencyMeasureKind.choices), chart="stacked"),
    Figure("extension_proposed", "extension_proposed", _("Extension proposals"),
           _("Proposals of the prosecutor to extend an emergency measure, by the month proposed.")),
    Figure("extended", "extended", _("Emergency measures extended"),
           _("Court decisions extending an emergency measure, by the month decided.")),
    Figure("breaches", "breaches", _("Breaches of measures"), _("Breaches recorded, by the month they occurred.")),
    Figure("protective", "protective", _("Protective measures ordered"),
           _("Family Law protective measures by the date of the court's decision."),
           categories=_choices("kind", ProtectiveMeasureKind.choices), chart="stacked"),
    Figure("referrals", "referrals", _("Referrals and answer times"),
           _("Referrals sent in the month by how soon the service answered."), categories=ANSWER, chart="stacked"),
    Figure("plans", "plans", _("Individual protection plans made"), _("Plans adopted in the month.")),
    Figure("meetings", "meetings", _("Case conferences and coordination meetings held"),
           _("Meetings held in the month; the target is on the conference targets page.")),
    Figure("reviewed", "reviewed", _("Cases reviewed at meetings"),
           _("Agenda items of the meetings held in the month.")),
    Figure("actions", "actions", _("Action items"),
           _("Action items of case conferences by the month they are due: done, open or overdue today."),
           categories=UNITS["actions"].extra, with_total=False, chart="stacked"),
)
FIGURES_BY_KEY = {f.key: f for f in FIGURES}
