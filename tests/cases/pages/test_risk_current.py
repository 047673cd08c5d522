"""A blank risk checklist is refused (page and API), a lower assessment without a reason does not lower
the case, and the case page shows the current (highest still standing) assessment and its source."""
from __future__ import annotations

from datetime import UTC, timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from apps.cases.choices import RISK_ITEM_CODES, RiskLevel
from apps.cases.models import Case, RiskAssessment
from tests.cases.api.conftest import api_as  # noqa: F401
from tests.cases.factories import assess, open_case
from tests.cases.factories_records import join

from .test_pages_records import render_sections


@pytest.fixture
def case(world, jelena):
    c = open_case(jelena, reported_at=timezone.now() - timedelta(days=2))
    join(c, world.police_a, added_by=jelena)
    return c


def blank_form() -> dict:
    """What the page sends when save is pressed without touching anything: every item "unknown"."""
    return {**{f"item_{code}": "unknown" for code in RISK_ITEM_CODES}, "level": "", "conclusion": ""}


def test_the_page_refuses_a_blank_checklist(login, jelena, case):
    client = login(jelena)
    page = client.get(reverse("cases:risk_add", args=[case.pk]))
    assert page.context["preview"]["empty"]
    assert "Nothing answered yet" in page.content.decode()

    response = client.post(reverse("cases:risk_add", args=[case.pk]), blank_form())
    assert response.status_code == 200
    errors = [str(e) for e in response.context["form"].non_field_errors()]
    assert any("Nothing is answered" in e for e in errors)
    assert "Nothing is answered" in response.content.decode()
    assert not RiskAssessment.objects.filter(case=case).exists()


def test_the_api_refuses_a_blank_checklist(api_as, jelena, case):  # noqa: F811
    client = api_as(jelena)
    response = client.post(
        "/api/v1/risk-assessments/",
        {"case": case.pk, "items": {code: "unknown" for code in RISK_ITEM_CODES}, "immediate_danger": False},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "Nothing is answered" in response.json()["items"][0]
    response = client.post("/api/v1/risk-assessments/", {"case": case.pk, "immediate_danger": False}, format="json")
    assert response.status_code == 400 and "items" in response.json()
    assert not RiskAssessment.objects.filter(case=case).exists()


def test_a_low_result_from_unknowns_keeps_the_polices_immediate_danger(login, jelena, police, world, case):
    assess(police, case, items={}, immediate_danger=True, assessed_at=timezone.now() - timedelta(hours=5))
    case.refresh_from_db()
    proposed_at = case.proposed_for_conference_at
    client = login(jelena)

    page = client.get(reverse("cases:risk_add", args=[case.pk]))
    assert page.context["preview"]["current"].institution == world.police_a

    data = {**blank_form(), "item_victim_fear": "no"}
    preview = client.post(reverse("cases:risk_preview", args=[case.pk]), data)
    assert preview.context["preview"]["below_current"]
    response = client.post(reverse("cases:risk_add", args=[case.pk]), data)
    assert response.status_code == 302
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("the case stays at “Immediate danger” (Policija Testgrad A" in m for m in shown), shown
    case = Case.objects.get(pk=case.pk)
    assert case.risk_level == RiskLevel.IMMEDIATE and case.proposed_for_conference_at == proposed_at

    section = render_sections(jelena, case)
    current = section[section.index('class="risk-current"'):section.index("</p>", section.index('class="risk-current"'))]
    assert "Immediate danger" in current and "Policija Testgrad A" in current
    assert "is lower and gives no reason for lowering" in section
    assert "The case was proposed for the next case conference" in section

    # With a stated reason the lower assessment becomes the current one.
    response = client.post(
        reverse("cases:risk_add", args=[case.pk]), {**data, "lower_reason": "Učinilac u pritvoru"}
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.risk_level == RiskLevel.LOW
    section = render_sections(jelena, case)
    current = section[section.index('class="risk-current"'):section.index("</p>", section.index('class="risk-current"'))]
    assert "Low" in current and "CSR Testgrad A" in current
    assert "Učinilac u pritvoru" in section
    # The proposal for the conference is not withdrawn by a lower assessment.
    assert "The case was proposed for the next case conference" in section


def test_the_api_keeps_the_higher_level_without_a_reason(api_as, jelena, police, case):  # noqa: F811
    assess(police, case, items={}, immediate_danger=True, assessed_at=timezone.now() - timedelta(hours=5))
    client = api_as(jelena)
    body = {"case": case.pk, "items": {"victim_fear": "no"}, "immediate_danger": False}
    response = client.post("/api/v1/risk-assessments/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["level"] == RiskLevel.LOW and response.json()["case_risk_level"] == RiskLevel.IMMEDIATE
    assert Case.objects.get(pk=case.pk).risk_level == RiskLevel.IMMEDIATE
    at = (timezone.now() - timedelta(minutes=1)).astimezone(UTC).isoformat()
    response = client.post(
        "/api/v1/risk-assessments/", {**body, "lower_reason": "Žrtva preseljena", "assessed_at": at}, format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["case_risk_level"] == RiskLevel.LOW and response.json()["lower_reason"] == "Žrtva preseljena"
    assert Case.objects.get(pk=case.pk).risk_level == RiskLevel.LOW
