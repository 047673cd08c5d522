"""The onboarding wizard and the settings page, through the browser's eyes (Django test client)."""

import pytest
from django.core import mail

from apps.accounts.models import Invitation
from apps.core.choices import AuditAction, Role
from apps.core.models import AuditEntry
from apps.institutions.models import Institution
from apps.municipalities.models import Municipality
from tests.accounts.conftest import invite_path
from tests.outbox import run_after_commit

URL = "/municipalities/onboard/"
STEP = "onboarding_wizard_view-current_step"

MUNICIPALITY = {
    "municipality-name": "Niš",
    "municipality-name_cyrl": "Ниш",
    "municipality-code": "NIS",
    "municipality-slug": "",
    "municipality-kind": "city",
    "municipality-district": "Nišavski okrug",
    "municipality-population": "249501",
    "municipality-size_class": "large",
    "municipality-conference_cadence_months": "",
}


def formset_post(formset, prefix: str, step: str, changes: dict[int, dict] | None = None) -> dict:
    """POST data for a formset as rendered (its initial values), with some rows changed."""
    data = {STEP: step}
    mgmt = formset.management_form
    for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
        data[f"{prefix}-{name}"] = str(mgmt.initial.get(name, mgmt[name].value() or 0))
    for index, form in enumerate(formset.forms):
        values = {name: form.initial.get(name, "") for name in form.fields}
        values.update((changes or {}).get(index, {}))
        for name, value in values.items():
            if name == "include":
                if value:
                    data[f"{prefix}-{index}-include"] = "on"
            elif value not in (None, ""):
                data[f"{prefix}-{index}-{name}"] = value
    return data


@pytest.fixture
def admin_client(world, login):
    return login(world.platform_admin)


def walk_to_admins(client):
    """Steps 1 and 2 (Ana's choices: untick the local self-government, add an e-mail to the CSR)."""
    response = client.post(URL, {STEP: "municipality", **MUNICIPALITY})
    assert response.status_code == 200
    formset = response.context["form"]
    names = [f.initial.get("name") for f in formset.forms]
    assert names[:4] == ["Centar za socijalni rad Niš", "Policijska stanica Niš", "Dom zdravlja Niš",
                         "Osnovno javno tužilaštvo u Nišu"]
    local = names.index("Gradska uprava grada Niša")
    changes = {
        0: {"name": "Centar za socijalni rad Niš (demo)", "email": "csr.nis@demo.kzn.example"},
        1: {"name": "Policijska stanica Niš (demo)"},
        3: {"name": "Osnovno javno tužilaštvo u Nišu (demo)"},
        local: {"include": False},
    }
    response = client.post(URL, formset_post(formset, "institutions", "institutions", changes))
    assert response.status_code == 200
    assert response.context["wizard"]["steps"].current == "admins", response.context.get("row_errors")
    return response


def test_wizard_end_to_end(admin_client, world, django_capture_on_commit_callbacks):
    response = admin_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="steps"' in html and 'aria-current="step"' in html

    response = walk_to_admins(admin_client)
    formset = response.context["form"]
    choices = dict(formset.forms[0].fields["institution"].choices)
    csr_key = next(k for k, v in choices.items() if v == "Centar za socijalni rad Niš (demo)")
    police_key = next(k for k, v in choices.items() if v == "Policijska stanica Niš (demo)")
    assert "Gradska uprava grada Niša" not in choices.values()
    data = formset_post(formset, "admins", "admins", {
        0: {"email": "Ana.Admin.Nis@demo.kzn.example", "first_name": "Ana", "last_name": "Primer", "institution": csr_key},
        1: {"email": "petar.admin.nis@demo.kzn.example", "first_name": "Petar", "last_name": "Primer",
            "institution": police_key},
    })
    response = admin_client.post(URL, data)
    assert response.context["wizard"]["steps"].current == "review"
    html = response.content.decode()
    assert "The municipality will be created." in html
    assert "7 institutions will be created." in html and "2 invitations will be e-mailed." in html
    assert not Municipality.objects.filter(code="NIS").exists()  # the preview saved nothing

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client.post(URL, {STEP: "review"})
    assert response.status_code == 302 and response.url == "/municipalities/onboard/done/"

    municipality = Municipality.objects.get(code="NIS")
    assert (municipality.slug, municipality.name_cyrl, municipality.conference_cadence_months) == ("nis", "Ниш", 1)
    assert Institution.objects.filter(municipality=municipality).count() == 7
    invitations = Invitation.objects.filter(municipality=municipality, role=Role.INSTITUTION_ADMIN)
    assert sorted(invitations.values_list("email", flat=True)) == [
        "ana.admin.nis@demo.kzn.example", "petar.admin.nis@demo.kzn.example"]
    assert AuditEntry.objects.filter(action=AuditAction.ONBOARDING, actor=world.platform_admin).count() == 1

    # The e-mails are queued on commit, not sent inside the request.
    assert len(callbacks) == 2 and mail.outbox == []
    run_after_commit(callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == ["ana.admin.nis@demo.kzn.example", "petar.admin.nis@demo.kzn.example"]
    for message in mail.outbox:
        token = invite_path(message.body).rstrip("/").rsplit("/", 1)[-1]
        assert Invitation.find_by_token(token).email == message.to[0]

    page = admin_client.get(response.url).content.decode()
    assert "Niš is onboarded" in page
    assert "ana.admin.nis@demo.kzn.example" in page and "Centar za socijalni rad Niš (demo)" in page
    assert "one-time link" in page


def test_the_same_wizard_again_sends_nothing_new(admin_client, django_capture_on_commit_callbacks):
    def once():
        admin_client.get(URL)
        response = walk_to_admins(admin_client)
        formset = response.context["form"]
        key = next(iter(dict(formset.forms[0].fields["institution"].choices).keys() - {""}))
        admin_client.post(URL, formset_post(formset, "admins", "admins", {
            0: {"email": "ana.admin.nis@demo.kzn.example", "institution": key}}))
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            admin_client.post(URL, {STEP: "review"})
        return callbacks

    assert len(once()) == 1
    assert once() == []
    assert Municipality.objects.filter(code="NIS").count() == 1
    assert Invitation.objects.count() == 1


def test_step_errors_name_the_row_and_field(admin_client, world):
    response = admin_client.post(URL, {STEP: "municipality", **MUNICIPALITY, "municipality-code": "nis"})
    assert response.context["wizard"]["steps"].current == "municipality"
    assert "Use 2 to 8 capital Latin letters" in response.content.decode()

    response = admin_client.post(URL, {STEP: "municipality", **MUNICIPALITY, "municipality-code": world.mun_a.code})
    assert "already used by another municipality" in response.content.decode()

    response = admin_client.post(URL, {STEP: "municipality", **MUNICIPALITY})
    formset = response.context["form"]
    response = admin_client.post(URL, formset_post(formset, "institutions", "institutions", {
        2: {"name": ""},
        4: {"name": "Policijska stanica Niš"},
        9: {"include": True, "type": "", "name": "Sigurna kuća Niš"},
    }))
    assert response.context["wizard"]["steps"].current == "institutions"
    errors = response.context["row_errors"]
    assert "Row 3, Name (Latin script): Enter the name." in errors
    assert "Row 10, Type: Choose the type." in errors
    html = response.content.decode()
    assert "Row 3, Name (Latin script): Enter the name." in html

    formset = response.context["form"]
    response = admin_client.post(URL, formset_post(formset, "institutions", "institutions", {
        2: {"name": "Dom zdravlja Niš"}, 4: {"name": "Policijska stanica Niš"},
    }))
    assert "Row 5, Name (Latin script): The same name is in row 2." in response.context["row_errors"]

    response = admin_client.post(URL, formset_post(response.context["form"], "institutions", "institutions", {
        2: {"name": "Dom zdravlja Niš"},
    }))
    formset = response.context["form"]
    key = next(iter(dict(formset.forms[0].fields["institution"].choices).keys() - {""}))
    response = admin_client.post(URL, formset_post(formset, "admins", "admins", {
        0: {"email": "ana.admin.nis@demo.kzn.example", "institution": key},
        1: {"email": "ana.admin.nis@demo.kzn.example", "institution": key},
        2: {"email": "not-an-address", "institution": key},
    }))
    errors = response.context["row_errors"]
    assert "Row 2, E-mail: The same person and institution are in row 1." in errors
    assert any(e.startswith("Row 3, E-mail:") for e in errors)
    assert not Municipality.objects.filter(code="NIS").exists()


def test_code_taken_before_confirming_sends_the_admin_back_to_step_one(admin_client, django_capture_on_commit_callbacks):
    from tests.factories import MunicipalityFactory

    admin_client.get(URL)
    response = walk_to_admins(admin_client)
    formset = response.context["form"]
    key = next(iter(dict(formset.forms[0].fields["institution"].choices).keys() - {""}))
    admin_client.post(URL, formset_post(formset, "admins", "admins", {
        0: {"email": "ana.admin.nis@demo.kzn.example", "institution": key}}))
    MunicipalityFactory(code="NIS", slug="nisava-test", name="Nišava (test)")  # someone else, meanwhile
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client.post(URL, {STEP: "review"})
    assert response.status_code == 200
    assert response.context["wizard"]["steps"].current == "municipality"
    assert "already used by another municipality" in response.content.decode()
    assert callbacks == [] and not Institution.objects.filter(name__contains="Niš").exists()


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.COORDINATOR, Role.INSTITUTION_ADMIN, Role.OFFICIAL])
def test_other_roles_get_404(world, login, role):
    client = login(world.users[role])
    slug = world.mun_a.slug
    assert client.get(URL).status_code == 404
    assert client.post(URL, {STEP: "municipality", **MUNICIPALITY}).status_code == 404
    assert client.get("/municipalities/onboard/done/").status_code == 404
    assert client.get(f"/municipalities/{slug}/edit/").status_code == 404
    assert client.post(f"/municipalities/{slug}/edit/", {"name": "X"}).status_code == 404
    assert not Municipality.objects.filter(code="NIS").exists()
    world.mun_a.refresh_from_db()
    assert world.mun_a.name == "Testgrad A"


@pytest.mark.django_db  # every request opens its transaction (row-level security context)
def test_anonymous_is_sent_to_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_platform_admin_edits_settings(admin_client, world):
    url = f"/municipalities/{world.mun_a.slug}/edit/"
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {
        "name": "Testgrad A", "name_cyrl": "Тестград А", "kind": "city", "district": "Testni okrug",
        "population": "61000", "size_class": "large", "conference_cadence_months": "", "is_active": "on",
    })
    assert response.status_code == 302 and response.url == f"/municipalities/{world.mun_a.slug}/"
    world.mun_a.refresh_from_db()
    assert (world.mun_a.population, world.mun_a.kind, world.mun_a.conference_cadence_months) == (61000, "city", 1)
    entry = AuditEntry.objects.filter(action=AuditAction.UPDATE, object_id=str(world.mun_a.pk)).latest("at")
    assert set(entry.details["fields"]) == {"population", "kind", "size_class", "conference_cadence_months"}


def test_settings_errors_name_the_field(admin_client, world):
    url = f"/municipalities/{world.mun_a.slug}/edit/"
    response = admin_client.post(url, {
        "name": "", "name_cyrl": "Тестград А", "kind": "city", "size_class": "small",
        "conference_cadence_months": "13", "is_active": "on",
    })
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "conference_cadence_months"}
    world.mun_a.refresh_from_db()
    assert world.mun_a.name == "Testgrad A"


def test_home_and_list_offer_onboarding_to_platform_admins(admin_client):
    assert 'href="/municipalities/onboard/"' in admin_client.get("/").content.decode()
    assert 'href="/municipalities/onboard/"' in admin_client.get("/municipalities/").content.decode()
