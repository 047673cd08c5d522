"""Targets: held meetings per municipality and month against the cadence, coordination groups
against every 15 days, supervision meetings against 2, the programme total against 78."""
from datetime import date

import pytest
from django.urls import reverse

from apps.conferences.choices import MeetingKind, MeetingStatus
from apps.conferences.models import Meeting
from apps.conferences.selectors.targets import targets_for
from apps.municipalities.models import Municipality
from tests.cases.factories import english  # noqa: F401 - fixture

from .factories import AreaFactory, MeetingFactory, belgrade

pytestmark = pytest.mark.django_db


@pytest.fixture
def year_world(world):
    from django.utils import timezone

    year = timezone.localdate().year - 1
    Municipality.objects.filter(pk=world.mun_a.pk).update(conference_cadence_months=1)
    Municipality.objects.filter(pk=world.mun_b.pk).update(conference_cadence_months=2)
    a, b = world.users["coordinator"], world.users["other_municipality"]["coordinator"]

    def meeting(municipality, by, month, day=15, kind=MeetingKind.CASE_CONFERENCE, status=MeetingStatus.HELD, **kw):
        start = belgrade(date(year, month, day), 10)
        return MeetingFactory(municipality=municipality, created_by=by, kind=kind, status=status, starts_at=start,
                              ends_at=belgrade(date(year, month, day), 12), **kw)

    meeting(world.mun_a, a, 1, 10)
    meeting(world.mun_a, a, 1, 20)
    meeting(world.mun_a, a, 3)
    meeting(world.mun_a, a, 4, status=MeetingStatus.SCHEDULED)  # never held: does not count
    meeting(world.mun_a, a, 5, status=MeetingStatus.CANCELLED)
    meeting(world.mun_a, a, 6, kind=MeetingKind.SUPERVISION)
    meeting(world.mun_b, b, 2)
    area = AreaFactory(municipality=world.mun_a, municipalities=[world.mun_b])
    meeting(world.mun_a, a, 1, 5, kind=MeetingKind.COORDINATION_GROUP, area=area)
    meeting(world.mun_a, a, 1, 20, kind=MeetingKind.COORDINATION_GROUP, area=area)
    return year, area


def test_figures_for_a_coordinator(year_world, world, settings):
    year, area = year_world
    settings.CONFERENCE_PROGRAMME_TARGET = 78

    targets = targets_for(world.users["coordinator"], year=year)

    [row] = targets.municipalities  # municipality A only
    assert row.municipality_id == world.mun_a.pk and row.cadence_months == 1
    assert [f.held for f in row.months] == [2, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert [f.met for f in row.months[:4]] == [True, False, True, False]
    assert row.held == 3 and row.target_year == 12 and row.due_so_far == 12
    assert (row.supervision_held, row.supervision_target) == (1, 2)
    [area_row] = targets.areas
    assert area_row.area_id == area.pk
    assert [(f.held, f.target, f.met) for f in area_row.months[:2]] == [(2, 2, True), (0, 1, False)]
    assert targets.programme_held == 4 and targets.programme_target == 78


def test_the_programme_figure_is_national_inside_a_users_row_level_security_context(year_world, world):
    from apps.core import tenancy
    from tests.factories import MunicipalityFactory

    year, _area = year_world
    elsewhere = MunicipalityFactory(name="Testgrad C", name_cyrl="Тестград Ц")
    MeetingFactory(municipality=elsewhere, kind=MeetingKind.CASE_CONFERENCE, status=MeetingStatus.HELD,
                   starts_at=belgrade(date(year, 2, 1), 10), ends_at=belgrade(date(year, 2, 1), 12))
    official = world.users["other_municipality"]["official"]
    with tenancy.user_context(official):
        # Row-level security hides municipality C's meetings from the official; the national figure is
        # counted by the tables' owner, so it still holds them.
        assert not Meeting.objects.filter(municipality=elsewhere).exists()
        targets = targets_for(official, year=year)
    assert targets.programme_held == 5


def test_two_month_cadence(year_world, world):
    year, _area = year_world

    [row] = targets_for(world.users["other_municipality"]["official"], year=year).municipalities

    assert row.municipality_id == world.mun_b.pk and row.target_year == 6
    assert [f.target for f in row.months[:4]] == [0, 1, 0, 1]
    assert [f.met for f in row.months[:4]] == [None, True, None, False]


def test_page_for_officials_and_coordinators_only(year_world, world, verified_client):
    year, _area = year_world
    url = reverse("conferences:targets") + f"?year={year}"

    official = verified_client(world.users["official"]).get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert official.status_code == 200
    body = official.content.decode()
    assert "Testgrad A" in body and "Testgrad B" not in body
    assert verified_client(world.users["caseworker"]).get(url).status_code == 404


def test_api_gives_the_same_figures(year_world, world):
    import datetime

    from knox.models import AuthToken
    from rest_framework.test import APIClient

    year, _area = year_world
    _instance, key = AuthToken.objects.create(user=world.users["official"], expiry=datetime.timedelta(days=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    data = client.get(f"/api/v1/conference-targets/?year={year}").json()

    assert data["year"] == year
    assert [m["held"] for m in data["municipalities"]] == [3]
    assert data["programme_target"] == 78


# --- isolation: another municipality's row never appears ----------------------------------------


def api_targets(user, year):
    import datetime

    from knox.models import AuthToken
    from rest_framework.test import APIClient

    _instance, key = AuthToken.objects.create(user=user, expiry=datetime.timedelta(days=1))
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get(f"/api/v1/conference-targets/?year={year}")


@pytest.mark.parametrize("role", ["official", "coordinator"])
def test_area_member_sees_its_own_row_and_the_area_never_the_seat(year_world, world, verified_client, role):
    """Municipality B belongs to the area seated in A: B's official and coordinator see B's row, the
    area's one figure and the national total, never A's row (page and API)."""
    year, area = year_world
    user = world.users["other_municipality"][role]

    page = verified_client(user).get(reverse("conferences:targets") + f"?year={year}", HTTP_ACCEPT_LANGUAGE="en")
    data = api_targets(user, year).json()

    body = page.content.decode()
    assert page.status_code == 200
    assert "Testgrad B" in body and "Testgrad A" not in body and "Тестград А" not in body
    assert area.name in body
    assert [m["municipality_id"] for m in data["municipalities"]] == [world.mun_b.pk]
    assert "Testgrad A" not in str(data)
    assert [a["area_id"] for a in data["areas"]] == [area.pk]
    # The programme total is one national number (A's three and B's one), not a breakdown.
    assert data["programme_held"] == 4 and data["programme_target"] == 78


def test_an_area_outside_ones_municipalities_never_appears(year_world, world):
    year, area = year_world
    from apps.conferences.models import AreaMunicipality

    AreaMunicipality.objects.filter(area=area, municipality=world.mun_b).delete()

    data = api_targets(world.users["other_municipality"]["official"], year).json()

    assert data["areas"] == [] and [m["municipality_id"] for m in data["municipalities"]] == [world.mun_b.pk]


def test_a_grant_left_behind_by_a_deactivated_institution_shows_nothing(year_world, world, verified_client):
    """The role group's grant only counts while the user still works in the municipality."""
    from apps.institutions.models import Institution

    year, _area = year_world
    official = world.users["other_municipality"]["official"]
    Institution.objects.filter(pk=world.csr_b.pk).update(is_active=False)
    official.refresh_access()

    assert verified_client(official).get(reverse("conferences:targets")).status_code == 404
    assert api_targets(official, year).status_code == 404
    assert targets_for(official, year=year).municipalities == []


def test_caseworkers_and_supervisors_get_no_figures(year_world, world):
    year, _area = year_world
    for role in ("caseworker", "supervisor", "institution_admin"):
        assert api_targets(world.users[role], year).status_code == 404, role


def test_platform_admins_see_every_municipality(year_world, world):
    """Platform admins onboard municipalities and set their cadence: they see every row (counts of
    meetings only, no case)."""
    year, _area = year_world
    data = api_targets(world.platform_admin, year).json()
    ids = {m["municipality_id"] for m in data["municipalities"]}
    assert {world.mun_a.pk, world.mun_b.pk} <= ids
