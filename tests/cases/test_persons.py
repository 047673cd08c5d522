"""Persons: JMBG validation and encryption, birth dates, the juvenile rule, repeat recognition,
optimistic locking and the confidential address."""
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from apps.cases.choices import AgeGroup, PersonRole, Relationship
from apps.cases.models import Case, CaseNote, CasePerson
from apps.cases.selectors.persons import person_contact_for
from apps.cases.services.cases import case_add_participant, case_assign_user
from apps.cases.services.persons import months_before, person_update
from apps.cases.validators import jmbg_birth_date, jmbg_check_digit, validate_jmbg
from apps.core.choices import AuditAction, Role
from apps.core.crypto import keyed_hash
from apps.core.locking import VersionConflict
from apps.core.models import AuditEntry
from tests.clock import moment, travel

from .factories import Clock, add_person, consent, english, make_jmbg, open_case, utc  # noqa: F401

# --- JMBG -----------------------------------------------------------------------------------------


def test_valid_jmbg_gives_the_date_of_birth():
    assert validate_jmbg(make_jmbg(date(1985, 4, 12))) == date(1985, 4, 12)
    assert validate_jmbg(make_jmbg(date(2003, 1, 31), region="80")) == date(2003, 1, 31)
    assert jmbg_birth_date("0101999710000") == date(1999, 1, 1)  # 9xx -> 19xx
    assert jmbg_birth_date("0101005710000") == date(2005, 1, 1)  # 0xx -> 20xx
    assert jmbg_birth_date("0101105710000") is None  # 1xx is no century in use


def test_check_digit_uses_the_standard_weights_and_maps_10_and_11_to_zero():
    # 7*(0+5)+6*(1+7)+5*(0+1)+4*(1+2)+3*(9+5)+2*(8+3) = 35+48+5+12+42+22 = 164; 164 % 11 = 10; 11-10 = 1
    assert jmbg_check_digit("010198571253") == 1
    # 7*(1+5)+6*(2+7)+5*(0+1)+4*(5+0)+3*(9+0)+2*(8+1) = 42+54+5+20+27+18 = 166; 166 % 11 = 1; 11-1 = 10 -> 0
    assert jmbg_check_digit("120598571001") == 0
    assert validate_jmbg("1205985710010") == date(1985, 5, 12)
    # find prefixes whose remainder is 0 (m = 11) and 1 (m = 10): both give 0
    for serial in range(1000):
        first12 = f"010198571{serial:03d}"
        total = sum(int(d) * w for d, w in zip(first12, (7, 6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2), strict=True))
        if total % 11 in (0, 1):
            assert jmbg_check_digit(first12) == 0
            assert validate_jmbg(first12 + "0") == date(1985, 1, 1)


@pytest.mark.parametrize(
    ("value", "needle"),
    [
        ("123", "13 digits"),
        ("12345678901234", "13 digits"),
        ("01019857a1253", "13 digits"),
        ("3102985712535", "valid date"),  # 31 February
        ("0113985712535", "valid date"),  # month 13
        ("0101185712535", "valid date"),  # year 2185/1185
        ("0101985612530", "region"),  # region 61 was never used
        ("0101985712534", "check digit"),
    ],
)
def test_invalid_jmbg_is_refused_with_a_message_naming_the_field(value, needle):
    with pytest.raises(ValidationError) as exc:
        validate_jmbg(value)
    assert needle in exc.value.message_dict["jmbg"][0]
    assert value not in str(exc.value)


def test_jmbg_with_a_birth_date_in_the_future_is_refused():
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        validate_jmbg(make_jmbg(tomorrow))
    assert "future" in exc.value.message_dict["jmbg"][0]


# --- adding persons ---------------------------------------------------------------------------------


def test_person_add_stores_the_jmbg_encrypted_with_a_keyed_hash(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    jmbg = make_jmbg(date(1985, 4, 12))
    person = add_person(
        worker, case, first_name="Demo", last_name="Primerović", jmbg=jmbg, birth_date=None,
        phone="+381 11 123 4567", email="demo.primerovic@primer.example", address="Testna 1, Testgrad",
    )
    assert person.birth_date == date(1985, 4, 12) and person.birth_year == 1985
    assert person.jmbg_hash == keyed_hash(jmbg)
    assert person.name_key == "demo primerovic"
    with connection.cursor() as cursor:
        cursor.execute("SELECT jmbg, phone, address FROM cases_caseperson WHERE id = %s", [person.pk])
        stored = cursor.fetchone()
    assert jmbg not in stored[0] and "123" not in stored[1] and "Testna" not in stored[2]
    reread = CasePerson.objects.get(pk=person.pk)
    assert (reread.jmbg, reread.address) == (jmbg, "Testna 1, Testgrad")
    entry = AuditEntry.objects.get(object_type="cases.caseperson", object_id=str(person.pk))
    assert entry.action == AuditAction.CREATE and jmbg not in str(entry.details)


def test_birth_date_must_match_the_jmbg_and_not_be_in_the_future(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    with pytest.raises(ValidationError) as exc:
        add_person(worker, case, jmbg=make_jmbg(date(1985, 4, 12)), birth_date=date(1985, 4, 13))
    assert "does not match" in exc.value.message_dict["birth_date"][0]
    with pytest.raises(ValidationError) as exc:
        add_person(worker, case, birth_date=timezone.localdate() + timedelta(days=1))
    assert "future" in exc.value.message_dict["birth_date"][0]
    with pytest.raises(ValidationError) as exc:
        add_person(worker, case, birth_date=date(1985, 4, 12), birth_year=1986)
    assert "birth_year" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        add_person(worker, case, birth_date=None, birth_year=timezone.localdate().year + 1)
    assert "birth_year" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        add_person(worker, case, first_name=" ", last_name="", phone="abc", email="not-an-address")
    assert set(exc.value.message_dict) >= {"first_name", "last_name", "phone", "email"}
    assert not CasePerson.objects.filter(case=case).exists()


def test_the_same_jmbg_twice_on_one_case_is_refused(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    jmbg = make_jmbg(date(1985, 4, 12))
    add_person(worker, case, jmbg=jmbg, birth_date=None)
    with pytest.raises(ValidationError) as exc:
        add_person(worker, case, PersonRole.HOUSEHOLD_MEMBER, jmbg=jmbg, birth_date=None)
    assert "jmbg" in exc.value.message_dict


def test_relationship_is_recorded_on_the_other_persons_not_on_the_victim(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    with pytest.raises(ValidationError) as exc:
        add_person(worker, case, relationship_to_victim=Relationship.SPOUSE)
    assert "relationship_to_victim" in exc.value.message_dict
    perpetrator = add_person(
        worker, case, PersonRole.PERPETRATOR, first_name="Test", last_name="Učinilac",
        relationship_to_victim=Relationship.FORMER_PARTNER,
    )
    assert perpetrator.relationship_to_victim == Relationship.FORMER_PARTNER


def test_age_group_is_derived(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    today = timezone.localdate()
    child = add_person(worker, case, PersonRole.CHILD, birth_date=date(today.year - 7, 1, 1))
    older = add_person(worker, case, PersonRole.HOUSEHOLD_MEMBER, first_name="Baka", birth_date=None, birth_year=1940)
    assert child.age_group == AgeGroup.CHILD and older.age_group == AgeGroup.OLDER


# --- minors as perpetrators ---------------------------------------------------------------------------


@travel(moment("2026-05-11T12:00"))  # reported on 10.05.2026: the clock stands after it
def test_a_minor_perpetrator_is_refused_pointing_to_the_juvenile_procedure(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker, reported_at=utc(2026, 5, 10, 10, 0))
    with pytest.raises(ValidationError) as exc:
        add_person(worker, case, PersonRole.PERPETRATOR, birth_date=date(2009, 5, 11))  # 17 on the report day
    message = exc.value.message_dict["birth_date"][0]
    assert "juvenile" in message and "Law on juvenile offenders" in message
    assert not CasePerson.objects.filter(case=case).exists()
    # a child victim of the same age is of course fine
    add_person(worker, case, PersonRole.CHILD, birth_date=date(2009, 5, 11))


def test_the_18th_birthday_counts_by_the_belgrade_date_of_the_report(world, monkeypatch):
    """Reported at 23:30 UTC on 9 May = 01:30 on 10 May in Belgrade: turned 18 that day."""
    clock = Clock(monkeypatch)
    clock.set(utc(2026, 5, 10, 8, 0))
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker, reported_at=utc(2026, 5, 9, 23, 30))
    adult = add_person(worker, case, PersonRole.PERPETRATOR, birth_date=date(2008, 5, 10))
    assert adult.pk
    earlier = open_case(worker, reported_at=utc(2026, 5, 9, 21, 30))  # 23:30 on 9 May in Belgrade
    with pytest.raises(ValidationError) as exc:
        add_person(worker, earlier, PersonRole.PERPETRATOR, birth_date=date(2008, 5, 10))
    assert "juvenile" in exc.value.message_dict["birth_date"][0]


@travel(moment("2026-05-11T12:00"))  # reported on 10.05.2026: the clock stands after it
def test_only_a_year_of_birth_that_may_mean_a_minor_asks_for_the_full_date(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker, reported_at=utc(2026, 5, 10, 10, 0))
    with pytest.raises(ValidationError) as exc:
        add_person(worker, case, PersonRole.PERPETRATOR, birth_date=None, birth_year=2008)
    assert "full date of birth" in exc.value.message_dict["birth_date"][0]
    with pytest.raises(ValidationError) as exc:
        add_person(worker, case, PersonRole.PERPETRATOR, birth_date=None, birth_year=2010)
    assert "Law on juvenile offenders" in exc.value.message_dict["birth_date"][0]
    assert add_person(worker, case, PersonRole.PERPETRATOR, birth_date=None, birth_year=2007).pk


@travel(moment("2026-05-11T12:00"))  # reported on 10.05.2026: the clock stands after it
def test_a_minor_perpetrator_is_also_refused_on_update(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker, reported_at=utc(2026, 5, 10, 10, 0))
    person = add_person(worker, case, PersonRole.HOUSEHOLD_MEMBER, birth_date=date(2012, 1, 1))
    with pytest.raises(ValidationError) as exc:
        person_update(user=worker, person=person, expected_version=1, role=PersonRole.PERPETRATOR)
    assert "birth_date" in exc.value.message_dict
    person.refresh_from_db()
    assert person.role == PersonRole.HOUSEHOLD_MEMBER and person.version == 1


# --- repeat recognition --------------------------------------------------------------------------------


def test_repeat_victim_by_name_and_birth_date_across_scripts(world):
    worker = world.users[Role.CASEWORKER]
    earlier = open_case(worker, reported_at=timezone.now() - timedelta(days=240))
    add_person(worker, earlier, first_name="Ђурђа", last_name="Ђорђевић", birth_date=date(1979, 2, 3))
    case = open_case(worker)
    person = add_person(worker, case, first_name="Djurdja", last_name="Đorđevic", birth_date=date(1979, 2, 3))
    assert person.is_repeat and not person.known_elsewhere
    case.refresh_from_db()
    assert case.is_repeat and not case.known_elsewhere
    # the earlier case is not touched
    earlier.refresh_from_db()
    assert not earlier.is_repeat


def test_repeat_by_jmbg_even_with_another_spelling(world):
    worker = world.users[Role.CASEWORKER]
    jmbg = make_jmbg(date(1979, 2, 3), serial=701)
    earlier = open_case(worker, reported_at=timezone.now() - timedelta(days=800))
    add_person(worker, earlier, PersonRole.PERPETRATOR, first_name="Pera", last_name="Testić", jmbg=jmbg, birth_date=None)
    case = open_case(worker)
    person = add_person(
        worker, case, PersonRole.PERPETRATOR, first_name="Petar", last_name="Testic", jmbg=jmbg, birth_date=None
    )
    assert person.is_repeat
    case.refresh_from_db()
    assert case.is_repeat


def test_same_name_with_another_birth_date_is_not_a_repeat(world):
    worker = world.users[Role.CASEWORKER]
    earlier = open_case(worker)
    add_person(worker, earlier, birth_date=date(1979, 2, 3))
    case = open_case(worker)
    person = add_person(worker, case, birth_date=date(1979, 2, 4))
    assert not person.is_repeat
    case.refresh_from_db()
    assert not case.is_repeat


def test_another_municipality_only_learns_known_elsewhere(world):
    worker_a = world.users[Role.CASEWORKER]
    worker_b = world.users["other_municipality"][Role.CASEWORKER]
    case_a = open_case(worker_a)
    add_person(worker_a, case_a, first_name="Mila", last_name="Primerović", birth_date=date(1990, 6, 6))
    case_b = open_case(worker_b)
    person = add_person(worker_b, case_b, first_name="Мила", last_name="Примеровић", birth_date=date(1990, 6, 6))
    assert person.known_elsewhere and not person.is_repeat
    case_b.refresh_from_db()
    assert case_b.known_elsewhere and not case_b.is_repeat
    # nothing about the other case is reachable for municipality B
    assert not Case.objects.visible_to(worker_b).filter(pk=case_a.pk).exists()
    assert not CaseNote.objects.filter(case=case_b).exists()
    entries = AuditEntry.objects.filter(municipality_id=world.mun_b.pk)
    assert entries.exists()
    assert not any(e.details.get("case") == case_a.pk for e in entries)
    assert not entries.filter(object_type="cases.case", object_id=str(case_a.pk)).exists()


def test_victim_and_perpetrator_together_again_within_12_months_is_noted_once(world):
    worker = world.users[Role.CASEWORKER]
    earlier = open_case(worker, reported_at=timezone.now() - timedelta(days=200))
    add_person(worker, earlier, first_name="Vesna", last_name="Primerović", birth_date=date(1988, 8, 8))
    add_person(worker, earlier, PersonRole.PERPETRATOR, first_name="Zoran", last_name="Primerović", birth_date=date(1984, 4, 4))
    case = open_case(worker)
    victim = add_person(worker, case, first_name="Vesna", last_name="Primerovic", birth_date=date(1988, 8, 8))
    assert victim.is_repeat and not victim.repeat_pair
    perpetrator = add_person(
        worker, case, PersonRole.PERPETRATOR, first_name="Зоран", last_name="Примеровић", birth_date=date(1984, 4, 4)
    )
    assert perpetrator.repeat_pair
    notes = list(CaseNote.objects.filter(case=case))
    assert len(notes) == 1 and "within 12 months" in notes[0].text
    # a second child of the pair does not add a second note
    person_update(user=worker, person=perpetrator, expected_version=perpetrator.version, phone="011 123 456")
    assert CaseNote.objects.filter(case=case).count() == 1


def test_a_pair_from_more_than_12_months_ago_is_a_repeat_but_not_noted(world):
    worker = world.users[Role.CASEWORKER]
    earlier = open_case(worker, reported_at=timezone.now() - timedelta(days=400))
    add_person(worker, earlier, first_name="Vesna", last_name="Primerović", birth_date=date(1988, 8, 8))
    add_person(worker, earlier, PersonRole.PERPETRATOR, first_name="Zoran", last_name="Primerović", birth_date=date(1984, 4, 4))
    case = open_case(worker)
    add_person(worker, case, first_name="Vesna", last_name="Primerović", birth_date=date(1988, 8, 8))
    perpetrator = add_person(
        worker, case, PersonRole.PERPETRATOR, first_name="Zoran", last_name="Primerović", birth_date=date(1984, 4, 4)
    )
    assert perpetrator.is_repeat and not perpetrator.repeat_pair
    assert not CaseNote.objects.filter(case=case).exists()


def test_months_before_keeps_the_wall_clock_over_dst_and_month_ends():
    # 31 March 2027 10:00 CEST -> 31 March 2026 10:00 CEST; 31 May -> 30 November (shorter month, CET)
    assert months_before(utc(2027, 3, 31, 8, 0), 12) == utc(2026, 3, 31, 8, 0)
    assert months_before(utc(2026, 5, 31, 8, 0), 6) == utc(2025, 11, 30, 9, 0)
    assert months_before(utc(2028, 2, 29, 12, 0), 12) == utc(2027, 2, 28, 12, 0)


# --- updating -----------------------------------------------------------------------------------------


def test_person_update_with_version_and_conflict(world):
    worker, coordinator = world.users[Role.CASEWORKER], world.users[Role.COORDINATOR]
    case = open_case(worker)
    person = add_person(worker, case)
    person_update(user=coordinator, person=person, expected_version=1, phone="011 555 0101")
    with pytest.raises(VersionConflict) as exc:
        person_update(user=worker, person=person, expected_version=1, phone="011 555 0202", disability=True)
    assert "phone" in exc.value.changed_fields and "disability" in exc.value.changed_fields
    person.refresh_from_db()
    assert person.phone == "011 555 0101" and not person.disability and person.version == 2


def test_person_update_reruns_repeat_recognition(world):
    worker = world.users[Role.CASEWORKER]
    earlier = open_case(worker)
    add_person(worker, earlier, first_name="Ana", last_name="Primerović", birth_date=date(1970, 1, 1))
    case = open_case(worker)
    person = add_person(worker, case, first_name="Ana", last_name="Primerović", birth_date=date(1971, 1, 1))
    assert not person.is_repeat
    person = person_update(user=worker, person=person, expected_version=person.version, birth_date=date(1970, 1, 1))
    assert person.is_repeat
    case.refresh_from_db()
    assert case.is_repeat
    person = person_update(user=worker, person=person, expected_version=person.version, birth_date=date(1971, 1, 1))
    case.refresh_from_db()
    assert not person.is_repeat and not case.is_repeat


def test_person_update_with_a_new_jmbg_takes_its_birth_date(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    person = add_person(worker, case, birth_date=date(1980, 1, 1))
    jmbg = make_jmbg(date(1981, 2, 2))
    person = person_update(user=worker, person=person, expected_version=1, jmbg=jmbg)
    person.refresh_from_db()
    assert person.birth_date == date(1981, 2, 2) and person.jmbg_hash == keyed_hash(jmbg)
    with pytest.raises(TypeError):
        person_update(user=worker, person=person, expected_version=person.version, is_repeat=True)


# --- contact data and the confidential address -----------------------------------------------------------


def test_confidential_address_only_for_assigned_staff_of_the_lead_institution(world):
    worker = world.users[Role.CASEWORKER]
    coordinator = world.users[Role.COORDINATOR]
    police = world.users["police_caseworker"]
    case = open_case(worker)
    person = add_person(worker, case, address="Skrivena 7, Testgrad", phone="011 222 333", confidential_address=True)
    consent(worker, case, person, [world.police_a])
    case_add_participant(user=worker, case=case, institution=world.police_a)
    case_assign_user(user=worker, case=case, assignee=police)
    shown = person_contact_for(worker, person)
    assert shown.address == "Skrivena 7, Testgrad" and not shown.address_masked
    for user in (coordinator, police):  # coordinator: not assigned; police: assigned, not the lead
        contact = person_contact_for(user, person)
        assert contact.address == "" and contact.address_masked and contact.phone == "011 222 333"
    case_assign_user(user=worker, case=case, assignee=coordinator)
    assert person_contact_for(coordinator, person).address == "Skrivena 7, Testgrad"
    assert AuditEntry.objects.filter(object_type="cases.caseperson", object_id=str(person.pk), action=AuditAction.VIEW).count() == 4


def test_ordinary_address_for_the_team_and_404_for_others(world):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    person = add_person(worker, case, address="Otvorena 1, Testgrad")
    assert person_contact_for(world.users[Role.COORDINATOR], person).address == "Otvorena 1, Testgrad"
    for user in (world.users["police_caseworker"], world.users["other_municipality"][Role.COORDINATOR], world.platform_admin):
        with pytest.raises(Http404):
            person_contact_for(user, person)
