"""Risk assessments: the computed level, raising with a reason, never lowering, and what a high or
immediate-danger result sets in motion."""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from apps.cases.choices import RISK_ITEM_CODES, Priority, RiskLevel
from apps.cases.models import ProtectionPlan, RiskAssessment
from apps.cases.services.risk import (
    HIGH_YES_THRESHOLD,
    MEDIUM_YES_THRESHOLD,
    compute_level,
    current_assessment,
    is_immediate_danger,
)
from apps.core.choices import AuditAction, Role
from apps.core.models import AuditEntry

from .factories import Clock, assess, english, open_case, utc  # noqa: F401

NON_RED = [c for c in RISK_ITEM_CODES if c not in {"murder_threat", "weapon_used", "strangling", "measure_breach"}]


def yes(n):
    return {code: "yes" for code in NON_RED[:n]}


def test_compute_level_rule():
    assert compute_level({}) == RiskLevel.LOW
    assert compute_level(yes(MEDIUM_YES_THRESHOLD - 1)) == RiskLevel.LOW
    assert compute_level(yes(MEDIUM_YES_THRESHOLD)) == RiskLevel.MEDIUM
    assert compute_level(yes(HIGH_YES_THRESHOLD - 1)) == RiskLevel.MEDIUM
    assert compute_level(yes(HIGH_YES_THRESHOLD)) == RiskLevel.HIGH
    for red_flag in ("murder_threat", "weapon_used", "strangling", "measure_breach"):
        assert compute_level({red_flag: "yes"}) == RiskLevel.HIGH
    assert compute_level({"strangling": {"answer": "unknown", "note": "Nije poznato"}}) == RiskLevel.LOW
    assert compute_level({}, immediate_danger=True) == RiskLevel.IMMEDIATE


def test_checklist_items_must_exist_and_be_answered_properly():
    with pytest.raises(ValidationError) as exc:
        compute_level({"horoscope": "yes"})
    assert "items" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        compute_level({"strangling": "maybe"})
    assert "items" in exc.value.message_dict
    with pytest.raises(ValidationError):
        compute_level(["strangling"])


def test_assessment_stores_every_item_and_sets_level_and_priority(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    outcome = assess(worker, case, items={**yes(5), "victim_fear": {"answer": "yes", "note": "Boji se za decu"}})
    assessment = outcome.assessment
    assert set(assessment.items) == set(RISK_ITEM_CODES)
    assert assessment.items["victim_fear"] == {"answer": "yes", "note": "Boji se za decu"}
    assert assessment.items["strangling"]["answer"] == "unknown"
    assert (assessment.computed_level, assessment.level) == (RiskLevel.MEDIUM, RiskLevel.MEDIUM)
    assert assessment.institution == world.csr_a and assessment.assessor == worker
    case.refresh_from_db()
    assert (case.risk_level, case.priority) == (RiskLevel.MEDIUM, Priority.URGENT)
    assert not outcome.proposed_for_conference and not outcome.open_plan and not outcome.send_to_prosecutor
    assert AuditEntry.objects.filter(
        object_type="cases.riskassessment", object_id=str(assessment.pk), action=AuditAction.CREATE
    ).exists()


def test_judgement_may_raise_the_level_only_with_a_reason(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    with pytest.raises(ValidationError) as exc:
        assess(worker, case, level=RiskLevel.HIGH)
    assert "raise_reason" in exc.value.message_dict
    outcome = assess(worker, case, level=RiskLevel.HIGH, raise_reason="Učinilac je lovac, puška u kući")
    assert (outcome.assessment.computed_level, outcome.assessment.level) == (RiskLevel.LOW, RiskLevel.HIGH)
    assert outcome.assessment.raise_reason == "Učinilac je lovac, puška u kući"
    case.refresh_from_db()
    assert (case.risk_level, case.priority) == (RiskLevel.HIGH, Priority.IMMEDIATE)


def test_judgement_never_lowers_the_level(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    with pytest.raises(ValidationError) as exc:
        assess(worker, case, items={"strangling": "yes"}, level=RiskLevel.MEDIUM, raise_reason="Smiren")
    assert "never lower" in exc.value.message_dict["level"][0]
    with pytest.raises(ValidationError) as exc:
        assess(worker, case, immediate_danger=True, level=RiskLevel.HIGH)
    assert "level" in exc.value.message_dict
    assert not RiskAssessment.objects.exists()
    case.refresh_from_db()
    assert case.risk_level == "" and case.priority == Priority.REGULAR


def test_high_result_proposes_a_conference_and_a_plan(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    outcome = assess(worker, case, items={"weapon_used": "yes"})
    assert outcome.assessment.level == RiskLevel.HIGH
    assert outcome.proposed_for_conference and outcome.open_plan and not outcome.send_to_prosecutor
    case.refresh_from_db()
    assert case.proposed_for_conference_at is not None and case.proposed_for_conference_by == worker
    ProtectionPlan.objects.create(municipality=case.municipality, case=case, created_by=worker)
    again = assess(worker, case, items={"weapon_used": "yes"})
    assert not again.open_plan


def test_immediate_danger_goes_to_the_prosecutor_and_takes_top_priority(world):
    worker = world.users[Role.CASEWORKER]
    police = world.users["police_caseworker"]
    case = open_case(police, lead=world.csr_a)
    outcome = assess(police, case, immediate_danger=True, conclusion="Pretio ubistvom, neposredna opasnost")
    assessment = outcome.assessment
    assert assessment.level == RiskLevel.IMMEDIATE and assessment.immediate_danger
    assert assessment.sent_to_prosecutor_at is None and outcome.send_to_prosecutor
    assert assessment.institution == world.police_a
    assert outcome.proposed_for_conference and outcome.open_plan
    case.refresh_from_db()
    assert (case.risk_level, case.priority) == (RiskLevel.IMMEDIATE, Priority.IMMEDIATE)
    # raising to immediate danger by judgement is concluding immediate danger
    raised = assess(worker, case, level=RiskLevel.IMMEDIATE, raise_reason="Žrtva se krije kod rodbine")
    assert raised.assessment.immediate_danger and raised.send_to_prosecutor


def test_priority_follows_the_latest_assessment_not_the_last_recorded(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker, reported_at=timezone.now() - timedelta(days=3))
    assess(worker, case, items={"strangling": "yes"})
    late_entry = assess(worker, case, assessed_at=timezone.now() - timedelta(days=2))
    assert not late_entry.proposed_for_conference
    case.refresh_from_db()
    assert case.risk_level == RiskLevel.HIGH
    assess(worker, case, lower_reason="Učinilac odseljen, mera udaljenja na snazi")
    case.refresh_from_db()
    assert (case.risk_level, case.priority) == (RiskLevel.LOW, Priority.REGULAR)


@pytest.mark.usefixtures("english")
def test_an_assessment_with_nothing_answered_is_refused(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    for items in ({}, {code: "unknown" for code in RISK_ITEM_CODES}, {"strangling": {"answer": "unknown", "note": "?"}}):
        with pytest.raises(ValidationError) as exc:
            assess(worker, case, items=items)
        assert "Nothing is answered" in exc.value.message_dict["items"][0]
    assert not RiskAssessment.objects.filter(case=case).exists()
    case.refresh_from_db()
    assert case.risk_level == ""
    # Concluding immediate danger, or one answered item, is an assessment.
    assert assess(worker, case, items={}, immediate_danger=True).assessment.level == RiskLevel.IMMEDIATE
    assert assess(worker, case, items={"victim_fear": "no"}).assessment.level == RiskLevel.LOW


@pytest.mark.usefixtures("english")
def test_unknowns_never_lower_an_immediate_danger_without_a_reason(world):
    worker = world.users[Role.CASEWORKER]
    police = world.users["police_caseworker"]
    case = open_case(police, lead=world.csr_a, reported_at=timezone.now() - timedelta(days=2))
    first = assess(police, case, items={}, immediate_danger=True, assessed_at=timezone.now() - timedelta(days=1))
    case.refresh_from_db()
    proposed_at = case.proposed_for_conference_at
    assert proposed_at is not None

    # Two items answered "no", the other sixteen unknown: the checklist gives "low".
    partial = assess(worker, case, items={"victim_fear": "no", "separation": "no"})
    assert partial.assessment.level == RiskLevel.LOW and partial.assessment.lower_reason == ""
    assert partial.kept_higher and partial.current == first.assessment
    assert not partial.proposed_for_conference
    case.refresh_from_db()
    assert (case.risk_level, case.priority) == (RiskLevel.IMMEDIATE, Priority.IMMEDIATE)
    assert case.proposed_for_conference_at == proposed_at
    assert is_immediate_danger(case)
    assert current_assessment(case).institution == world.police_a

    # A reason that is not needed (nothing is lowered) is not recorded.
    same = assess(police, case, immediate_danger=True, lower_reason="nepotrebno")
    assert same.assessment.lower_reason == "" and not same.kept_higher

    # Stating why the risk is lower lowers the case; the proposal for the conference stays.
    lowered = assess(worker, case, items={"victim_fear": "no"}, lower_reason="Žrtva u sigurnoj kući, učinilac u pritvoru")
    assert not lowered.kept_higher and lowered.current == lowered.assessment
    case.refresh_from_db()
    assert (case.risk_level, case.priority) == (RiskLevel.LOW, Priority.REGULAR)
    assert case.proposed_for_conference_at == proposed_at
    assert not is_immediate_danger(case)


def test_current_assessment_is_the_latest_unless_an_earlier_one_is_higher_and_not_set_aside(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker, reported_at=timezone.now() - timedelta(days=5))
    now = timezone.now()
    medium = assess(worker, case, items=yes(MEDIUM_YES_THRESHOLD), assessed_at=now - timedelta(days=4)).assessment
    assert current_assessment(case) == medium
    low = assess(worker, case, assessed_at=now - timedelta(days=3)).assessment  # lower, no reason
    assert current_assessment(case) == medium
    high = assess(worker, case, items={"weapon_used": "yes"}, assessed_at=now - timedelta(days=2)).assessment
    assert current_assessment(case) == high
    equal = assess(worker, case, items={"strangling": "yes"}, assessed_at=now - timedelta(days=1)).assessment
    assert current_assessment(case) == equal  # as high as the current one: the newer one counts
    assert low.level == RiskLevel.LOW


def test_assessment_time_cannot_be_in_the_future(world, monkeypatch):
    clock = Clock(monkeypatch)
    clock.set(utc(2026, 3, 29, 1, 0))  # 03:00 CEST, the first minute of summer time
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker, reported_at=utc(2026, 3, 29, 0, 50))
    assert assess(worker, case, assessed_at=utc(2026, 3, 29, 0, 59)).assessment.pk  # 01:59 CET
    with pytest.raises(ValidationError) as exc:
        assess(worker, case, assessed_at=utc(2026, 3, 29, 1, 1))
    assert "assessed_at" in exc.value.message_dict


def test_recorded_cases_go_back_to_the_higher_level_nobody_set_aside(world):
    """The data migration: a case whose latest (older-rule) assessment lowered it without a reason."""
    import importlib

    from django.apps import apps as django_apps

    from apps.cases.models import Case

    migration = importlib.import_module("apps.cases.migrations.0008_risk_current_level")
    worker = world.users[Role.CASEWORKER]
    police = world.users["police_caseworker"]
    case = open_case(police, lead=world.csr_a, reported_at=timezone.now() - timedelta(days=3))
    assess(police, case, items={}, immediate_danger=True, assessed_at=timezone.now() - timedelta(days=2))
    later = assess(worker, case, assessed_at=timezone.now() - timedelta(days=1)).assessment
    # As the old rule left it: the latest assessment's level on the case.
    Case.objects.filter(pk=case.pk).update(risk_level=RiskLevel.LOW, priority=Priority.REGULAR)
    calm = open_case(worker)
    assess(worker, calm, items=yes(MEDIUM_YES_THRESHOLD))
    migration.forwards(django_apps, None)
    case.refresh_from_db()
    calm.refresh_from_db()
    assert (case.risk_level, case.priority) == (RiskLevel.IMMEDIATE, Priority.IMMEDIATE)
    assert (calm.risk_level, calm.priority) == (RiskLevel.MEDIUM, Priority.URGENT)
    # With a stated reason the lower assessment stands.
    RiskAssessment.objects.filter(pk=later.pk).update(lower_reason="Učinilac u pritvoru")
    migration.forwards(django_apps, None)
    case.refresh_from_db()
    assert (case.risk_level, case.priority) == (RiskLevel.LOW, Priority.REGULAR)
