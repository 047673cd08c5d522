"""National templates kept by platform admins: list, a new version by copy, editing the draft, publishing;
municipalities adopt the newest published version; nobody else reaches these pages."""
import pytest

from apps.core.audit import AuditEntry
from apps.core.choices import Role
from apps.surveys.models import NationalTemplate, Questionnaire
from apps.surveys.services import national

pytestmark = pytest.mark.django_db


def test_new_version_edit_reorder_publish_then_adopted(login, world):
    admin = login(world.platform_admin)
    assert admin.get("/surveys/", follow=False)["Location"] == "/surveys/national/"
    page = admin.get("/surveys/national/").content.decode()
    assert "Your experience with the service" in page and "Knowledge and attitudes" in page
    v1 = NationalTemplate.objects.get(key="client_experience", number=1)
    response = admin.post(f"/surveys/national/{v1.pk}/new_version/")
    v2 = NationalTemplate.objects.get(key="client_experience", number=2)
    assert response["Location"] == f"/surveys/national/{v2.pk}/" and v2.is_draft
    # The published version is frozen: its edit pages answer 404.
    assert admin.get(f"/surveys/national/{v1.pk}/questions/reach/").status_code == 404
    assert admin.post(f"/surveys/national/{v1.pk}/question_move/",
                      {"key": "believed", "direction": "up", "version": v1.version}).status_code == 404
    # Change a question with its options in three languages.
    page = admin.get(f"/surveys/national/{v2.pk}/questions/waiting/").content.decode()
    assert "Less than 15 minutes" in page
    response = admin.post(f"/surveys/national/{v2.pk}/questions/waiting/", {
        "section": "0", "kind": "single", "text_sr_latn": "Koliko ste čekali na prijem?", "text_en": "How long did you wait?",
        "version": v2.version, "options-TOTAL_FORMS": "2", "options-INITIAL_FORMS": "2",
        "options-0-value": "short", "options-0-label_sr_latn": "Kratko", "options-0-label_en": "Not long",
        "options-0-ORDER": "1",
        "options-1-value": "long", "options-1-label_sr_latn": "Dugo", "options-1-label_sr_cyrl": "Веома дуго",
        "options-1-label_en": "Long", "options-1-ORDER": "2"})
    assert response.status_code == 302, response.content.decode()
    v2.refresh_from_db()
    waiting = next(q for q in v2.questions() if q["key"] == "waiting")
    assert waiting["options"][1]["label"] == {"sr-latn": "Dugo", "sr-cyrl": "Веома дуго", "en": "Long"}
    admin.post(f"/surveys/national/{v2.pk}/question_move/", {"key": "believed", "direction": "up", "version": v2.version})
    v2.refresh_from_db()
    assert [q["key"] for q in v2.questions()][:2] == ["believed", "reach"]
    # A stale page changes nothing.
    stale = admin.post(f"/surveys/national/{v2.pk}/question_move/", {"key": "believed", "direction": "down",
                                                                     "version": v2.version - 1}, follow=True)
    assert "Someone else saved" in stale.content.decode()
    v2.refresh_from_db()
    assert [q["key"] for q in v2.questions()][:2] == ["believed", "reach"]
    # Until it is published municipalities adopt version 1.
    coordinator = world.users[Role.COORDINATOR]
    first = national.published_content("client_experience")
    assert first["number"] == 1
    admin.post(f"/surveys/national/{v2.pk}/publish/", {"version": v2.version})
    v2.refresh_from_db()
    assert not v2.is_draft and v2.published_on is not None
    assert admin.get(f"/surveys/national/{v2.pk}/questions/waiting/").status_code == 404
    assert AuditEntry.objects.filter(object_type__icontains="nationaltemplate").count() >= 4
    client = login(coordinator)
    assert "version 2" in client.get("/surveys/adopt/").content.decode()
    client.post("/surveys/adopt/", {"template": "client_experience", "institution": world.csr_a.pk})
    version = Questionnaire.objects.get().versions.get()
    question = version.questions.get(key="waiting")
    assert question.text["sr-latn"] == "Koliko ste čekali na prijem?" and question.option_values() == ["short", "long"]
    assert [q.key for q in version.questions.order_by("position")][:2] == ["believed", "reach"]


def test_draft_rules_hold_in_the_document(login, world):
    admin = login(world.platform_admin)
    national.seed()
    v1 = NationalTemplate.objects.get(key="client_experience", number=1)
    v2 = national.new_version(actor=world.platform_admin, template=v1)
    assert admin.post(f"/surveys/national/{v1.pk}/new_version/", follow=True).content.decode().count(
        "already has a draft version") == 1
    # "change" is shown after "recommend" is answered no: it cannot move above it.
    for _ in range(2):
        v2.refresh_from_db()
        page = admin.post(f"/surveys/national/{v2.pk}/question_move/",
                          {"key": "change", "direction": "up", "version": v2.version}, follow=True).content.decode()
    assert "must come after that question" in page
    keys = [q["key"] for q in NationalTemplate.objects.get(pk=v2.pk).questions()]
    assert keys.index("recommend") < keys.index("change")
    # A new question in a new section, then a section moved up.
    v2.refresh_from_db()
    admin.post(f"/surveys/national/{v2.pk}/add_question/", {
        "kind": "yes_no", "text_sr_latn": "Da li ste dobili broj SOS linije?", "new_section": "Informacije",
        "version": v2.version})
    v2.refresh_from_db()
    assert v2.content["sections"][-1]["questions"][0]["text"]["sr-latn"] == "Da li ste dobili broj SOS linije?"
    admin.post(f"/surveys/national/{v2.pk}/section_move/", {"number": len(v2.content["sections"]), "direction": "up",
                                                            "version": v2.version})
    v2.refresh_from_db()
    assert v2.content["sections"][-2]["title"]["sr-latn"] == "Informacije"
    admin.post(f"/surveys/national/{v2.pk}/sections/1/", {"title_sr_latn": "Poseta", "title_en": "The visit",
                                                         "version": v2.version})
    v2.refresh_from_db()
    assert v2.content["sections"][0]["title"] == {"sr-latn": "Poseta", "sr-cyrl": "", "en": "The visit"}
    admin.post(f"/surveys/national/{v2.pk}/texts/", {
        "title_sr_latn": "Vaše iskustvo (nova verzija)", "title_en": "Your experience (new version)",
        "intro_sr_latn": "Upitnik je anoniman.", "intro_sr_cyrl": "Упитник је анониман!", "version": v2.version})
    v2.refresh_from_db()
    assert v2.content["title"] == {"sr-latn": "Vaše iskustvo (nova verzija)", "sr-cyrl": "",
                                   "en": "Your experience (new version)"}
    assert v2.content["intro"]["sr-cyrl"] == "Упитник је анониман!"


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.INSTITUTION_ADMIN, Role.OFFICIAL, Role.CASEWORKER])
def test_only_platform_admins_keep_the_templates(login, world, role):
    national.seed()
    v1 = NationalTemplate.objects.get(key="client_experience", number=1)
    client = login(world.users[role])
    assert client.get("/surveys/national/").status_code == 404
    assert client.get(f"/surveys/national/{v1.pk}/").status_code == 404
    assert client.post(f"/surveys/national/{v1.pk}/new_version/").status_code == 404
    assert NationalTemplate.objects.count() == 2
