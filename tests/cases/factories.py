"""Builders for the case-core tests (and for anyone who wants a case made the way users make one).

Cases are opened through the real service so that numbering, team and case manager are as in
production; persons, incidents and assessments likewise. Every name is obviously fictional.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.utils import timezone, translation

from apps.cases.choices import (
    RISK_ITEM_CODES,
    ConsentMethod,
    PersonRole,
    PlaceType,
    ReportChannel,
    ViolenceForm,
)
from apps.cases.models import Case, CasePerson
from apps.cases.services.cases import case_open
from apps.cases.services.consent import consent_record
from apps.cases.services.incidents import incident_add
from apps.cases.services.persons import person_add
from apps.cases.services.risk import risk_assess
from apps.cases.validators import jmbg_check_digit
from apps.core.choices import Role
from apps.institutions.choices import InstitutionType
from tests.factories import InstitutionFactory, member


def utc(*args) -> datetime:
    """An aware UTC datetime."""
    return datetime(*args, tzinfo=UTC)


def make_jmbg(born: date, region: str = "71", serial: int = 512) -> str:
    """A valid, fictional JMBG for a date of birth (the check digit computed, never a real one)."""
    yyy = born.year % 1000
    first12 = f"{born.day:02d}{born.month:02d}{yyy:03d}{region}{serial:03d}"
    return first12 + str(jmbg_check_digit(first12))


def open_case(user, *, lead=None, reported_at=None, **kwargs) -> Case:
    """A case opened by ``user`` (lead: the user's first institution)."""
    if lead is None:
        from apps.institutions.models import Institution

        lead = Institution.objects.get(pk=user.access.memberships[0].institution_id)
    return case_open(
        user=user,
        municipality=lead.municipality,
        lead_institution=lead,
        reported_at=reported_at or timezone.now() - timedelta(hours=2),
        **kwargs,
    )


def add_person(user, case, role=PersonRole.VICTIM, first_name="Demo", last_name="Primerović", **kwargs) -> CasePerson:
    """A person on the case through the service."""
    kwargs.setdefault("birth_date", date(1985, 4, 12) if role != PersonRole.CHILD else date(2015, 6, 1))
    return person_add(user=user, case=case, role=role, first_name=first_name, last_name=last_name, **kwargs)


def add_incident(user, case, **kwargs):
    """An incident an hour before the case was reported."""
    kwargs.setdefault("occurred_at", case.reported_at - timedelta(hours=1))
    kwargs.setdefault("reported_at", case.reported_at)
    kwargs.setdefault("place_type", PlaceType.SHARED_HOME)
    kwargs.setdefault("forms", [ViolenceForm.PHYSICAL])
    kwargs.setdefault("channel", ReportChannel.POLICE_REPORT)
    return incident_add(user=user, case=case, **kwargs)


def assess(user, case, *, immediate_danger=False, **kwargs):
    """A risk assessment through the service; items default to all "no"."""
    kwargs.setdefault("items", {code: "no" for code in RISK_ITEM_CODES})
    return risk_assess(user=user, case=case, immediate_danger=immediate_danger, **kwargs)


def consent(user, case, person, institutions, **kwargs):
    """A victim's written consent given today."""
    kwargs.setdefault("given_at", timezone.localdate())
    kwargs.setdefault("scope", "Razmena podataka o slučaju")
    kwargs.setdefault("method", ConsentMethod.WRITTEN)
    return consent_record(user=user, case=case, person=person, institutions=institutions, **kwargs)


def institution(world, type_: str, name: str | None = None, municipality=None):
    """Another institution in municipality A (or the given one)."""
    municipality = municipality or world.mun_a
    return InstitutionFactory(municipality=municipality, type=type_, name=name or f"Test {type_} {municipality.pk}")


def staff(inst, role: str = Role.CASEWORKER, **user_kwargs):
    """A user with one membership."""
    return member(role, inst, **user_kwargs)


@pytest.fixture(autouse=True)
def english():
    """Messages in English (the msgids) so that tests can read them; import it into a test module."""
    with translation.override("en"):
        yield


class Clock:
    """The time seen by django.utils.timezone.now (and so localdate/localtime) in a test.

    Built with pytest's ``monkeypatch``: ``clock = Clock(monkeypatch); clock.set(utc(...))``.
    """

    def __init__(self, monkeypatch):
        self._monkeypatch = monkeypatch
        self.current = None

    def set(self, moment: datetime) -> None:
        assert timezone.is_aware(moment)
        self.current = moment
        self._monkeypatch.setattr(timezone, "now", lambda: self.current)

    def advance(self, **delta) -> None:
        self.set(self.current + timedelta(**delta))


__all__ = [
    "InstitutionType",
    "add_incident",
    "add_person",
    "assess",
    "Clock",
    "consent",
    "english",
    "institution",
    "make_jmbg",
    "open_case",
    "staff",
    "utc",
]
