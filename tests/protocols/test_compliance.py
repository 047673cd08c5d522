"""Compliance figures against values computed by hand on a fixture covering every measured step, at
month and daylight-saving boundaries (Europe/Belgrade: summer time from 29.3.2026 02:00, back on
25.10.2026 03:00)."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from apps.cases.choices import ContactKind, Priority, ReferralStatus, ReferralUrgency
from apps.cases.models import CaseNote, CaseParticipant, CaseStatusChange, Incident, Referral
from apps.core.choices import Role
from apps.institutions.choices import InstitutionType
from apps.protocols.selectors.compliance import compliance_table, drill_down_cases, figures, year_bounds
from tests.cases.factories_measures import emergency, make_case, plan
from tests.factories import InstitutionFactory

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def fixture(world):
    w = world
    police, csr = w.police_a, w.csr_a
    ngo = InstitutionFactory(municipality=w.mun_a, type=InstitutionType.NGO, name="Udruženje Testgrad A")
    prosecutor = InstitutionFactory(municipality=w.mun_a, type=InstitutionType.PROSECUTOR, name="OJT Testgrad A")
    cop = w.users["police_caseworker"]
    worker = w.users[Role.CASEWORKER]

    def police_case(reported):
        return make_case(institution=police, opened_by=cop, reported_at=reported)

    def csr_joins(case, at):
        CaseParticipant.objects.create(municipality=w.mun_a, case=case, institution=csr, added_by=cop, joined_at=at)

    def incident(case, reported):
        Incident.objects.create(municipality=w.mun_a, case=case, occurred_at=reported, reported_at=reported,
                                place_type="shared_home", forms=["physical"], reporting_institution=police,
                                channel="police_report", recorded_by=cop)

    # 1. Police reports notified to the centre within 24 h.
    i1 = police_case(utc(2026, 1, 31, 23, 30))  # 1.2. 00:30 in Belgrade: February
    incident(i1, utc(2026, 1, 31, 23, 30))
    csr_joins(i1, utc(2026, 2, 1, 20, 0))  # 20.5 h: on time
    i2 = police_case(utc(2026, 2, 10, 10, 0))
    incident(i2, utc(2026, 2, 10, 10, 0))
    csr_joins(i2, utc(2026, 2, 11, 11, 0))  # 25 h: late
    i3 = police_case(utc(2026, 3, 28, 12, 0))
    incident(i3, utc(2026, 3, 28, 12, 0))
    Referral.objects.create(municipality=w.mun_a, case=i3, from_institution=police, to_institution=csr,
                            to_municipality_id=w.mun_a.pk, reason="Obaveštenje (test)", sent_by=cop,
                            sent_at=utc(2026, 3, 29, 11, 30))  # 23.5 real hours (24.5 on the wall clock): on time
    i4 = police_case(utc(2026, 1, 31, 22, 30))  # 31.1. 23:30 in Belgrade: January, never notified: late
    incident(i4, utc(2026, 1, 31, 22, 30))

    # 2. The centre's first reaction by urgency.
    def csr_case(reported, priority):
        return make_case(institution=csr, opened_by=worker, reported_at=reported, priority=priority)

    c1 = csr_case(utc(2026, 3, 28, 20, 0), Priority.IMMEDIATE)
    CaseStatusChange.objects.create(municipality=w.mun_a, case=c1, from_status="reported", to_status="assessment",
                                    changed_by=worker, changed_at=utc(2026, 3, 29, 19, 30))  # 23.5 h: on time
    c2 = csr_case(utc(2026, 3, 27, 10, 0), Priority.URGENT)  # due 30.3. 11:00 CEST = 09:00 UTC
    CaseNote.objects.create(municipality=w.mun_a, case=c2, kind=ContactKind.PHONE_CALL, text="Poziv (test)",
                            author=worker, institution=csr, occurred_at=utc(2026, 3, 30, 9, 30))  # late
    c3 = csr_case(utc(2026, 10, 20, 8, 0), Priority.REGULAR)  # due 27.10. 10:00 CET = 09:00 UTC
    CaseStatusChange.objects.create(municipality=w.mun_a, case=c3, from_status="reported", to_status="assessment",
                                    changed_by=worker, changed_at=utc(2026, 10, 27, 8, 30))  # on time
    csr_case(utc(2026, 4, 30, 22, 30), Priority.REGULAR)  # 1.5. 00:30: May, no reaction: late
    csr_case(utc(2026, 12, 7, 11, 0), Priority.IMMEDIATE)  # still running at NOW

    # 3. Referrals answered within the time of their urgency (to the NGO).
    def referral(case, sent, urgency, answered=None, status=ReferralStatus.ACCEPTED):
        Referral.objects.create(municipality=w.mun_a, case=case, from_institution=csr, to_institution=ngo,
                                to_municipality_id=w.mun_a.pk, reason="Upućivanje (test)", sent_by=worker,
                                sent_at=sent, urgency=urgency, answered_at=answered, status=status)

    referral(c3, utc(2026, 10, 24, 12, 0), ReferralUrgency.IMMEDIATE, utc(2026, 10, 25, 12, 30))  # 24.5 h: late
    referral(c3, utc(2026, 10, 23, 10, 0), ReferralUrgency.URGENT, utc(2026, 10, 26, 10, 30))  # due 11:00 UTC
    referral(c3, utc(2026, 6, 1, 10, 0), ReferralUrgency.REGULAR, status=ReferralStatus.WITHDRAWN)  # left out
    referral(c3, utc(2026, 6, 1, 10, 0), ReferralUrgency.REGULAR, utc(2026, 6, 5, 10, 0))  # on time

    # 4. Extension proposed within 24 h; 5. plans within 15 days (cases with an emergency measure).
    m1 = police_case(utc(2026, 3, 28, 13, 0))
    CaseParticipant.objects.create(municipality=w.mun_a, case=m1, institution=prosecutor, added_by=cop)
    emergency(m1, ordered_by=police, recorded_by=cop, delivered_at=utc(2026, 3, 28, 13, 20),
              extension_proposed_at=utc(2026, 3, 29, 13, 0))  # on time
    plan(m1, created_by=cop, adopted_at=date(2026, 4, 12))  # the 15th day: on time
    m2 = police_case(utc(2026, 10, 24, 12, 0))
    CaseParticipant.objects.create(municipality=w.mun_a, case=m2, institution=prosecutor, added_by=cop)
    emergency(m2, ordered_by=police, recorded_by=cop, delivered_at=utc(2026, 10, 24, 12, 20),
              extension_proposed_at=utc(2026, 10, 25, 12, 40))  # late
    plan(m2, created_by=cop, adopted_at=date(2026, 11, 9))  # the 16th day: late
    m3 = police_case(utc(2026, 7, 10, 7, 0))
    emergency(m3, ordered_by=police, recorded_by=cop, delivered_at=utc(2026, 7, 10, 8, 0))  # never: late; no prosecutor
    return w, {"police": police, "csr": csr, "ngo": ngo, "prosecutor": prosecutor}


def rows(w):
    start, end = year_bounds(2026)
    return {(m, i, mo.month): (due, on, run) for m, i, mo, due, on, run, _med in figures(w.mun_a.pk, start, end, now=NOW)}


def test_every_measure_matches_the_hand_computed_values(fixture):
    w, inst = fixture
    police, csr, ngo, prosecutor = (inst[k].pk for k in ("police", "csr", "ngo", "prosecutor"))
    assert rows(w) == {
        ("police_notified", police, 1): (1, 0, 0),
        ("police_notified", police, 2): (2, 1, 0),
        ("police_notified", police, 3): (1, 1, 0),
        ("csr_first_reaction", csr, 3): (2, 1, 0),
        ("csr_first_reaction", csr, 5): (1, 0, 0),
        ("csr_first_reaction", csr, 10): (1, 1, 0),
        ("csr_first_reaction", csr, 12): (0, 0, 1),
        ("referral_answered", ngo, 6): (1, 1, 0),
        ("referral_answered", ngo, 10): (2, 1, 0),
        ("referral_answered", csr, 3): (1, 0, 0),  # the police's notice to the centre was never answered
        ("extension_proposed", prosecutor, 3): (1, 1, 0),
        ("extension_proposed", prosecutor, 10): (1, 0, 0),
        ("extension_proposed", None, 7): (1, 0, 0),
        ("plan_made", police, 3): (1, 1, 0),
        ("plan_made", police, 10): (1, 0, 0),
        ("plan_made", police, 7): (1, 0, 0),
    }


def test_the_median_is_in_hours(fixture):
    w, inst = fixture
    start, end = year_bounds(2026)
    medians = {(m, mo.month): med for m, i, mo, _d, _o, _r, med in figures(w.mun_a.pk, start, end, now=NOW)}
    assert medians[("police_notified", 2)] == pytest.approx((20.5 + 25) / 2)
    assert medians[("police_notified", 3)] == pytest.approx(23.5)


def test_coordinators_see_figures_unsuppressed_and_drill_down_to_cases_they_may_open(fixture):
    w, inst = fixture
    coordinator = w.users[Role.COORDINATOR]
    table = compliance_table(coordinator, w.mun_a, 2026, "police_notified", now=NOW)
    assert not table.suppressed and table.drill_down
    (row,) = table.rows
    feb = dict(row["cells"])[date(2026, 2, 1)]
    assert (feb.due, feb.on_time, feb.share, feb.hidden) == (2, 1, 50.0, False)
    late = drill_down_cases(coordinator, w.mun_a, "police_notified", inst["police"].pk, date(2026, 2, 1), "late", now=NOW)
    assert [c.reported_at for c in late] == [utc(2026, 2, 10, 10, 0)]
    # A restricted case stays out of the drill-down for a coordinator who is not on it.
    type(late[0]).objects.filter(pk=late[0].pk).update(is_restricted=True)
    assert not drill_down_cases(coordinator, w.mun_a, "police_notified", inst["police"].pk, date(2026, 2, 1), "late",
                                now=NOW).exists()


def test_officials_see_small_numbers_suppressed_and_no_cases(fixture):
    w, inst = fixture
    official = w.users[Role.OFFICIAL]
    table = compliance_table(official, w.mun_a, 2026, "police_notified", now=NOW)
    assert table.suppressed and not table.drill_down
    (row,) = table.rows
    assert all(cell.hidden for _m, cell in row["cells"] if cell.due)
    assert row["total"].hidden  # 4 events in the year: fewer than 5
    assert not drill_down_cases(official, w.mun_a, "police_notified", inst["police"].pk, date(2026, 2, 1), now=NOW).exists()


def test_institution_admins_see_their_own_service_only_and_others_nothing(fixture):
    w, inst = fixture
    admin = w.users[Role.INSTITUTION_ADMIN]  # of the centre
    assert compliance_table(admin, w.mun_a, 2026, "police_notified", now=NOW).rows == []
    own = compliance_table(admin, w.mun_a, 2026, "csr_first_reaction", now=NOW)
    assert [r["institution_id"] for r in own.rows] == [inst["csr"].pk]
    assert compliance_table(w.users[Role.CASEWORKER], w.mun_a, 2026, "police_notified") is None
    assert compliance_table(w.users["other_municipality"][Role.COORDINATOR], w.mun_a, 2026, "police_notified") is None


def test_calendar_days_landing_on_the_repeated_autumn_hour_take_the_first(world):
    """Urgent, reported 22.10.2026 at 02:30 summer time: due 25.10.2026 at 02:30, the first of the two
    (00:30 UTC, as apps/cases/deadlines.py computes); a reaction at 01:00 UTC is late."""
    from apps.cases.deadlines import add_calendar_days

    worker = world.users[Role.CASEWORKER]
    reported = utc(2026, 10, 22, 0, 30)
    case = make_case(institution=world.csr_a, opened_by=worker, reported_at=reported, priority=Priority.URGENT)
    CaseStatusChange.objects.create(municipality=world.mun_a, case=case, from_status="reported",
                                    to_status="assessment", changed_by=worker, changed_at=utc(2026, 10, 25, 1, 0))
    assert add_calendar_days(reported, 3).astimezone(UTC) == utc(2026, 10, 25, 0, 30)
    start, end = year_bounds(2026)
    assert {(m, mo.month): (due, on) for m, _i, mo, due, on, _r, _md in figures(world.mun_a.pk, start, end, now=NOW)
            } == {("csr_first_reaction", 10): (1, 0)}
