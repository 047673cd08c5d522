"""Onboarding proposes the size from the population (wizard, files and service alike), names the
standard institutions grammatically in both scripts, and keeps the wizard's draft."""
import pytest

from apps.institutions.models import Institution
from apps.municipalities.choices import SizeClass, size_class_for_population
from apps.municipalities.grammar import propose_forms
from apps.municipalities.models import Municipality
from apps.municipalities.onboarding import onboard_municipality, standard_institutions
from apps.municipalities.onboarding_files import parse_csv, parse_yaml
from apps.municipalities.services import municipality_create

from .test_views import MUNICIPALITY, STEP, URL, admin_client, formset_post  # noqa: F401 - fixtures

pytestmark = pytest.mark.django_db

YAML_NIS = """\
municipality:
  name: Niš
  name_cyrl: Ниш
  code: NIS
  slug: nis
  kind: city
  population: 260.237
institutions:
  - key: csr
    type: csr
    name: Centar za socijalni rad Niš (demo)
    name_cyrl: Центар за социјални рад Ниш (демо)
admins:
  - email: ana.admin.nis@demo.kzn.example
    institution: csr
"""


@pytest.mark.parametrize(("population", "size"), [
    (260_237, SizeClass.LARGE), (100_000, SizeClass.LARGE), (99_999, SizeClass.SMALL), (27_000, SizeClass.SMALL),
    (None, None),
])
def test_the_size_follows_the_population(population, size):
    assert size_class_for_population(population) == size


def test_a_file_without_a_size_takes_it_from_the_population(world):
    parsed = parse_yaml(YAML_NIS)
    assert parsed.ok, [str(e) for e in parsed.errors]

    result = onboard_municipality(spec=parsed.spec, onboarded_by=world.platform_admin)

    nis = result.municipality
    assert (nis.size_class, nis.conference_cadence_months) == (SizeClass.LARGE, 1)
    assert (nis.name_locative, nis.name_locative_cyrl, nis.name_genitive, nis.name_genitive_cyrl) == (
        "Nišu", "Нишу", "Niša", "Ниша")
    assert Institution.objects.get(municipality=nis).name_cyrl == "Центар за социјални рад Ниш (демо)"


def test_a_file_size_against_the_population_is_kept_with_a_warning():
    parsed = parse_yaml(YAML_NIS.replace("  population: 260.237\n", "  population: 260.237\n  size_class: small\n"))

    assert parsed.ok and parsed.spec.municipality.size_class == SizeClass.SMALL
    assert len(parsed.warnings) == 1 and parsed.warnings[0].field == "size_class"
    assert "larger" in str(parsed.warnings[0]).lower()


def test_a_file_with_neither_size_nor_population_names_the_field():
    parsed = parse_yaml(YAML_NIS.replace("  population: 260.237\n", ""))

    assert not parsed.ok
    assert [e.field for e in parsed.errors] == ["size_class"]


def test_an_old_csv_layout_still_reads_and_the_case_columns_are_optional():
    header = ("record,name,name_cyrl,code,slug,kind,district,population,conference_cadence_months,"
              "name_locative,key,type,address,email,phone,first_name,last_name,institution")
    text = "\n".join((
        header,
        "municipality,Niš,Ниш,NIS,nis,city,,260237,,Nišu,,,,,,,,",
        "institution,Centar za socijalni rad Niš (demo),,,,,,,,,csr,csr,,,,,,",
        "admin,,,,,,,,,,,,,ana.admin.nis@demo.kzn.example,,,,csr",
    )) + "\n"

    parsed = parse_csv(text)

    assert parsed.ok, [str(e) for e in parsed.errors]
    assert parsed.spec.municipality.resolved_size_class == SizeClass.LARGE
    assert parsed.spec.municipality.name_locative == "Nišu"


def test_the_service_without_a_size_takes_it_from_the_population():
    municipality = municipality_create(name="Testgrad Veliki", name_cyrl="Тестград Велики", code="TGV",
                                       slug="testgrad-veliki", population=150_000)
    assert (municipality.size_class, municipality.conference_cadence_months) == (SizeClass.LARGE, 1)


@pytest.mark.parametrize(("name", "locative", "genitive"), [
    ("Niš", "Nišu", "Niša"), ("Kragujevac", "Kragujevcu", "Kragujevca"), ("Loznica", "Loznici", "Loznice"),
    ("Ćuprija", "Ćupriji", "Ćuprije"), ("Smederevska Palanka", "Smederevskoj Palanci", "Smederevske Palanke"),
    ("Kraljevo", "Kraljevu", "Kraljeva"), ("Gornji Milanovac", "Gornjem Milanovcu", "Gornjeg Milanovca"),
    ("Niš (test)", "Nišu (test)", "Niša (test)"),
])
def test_proposed_case_forms(name, locative, genitive):
    forms = propose_forms(name=name)
    assert (forms.locative, forms.genitive) == (locative, genitive)


def test_standard_names_are_grammatical_in_both_scripts():
    rows = {r["key"]: r for r in standard_institutions(forms=propose_forms(name="Niš", name_cyrl="Ниш"), kind="city")}

    assert rows["prosecutor"]["name"] == "Osnovno javno tužilaštvo u Nišu"
    assert rows["prosecutor"]["name_cyrl"] == "Основно јавно тужилаштво у Нишу"
    assert rows["basic_court"]["name"] == "Osnovni sud u Nišu"
    assert rows["local_government"]["name"] == "Gradska uprava grada Niša"
    assert rows["local_government"]["name_cyrl"] == "Градска управа града Ниша"
    assert rows["csr"]["name_cyrl"] == "Центар за социјални рад Ниш"


def test_wizard_proposes_the_size_and_names_from_step_one(admin_client):  # noqa: F811
    step1 = {**MUNICIPALITY, "municipality-population": "260237", "municipality-size_class": ""}
    response = admin_client.post(URL, {STEP: "municipality", **step1})

    assert response.context["wizard"]["steps"].current == "institutions"
    rows = {f.initial["type"]: f.initial for f in response.context["form"].forms if f.initial.get("type")}
    assert rows["prosecutor"]["name"] == "Osnovno javno tužilaštvo u Nišu"
    assert rows["prosecutor"]["name_cyrl"] == "Основно јавно тужилаштво у Нишу"

    # A corrected locative (entered once) reaches every name that needs it.
    response = admin_client.post(URL, {STEP: "institutions", "wizard_goto_step": "municipality"})
    response = admin_client.post(URL, {STEP: "municipality", **step1, "municipality-name_locative": "Nišu grad"})
    rows = {f.initial["type"]: f.initial for f in response.context["form"].forms if f.initial.get("type")}
    assert rows["prosecutor"]["name"] == "Osnovno javno tužilaštvo u Nišu grad"


def test_wizard_without_population_or_size_names_the_field(admin_client):  # noqa: F811
    step1 = {**MUNICIPALITY, "municipality-population": "", "municipality-size_class": ""}
    response = admin_client.post(URL, {STEP: "municipality", **step1})

    assert response.context["wizard"]["steps"].current == "municipality"
    assert "Enter the population, or choose the size." in response.context["form"].errors["population"]


def test_wizard_creates_a_large_city_from_its_population_and_warns_on_a_different_choice(admin_client):  # noqa: F811
    step1 = {**MUNICIPALITY, "municipality-population": "260237", "municipality-size_class": "small"}
    response = admin_client.post(URL, {STEP: "municipality", **step1})
    formset = response.context["form"]
    response = admin_client.post(URL, formset_post(formset, "institutions", "institutions"))
    formset = response.context["form"]
    key = formset.forms[0].fields["institution"].choices[1][0]
    response = admin_client.post(URL, formset_post(formset, "admins", "admins", {
        0: {"email": "ana.admin.nis@demo.kzn.example", "institution": key}}))
    assert response.context["wizard"]["steps"].current == "review"
    assert "implies the size" in response.content.decode()

    # Back to step 1, leave the size to the population: Niš is larger, conferences monthly.
    admin_client.post(URL, {STEP: "review", "wizard_goto_step": "municipality"})
    admin_client.post(URL, {STEP: "municipality", **step1, "municipality-size_class": ""})
    admin_client.post(URL, {STEP: "institutions", "wizard_goto_step": "review"})
    response = admin_client.post(URL, {STEP: "review"})
    assert response.status_code == 302, response.context and response.context.get("service_errors")

    nis = Municipality.objects.get(code="NIS")
    assert (nis.size_class, nis.conference_cadence_months) == (SizeClass.LARGE, 1)
    assert Institution.objects.get(municipality=nis, type="prosecutor").name_cyrl == "Основно јавно тужилаштво у Нишу"


def test_leaving_the_wizard_keeps_the_draft_until_start_over(admin_client):  # noqa: F811
    admin_client.post(URL, {STEP: "municipality", **MUNICIPALITY})

    response = admin_client.get(URL)  # e.g. the admin went to another page and came back

    assert response.context["wizard"]["steps"].current == "institutions"
    assert "Start over" in response.content.decode()
    response = admin_client.post(URL, {STEP: "institutions", "wizard_goto_step": "municipality"})
    assert response.context["form"]["name"].value() == "Niš"

    response = admin_client.post(URL, {STEP: "municipality", "wizard_restart": "1"})
    assert response.status_code == 302
    response = admin_client.get(URL)
    assert response.context["wizard"]["steps"].current == "municipality"
    assert not response.context["form"].is_bound and "Start over" not in response.content.decode()


def test_the_command_reports_a_size_against_the_population(tmp_path):
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "nis.yaml"
    path.write_text(YAML_NIS.replace("  population: 260.237\n", "  population: 260.237\n  size_class: small\n"),
                    encoding="utf-8")
    out, err = StringIO(), StringIO()

    call_command("onboard_municipality", str(path), "--dry-run", stdout=out, stderr=err)

    assert "municipality.size_class" in err.getvalue() and "implies the size" in err.getvalue()
    assert "Dry run" in out.getvalue()


def test_settings_warn_when_the_size_departs_from_the_population(admin_client, world):  # noqa: F811
    url = f"/municipalities/{world.mun_a.slug}/edit/"
    response = admin_client.post(url, {
        "name": "Testgrad A", "name_cyrl": "Тестград А", "kind": "city", "population": "61000",
        "size_class": "large", "conference_cadence_months": "", "is_active": "on",
        "name_locative": "Testgradu A", "name_locative_cyrl": "Тестграду А",
    }, follow=True)

    assert response.status_code == 200
    assert any("implies the size" in str(m) for m in response.context["messages"])
    world.mun_a.refresh_from_db()
    assert (world.mun_a.size_class, world.mun_a.name_locative_cyrl) == (SizeClass.LARGE, "Тестграду А")
