"""The demo data of the case record: every status in every municipality, and Jelena's Monday work
queue (JOURNEYS.md) for each municipality's caseworker."""
from __future__ import annotations

import pytest
from django.utils import timezone

from apps.accounts.management.commands.seed_demo import (
    DEMO_EMAIL_DOMAIN,
    DEMO_INSTITUTIONS,
    DEMO_USERS,
    PROGRAMME_MUNICIPALITIES,
)
from apps.accounts.models import User
from apps.accounts.services import membership_create
from apps.cases import demo
from apps.cases.choices import CaseStatus, PersonRole, ProtectiveMeasureKind, ReferralStatus
from apps.cases.models import (
    Case,
    CaseNote,
    CasePerson,
    Consent,
    EmergencyMeasure,
    PlanMeasure,
    ProtectiveMeasure,
    Referral,
)
from apps.cases.selectors.work_queue import work_queue_for
from apps.cases.validators import validate_jmbg
from apps.core.models import AuditEntry
from apps.institutions.services import institution_create
from apps.municipalities.services import municipality_create
from tests.clock import MOMENTS, travel

SLUGS = ("lazarevac", "cuprija")


def _demo_context(slugs=SLUGS) -> dict:
    """The context seed_demo hands to every app's demo module, for a few of its municipalities."""
    admin = User.objects.create(username="platform.admin", is_platform_admin=True, is_demo=True)
    context = {"municipalities": {}, "institutions": {}, "users": {"platform.admin": admin}, "password": "demo-x"}
    for slug, code, name, name_cyrl, kind, district, population, size in PROGRAMME_MUNICIPALITIES:
        if slug not in slugs:
            continue
        municipality = municipality_create(
            name=name, name_cyrl=name_cyrl, code=code, slug=slug, kind=kind, district=district,
            population=population, size_class=size, created_by=admin,
        )
        context["municipalities"][slug] = municipality
        institutions = {
            key: institution_create(
                municipality=municipality, type=itype, name=pattern.format(name=name),
                email=f"{key}.{slug}@{DEMO_EMAIL_DOMAIN}", phone="+381 11 000 0000", created_by=admin,
            )
            for key, itype, pattern in DEMO_INSTITUTIONS
        }
        context["institutions"][slug] = institutions
        for suffix, role, inst_key, first_name in DEMO_USERS:
            user = User.objects.create(
                username=f"{slug}.{suffix}", email=f"{slug}.{suffix}@{DEMO_EMAIL_DOMAIN}",
                first_name=first_name, last_name="Primer (demo)", is_demo=True,
            )
            membership_create(user=user, institution=institutions[inst_key], role=role, created_by=admin)
            context["users"][f"{slug}.{suffix}"] = user
    return context


@pytest.fixture(scope="module", params=list(MOMENTS))
def seeded_once(request, django_db_setup, django_db_blocker):
    """Seeded once for the module inside a transaction rolled back at the end (seeding is the slow
    part); every test runs in its own savepoint inside it (pytest-django's ``db``)."""
    from django.db import transaction

    with travel(MOMENTS[request.param]), django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            context = _demo_context()
            demo.seed(context)
            yield context
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture
def seeded(seeded_once, db):
    return seeded_once


def test_every_municipality_has_a_case_in_every_status(seeded):
    for municipality in seeded["municipalities"].values():
        statuses = set(Case.objects.filter(municipality=municipality).values_list("status", flat=True))
        assert statuses == set(CaseStatus.values)


def test_the_caseworkers_monday_work_queue(seeded):
    for slug, municipality in seeded["municipalities"].items():
        caseworker = seeded["users"][f"{slug}.caseworker"]
        caseworker.refresh_access()
        csr = seeded["institutions"][slug]["csr"]
        queue = work_queue_for(caseworker, audit=False)

        # An emergency measure ending today without the prosecutor's proposal, and one whose
        # court-granted extension ends within two days.
        missing = [item for item in queue.expiring_measures if item.missing_proposal]
        assert len(missing) == 1
        measure = missing[0].measure
        assert measure.case.municipality == municipality
        # Ends later today (Belgrade time); only in the last minutes of a day does it slip past midnight.
        assert measure.expires_at > queue.now
        assert timezone.localdate(measure.expires_at) == timezone.localdate(queue.now) or (
            timezone.localtime(queue.now).hour == 23
        )
        assert 38 * 3600 <= (queue.now - measure.delivered_at).total_seconds() <= 48 * 3600
        extended = [item for item in queue.expiring_measures if item.measure.extended_until is not None]
        assert len(extended) == 1 and not extended[0].countdown.overdue

        # Two plan measures of the centre past their deadline.
        assert len(queue.overdue_plan_measures) == 2
        assert all(item.measure.owner_institution == csr and item.countdown.overdue for item in queue.overdue_plan_measures)

        # The police's referral waits for the centre's answer; the NGO accepted hers overnight.
        assert [(r.from_institution.type, r.status) for r in queue.waiting_referrals] == [("police", ReferralStatus.SENT)]
        assert [r.to_institution for r in queue.answered_referrals] == [seeded["institutions"][slug]["ngo"]]
        accepted = queue.answered_referrals[0]
        assert accepted.status == ReferralStatus.ACCEPTED
        assert (queue.now - accepted.answered_at).total_seconds() < 24 * 3600

        # One case without contact for 31 days.
        assert len(queue.stale_cases) == 1
        idle = queue.stale_cases[0]
        assert idle.status == CaseStatus.MONITORING
        assert 30 < (queue.now - idle.last_activity_at).days <= 31


def test_a_repeat_case_is_recognised_across_scripts(seeded):
    for municipality in seeded["municipalities"].values():
        closed = Case.objects.get(municipality=municipality, status=CaseStatus.CLOSED)
        repeat = Case.objects.get(municipality=municipality, is_repeat=True)
        earlier = CasePerson.objects.get(case=closed, role=PersonRole.VICTIM)
        again = CasePerson.objects.get(case=repeat, role=PersonRole.VICTIM)
        assert earlier.last_name == "Примеровић" and again.last_name == "Primerović"
        assert again.is_repeat and again.birth_date == earlier.birth_date and again.name_key == earlier.name_key
        assert 235 <= (repeat.reported_at - closed.closed_at).days <= 245  # closed eight months ago
        # The same victim and perpetrator within 12 months: the service noted it on the new case.
        assert AuditEntry.objects.filter(
            object_type="cases.case", object_id=str(repeat.pk), details__repeat_pair=True
        ).exists()
        assert CaseNote.objects.filter(case=repeat).count() == 1
    assert not Case.objects.filter(known_elsewhere=True).exists()  # each municipality's family is its own


def test_the_rest_of_the_record_is_there_and_fictional(seeded):
    for municipality in seeded["municipalities"].values():
        cases = Case.objects.filter(municipality=municipality)
        assert ProtectiveMeasure.objects.filter(case__in=cases, kind=ProtectiveMeasureKind.APPROACH_BAN).count() == 1
        assert Consent.objects.filter(case__in=cases).count() >= 2
        assert CaseNote.objects.filter(case__in=cases).count() >= 4
        assert EmergencyMeasure.objects.filter(case__in=cases).count() == 2
        assert PlanMeasure.objects.filter(case__in=cases).count() == 4
    families = tuple(key for lat, *_rest in demo._FAMILIES for key in [lat.lower().replace("ć", "c")])
    for person in CasePerson.objects.all():
        assert person.name_key.endswith(families)
        if person.jmbg:
            assert validate_jmbg(person.jmbg) == person.birth_date
    # Writes went through the services: every demo case has audit entries.
    case_ids = {str(pk) for pk in Case.objects.values_list("pk", flat=True)}
    audited = set(AuditEntry.objects.filter(object_type="cases.case").values_list("object_id", flat=True))
    assert case_ids <= audited


def test_seeding_again_adds_nothing(seeded):
    models = (Case, CasePerson, CaseNote, Consent, EmergencyMeasure, PlanMeasure, ProtectiveMeasure, Referral, User)
    before = {model: model.objects.count() for model in models}
    demo.seed(seeded)
    again = _reloaded(seeded)
    demo.seed(again)
    assert {model: model.objects.count() for model in models} == before
    # The NGO counsellor who accepted the referral is handed on to later demo modules every time.
    assert all(again["users"][f"{slug}.ngo"].memberships.filter(institution__type="ngo").exists() for slug in SLUGS)


def _reloaded(context: dict) -> dict:
    """The same context as a second seed_demo run builds it (fresh objects, same rows)."""
    return {
        **context,
        "users": {
            name: User.objects.get(pk=user.pk) for name, user in context["users"].items() if not name.endswith(".ngo")
        },
    }
