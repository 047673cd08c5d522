"""A small year of one municipality (Testgrad A, 2026) whose every figure is counted by hand in
test_indicators.py. Times are UTC; Belgrade is one hour ahead in winter."""
from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest

from apps.cases.models import CasePerson, Incident, MeasureBreach, Referral
from apps.core.choices import Role
from tests.cases.factories_measures import emergency, make_case, plan, protective

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)


def utc(*args):
    return datetime(*args, tzinfo=UTC)


def person(case, role, sex, *, rel="", birth_date=None, birth_year=None, jmbg_hash=""):
    return CasePerson.objects.create(
        municipality=case.municipality, case=case, role=role, first_name="Fiktivna", last_name="Primerić",
        sex=sex, birth_date=birth_date, birth_year=birth_year, relationship_to_victim=rel, jmbg_hash=jmbg_hash)


def incident(case, at, forms, by, institution):
    Incident.objects.create(municipality=case.municipality, case=case, occurred_at=at, reported_at=at,
                            place_type="shared_home", forms=forms, reporting_institution=institution,
                            channel="police_report", recorded_by=by)


@pytest.fixture
def year(world):
    w = world
    csr, police = w.csr_a, w.police_a
    worker, cop = w.users[Role.CASEWORKER], w.users["police_caseworker"]
    c5 = make_case(institution=csr, opened_by=worker, reported_at=utc(2025, 12, 20, 10))  # last year
    person(c5, "perpetrator", "male", rel="spouse", jmbg_hash="p-one")
    c1 = make_case(institution=csr, opened_by=worker, reported_at=utc(2026, 1, 10, 10), risk_level="high")
    person(c1, "victim", "female", birth_date=date(1990, 5, 1), jmbg_hash="v-one")
    person(c1, "perpetrator", "male", rel="spouse", birth_date=date(1960, 2, 2), jmbg_hash="p-one")
    incident(c1, utc(2026, 1, 10, 9), ["physical", "psychological"], worker, csr)
    incident(c1, utc(2026, 1, 9, 9), ["physical"], worker, csr)
    c2 = make_case(institution=police, opened_by=cop, reported_at=utc(2026, 1, 31, 23, 30), risk_level="immediate")
    person(c2, "victim", "female", birth_year=2010)
    person(c2, "perpetrator", "male", rel="parent", birth_year=1980)
    incident(c2, utc(2026, 1, 31, 23), ["physical"], cop, police)
    c3 = make_case(institution=csr, opened_by=worker, reported_at=utc(2026, 3, 5, 10))
    person(c3, "victim", "male")
    person(c3, "perpetrator", "female", rel="sibling", birth_year=1950)
    c4 = make_case(institution=police, opened_by=cop, reported_at=utc(2026, 6, 1, 10), risk_level="low")
    person(c4, "victim", "female", birth_date=date(1990, 5, 1), jmbg_hash="v-one")
    person(c4, "perpetrator", "male", birth_year=2000)
    m1 = emergency(c1, ordered_by=police, recorded_by=cop, delivered_at=utc(2026, 1, 11, 10),
                   extension_proposed_at=utc(2026, 1, 12, 10), court_decided_at=utc(2026, 1, 13, 10),
                   court_decision="extended")
    emergency(c2, ordered_by=police, recorded_by=cop, delivered_at=utc(2026, 2, 2, 10), kind="contact_ban")
    MeasureBreach.objects.create(municipality=w.mun_a, case=c1, emergency_measure=m1,
                                 occurred_at=utc(2026, 2, 15, 10), recorded_by=cop)
    protective(c1, recorded_by=worker, valid_from=date(2026, 3, 1), valid_until=date(2027, 3, 1),
               decision_date=date(2026, 3, 1), kind="approach_ban")
    Referral.objects.create(municipality=w.mun_a, case=c1, from_institution=csr, to_institution=police,
                            to_municipality_id=w.mun_a.pk, reason="Upućivanje (test)", sent_by=worker,
                            sent_at=utc(2026, 1, 12, 10), answered_at=utc(2026, 1, 12, 20), status="accepted")
    Referral.objects.create(municipality=w.mun_a, case=c3, from_institution=csr, to_institution=police,
                            to_municipality_id=w.mun_a.pk, reason="Upućivanje (test)", sent_by=worker,
                            sent_at=utc(2026, 3, 6, 10))
    plan(c1, created_by=worker, adopted_at=date(2026, 1, 20))
    # Another municipality's case: never counted in A.
    make_case(institution=w.csr_b, opened_by=w.users["other_municipality"][Role.CASEWORKER],
              reported_at=utc(2026, 1, 10, 10), risk_level="high")
    return SimpleNamespace(w=w, cases=[c1, c2, c3, c4, c5])
