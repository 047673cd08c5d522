"""Onboarding files: both layouts work; every error names the row and field, and nothing is saved."""
import pytest

from apps.municipalities.onboarding import onboard_municipality
from apps.municipalities.onboarding_files import parse_csv, parse_onboarding_file, parse_yaml
from tests.factories import MunicipalityFactory, UserFactory

from .conftest import DOCS

HEADER = ("record,name,name_cyrl,code,slug,kind,district,population,size_class,conference_cadence_months,"
          "key,type,address,email,phone,first_name,last_name,institution")


def csv_text(*rows: str) -> str:
    return "\n".join((HEADER, *rows)) + "\n"


MUNICIPALITY_ROW = "municipality,Niš,Ниш,NIS,nis,city,Nišavski okrug,249501,large,,,,,,,,,"
CSR_ROW = "institution,Centar za socijalni rad Niš (demo),,,,,,,,,csr,csr,,csr.nis@demo.kzn.example,,,,"
POLICE_ROW = "institution,Policijska stanica Niš (demo),,,,,,,,,police,police,,,,,,"
ADMIN_ROW = "admin,,,,,,,,,,,,,ana.admin.nis@demo.kzn.example,,Ana,Primer,csr"

YAML_OK = """\
municipality:
  name: Niš
  name_cyrl: Ниш
  code: NIS
  slug: nis
  size_class: large
institutions:
  - key: csr
    type: csr
    name: Centar za socijalni rad Niš (demo)
  - key: police
    type: police
    name: Policijska stanica Niš (demo)
admins:
  - email: ana.admin.nis@demo.kzn.example
    institution: csr
"""


def only_error(result):
    assert result.spec is None
    assert len(result.errors) == 1, [str(e) for e in result.errors]
    return str(result.errors[0])


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["onboarding-example.yaml", "onboarding-example.csv"])
def test_example_files_onboard_nis(name, django_capture_on_commit_callbacks):
    parsed = parse_onboarding_file(DOCS / name)
    assert parsed.ok, [str(e) for e in parsed.errors]
    spec = parsed.spec
    assert (spec.municipality.name, spec.municipality.name_cyrl, spec.municipality.code) == ("Niš", "Ниш", "NIS")
    assert len(spec.institutions) == 8 and all("(demo)" in i.name for i in spec.institutions)
    assert {a.email for a in spec.admins} == {"ana.admin.nis@demo.kzn.example", "petar.admin.nis@demo.kzn.example"}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = onboard_municipality(spec=spec, onboarded_by=UserFactory(is_platform_admin=True))
    assert result.counts["created"] == 1 + 8 + 2
    assert len(callbacks) == 2


@pytest.mark.django_db
def test_yaml_and_csv_give_the_same_spec():
    from_csv = parse_onboarding_file(DOCS / "onboarding-example.csv").spec
    from_yaml = parse_onboarding_file(DOCS / "onboarding-example.yaml").spec
    assert from_csv == from_yaml


@pytest.mark.django_db
def test_semicolon_csv_with_bom_and_thousands_separator(tmp_path):
    text = csv_text(MUNICIPALITY_ROW.replace("249501", '"249.501"'), CSR_ROW, ADMIN_ROW).replace(",", ";")
    path = tmp_path / "nis.csv"
    path.write_bytes(("\ufeff" + text.replace('"249.501"', "249.501")).encode("utf-8"))
    parsed = parse_onboarding_file(path)
    assert parsed.ok, [str(e) for e in parsed.errors]
    assert parsed.spec.municipality.population == 249501


@pytest.mark.django_db
def test_yaml_codes_stay_text():
    # In YAML 1.1 a bare NO is false; the file is read as plain text so the code NO stays NO.
    parsed = parse_yaml(YAML_OK.replace("code: NIS", "code: NO"))
    assert parsed.ok and parsed.spec.municipality.code == "NO"


# --- every kind of bad file: the message names the row and the field ---------------------------


@pytest.mark.django_db
def test_csv_duplicate_code_of_another_municipality():
    MunicipalityFactory(code="NIS", slug="nisava-test", name="Nišava (test)")
    message = only_error(parse_csv(csv_text(MUNICIPALITY_ROW, CSR_ROW, ADMIN_ROW)))
    assert message.startswith("Line 2, column “code”:")
    assert "already used by another municipality" in message


@pytest.mark.django_db
def test_same_code_and_slug_is_the_same_municipality_not_a_duplicate():
    MunicipalityFactory(code="NIS", slug="nis", name="Niš")
    assert parse_csv(csv_text(MUNICIPALITY_ROW, CSR_ROW, ADMIN_ROW)).ok


@pytest.mark.django_db
def test_csv_unknown_institution_type():
    message = only_error(parse_csv(csv_text(MUNICIPALITY_ROW, CSR_ROW.replace(",csr,csr,", ",csr,welfare,"), ADMIN_ROW)))
    assert message.startswith("Line 3, column “type”:")
    assert "welfare" in message and "csr" in message


@pytest.mark.django_db
def test_yaml_unknown_institution_type_names_path_and_line():
    message = only_error(parse_yaml(YAML_OK.replace("type: police", "type: polica")))
    assert message.startswith("institutions[1].type (line 11):")
    assert "polica" in message


@pytest.mark.django_db
def test_csv_malformed_email():
    message = only_error(parse_csv(csv_text(MUNICIPALITY_ROW, CSR_ROW, ADMIN_ROW.replace("ana.admin.nis@", "ana.admin.nis@@"))))
    assert message.startswith("Line 4, column “email”:")
    assert "not a valid e-mail" in message


@pytest.mark.django_db
def test_yaml_malformed_email():
    message = only_error(parse_yaml(YAML_OK.replace("ana.admin.nis@demo.kzn.example", "ana.admin.nis-demo")))
    assert message.startswith("admins[0].email (line 15):")


@pytest.mark.django_db
def test_csv_missing_column():
    header = HEADER.replace(",institution", "")
    text = "\n".join((header, MUNICIPALITY_ROW[:-1], CSR_ROW[:-1], ADMIN_ROW.rsplit(",", 1)[0])) + "\n"
    message = only_error(parse_csv(text))
    assert message == "Line 1, column “institution”: The column is missing."


@pytest.mark.django_db
def test_yaml_missing_required_field():
    message = only_error(parse_yaml(YAML_OK.replace("  name_cyrl: Ниш\n", "")))
    assert message.startswith("municipality.name_cyrl (line 2):")
    assert "required" in message


@pytest.mark.django_db
def test_csv_missing_required_value():
    message = only_error(parse_csv(csv_text(MUNICIPALITY_ROW.replace(",Ниш,", ",,"), CSR_ROW, ADMIN_ROW)))
    assert message.startswith("Line 2, column “name_cyrl”:") and "required" in message


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["Nis", "N", "NISAVSKIO", "NI5"])
def test_code_format(code):
    message = only_error(parse_csv(csv_text(MUNICIPALITY_ROW.replace(",NIS,", f",{code},"), CSR_ROW, ADMIN_ROW)))
    assert message.startswith("Line 2, column “code”:") and "capital" in message


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["niš", "Nis", "nis grad", "onboard"])
def test_slug_ascii(slug):
    message = only_error(parse_csv(csv_text(MUNICIPALITY_ROW.replace(",nis,", f",{slug},"), CSR_ROW, ADMIN_ROW)))
    assert message.startswith("Line 2, column “slug”:")


@pytest.mark.django_db
def test_size_class():
    message = only_error(parse_csv(csv_text(MUNICIPALITY_ROW.replace(",large,", ",huge,"), CSR_ROW, ADMIN_ROW)))
    assert message.startswith("Line 2, column “size_class”:") and "huge" in message


@pytest.mark.django_db
def test_duplicate_institution_key():
    message = only_error(parse_csv(csv_text(MUNICIPALITY_ROW, CSR_ROW, POLICE_ROW.replace(",police,police,", ",csr,police,"), ADMIN_ROW)))
    assert message.startswith("Line 4, column “key”:") and "line 3" in message


@pytest.mark.django_db
def test_duplicate_institution_name():
    second = CSR_ROW.replace(",csr,csr,", ",csr2,csr,").replace("csr.nis@", "csr2.nis@")
    message = only_error(parse_csv(csv_text(MUNICIPALITY_ROW, CSR_ROW, second, ADMIN_ROW)))
    assert message.startswith("Line 4, column “name”:") and "listed twice" in message


@pytest.mark.django_db
def test_admin_pointing_at_unknown_institution():
    message = only_error(parse_csv(csv_text(MUNICIPALITY_ROW, CSR_ROW, ADMIN_ROW[:-3] + "ngo")))
    assert message.startswith("Line 4, column “institution”:") and "ngo" in message


@pytest.mark.django_db
def test_yaml_admin_pointing_at_unknown_institution():
    message = only_error(parse_yaml(YAML_OK.replace("institution: csr", "institution: ngo")))
    assert message.startswith("admins[0].institution (line 15):")


@pytest.mark.django_db
def test_duplicate_admin_rows():
    message = only_error(parse_csv(csv_text(MUNICIPALITY_ROW, CSR_ROW, ADMIN_ROW, ADMIN_ROW.replace("ana.admin", "ANA.admin"))))
    assert message.startswith("Line 5, column “email”:") and "line 4" in message


@pytest.mark.django_db
def test_unknown_record_and_missing_municipality():
    result = parse_csv(csv_text(CSR_ROW, "person,,,,,,,,,,,,,,,,,"))
    messages = [str(e) for e in result.errors]
    assert result.spec is None
    assert any(m.startswith("Line 3, column “record”:") for m in messages)
    assert any(m.startswith("Line 1, column “record”:") and "no municipality" in m for m in messages)


@pytest.mark.django_db
def test_yaml_unknown_field_and_syntax_error():
    message = only_error(parse_yaml(YAML_OK.replace("    type: csr\n", "    type: csr\n    adress: Primer 1\n")))
    assert message.startswith("institutions[0].adress (line 8):") and "Unknown field" in message
    syntax = only_error(parse_yaml("municipality:\n  name: [Niš\n"))
    assert "line" in syntax.lower() and "YAML" in syntax


@pytest.mark.django_db
def test_every_error_is_reported_at_once():
    bad_admin = ADMIN_ROW.replace("ana.admin.nis@", "ana@@")[:-3] + "ngo"
    result = parse_csv(csv_text(MUNICIPALITY_ROW.replace(",NIS,", ",nis,"), CSR_ROW.replace(",csr,csr,", ",csr,xyz,"), bad_admin))
    fields = sorted((e.where.line, e.field) for e in result.errors)
    assert fields == [(2, "code"), (3, "type"), (4, "email"), (4, "institution")]
