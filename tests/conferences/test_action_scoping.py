"""The owner institution and responsible person of a new action item are scoped: the owner to the
meeting's municipalities (its coordination area, and the case's), the responsible person to the
active staff of the chosen owner. An id outside that answers exactly like an id that does not exist
(API and page), so nobody learns that another municipality's institution or person exists, and
nothing is saved."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from apps.accounts.models import Membership
from apps.accounts.services import membership_end
from apps.conferences.choices import MeetingKind
from apps.conferences.models import ActionItem, Meeting
from tests.factories import InstitutionFactory, MunicipalityFactory

from .factories import AreaFactory
from .factories_minutes import make_case, on_agenda, past_meeting
from .test_minutes_api import client_for

pytestmark = pytest.mark.django_db

MISSING = 987654321


@pytest.fixture
def item(world):
    meeting = past_meeting(world.mun_a, created_by=world.users["coordinator"], days_ago=0)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    case = make_case(institution=world.csr_a, opened_by=world.users["caseworker"])
    return on_agenda(meeting, case)


def payload(item, **fields):
    """An action item for ``item``'s case due in a week (``owner_institution`` and the rest given)."""
    return {"agenda_item": item.pk, "description": "Kućna poseta porodici",
            "due_on": (timezone.localdate() + timedelta(days=7)).isoformat(), **fields}


def does_not_exist(pk) -> list[str]:
    return [f'Invalid pk "{pk}" - object does not exist.']


def test_another_municipalitys_institution_answers_like_a_missing_one(item, world):
    api = client_for(world.users["coordinator"])

    foreign = api.post("/api/v1/action-items/", payload(item, owner_institution=world.csr_b.pk), format="json")
    missing = api.post("/api/v1/action-items/", payload(item, owner_institution=MISSING), format="json")

    assert foreign.status_code == missing.status_code == 400
    assert foreign.json() == {"owner_institution": does_not_exist(world.csr_b.pk)}
    assert missing.json() == {"owner_institution": does_not_exist(MISSING)}
    assert "municipalit" not in foreign.content.decode()
    assert not ActionItem.objects.exists()


def test_another_municipalitys_person_answers_like_a_missing_one(item, world):
    api = client_for(world.users["coordinator"])
    stranger = world.users["other_municipality"]["caseworker"]

    foreign = api.post("/api/v1/action-items/", payload(item, owner_institution=world.csr_a.pk,
                                                        responsible=stranger.pk), format="json")
    missing = api.post("/api/v1/action-items/", payload(item, owner_institution=world.csr_a.pk,
                                                        responsible=MISSING), format="json")

    assert foreign.status_code == missing.status_code == 400
    assert foreign.json() == {"responsible": does_not_exist(stranger.pk)}
    assert missing.json() == {"responsible": does_not_exist(MISSING)}
    assert not ActionItem.objects.exists()


def test_the_responsible_person_is_active_staff_of_the_owner(item, world):
    api = client_for(world.users["coordinator"])
    police = world.users["police_caseworker"]  # same municipality, another institution
    left = world.users["caseworker"]
    membership_end(membership=Membership.objects.get(user=left, institution=world.csr_a), ended_by=None)

    elsewhere = api.post("/api/v1/action-items/", payload(item, owner_institution=world.csr_a.pk,
                                                          responsible=police.pk), format="json")
    ended = api.post("/api/v1/action-items/", payload(item, owner_institution=world.csr_a.pk,
                                                      responsible=left.pk), format="json")
    ok = api.post("/api/v1/action-items/", payload(item, owner_institution=world.police_a.pk,
                                                   responsible=police.pk), format="json")

    assert elsewhere.json() == {"responsible": does_not_exist(police.pk)}
    assert ended.json() == {"responsible": does_not_exist(left.pk)}
    assert ok.status_code == 201, ok.content
    action = ActionItem.objects.get()
    assert (action.owner_institution_id, action.responsible_id) == (world.police_a.pk, police.pk)


def test_an_area_meeting_may_give_the_action_to_a_member_municipality(world):
    """A coordination-group meeting covers the municipalities of its area: their institutions may own
    actions; an institution of a municipality outside the area still does not exist."""
    coordinator = world.users["coordinator"]
    area = AreaFactory(municipality=world.mun_a, municipalities=[world.mun_b])
    meeting = past_meeting(world.mun_a, created_by=coordinator, days_ago=0, kind=MeetingKind.COORDINATION_GROUP,
                           area=area)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    item = on_agenda(meeting, make_case(institution=world.csr_a, opened_by=world.users["caseworker"]))
    outside = InstitutionFactory(municipality=MunicipalityFactory(name="Testgrad C"), name="CSR Testgrad C")
    api = client_for(coordinator)

    refused = api.post("/api/v1/action-items/", payload(item, owner_institution=outside.pk), format="json")
    created = api.post("/api/v1/action-items/", payload(item, owner_institution=world.csr_b.pk,
                                                        responsible=world.users["other_municipality"]["caseworker"].pk),
                       format="json")

    assert refused.json() == {"owner_institution": does_not_exist(outside.pk)}
    assert created.status_code == 201, created.content
    assert ActionItem.objects.get().owner_institution_id == world.csr_b.pk


def test_an_agenda_item_out_of_reach_is_the_only_error(item, world):
    """The owner's choices depend on the agenda item: when that does not exist for the user, only
    it is named (the owner would otherwise be judged against nothing)."""
    api = client_for(world.users["other_municipality"]["coordinator"])

    response = api.post("/api/v1/action-items/", payload(item, owner_institution=world.csr_b.pk), format="json")

    assert response.status_code == 400
    assert response.json() == {"agenda_item": does_not_exist(item.pk)}
    assert not ActionItem.objects.exists()


def test_missing_owner_is_still_named(item, world):
    api = client_for(world.users["coordinator"])
    response = api.post("/api/v1/action-items/", payload(item, owner_institution=None), format="json")
    assert response.json() == {"owner_institution": ["Choose the institution that owns the action."]}


def test_page_form_answers_the_same_for_foreign_and_missing_ids(item, world, verified_client):
    client = verified_client(world.users["coordinator"])
    url = reverse("conferences:action_add", kwargs={"pk": item.meeting_id, "item_pk": item.pk})
    base = {"description": "Kućna poseta porodici", "due_on": (timezone.localdate() + timedelta(days=7)).isoformat()}
    stranger = world.users["other_municipality"]["caseworker"]

    def errors(**fields):
        response = client.post(url, {**base, **fields}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 200
        return response.context["action_form"].errors

    foreign_owner = errors(owner_institution=world.csr_b.pk)
    missing_owner = errors(owner_institution=MISSING)
    foreign_person = errors(owner_institution=world.csr_a.pk, responsible=stranger.pk)
    missing_person = errors(owner_institution=world.csr_a.pk, responsible=MISSING)

    assert foreign_owner == missing_owner and list(foreign_owner) == ["owner_institution"]
    assert foreign_person == missing_person and list(foreign_person) == ["responsible"]
    assert not ActionItem.objects.exists()
