"""The demo events: per municipality a held training with attendance and certificates, a planned
round table, an expert meeting, materials at three info desks; the Belgrade inter-municipal meeting."""
from __future__ import annotations

import pytest

from apps.cases import demo as cases_demo
from apps.conferences import demo as conferences_demo
from apps.events import demo
from apps.events.choices import EventKind, EventStatus
from apps.events.models import Certificate, Distribution, Event, EventMunicipality
from tests.cases.test_demo import _demo_context

SLUGS = ("zvezdara", "vozdovac", "palilula")


@pytest.mark.django_db
def test_demo_events(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    context = _demo_context(SLUGS)
    cases_demo.seed(context)
    conferences_demo.seed(context)
    demo.seed(context)
    demo.seed(context)  # idempotent
    for slug in SLUGS:
        municipality = context["municipalities"][slug]
        events = Event.objects.filter(municipality=municipality)
        training = events.get(kind=EventKind.TRAINING)
        assert training.status == EventStatus.HELD
        attended = training.participants.filter(attended=True).count()
        assert attended >= 5 and Certificate.objects.filter(event=training).count() == attended
        assert events.get(kind=EventKind.ROUND_TABLE).status == EventStatus.PLANNED
        assert events.filter(kind=EventKind.EXPERT_MEETING).count() == 1
        desks = set(Distribution.objects.filter(municipality=municipality).exclude(info_desk="")
                    .values_list("info_desk", flat=True))
        assert len(desks) == 3
    inter = Event.objects.get(kind=EventKind.INTER_MUNICIPAL)
    taking_part = set(EventMunicipality.objects.filter(event=inter).values_list("member_id", flat=True))
    assert taking_part == {context["municipalities"][s].pk for s in SLUGS}
    assert Event.objects.filter(kind=EventKind.INTER_MUNICIPAL).count() == 1
