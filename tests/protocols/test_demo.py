"""The demo protocols, agreements and rounds, seeded after the demo cases (as seed_demo runs them)."""
from __future__ import annotations

import pytest
from django.utils import timezone

from apps.cases import demo as case_demo
from apps.protocols import demo
from apps.protocols.choices import AgreementStatus, RoundStatus, VersionStatus
from apps.protocols.models import Agreement, AssessmentRound, Protocol
from apps.protocols.selectors.compliance import figures, year_bounds
from apps.protocols.services.reminders import agreement_reminders_send
from tests.cases.test_demo import _demo_context

SLUGS = ("kragujevac", "loznica", "cuprija")


@pytest.fixture
def seeded(db):
    context = _demo_context(SLUGS)
    case_demo.seed(context)
    demo.seed(context)
    return context


def test_each_municipality_has_its_adopted_adaptation_agreement_and_rounds(seeded):
    for municipality in seeded["municipalities"].values():
        local = Protocol.objects.get(municipality=municipality)
        assert local.based_on.municipality_id is None
        assert local.versions.get().status == VersionStatus.ADOPTED
        rounds = AssessmentRound.objects.filter(municipality=municipality)
        assert sorted(r.status for r in rounds) == [RoundStatus.CLOSED, RoundStatus.CLOSED, RoundStatus.OPEN]
    status = {a.municipality.slug: a.status for a in Agreement.objects.select_related("municipality")}
    assert status == {"kragujevac": AgreementStatus.IN_FORCE, "loznica": AgreementStatus.PARTLY_SIGNED,
                      "cuprija": AgreementStatus.IN_FORCE}
    assert Agreement.objects.get(municipality__slug="loznica").parties.filter(signed_on__isnull=True).count() == 2


def test_the_expiring_agreement_reminds_the_coordinator_once(seeded):
    assert agreement_reminders_send() == 1  # Ćuprija's coordinator, 60 days before
    assert agreement_reminders_send() == 0


def test_compliance_figures_come_from_the_demo_cases(seeded):
    municipality = seeded["municipalities"]["kragujevac"]
    start, _ = year_bounds(timezone.localdate().year - 1)
    _, end = year_bounds(timezone.localdate().year)
    assert {row[0] for row in figures(municipality.pk, start, end)} >= {"police_notified", "referral_answered"}


def test_seeding_again_adds_nothing(seeded):
    before = Protocol.objects.count(), Agreement.objects.count(), AssessmentRound.objects.count()
    demo.seed(seeded)
    assert (Protocol.objects.count(), Agreement.objects.count(), AssessmentRound.objects.count()) == before
