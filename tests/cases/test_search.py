"""Case search: by number (exact or prefix) and by person name across Latin and Cyrillic script,
diacritics and case; only cases the user may see, never a person of another case."""
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.cases.choices import PersonRole
from apps.cases.models import CaseUserGrant
from apps.cases.selectors.search import case_search
from apps.core.choices import AuditAction
from apps.core.grants import grant_object_permission
from apps.core.models import AuditEntry

from .factories import add_person
from .factories_records import assign, make_case, person


@pytest.fixture
def data(world):
    csr_user = world.users["caseworker"]
    latin = make_case(institution=world.csr_a, opened_by=csr_user, number="LAZ-2026-00042",
                      reported_at=timezone.now() - timedelta(days=3))
    assign(latin, csr_user, institution=world.csr_a)
    # Through the persons service, so that the name key is the one production writes.
    add_person(csr_user, latin, role=PersonRole.VICTIM, first_name="Jelena", last_name="Đorđević")
    cyrillic = make_case(institution=world.csr_a, opened_by=csr_user, number="LAZ-2026-00043",
                         reported_at=timezone.now() - timedelta(days=1))
    person(cyrillic, "Милан", "Ђорђевић", role=PersonRole.PERPETRATOR)
    restricted = make_case(institution=world.csr_a, opened_by=csr_user, number="LAZ-2026-00044", is_restricted=True)
    person(restricted, "Jelena", "Đorđević")
    other_user = world.users["other_municipality"]["caseworker"]
    elsewhere = make_case(institution=world.csr_b, opened_by=other_user, number="LAZ-2026-00045")
    person(elsewhere, "Jelena", "Djordjević")
    police = make_case(institution=world.police_a, opened_by=world.users["police_caseworker"], number="LAZ-2026-00046")
    person(police, "Ana", "Đorđević")
    return {"latin": latin, "cyrillic": cyrillic, "restricted": restricted, "elsewhere": elsewhere, "police": police}


def found(user, q):
    return [r.case.number for r in case_search(user, q)]


@pytest.mark.parametrize("q", ["Đorđević", "Djordjevic", "Ђорђевић", "DJORDJEVIC", "djordjević", "  đorđević "])
def test_name_is_found_whatever_the_script_diacritics_or_case(world, data, q):
    assert set(found(world.users["caseworker"], q)) == {"LAZ-2026-00042", "LAZ-2026-00043"}


def test_full_name_in_either_order_and_word_prefixes(world, data):
    user = world.users["caseworker"]
    assert found(user, "Jelena Djordjevic") == ["LAZ-2026-00042"]
    assert found(user, "Ђорђевић Јелена") == ["LAZ-2026-00042"]
    assert found(user, "jel đorđ") == ["LAZ-2026-00042"]
    assert found(user, "Milan") == ["LAZ-2026-00043"]


@pytest.mark.parametrize("q", ["Djor", "Djordj", "Djordjevi", "Ђорђ", "jele djor", "Jelena Đorđe"])
def test_word_beginnings_of_four_letters_or_more_are_found_by_similarity(world, data, q):
    assert "LAZ-2026-00042" in found(world.users["caseworker"], q)


def test_a_small_spelling_difference_is_tolerated(world, data):
    # "Dordevic" (dj written as d) is a common way to type the name without Serbian letters.
    assert "LAZ-2026-00042" in found(world.users["caseworker"], "Jelena Dordjevic")
    assert "LAZ-2026-00043" in found(world.users["caseworker"], "Djordjevik")


def test_number_exact_and_prefix_case_insensitive(world, data):
    user = world.users["caseworker"]
    assert found(user, "laz-2026-00042") == ["LAZ-2026-00042"]
    assert set(found(user, "LAZ-2026-0004")) == {"LAZ-2026-00042", "LAZ-2026-00043"}
    results = case_search(user, "LAZ-2026-00043")
    assert [(r.case.number, r.matched_on) for r in results] == [("LAZ-2026-00043", "number")]


def test_number_matches_come_before_name_matches(world, data):
    user = world.users["caseworker"]
    results = case_search(user, "Đorđević")
    assert [r.matched_on for r in results] == ["person", "person"]
    # Newest reported first among name matches.
    assert [r.case.number for r in results] == ["LAZ-2026-00043", "LAZ-2026-00042"]


def test_persons_of_invisible_cases_are_never_found(world, data):
    user = world.users["caseworker"]
    numbers = found(user, "Jelena Đorđević")
    assert "LAZ-2026-00044" not in numbers  # restricted, not assigned
    assert "LAZ-2026-00045" not in numbers  # another municipality
    assert "LAZ-2026-00046" not in found(user, "Ana")  # a case the CSR has no part in
    assert found(user, "LAZ-2026-00045") == []
    assert found(user, "LAZ-2026-00044") == []


def test_coordinator_finds_the_whole_municipality_but_not_restricted_cases(world, data):
    numbers = set(found(world.users["coordinator"], "Djordjevic"))
    assert numbers == {"LAZ-2026-00042", "LAZ-2026-00043", "LAZ-2026-00046"}


def test_assigned_staff_find_the_restricted_case(world, data):
    police_user = world.users["police_caseworker"]
    assign(data["restricted"], police_user, institution=world.police_a)
    assert set(found(police_user, "Đorđević")) == {"LAZ-2026-00044", "LAZ-2026-00046"}


@pytest.mark.parametrize("ids_first", [2000, 0])
def test_case_shared_by_a_grant_is_found(world, data, monkeypatch, ids_first):
    # Both ways of reading the shared branch: the granted ids first, or (many grants) as a subquery.
    monkeypatch.setattr("apps.cases.selectors.search.SHARED_IDS_FIRST", ids_first)
    user = world.users["caseworker"]
    grant_object_permission(
        grant_model=CaseUserGrant, obj=data["elsewhere"], codename="view_case", user=user,
        granted_by=world.users["other_municipality"]["caseworker"], reason="Upućivanje (test)",
    )
    user.refresh_access()
    assert "LAZ-2026-00045" in found(user, "Djordjevic")
    assert found(user, "LAZ-2026-00045") == ["LAZ-2026-00045"]


@pytest.mark.parametrize("role", ["official", "institution_admin"])
def test_roles_without_case_access_find_nothing(world, data, role):
    assert found(world.users[role], "Đorđević") == []
    assert found(world.users[role], "LAZ") == []


def test_platform_admin_finds_nothing(world, data):
    assert found(world.platform_admin, "Djordjevic") == []


@pytest.mark.parametrize("q", ["", "   ", "j", "-", "%", "_"])
def test_too_short_or_empty_queries_find_nothing(world, data, q):
    assert found(world.users["coordinator"], q) == []


def test_like_wildcards_are_literal(world, data):
    assert found(world.users["coordinator"], "LAZ-2026-%") == []


def test_results_are_audited_without_the_query(world, data):
    user = world.users["caseworker"]
    case_search(user, "Đorđević")
    entries = AuditEntry.objects.filter(action=AuditAction.VIEW, actor=user, object_type="cases.case")
    assert set(entries.values_list("object_id", flat=True)) == {str(data["latin"].pk), str(data["cyrillic"].pk)}
    for entry in entries:
        assert "rđ" not in str(entry.details) and "djord" not in str(entry.details).lower()
