"""The home page per role: a caseworker lands on her work queue, a coordinator on the next meeting
and her queue, an official on her figures, an institution admin on her staff, a platform admin on
the municipalities and onboarding; several memberships show each panel, the acting role's first."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.services import membership_create
from apps.core.choices import Role
from tests.cases.factories_measures import emergency, make_case
from tests.conferences.factories import AgendaItemFactory, MeetingFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english_interface")]

HOME = reverse("core:home")


def home_of(verified_client, user) -> str:
    response = verified_client(user).get(HOME)
    assert response.status_code == 200
    return response.content.decode()


def order_of(html: str, *markers: str) -> list[int]:
    return [html.index(m) for m in markers]


@pytest.fixture
def expiring(world):
    """A case of the CSR of A whose emergency measure still lacks the prosecutor's proposal."""
    worker = world.users[Role.CASEWORKER]
    case = make_case(institution=world.csr_a, opened_by=worker)
    emergency(case, ordered_by=world.police_a, recorded_by=worker, delivered_at=timezone.now() - timedelta(hours=5))
    return case


def test_caseworker_lands_on_her_work_queue(world, verified_client, expiring):
    html = home_of(verified_client, world.users[Role.CASEWORKER])
    assert 'id="home-queue-title"' in html
    assert expiring.number in html
    assert "extension proposal is not recorded yet." in html
    assert reverse("cases:work_queue") in html
    # Coordinators' and officials' panels are not hers.
    assert 'id="home-meeting-title"' not in html and 'id="home-figures-title"' not in html


def test_the_work_queue_page_still_shows_the_same_queue(world, verified_client, expiring):
    response = verified_client(world.users[Role.CASEWORKER]).get(reverse("cases:work_queue"))
    assert response.status_code == 200
    html = response.content.decode()
    assert expiring.number in html and 'id="wq-measures"' in html


def test_caseworker_of_another_municipality_does_not_see_the_case(world, verified_client, expiring):
    html = home_of(verified_client, world.users["other_municipality"][Role.CASEWORKER])
    assert expiring.number not in html
    assert "Nothing is waiting for you" in html


def test_coordinator_sees_the_next_meeting_then_her_queue(world, verified_client, expiring):
    coordinator = world.users[Role.COORDINATOR]
    soon = MeetingFactory(municipality=world.mun_a, created_by=coordinator, place="Sala 3, Testna ulica 1",
                          starts_at=timezone.now() + timedelta(days=2), ends_at=timezone.now() + timedelta(days=2, hours=2))
    MeetingFactory(municipality=world.mun_a, created_by=coordinator, place="Kasnija sala (test)",
                   starts_at=timezone.now() + timedelta(days=9), ends_at=timezone.now() + timedelta(days=9, hours=2))
    other = MeetingFactory(municipality=world.mun_b, created_by=world.users["other_municipality"][Role.COORDINATOR],
                           place="Sala opštine B (test)", starts_at=timezone.now() + timedelta(days=1),
                           ends_at=timezone.now() + timedelta(days=1, hours=2))
    second = make_case(institution=world.csr_a, opened_by=world.users[Role.CASEWORKER])
    AgendaItemFactory(meeting=soon, case=expiring)
    AgendaItemFactory(meeting=soon, case=second)

    html = home_of(verified_client, coordinator)
    assert "Sala 3, Testna ulica 1" in html
    assert "Kasnija sala" not in html and "Sala opštine B" not in html
    assert reverse("conferences:meeting_detail", args=[soon.pk]) in html
    assert reverse("conferences:meeting_detail", args=[other.pk]) not in html
    assert "<dt>Cases on the agenda</dt><dd>2</dd>" in html
    assert 'id="home-queue-title"' in html and expiring.number in html
    meeting_at, queue_at = order_of(html, 'id="home-meeting-title"', 'id="home-queue-title"')
    assert meeting_at < queue_at


def test_coordinator_without_a_meeting_is_offered_to_schedule_one(world, verified_client):
    html = home_of(verified_client, world.users[Role.COORDINATOR])
    assert "No meeting is scheduled." in html
    assert reverse("conferences:meeting_create") in html


def test_official_sees_her_figures_and_no_case(world, verified_client, expiring):
    html = home_of(verified_client, world.users[Role.OFFICIAL])
    assert 'id="home-figures-title"' in html
    assert world.mun_a.name in html and world.mun_b.name not in html
    assert reverse("conferences:targets") in html
    assert expiring.number not in html
    assert 'id="home-queue-title"' not in html and 'id="home-meeting-title"' not in html


def test_institution_admin_sees_her_staff(world, verified_client, expiring):
    html = home_of(verified_client, world.users[Role.INSTITUTION_ADMIN])
    assert 'id="home-staff-title"' in html
    assert reverse("accounts:staff") in html and reverse("accounts:staff_invite_csv") in html
    assert expiring.number not in html and 'id="home-queue-title"' not in html


def test_platform_admin_sees_municipalities_and_onboarding_never_a_case(world, verified_client, expiring):
    html = home_of(verified_client, world.platform_admin)
    assert 'id="home-platform-title"' in html
    assert reverse("municipalities:onboard") in html and reverse("municipalities:list") in html
    assert expiring.number not in html and 'id="home-queue-title"' not in html


def test_several_memberships_show_each_panel_the_acting_role_first(world, verified_client, expiring):
    user = world.users[Role.CASEWORKER]
    official = membership_create(user=user, institution=world.csr_a, role=Role.OFFICIAL)
    user.refresh_access()
    client = verified_client(user)

    html = client.get(HOME).content.decode()
    queue_at, figures_at = order_of(html, 'id="home-queue-title"', 'id="home-figures-title"')
    assert queue_at < figures_at, "acting as caseworker (her first membership): the queue first"

    client.post(reverse("accounts:switch_membership"), {"membership": official.pk})
    html = client.get(HOME).content.decode()
    queue_at, figures_at = order_of(html, 'id="home-queue-title"', 'id="home-figures-title"')
    assert figures_at < queue_at, "acting as official: the figures first"


def test_user_without_a_role_is_told_so(verified_client):
    from tests.factories import UserFactory

    html = home_of(verified_client, UserFactory())
    assert "You have no active role yet." in html
