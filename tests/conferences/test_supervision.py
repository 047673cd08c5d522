"""Supervision feedback: only the meeting's supervisor, structured ratings plus notes, revisable;
supervision meetings count towards the targets once held."""
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from apps.conferences.choices import MeetingKind
from apps.conferences.models import SupervisionFeedback
from apps.conferences.selectors.targets import targets_for
from apps.conferences.services.minutes import meeting_mark_held
from apps.conferences.services.supervision import feedback_save
from tests.cases.factories import english  # noqa: F401 - fixture

from .factories_minutes import past_meeting

pytestmark = pytest.mark.django_db
RATINGS = {"preparation": 4, "risk_focus": 5, "participation": 3, "victim_voice": 2, "decisions": 4}


@pytest.fixture
def supervised(world):
    return past_meeting(world.mun_a, created_by=world.users["coordinator"], supervisor=world.users["supervisor"])


def test_the_supervisor_gives_and_revises_feedback(supervised, world):
    supervisor = world.users["supervisor"]

    first = feedback_save(user=supervisor, meeting=supervised, notes="Dobra priprema.", **RATINGS)
    second = feedback_save(user=supervisor, meeting=supervised, improvements="Više glasa žrtve.",
                           **{**RATINGS, "victim_voice": 3})

    assert first.pk == second.pk and SupervisionFeedback.objects.count() == 1
    assert second.victim_voice == 3 and second.improvements == "Više glasa žrtve."


def test_nobody_else_gives_feedback(supervised, world):
    for user in (world.users["coordinator"], world.users["caseworker"], world.users["other_municipality"]["supervisor"]):
        with pytest.raises(Http404):
            feedback_save(user=user, meeting=supervised, **RATINGS)
    assert not SupervisionFeedback.objects.exists()


def test_ratings_are_checked_and_nothing_half_saved(supervised, world):
    with pytest.raises(ValidationError) as error:
        feedback_save(user=world.users["supervisor"], meeting=supervised, **{**RATINGS, "decisions": 7})
    assert "decisions" in error.value.message_dict
    assert not SupervisionFeedback.objects.exists()


def test_feedback_page(supervised, world, verified_client):
    url = reverse("conferences:feedback", args=[supervised.pk])
    client = verified_client(world.users["supervisor"])

    response = client.post(url, {**RATINGS, "strengths": "Jasne odluke"})

    assert response.status_code == 302
    assert SupervisionFeedback.objects.get().strengths == "Jasne odluke"
    assert verified_client(world.users["coordinator"]).get(url).status_code == 404


def test_a_held_supervision_meeting_counts_towards_the_target(world):
    from django.utils import timezone

    coordinator = world.users["coordinator"]
    meeting = past_meeting(world.mun_a, created_by=coordinator, kind=MeetingKind.SUPERVISION)
    before = targets_for(coordinator).municipalities[0].supervision_held

    meeting_mark_held(user=coordinator, meeting=meeting, now=meeting.starts_at + timedelta(hours=1))

    assert targets_for(coordinator, today=timezone.localdate()).municipalities[0].supervision_held == before + 1
