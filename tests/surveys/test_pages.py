"""The coordinator's pages end to end: adopt, build, publish, distribute, results, trend, wave."""
from datetime import timedelta

import pytest
from django.utils import timezone

from apps.core.choices import Role
from apps.surveys.models import Collection, Question, Questionnaire, Wave
from apps.surveys.services import builder, collections

from .conftest import post_answer

pytestmark = pytest.mark.django_db


def test_adopt_build_publish_distribute(login, world):
    client = login(world.users[Role.COORDINATOR])
    assert client.get("/surveys/").status_code == 200
    response = client.post("/surveys/adopt/", {"template": "client_experience", "institution": world.csr_a.pk})
    questionnaire = Questionnaire.objects.get()
    assert response["Location"] == f"/surveys/questionnaires/{questionnaire.pk}/"
    version = questionnaire.versions.get()
    count = version.questions.count()
    client.post(f"/surveys/versions/{version.pk}/add_question/", {
        "kind": "single", "text_sr_latn": "Kako ste saznali za nas?", "options": "Od prijateljice\nNa internetu",
        "required": "on", "new_section": "Odakle ste čuli (test)"})
    question = version.questions.get(position=count + 1)
    assert question.options[1]["label"]["sr-latn"] == "Na internetu"
    assert question.display_text == "Kako ste saznali za nas?"
    assert str(question.section) == "Odakle ste čuli (test)"
    client.post(f"/surveys/versions/{version.pk}/add_question/", {
        "kind": "short_text", "text_sr_latn": "Na kom sajtu?", "section": question.section_id,
        "show_if": question.pk, "show_if_value": "na internetu"})
    follow_up = version.questions.get(position=count + 2)
    assert follow_up.show_if == question and follow_up.show_if_value == "o2"
    response = client.post(f"/surveys/versions/{version.pk}/add_question/", {
        "kind": "yes_no", "text_sr_latn": "Bez odeljka?"}, follow=True)
    assert "Choose a section or name a new one." in response.content.decode()
    assert version.questions.count() == count + 2
    page = client.get(f"/surveys/questionnaires/{questionnaire.pk}/").content.decode()
    assert "Kako ste saznali za nas?" in page
    client.post(f"/surveys/versions/{version.pk}/publish/")
    version.refresh_from_db()
    assert version.is_published
    today = timezone.localdate()
    response = client.post(f"/surveys/versions/{version.pk}/distribute/", {
        "title": "Info pult (test)", "institution": world.csr_a.pk, "opens_on": today.isoformat(),
        "closes_on": (today + timedelta(days=5)).isoformat()})
    collection = Collection.objects.get()
    assert response["Location"] == f"/surveys/collections/{collection.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert collection.token in page and "at least 10 answers" in page


def test_trend_and_results_pages(client, login, survey, world):
    for i in range(10):
        post_answer(client, survey, REMOTE_ADDR=f"10.1.0.{i}")
    coordinator = login(world.users[Role.COORDINATOR])
    page = coordinator.get(f"/surveys/questionnaires/{survey.questionnaire_version.questionnaire_id}/").content.decode()
    assert "Trend across collections" in page
    page = coordinator.get(f"/surveys/collections/{survey.pk}/").content.decode()
    assert "10 answers" in page
    official = login(world.users[Role.OFFICIAL])
    assert official.get(f"/surveys/collections/{survey.pk}/").status_code == 200
    assert official.post(f"/surveys/collections/{survey.pk}/close/").status_code == 404


def test_wave_comparison_page(client, login, world):
    coordinator = world.users[Role.COORDINATOR]
    questionnaire = builder.adopt_template(actor=coordinator, municipality=world.mun_a, key="professional_kap")
    version = questionnaire.versions.get()
    builder.publish(actor=coordinator, version=version)
    today = timezone.localdate()
    wave = collections.create_wave(actor=coordinator, version=version, title="Obuka (test)", pre_opens_on=today,
                                   pre_closes_on=today, post_opens_on=today, post_closes_on=today)
    assert Wave.objects.get().event_ref is None
    base = {"q_prep_ask": "2", "q_prep_risk": "2", "q_prep_refer": "2", "q_know_emergency": "24h",
            "q_know_group": "7d", "q_know_duty": "victim", "q_att_private": "3", "q_att_stays": "3", "q_att_role": "3"}
    after = {**base, "q_prep_ask": "4", "q_prep_risk": "4", "q_prep_refer": "4", "q_know_emergency": "48h"}
    pre, post = wave.collections.get(phase="pre"), wave.collections.get(phase="post")
    for i in range(10):
        assert post_answer(client, pre, base, code=f"kod{i}", REMOTE_ADDR=f"10.2.0.{i}").status_code == 302
        assert post_answer(client, post, after, code=f"kod{i}", REMOTE_ADDR=f"10.3.0.{i}").status_code == 302
    from apps.surveys.prepost import compare

    rows = {r.scale: r for r in compare(wave)}
    assert rows["preparedness"].change == 2.0 and rows["preparedness"].paired_n == 10
    assert rows["preparedness"].paired_change == 2.0
    assert rows["knowledge"].paired_change == pytest.approx(33.33, abs=0.01)
    page = login(coordinator).get(f"/surveys/waves/{wave.pk}/").content.decode()
    assert "Preparedness" in page, page
    assert "(n = 10)" in page
    assert Question.objects.filter(questionnaire_version=version, scale="attitudes").count() == 3


def test_home_panel_lists_open_collections(login, survey, world):
    page = login(world.users[Role.COORDINATOR]).get("/").content.decode()
    assert "Open questionnaires" in page and survey.title in page
    assert survey.title not in login(world.users[Role.CASEWORKER]).get("/").content.decode()


def test_new_empty_questionnaire(login, world):
    client = login(world.users[Role.INSTITUTION_ADMIN])
    response = client.post("/surveys/new/", {"title_sr_latn": "Upitnik o radionici (test)", "kind": "other",
                                             "institution": world.csr_a.pk})
    questionnaire = Questionnaire.objects.get()
    assert response["Location"] == f"/surveys/questionnaires/{questionnaire.pk}/"
    assert questionnaire.display_title == "Upitnik o radionici (test)" and questionnaire.versions.get().number == 1
    response = client.post("/surveys/new/", {"title_sr_latn": "Bez ustanove", "kind": "other"})
    assert response.status_code == 200 and Questionnaire.objects.count() == 1
