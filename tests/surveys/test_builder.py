"""Editing a draft: questions with their options in three languages, sections, their order (plain forms),
the lock against a stale page, the audit; a published version's edit pages answer 404."""
import csv
import io
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from apps.core.audit import AuditEntry
from apps.core.choices import Role
from apps.surveys.models import Questionnaire
from apps.surveys.services import builder, collections

from .conftest import post_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(world):
    questionnaire = builder.adopt_template(actor=world.users[Role.COORDINATOR], municipality=world.mun_a,
                                           key="client_experience")
    return questionnaire.versions.get()


def keys(version):
    """The question keys in reading order, per section."""
    return [[q.key for q in s.questions.order_by("position")] for s in version.sections.order_by("position")]


def edit_data(question, version, **changes):
    data = {"section": question.section_id, "kind": question.kind, "text_sr_latn": question.text["sr-latn"],
            "text_en": question.text.get("en", ""), "version": version.version,
            "options-TOTAL_FORMS": "0", "options-INITIAL_FORMS": "0"}
    data.update(changes)
    return data


def test_edit_a_question_and_its_options_in_three_languages(login, draft, world):
    client = login(world.users[Role.COORDINATOR])
    waiting = draft.questions.get(key="waiting")
    url = f"/surveys/versions/{draft.pk}/questions/{waiting.pk}/"
    page = client.get(url).content.decode()
    assert "Manje od 15 minuta" in page and "Мање од 15 минута" in page  # the derived Cyrillic, offered as the default
    response = client.post(url, edit_data(waiting, draft, **{
        "text_sr_latn": "Koliko ste čekali?", "text_en": "How long did you wait?",
        "options-TOTAL_FORMS": "3", "options-INITIAL_FORMS": "3",
        "options-0-value": "under15", "options-0-label_sr_latn": "Kratko", "options-0-label_en": "Briefly",
        "options-0-ORDER": "2",
        "options-1-value": "under60", "options-1-label_sr_latn": "Dugo", "options-1-label_sr_cyrl": "Предуго",
        "options-1-label_en": "Long", "options-1-ORDER": "1",
        "options-2-value": "over60", "options-2-label_sr_latn": "Predugo", "options-2-ORDER": "3",
        "options-2-DELETE": "on"}))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.text["sr-latn"] == "Koliko ste čekali?"
    assert [o["value"] for o in waiting.options] == ["under60", "under15"]
    assert waiting.options[0]["label"] == {"sr-latn": "Dugo", "sr-cyrl": "Предуго", "en": "Long"}
    assert waiting.options[1]["label"] == {"sr-latn": "Kratko", "sr-cyrl": "", "en": "Briefly"}
    assert AuditEntry.objects.filter(details__question_changed="waiting").exists()
    # The same page sent again with the lock it was loaded with: refused, nothing changed.
    stale = client.post(url, edit_data(waiting, draft, text_sr_latn="Zastarelo"))
    assert stale.status_code == 200 and "Someone else saved" in stale.content.decode()
    waiting.refresh_from_db()
    assert waiting.text["sr-latn"] == "Koliko ste čekali?"


def test_a_condition_keeps_its_answer(login, draft, world):
    client = login(world.users[Role.COORDINATOR])
    draft.refresh_from_db()
    recommend = draft.questions.get(key="recommend")  # "change" is shown when this is answered "no"
    response = client.post(f"/surveys/versions/{draft.pk}/questions/{recommend.pk}/",
                           edit_data(recommend, draft, kind="likert"))
    assert response.status_code == 200 and "keep that answer or change that condition" in response.content.decode()
    recommend.refresh_from_db()
    assert recommend.kind == "yes_no"


def test_move_questions_and_sections_without_javascript(login, draft, world):
    client = login(world.users[Role.COORDINATOR])
    before = keys(draft)
    assert before[0][:2] == ["reach", "believed"]

    def move(kind, pk, direction):
        draft.refresh_from_db()
        return client.post(f"/surveys/versions/{draft.pk}/{kind}/{pk}/move/",
                           {"direction": direction, "version": draft.version}, follow=True)

    move("questions", draft.questions.get(key="believed").pk, "up")
    assert keys(draft)[0][:2] == ["believed", "reach"]
    # The first question of the second section goes up into the end of the first one.
    move("questions", draft.questions.get(key="first_contact").pk, "up")
    assert keys(draft)[0][-1] == "first_contact" and keys(draft)[1] == ["comment"]
    # A question cannot come before the question it depends on.
    page = move("questions", draft.questions.get(key="change").pk, "up").content.decode()
    page = move("questions", draft.questions.get(key="change").pk, "up").content.decode()
    assert "must come after that question" in page
    assert keys(draft)[0].index("recommend") < keys(draft)[0].index("change")
    second = draft.sections.order_by("position")[1]
    move("sections", second.pk, "up")
    assert keys(draft)[0] == ["comment"]
    # Results and exports follow the position: it is the reading order.
    assert [q.key for q in draft.questions.order_by("position")] == [k for s in keys(draft) for k in s]
    # A stale lock moves nothing.
    response = client.post(f"/surveys/versions/{draft.pk}/sections/{second.pk}/move/",
                           {"direction": "down", "version": 1}, follow=True)
    assert "Someone else saved" in response.content.decode() and keys(draft)[0] == ["comment"]
    assert AuditEntry.objects.filter(details__direction="up").count() >= 3


def test_section_title_in_three_languages_and_empty_section_removed(login, draft, world):
    client = login(world.users[Role.COORDINATOR])
    section = draft.sections.order_by("position")[1]
    response = client.post(f"/surveys/versions/{draft.pk}/sections/{section.pk}/", {
        "title_sr_latn": "Za kraj", "title_sr_cyrl": "", "title_en": "At the end", "version": draft.version})
    assert response.status_code == 302
    section.refresh_from_db()
    assert section.title == {"sr-latn": "Za kraj", "sr-cyrl": "", "en": "At the end"}
    draft.refresh_from_db()
    refused = client.post(f"/surveys/versions/{draft.pk}/sections/{section.pk}/delete/", {"version": draft.version},
                          follow=True)
    assert "Only an empty section can be removed" in refused.content.decode() and draft.sections.count() == 2


def test_published_version_edit_pages_answer_404(login, survey, world):
    client = login(world.users[Role.COORDINATOR])
    version = survey.questionnaire_version
    question, section = version.questions.first(), version.sections.first()
    assert client.get(f"/surveys/versions/{version.pk}/questions/{question.pk}/").status_code == 404
    assert client.post(f"/surveys/versions/{version.pk}/questions/{question.pk}/move/",
                       {"direction": "up", "version": version.version}).status_code == 404
    assert client.get(f"/surveys/versions/{version.pk}/sections/{section.pk}/").status_code == 404
    assert client.post(f"/surveys/versions/{version.pk}/sections/{section.pk}/move/",
                       {"direction": "up", "version": version.version}).status_code == 404
    page = client.get(f"/surveys/questionnaires/{version.questionnaire_id}/").content.decode()
    assert "/move/" not in page and "Make a new version to edit" in page


def test_option_labels_in_the_respondents_language_results_and_exports(login, world):
    client = Client()  # the respondent, without an account
    coordinator = world.users[Role.COORDINATOR]
    questionnaire = builder.create_questionnaire(actor=coordinator, municipality=world.mun_a, kind="other",
                                                 title={"sr-latn": "Probni upitnik"})
    version = questionnaire.versions.get()
    staff = login(coordinator)
    staff.post(f"/surveys/versions/{version.pk}/add_question/", {
        "kind": "single", "text_sr_latn": "Kako ste došli?", "text_en": "How did you come?", "required": "on",
        "new_section": "Dolazak", "options": "Peške\nAutobusom", "options_sr_cyrl": "\nГрадским превозом",
        "options_en": "On foot\nBy bus", "version": version.version})
    question = version.questions.get()
    assert question.options[0]["label"] == {"sr-latn": "Peške", "sr-cyrl": "", "en": "On foot"}
    assert question.options[1]["label"]["sr-cyrl"] == "Градским превозом"
    builder.publish(actor=coordinator, version=version)
    today = timezone.localdate()
    collection = collections.create_collection(actor=coordinator, version=version, title="Probna zbirka",
                                               opens_on=today - timedelta(days=1), closes_on=today + timedelta(days=3))
    token = collection.token
    cyrillic = client.get(f"/surveys/a/{token}/?lang=sr-cyrl").content.decode()
    assert "Пешке" in cyrillic and "Градским превозом" in cyrillic and "Autobusom" not in cyrillic
    english = client.get(f"/surveys/a/{token}/?lang=en").content.decode()
    assert "On foot" in english and "By bus" in english
    for i in range(10):
        assert post_answer(client, collection, {"q_q1": "o1" if i < 5 else "o2"},
                           REMOTE_ADDR=f"10.9.0.{i}").status_code == 302
    staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "sr-cyrl"
    assert "Градским превозом" in staff.get(f"/surveys/collections/{collection.pk}/").content.decode()
    rows = list(csv.reader(io.StringIO(staff.get(f"/surveys/collections/{collection.pk}/results.csv")
                                       .content.decode("utf-8-sig"))))
    assert {"Пешке", "Градским превозом"} <= {cell for row in rows for cell in row}
    staff.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english_rows = staff.get(f"/surveys/collections/{collection.pk}/results.csv").content.decode("utf-8-sig")
    assert "On foot" in english_rows and "By bus" in english_rows


def test_a_coordinator_of_several_municipalities_chooses_one(login, world):
    from apps.accounts.services import membership_create

    coordinator = world.users[Role.COORDINATOR]
    membership_create(user=coordinator, institution=world.csr_b, role=Role.COORDINATOR)
    coordinator.refresh_access()
    client = login(coordinator)
    for url, data in (("/surveys/adopt/", {"template": "client_experience"}),
                      ("/surveys/new/", {"title_sr_latn": "Zajednički upitnik", "kind": "other"})):
        page = client.get(url).content.decode()
        assert 'name="municipality"' in page and "Testgrad B" in page
        refused = client.post(url, data)
        assert refused.status_code == 200 and "Choose the municipality." in refused.content.decode()
        mismatch = client.post(url, {**data, "municipality": world.mun_b.pk, "institution": world.csr_a.pk})
        assert "The institution belongs to another municipality." in mismatch.content.decode()
        assert not Questionnaire.objects.exists()
        assert client.post(url, {**data, "municipality": world.mun_b.pk}).status_code == 302
        assert Questionnaire.objects.get().municipality == world.mun_b
        Questionnaire.objects.get().versions.all().delete()
        Questionnaire.objects.all().delete()
    # One municipality: nothing to choose, no field.
    single = login(world.users["other_municipality"][Role.COORDINATOR])
    assert 'name="municipality"' not in single.get("/surveys/adopt/").content.decode()


def test_option_up_and_down_buttons_save_and_stay_on_the_page(login, draft, world):
    client = login(world.users[Role.COORDINATOR])
    waiting = draft.questions.get(key="waiting")
    url = f"/surveys/versions/{draft.pk}/questions/{waiting.pk}/"
    assert 'name="option_move" value="1:up"' in client.get(url).content.decode()
    rows = {"options-TOTAL_FORMS": "5", "options-INITIAL_FORMS": "4"}
    for i, option in enumerate(waiting.options):
        rows.update({f"options-{i}-value": option["value"], f"options-{i}-label_sr_latn": option["label"]["sr-latn"],
                     f"options-{i}-label_en": option["label"]["en"], f"options-{i}-ORDER": str(i + 1)})
    response = client.post(url, edit_data(waiting, draft, **rows, option_move="2:up"))
    assert response.status_code == 302 and response["Location"] == url  # back on the question, to go on
    waiting.refresh_from_db()
    assert [o["value"] for o in waiting.options] == ["under15", "over60", "under60", "another_day"]
    draft.refresh_from_db()
    response = client.post(url, edit_data(waiting, draft, **rows, option_move="0:up"))  # already first: unchanged
    waiting.refresh_from_db()
    assert [o["value"] for o in waiting.options] == ["under15", "under60", "over60", "another_day"]
