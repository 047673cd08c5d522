"""The one definition of the compliance events: ``protocols_compliance_events(municipality, from, to,
plan_days)``, a set-returning SQL function (inlined by the planner, run as the caller: row-level security
applies). One row per measured event: which measure, the institution answerable, the case, when the
clock started, when it fell due and when the proving event happened (NULL: not yet).

Deadlines follow apps/cases/deadlines.py: hours are real hours; days are calendar days keeping the
wall-clock time in Europe/Belgrade; the plan's days end at the end of the last day."""
from django.db import migrations

TZ = "'Europe/Belgrade'"


def _days(column: str, days: str) -> str:
    """The same wall-clock time ``days`` later; a time in the spring gap moves forward by the gap, an
    ambiguous one (the autumn hour that repeats) is the first of the two, as apps/cases/deadlines.py
    decides (PostgreSQL alone would take the second)."""
    wall = f"((({column}) AT TIME ZONE {TZ}) + ({days}) * interval '1 day')"
    instant = f"({wall} AT TIME ZONE {TZ})"
    return (f"(CASE WHEN ({instant} - interval '1 hour') AT TIME ZONE {TZ} = {wall} "
            f"THEN {instant} - interval '1 hour' ELSE {instant} END)")


def _by_urgency(column: str, urgency: str) -> str:
    return (
        f"CASE {urgency} WHEN 'immediate' THEN {column} + interval '24 hours' "
        f"WHEN 'urgent' THEN {_days(column, '3')} ELSE {_days(column, '7')} END"
    )


FORWARD = f"""
CREATE OR REPLACE FUNCTION protocols_compliance_events(
    p_municipality bigint, p_from timestamptz, p_to timestamptz, p_plan_days integer
) RETURNS TABLE (measure text, institution_id bigint, case_id bigint, started_at timestamptz,
                 due_at timestamptz, done_at timestamptz)
LANGUAGE sql STABLE AS $$
    -- The institutions of each kind, once (a referral may go to another municipality's centre).
    WITH kinds AS MATERIALIZED (
        SELECT coalesce(array_agg(id) FILTER (WHERE type = 'csr'), '{{}}') AS csr,
               coalesce(array_agg(id) FILTER (WHERE type = 'police'), '{{}}') AS police,
               coalesce(array_agg(id) FILTER (WHERE type = 'prosecutor'), '{{}}') AS prosecutor
          FROM institutions_institution
    )
    -- Police reports: the centre for social work knows of the case (on the team, or referred to it).
    SELECT 'police_notified', i.reporting_institution_id, i.case_id, i.reported_at,
           i.reported_at + interval '24 hours',
           -- GREATEST skips NULLs: never notified stays NULL.
           CASE WHEN n.at IS NULL THEN NULL ELSE GREATEST(i.reported_at, n.at) END
      FROM kinds, cases_incident i
      CROSS JOIN LATERAL (SELECT LEAST(
               (SELECT min(cp.joined_at) FROM cases_caseparticipant cp
                 WHERE cp.case_id = i.case_id AND cp.institution_id = ANY (kinds.csr)),
               (SELECT min(r.sent_at) FROM cases_referral r
                 WHERE r.municipality_id = i.municipality_id AND r.case_id = i.case_id
                   AND r.to_institution_id = ANY (kinds.csr) AND r.status <> 'withdrawn')) AS at) n
     WHERE i.municipality_id = p_municipality AND i.reported_at >= p_from AND i.reported_at < p_to
       AND i.reporting_institution_id = ANY (kinds.police)
    UNION ALL
    -- The centre's first reaction: work started (the case left "reported") or its first contact.
    SELECT 'csr_first_reaction', c.lead_institution_id, c.id, c.reported_at,
           {_by_urgency('c.reported_at', 'c.priority')},
           LEAST(
               (SELECT min(sc.changed_at) FROM cases_casestatuschange sc
                 WHERE sc.municipality_id = c.municipality_id AND sc.case_id = c.id AND sc.from_status = 'reported'),
               (SELECT min(n.occurred_at) FROM cases_casenote n
                 WHERE n.municipality_id = c.municipality_id AND n.case_id = c.id
                   AND n.institution_id = c.lead_institution_id AND n.kind <> 'note'))
      FROM kinds, cases_case c
     WHERE c.municipality_id = p_municipality AND c.reported_at >= p_from AND c.reported_at < p_to
       AND c.lead_institution_id = ANY (kinds.csr)
    UNION ALL
    -- Referrals: answered (accepted or declined) within the time of their urgency.
    SELECT 'referral_answered', r.to_institution_id, r.case_id, r.sent_at,
           {_by_urgency('r.sent_at', 'r.urgency')}, r.answered_at
      FROM cases_referral r
     WHERE r.municipality_id = p_municipality AND r.sent_at >= p_from AND r.sent_at < p_to
       AND r.status <> 'withdrawn'
    UNION ALL
    -- Emergency measures: the extension proposed by the prosecutor's office on the case within 24 h.
    SELECT 'extension_proposed',
           (SELECT cp.institution_id FROM cases_caseparticipant cp
             WHERE cp.case_id = m.case_id AND cp.institution_id = ANY (kinds.prosecutor)
             ORDER BY cp.joined_at, cp.id LIMIT 1),
           m.case_id, m.delivered_at, m.extension_proposal_due, m.extension_proposed_at
      FROM kinds, cases_emergencymeasure m
     WHERE m.municipality_id = p_municipality AND m.delivered_at >= p_from AND m.delivered_at < p_to
    UNION ALL
    -- Individual plans: cases with an emergency measure get a plan within p_plan_days calendar days of the
    -- report (to the end of the last day); the plan's date is a day, so it counts from that day's start.
    SELECT 'plan_made', c.lead_institution_id, c.id, c.reported_at,
           ((((c.reported_at AT TIME ZONE {TZ})::date + p_plan_days + 1)::timestamp) AT TIME ZONE {TZ})
               - interval '1 microsecond',
           ((SELECT min(pp.adopted_at) FROM cases_protectionplan pp
              WHERE pp.municipality_id = c.municipality_id AND pp.case_id = c.id)::timestamp AT TIME ZONE {TZ})
      FROM cases_case c
     WHERE c.municipality_id = p_municipality AND c.reported_at >= p_from AND c.reported_at < p_to
       AND EXISTS (SELECT 1 FROM cases_emergencymeasure m
                    WHERE m.municipality_id = c.municipality_id AND m.case_id = c.id)
$$;
"""

BACKWARD = "DROP FUNCTION IF EXISTS protocols_compliance_events(bigint, timestamptz, timestamptz, integer);"


class Migration(migrations.Migration):
    dependencies = [
        ("protocols", "0001_initial"),
        ("cases", "0009_model_verbose_names"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
