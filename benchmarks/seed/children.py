"""Everything recorded on the generated cases, written inside PostgreSQL chunk by chunk."""
from __future__ import annotations

import json

from apps.core.crypto import encrypt

from .. import names
from .plan import ADDRESSES, CHANNELS, NOTE_KINDS, NOTE_TEXTS, PHONES, PLACES, RELATIONSHIPS, RISK_ITEMS


class CaseChildrenMixin:
    """The case tables' children of ``Seeder``: persons, incidents, risk, measures, referrals, notes ..."""

    def _case_children(self) -> None:
        anchor = {"anchor": self.anchor}
        self.per_chunk(
            "case team (participants)",
            """
            INSERT INTO cases_caseparticipant (created_at, updated_at, municipality_id, case_id, institution_id,
                                               joined_at, added_by_id, ended_at, consent_override_reason)
            SELECT c.reported_at, c.reported_at, c.municipality_id, c.id, x.inst, c.reported_at + x.lag, c.opened_by_id,
                   NULL, ''
            FROM cases_case c JOIN sk_mun m ON m.mid = c.municipality_id
            CROSS JOIN LATERAL (VALUES
              (c.lead_institution_id, interval '0'),
              (CASE WHEN c.lead_institution_id <> m.csr THEN m.csr END, interval '1 hour'),
              (CASE WHEN c.lead_institution_id <> m.police AND pg_temp.p(c.id, 20) < 70 THEN m.police END, interval '2 hours'),
              (CASE WHEN pg_temp.p(c.id, 21) < 25 THEN m.health END, interval '1 day'),
              (CASE WHEN pg_temp.p(c.id, 22) < 15 THEN m.schools[1 + mod(pg_temp.r(c.id, 23), cardinality(m.schools))] END,
               interval '2 days'),
              (CASE WHEN c.lead_institution_id <> m.ngo AND pg_temp.p(c.id, 24) < 15 THEN m.ngo END, interval '3 days')
            ) AS x(inst, lag)
            WHERE c.id BETWEEN %(lo)s AND %(hi)s AND x.inst IS NOT NULL
            """,
        )
        self.per_chunk(
            "assigned staff",
            """
            INSERT INTO cases_caseassignment (created_at, updated_at, municipality_id, case_id, user_id, institution_id,
                                              team_role, assigned_by_id, assigned_at, ended_at)
            SELECT c.reported_at, c.reported_at, c.municipality_id, c.id, c.opened_by_id, c.lead_institution_id,
                   'case_manager', c.opened_by_id, c.reported_at, NULL::timestamptz
            FROM cases_case c WHERE c.id BETWEEN %(lo)s AND %(hi)s
            UNION ALL
            SELECT c.reported_at, c.reported_at, c.municipality_id, c.id,
                   si.users[1 + mod(pg_temp.r(c.id, 26), cardinality(si.users))], si.id, 'member', c.opened_by_id,
                   c.reported_at + interval '1 day', NULL
            FROM cases_case c JOIN sk_mun m ON m.mid = c.municipality_id
            JOIN sk_inst si ON si.id = CASE WHEN c.lead_institution_id = m.csr THEN m.police ELSE m.csr END
            WHERE c.id BETWEEN %(lo)s AND %(hi)s AND pg_temp.p(c.id, 25) < 50
              AND (c.lead_institution_id <> m.csr OR pg_temp.p(c.id, 20) < 70)
              AND si.users IS NOT NULL
            """,
        )
        self.per_chunk(
            "status history",
            """
            INSERT INTO cases_casestatuschange (created_at, updated_at, municipality_id, case_id, from_status, to_status,
                                                changed_by_id, changed_at, note)
            SELECT c.reported_at, c.reported_at, c.municipality_id, c.id,
                   CASE WHEN s.k = 4 THEN (CASE WHEN c.status = 'closed' THEN 'assessment' ELSE s.from_s END) ELSE s.from_s END,
                   s.to_s, c.opened_by_id,
                   CASE WHEN s.k = 4 THEN c.closed_at ELSE LEAST(c.status_changed_at, c.reported_at + s.k * interval '3 days') END,
                   ''
            FROM cases_case c
            CROSS JOIN (VALUES (0, '', 'reported'), (1, 'reported', 'assessment'), (2, 'assessment', 'active_protection'),
                               (3, 'active_protection', 'monitoring'), (4, 'monitoring', 'closed')) AS s(k, from_s, to_s)
            WHERE c.id BETWEEN %(lo)s AND %(hi)s
              AND CASE c.status WHEN 'closed' THEN s.k IN (0, 1, 4)
                                WHEN 'reported' THEN s.k = 0 WHEN 'assessment' THEN s.k <= 1
                                WHEN 'active_protection' THEN s.k <= 2 ELSE s.k <= 3 END
            """,
        )
        fem = names.pool(names.FEMALE)
        male = names.pool(names.MALE)
        last = names.pool(names.surnames())
        self.per_chunk(
            "persons",
            """
            INSERT INTO cases_caseperson (created_at, updated_at, municipality_id, case_id, role, first_name, last_name,
              name_key, sex, birth_date, birth_year, jmbg, jmbg_hash, phone, email, address, confidential_address,
              disability, relationship_to_victim, is_repeat, known_elsewhere, version)
            SELECT x.reported_at, x.reported_at, x.municipality_id, x.id, x.role,
              CASE WHEN x.cyr THEN (CASE WHEN x.female THEN %(ffc)s::text[] ELSE %(mfc)s::text[] END)[x.fi]
                   ELSE (CASE WHEN x.female THEN %(ffl)s::text[] ELSE %(mfl)s::text[] END)[x.fi] END,
              CASE WHEN x.cyr THEN (%(lc)s::text[])[x.li] ELSE (%(ll)s::text[])[x.li] END,
              (CASE WHEN x.female THEN %(ffk)s::text[] ELSE %(mfk)s::text[] END)[x.fi] || ' ' || (%(lk)s::text[])[x.li],
              CASE WHEN x.female THEN 'female' ELSE 'male' END,
              CASE WHEN x.year_only THEN NULL ELSE x.born END,
              CASE WHEN x.year_only THEN extract(year FROM x.born)::int END,
              '', '',
              CASE WHEN x.k < 2 AND pg_temp.p(x.pid, 41) < 30 THEN (%(phones)s::text[])[1 + mod(pg_temp.r(x.pid, 42), 40)] ELSE '' END,
              '',
              CASE WHEN x.k < 2 AND pg_temp.p(x.pid, 43) < 40 THEN (%(addresses)s::text[])[1 + mod(pg_temp.r(x.pid, 44), 40)] ELSE '' END,
              x.k = 0 AND pg_temp.p(x.pid, 45) < 3,
              pg_temp.p(x.pid, 46) < 3,
              CASE x.k WHEN 0 THEN '' WHEN 1 THEN (%(rels)s::text[])[1 + mod(pg_temp.r(x.pid, 47), 8)] ELSE 'child' END,
              false, false, 1
            FROM (
              SELECT c.id, c.municipality_id, c.reported_at, k.k, c.id * 4 + k.k AS pid,
                     pg_temp.p(c.id, 33) < 25 AS cyr,
                     CASE k.k WHEN 0 THEN 'victim' WHEN 1 THEN 'perpetrator' ELSE 'child' END AS role,
                     CASE k.k WHEN 0 THEN pg_temp.p(c.id, 34) < 82 WHEN 1 THEN pg_temp.p(c.id, 35) < 15
                              ELSE pg_temp.p(c.id * 4 + k.k, 36) < 50 END AS female,
                     1 + mod(CASE WHEN k.k = 0 AND pg_temp.p(c.id, 37) >= 60 THEN pg_temp.r(c.id, 32)
                                  ELSE pg_temp.r(c.id, 31) END, %(nl)s) AS li,
                     1 + mod(pg_temp.r(c.id * 4 + k.k, 38), 30) AS fi,
                     pg_temp.p(c.id * 4 + k.k, 40) < 8 AS year_only,
                     (c.reported_at AT TIME ZONE 'Europe/Belgrade')::date
                       - (CASE WHEN k.k >= 2 THEN mod(pg_temp.r(c.id * 4 + k.k, 39), 6500)
                               ELSE 6575 + mod(pg_temp.r(c.id * 4 + k.k, 39), 20000) END)::int AS born
              FROM cases_case c CROSS JOIN generate_series(0, 3) AS k(k)
              WHERE c.id BETWEEN %(lo)s AND %(hi)s
                AND (k.k < 2 OR (k.k = 2 AND pg_temp.p(c.id, 30) < 45) OR (k.k = 3 AND pg_temp.p(c.id, 30) < 15))
            ) x
            """,
            {
                "ffl": fem[0], "ffc": fem[1], "ffk": fem[2], "mfl": male[0], "mfc": male[1], "mfk": male[2],
                "ll": last[0], "lc": last[1], "lk": last[2], "nl": len(last[0]),
                "phones": [encrypt(p) for p in PHONES], "addresses": [encrypt(a) for a in ADDRESSES],
                "rels": RELATIONSHIPS,
            },
        )
        self.per_chunk(
            "incidents",
            """
            INSERT INTO cases_incident (created_at, updated_at, municipality_id, case_id, occurred_at, reported_at,
              place_type, forms, reporting_institution_id, channel, police_event_number, injuries, injuries_note,
              weapon_involved, weapon_owned, children_present, children_witnessed, description, recorded_by_id)
            SELECT x.occ, x.occ, x.municipality_id, x.id, x.occ, x.occ + interval '2 hours',
              (%(places)s::text[])[1 + mod(pg_temp.r(x.iid, 51), 7)],
              array_remove(ARRAY[
                CASE WHEN x.phys THEN 'physical' END,
                CASE WHEN NOT x.phys OR pg_temp.p(x.iid, 53) < 75 THEN 'psychological' END,
                CASE WHEN pg_temp.p(x.iid, 54) < 5 THEN 'sexual' END,
                CASE WHEN pg_temp.p(x.iid, 55) < 10 THEN 'economic' END,
                CASE WHEN pg_temp.p(x.iid, 56) < 5 THEN 'stalking' END,
                CASE WHEN pg_temp.p(x.iid, 57) < 4 THEN 'digital' END]::varchar[], NULL),
              CASE WHEN x.by_police THEN x.police ELSE x.lead_institution_id END,
              CASE WHEN x.by_police THEN 'police_report' ELSE (%(channels)s::text[])[1 + mod(pg_temp.r(x.iid, 58), 6)] END,
              CASE WHEN x.by_police THEN 'PU-' || x.id || '-' || x.k ELSE '' END,
              x.phys AND pg_temp.p(x.iid, 59) < 40, '',
              pg_temp.p(x.iid, 60) < 6, pg_temp.p(x.iid, 61) < 8, pg_temp.p(x.iid, 62) < 30, pg_temp.p(x.iid, 63) < 20,
              '', x.opened_by_id
            FROM (
              SELECT c.id, c.municipality_id, c.lead_institution_id, c.opened_by_id, k.k, m.police, c.id * 4 + k.k AS iid,
                     pg_temp.p(c.id * 4 + k.k, 52) < 60 AS phys,
                     pg_temp.p(c.id * 4 + k.k, 50) < 70 AS by_police,
                     CASE WHEN k.k = 0 THEN c.reported_at - mod(pg_temp.r(c.id, 49), 48) * interval '1 hour'
                          ELSE LEAST(%(anchor)s::timestamptz - interval '1 hour',
                                     c.reported_at + k.k * (20 + mod(pg_temp.r(c.id * 4 + k.k, 48), 60)) * interval '1 day')
                     END AS occ
              FROM cases_case c JOIN sk_mun m ON m.mid = c.municipality_id
              CROSS JOIN generate_series(0, 2) AS k(k)
              WHERE c.id BETWEEN %(lo)s AND %(hi)s
                AND (k.k = 0 OR (k.k = 1 AND pg_temp.p(c.id, 47) < 25) OR (k.k = 2 AND pg_temp.p(c.id, 47) < 8))
            ) x
            """,
            {**anchor, "places": PLACES, "channels": CHANNELS},
        )

        self.per_chunk(
            "risk assessments",
            """
            INSERT INTO cases_riskassessment (created_at, updated_at, municipality_id, case_id, assessed_at, assessor_id,
              institution_id, items, computed_level, level, immediate_danger, raise_reason, lower_reason, conclusion,
              sent_to_prosecutor_at, source)
            SELECT x.at, x.at, c.municipality_id, c.id, x.at, c.opened_by_id, c.lead_institution_id,
              CASE x.lvl WHEN 'low' THEN %(low)s::jsonb WHEN 'medium' THEN %(medium)s::jsonb
                         WHEN 'high' THEN %(high)s::jsonb ELSE %(immediate)s::jsonb END,
              x.lvl, x.lvl, x.lvl = 'immediate', '', '', 'Primer zaključka procene rizika.',
              CASE WHEN x.lvl = 'immediate' THEN x.at + interval '2 hours' END, ''
            FROM cases_case c
            CROSS JOIN LATERAL (
              SELECT k.k,
                     LEAST(%(anchor)s::timestamptz - interval '1 hour',
                           c.reported_at + interval '3 hours' + k.k * (25 + mod(pg_temp.r(c.id, 64), 40)) * interval '1 day') AS at,
                     CASE WHEN k.k = 1 OR pg_temp.p(c.id, 65) >= 30 THEN c.risk_level
                          WHEN c.risk_level IN ('immediate', 'high') THEN 'medium' ELSE 'low' END AS lvl
              FROM generate_series(0, CASE WHEN pg_temp.p(c.id, 65) < 30 THEN 1 ELSE 0 END) AS k(k)
            ) x
            WHERE c.id BETWEEN %(lo)s AND %(hi)s
            """,
            {**anchor, **{k: json.dumps(v) for k, v in RISK_ITEMS.items()}},
        )
        self.sql("ANALYZE cases_caseperson")
        self.per_chunk(
            "emergency measures",
            """
            INSERT INTO cases_emergencymeasure (created_at, updated_at, municipality_id, case_id, kind, order_number,
              ordered_by_id, delivered_at, expires_at, extension_proposal_due, extension_proposed_at, court_decision_due,
              court_decided_at, court_decision, extended_until, appeal_due, appeal_filed_at, recorded_by_id, version)
            SELECT x.d, x.d, x.municipality_id, x.id, x.kind, 'HM-' || x.id || '-' || x.k, x.police, x.d,
              x.d + interval '48 hours', x.d + interval '24 hours',
              CASE WHEN x.outcome IN ('extended', 'rejected', 'proposed') THEN x.d + interval '20 hours' END,
              CASE WHEN x.outcome IN ('extended', 'rejected', 'proposed') THEN x.d + interval '44 hours' END,
              CASE WHEN x.outcome IN ('extended', 'rejected') THEN x.d + interval '40 hours' END,
              CASE WHEN x.outcome IN ('extended', 'rejected') THEN x.outcome ELSE 'pending' END,
              CASE WHEN x.outcome = 'extended' THEN x.d + interval '40 hours' + interval '30 days' END,
              CASE WHEN x.outcome IN ('extended', 'rejected') THEN x.d + interval '40 hours' + interval '3 days' END,
              NULL, x.opened_by_id, 1
            FROM (
              SELECT c.id, c.municipality_id, c.opened_by_id, m.police, k.k,
                     CASE WHEN k.k = 1 OR pg_temp.p(c.id, 71) < 60 THEN 'removal' ELSE 'contact_ban' END AS kind,
                     LEAST(%(anchor)s::timestamptz - interval '30 minutes',
                           c.reported_at + interval '3 hours' + k.k * interval '10 minutes') AS d,
                     CASE WHEN c.reported_at > %(anchor)s::timestamptz - interval '44 hours'
                            THEN CASE WHEN pg_temp.p(c.id, 72) < 50 THEN 'proposed' ELSE 'pending' END
                          WHEN pg_temp.p(c.id, 72) < 55 THEN 'extended'
                          WHEN pg_temp.p(c.id, 72) < 70 THEN 'rejected' ELSE 'pending' END AS outcome
              FROM cases_case c JOIN sk_mun m ON m.mid = c.municipality_id
              CROSS JOIN generate_series(0, 1) AS k(k)
              WHERE c.id BETWEEN %(lo)s AND %(hi)s AND pg_temp.p(c.id, 70) < 22 AND (k.k = 0 OR pg_temp.p(c.id, 73) < 20)
            ) x
            """,
            anchor,
        )
        self.sql("ANALYZE cases_emergencymeasure")
        self.per_chunk(
            "measure breaches",
            """
            INSERT INTO cases_measurebreach (created_at, updated_at, municipality_id, case_id, emergency_measure_id,
              protective_measure_id, occurred_at, description, recorded_by_id)
            SELECT e.delivered_at + interval '20 hours', e.delivered_at + interval '20 hours', e.municipality_id,
                   e.case_id, e.id, NULL, e.delivered_at + interval '20 hours', 'Primer kršenja mere.', e.recorded_by_id
            FROM cases_emergencymeasure e
            WHERE e.case_id BETWEEN %(lo)s AND %(hi)s AND pg_temp.p(e.id, 74) < 8
              AND e.delivered_at + interval '20 hours' < %(anchor)s::timestamptz
            """,
            anchor,
        )
        self.per_chunk(
            "protective measures",
            """
            INSERT INTO cases_protectivemeasure (created_at, updated_at, municipality_id, case_id, kind, court,
              decision_number, decision_date, valid_from, valid_until, distance_m, renewed_from_id, recorded_by_id)
            SELECT x.dd, x.dd, c.municipality_id, c.id,
              (ARRAY['move_out', 'approach_ban', 'harassment_ban', 'access_ban', 'approach_ban'])[1 + mod(pg_temp.r(c.id, 81), 5)],
              'Osnovni sud (primer)', 'P-' || c.id, x.dd, x.dd, x.dd + 365,
              CASE WHEN pg_temp.p(c.id, 82) < 50 THEN 200 END, NULL, c.opened_by_id
            FROM cases_case c
            CROSS JOIN LATERAL (SELECT (c.reported_at AT TIME ZONE 'Europe/Belgrade')::date
                                        + 20 + mod(pg_temp.r(c.id, 83), 40)::int AS dd) x
            WHERE c.id BETWEEN %(lo)s AND %(hi)s AND pg_temp.p(c.id, 80) < 5
              AND x.dd < (%(anchor)s::timestamptz AT TIME ZONE 'Europe/Belgrade')::date
            """,
            anchor,
        )
        self.per_chunk(
            "protection plans",
            """
            INSERT INTO cases_protectionplan (created_at, updated_at, municipality_id, case_id, adopted_at,
              victim_participated, victim_signed, monitoring, next_review, is_active, created_by_id, version)
            SELECT c.reported_at, c.reported_at, c.municipality_id, c.id, x.ad, pg_temp.p(c.id, 91) < 70,
                   pg_temp.p(c.id, 91) < 60, 'Mesečni pregled na sastanku tima (primer).', x.ad + 90, true,
                   c.opened_by_id, 1
            FROM cases_case c
            CROSS JOIN LATERAL (SELECT LEAST((%(anchor)s::timestamptz AT TIME ZONE 'Europe/Belgrade')::date,
                                             (c.reported_at AT TIME ZONE 'Europe/Belgrade')::date
                                               + 5 + mod(pg_temp.r(c.id, 92), 10)::int) AS ad) x
            WHERE c.id BETWEEN %(lo)s AND %(hi)s AND c.status <> 'reported' AND pg_temp.p(c.id, 90) < 30
            """,
            anchor,
        )
        self.sql("ANALYZE cases_protectionplan")
        self.per_chunk(
            "plan measures",
            """
            INSERT INTO cases_planmeasure (created_at, updated_at, municipality_id, plan_id, case_id, kind, description,
              for_person_id, owner_institution_id, responsible_person, deadline, status, completed_at, version)
            SELECT x.created, x.created, x.municipality_id, x.plan_id, x.case_id,
              CASE WHEN x.k = 1 THEN 'protection' ELSE 'support' END,
              (ARRAY['Primer mere: savetovanje žrtve', 'Primer mere: pregled u domu zdravlja',
                     'Primer mere: praćenje deteta u školi', 'Primer mere: pravna pomoć'])[x.k],
              NULL, x.owner, '', x.deadline, x.status,
              CASE WHEN x.status = 'done' THEN LEAST(x.closed, x.deadline::timestamp AT TIME ZONE 'Europe/Belgrade') END, 1
            FROM (
              SELECT p.id AS plan_id, p.case_id, p.municipality_id, p.created_at AS created, k.k,
                     COALESCE(c.closed_at, %(anchor)s::timestamptz) AS closed,
                     CASE k.k WHEN 1 THEN c.lead_institution_id WHEN 2 THEN m.csr WHEN 3 THEN m.health ELSE m.ngo END AS owner,
                     p.adopted_at + k.k * (10 + mod(pg_temp.r(p.id * 4 + k.k, 94), 40))::int AS deadline,
                     CASE WHEN c.status = 'closed' THEN 'done'
                          WHEN p.adopted_at + k.k * (10 + mod(pg_temp.r(p.id * 4 + k.k, 94), 40))::int
                               < (%(anchor)s::timestamptz AT TIME ZONE 'Europe/Belgrade')::date
                            THEN CASE WHEN pg_temp.p(p.id * 4 + k.k, 95) < 65 THEN 'done'
                                      WHEN pg_temp.p(p.id * 4 + k.k, 95) < 80 THEN 'in_progress' ELSE 'planned' END
                          ELSE CASE WHEN pg_temp.p(p.id * 4 + k.k, 95) < 40 THEN 'in_progress' ELSE 'planned' END
                     END AS status
              FROM cases_protectionplan p JOIN cases_case c ON c.id = p.case_id JOIN sk_mun m ON m.mid = p.municipality_id
              CROSS JOIN generate_series(1, 4) AS k(k)
              WHERE p.case_id BETWEEN %(lo)s AND %(hi)s AND k.k <= 2 + mod(pg_temp.r(p.id, 93), 3)
            ) x
            """,
            anchor,
        )
        self.per_chunk(
            "referrals",
            """
            INSERT INTO cases_referral (created_at, updated_at, municipality_id, case_id, from_institution_id,
              to_institution_id, to_municipality_id, reason, urgency, status, sent_at, sent_by_id, answered_at,
              answered_by_id, decline_reason, completed_at, consent_override_reason)
            SELECT y.sent, y.sent, y.municipality_id, y.id, y.lead_institution_id, y.to_inst, y.to_mun,
              'Primer uputa: potrebna podrška žrtvi.', y.priority, y.status, y.sent, y.opened_by_id,
              CASE WHEN y.status <> 'sent' AND y.status <> 'withdrawn' THEN y.sent + y.wait END,
              CASE WHEN y.status <> 'sent' AND y.status <> 'withdrawn'
                   THEN si.users[1 + mod(pg_temp.r(y.id, 106), cardinality(si.users))] END,
              CASE WHEN y.status = 'declined' THEN 'Primer: nema slobodnih kapaciteta.' ELSE '' END,
              CASE WHEN y.status = 'completed' THEN LEAST(%(anchor)s::timestamptz, y.sent + y.wait + interval '30 days') END,
              ''
            FROM (
              SELECT x.*,
                CASE WHEN x.sent > %(anchor)s::timestamptz - interval '7 days'
                       THEN CASE WHEN pg_temp.p(x.id, 104) < 50 THEN 'sent' ELSE 'accepted' END
                     WHEN x.sent > %(anchor)s::timestamptz - interval '60 days'
                       THEN CASE WHEN pg_temp.p(x.id, 104) < 10 THEN 'sent' WHEN pg_temp.p(x.id, 104) < 75 THEN 'accepted'
                                 ELSE 'declined' END
                     WHEN pg_temp.p(x.id, 104) < 55 THEN 'completed' WHEN pg_temp.p(x.id, 104) < 70 THEN 'accepted'
                     WHEN pg_temp.p(x.id, 104) < 90 THEN 'declined' ELSE 'withdrawn' END AS status,
                (1 + mod(pg_temp.r(x.id, 105), 72)) * interval '1 hour' AS wait
              FROM (
                SELECT c.id, c.municipality_id, c.lead_institution_id, c.opened_by_id, c.priority,
                  LEAST(%(anchor)s::timestamptz - interval '1 hour',
                        c.reported_at + (1 + mod(pg_temp.r(c.id, 101), 10)) * interval '1 day') AS sent,
                  CASE WHEN pg_temp.p(c.id, 102) < 20 AND %(nsafe)s > 0
                         THEN (%(safe)s::bigint[])[1 + mod(pg_temp.r(c.id, 103), GREATEST(%(nsafe)s, 1))]
                       WHEN pg_temp.p(c.id, 102) < 55 AND c.lead_institution_id <> m.ngo THEN m.ngo
                       WHEN pg_temp.p(c.id, 102) < 85 THEN m.health
                       ELSE m.schools[1] END AS to_inst,
                  CASE WHEN pg_temp.p(c.id, 102) < 20 AND %(nsafe)s > 0
                         THEN (%(safe_mids)s::bigint[])[1 + mod(pg_temp.r(c.id, 103), GREATEST(%(nsafe)s, 1))]
                       ELSE c.municipality_id END AS to_mun
                FROM cases_case c JOIN sk_mun m ON m.mid = c.municipality_id
                WHERE c.id BETWEEN %(lo)s AND %(hi)s AND pg_temp.p(c.id, 100) < 15
              ) x
            ) y LEFT JOIN sk_inst si ON si.id = y.to_inst
            """,
            {**anchor, "safe": self.safe_houses, "safe_mids": self.safe_mids, "nsafe": len(self.safe_houses)},
        )
        self.per_chunk(
            "notes and contacts",
            """
            INSERT INTO cases_casenote (created_at, updated_at, municipality_id, case_id, kind, occurred_at, text,
                                        visibility, author_id, institution_id)
            SELECT x.at, x.at, c.municipality_id, c.id, (%(kinds)s::text[])[1 + mod(pg_temp.r(c.id * 4 + x.k, 111), 6)],
                   x.at, (%(texts)s::text[])[1 + mod(pg_temp.r(c.id * 4 + x.k, 112), %(ntexts)s)],
                   CASE WHEN pg_temp.p(c.id * 4 + x.k, 113) < 15 THEN 'own_institution' ELSE 'team' END,
                   c.opened_by_id, c.lead_institution_id
            FROM cases_case c
            CROSS JOIN LATERAL (
              SELECT k.k, LEAST(COALESCE(c.closed_at, %(anchor)s::timestamptz),
                                c.reported_at + interval '1 hour' + k.k * (3 + mod(pg_temp.r(c.id * 4 + k.k, 114), 30)) * interval '1 day') AS at
              FROM generate_series(0, 3) AS k(k)
              WHERE k.k = 0 OR (k.k = 1 AND pg_temp.p(c.id, 110) < 60) OR (k.k = 2 AND pg_temp.p(c.id, 110) < 30)
                 OR (k.k = 3 AND pg_temp.p(c.id, 110) < 10)
            ) x
            WHERE c.id BETWEEN %(lo)s AND %(hi)s
            """,
            {**anchor, "kinds": NOTE_KINDS, "texts": [encrypt(t) for t in NOTE_TEXTS], "ntexts": len(NOTE_TEXTS)},
        )
        self.sql("ANALYZE cases_caseperson")
        self.per_chunk(
            "consents",
            """
            INSERT INTO cases_consent (created_at, updated_at, municipality_id, case_id, person_id, given_at, expires_at,
                                       scope, method, withdrawn_at, recorded_by_id)
            SELECT c.reported_at, c.reported_at, c.municipality_id, c.id, p.id,
                   (c.reported_at AT TIME ZONE 'Europe/Belgrade')::date + 2,
                   (c.reported_at AT TIME ZONE 'Europe/Belgrade')::date + 367,
                   'Razmena podataka sa članovima tima (primer).', (ARRAY['written', 'oral', 'written'])[1 + mod(pg_temp.r(c.id, 121), 3)],
                   NULL, c.opened_by_id
            FROM cases_case c JOIN cases_caseperson p ON p.case_id = c.id AND p.role = 'victim'
            WHERE c.id BETWEEN %(lo)s AND %(hi)s AND c.status <> 'reported' AND pg_temp.p(c.id, 120) < 30
            """,
        )
        rows = self.sql(
            """
            INSERT INTO cases_consent_institutions (consent_id, institution_id)
            SELECT k.id, x.inst FROM cases_consent k JOIN sk_mun m ON m.mid = k.municipality_id
            CROSS JOIN LATERAL (VALUES (m.csr), (m.police)) AS x(inst)
            WHERE k.case_id > %(base)s
            """,
            {"base": self.base},
        )
        self.step("consent institutions", rows)
        self.sql("ANALYZE cases_planmeasure")
        rows = self.sql(
            """
            INSERT INTO cases_reminder (created_at, updated_at, municipality_id, case_id, institution_id, kind, object_type,
                                        object_id, due_at, stage, sent_at, read_at)
            SELECT x.due, x.due, pm.municipality_id, pm.case_id, pm.owner_institution_id, 'plan_measure', 'cases.planmeasure',
                   pm.id, x.due, 'overdue', x.due + interval '1 day',
                   CASE WHEN pg_temp.p(pm.id, 131) < 40 THEN x.due + interval '2 days' END
            FROM cases_planmeasure pm
            CROSS JOIN LATERAL (SELECT (pm.deadline + 1)::timestamp AT TIME ZONE 'Europe/Belgrade' + interval '7 hours' AS due) x
            WHERE pm.case_id > %(base)s AND pm.status IN ('planned', 'in_progress')
              AND pm.deadline BETWEEN (%(anchor)s::timestamptz AT TIME ZONE 'Europe/Belgrade')::date - 30
                                  AND (%(anchor)s::timestamptz AT TIME ZONE 'Europe/Belgrade')::date - 2
            """,
            {"base": self.base, **anchor},
        )
        self.counts["reminders"] = rows
        self.step("reminders", rows)
