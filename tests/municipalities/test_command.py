"""python manage.py onboard_municipality FILE [--dry-run] [--as EMAIL]."""
from io import StringIO

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

from apps.accounts.models import Invitation
from apps.core.choices import Role
from apps.municipalities.models import Municipality
from tests.factories import UserFactory

from .conftest import DOCS


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("onboard_municipality", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def admin(db):
    return UserFactory(is_platform_admin=True, email="ana.platforma@demo.kzn.example")


def test_command_onboards_and_prints_a_summary(admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        out, _err = run(str(DOCS / "onboarding-example.yaml"), "--as", "ANA.platforma@demo.kzn.example")
    assert "Municipality Niš (NIS): created" in out
    assert "Institutions: 8 created, 0 updated, 0 unchanged" in out
    assert "Invitations: 2 sent" in out
    assert len(callbacks) == 2
    assert set(Invitation.objects.values_list("invited_by", flat=True)) == {admin.pk}


def test_command_twice_with_the_other_layout_changes_nothing(admin, row_counts, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        run(str(DOCS / "onboarding-example.yaml"))
    before = row_counts()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        out, _err = run(str(DOCS / "onboarding-example.csv"))
    assert row_counts() == before
    assert callbacks == []
    assert "Municipality Niš (NIS): unchanged" in out
    assert "Total: 0 created, 0 updated, 11 unchanged" in out
    assert "Nothing to change." in out


def test_dry_run_saves_nothing(admin, row_counts):
    before = row_counts()
    out, _err = run(str(DOCS / "onboarding-example.csv"), "--dry-run")
    assert "Dry run: nothing was saved" in out
    assert "Institutions: 8 created" in out
    assert row_counts() == before


def test_as_must_be_a_platform_admin(world, row_counts):
    before = row_counts()
    with pytest.raises(CommandError, match="platform admin"):
        run(str(DOCS / "onboarding-example.yaml"), "--as", world.users[Role.COORDINATOR].email)
    assert row_counts() == before


BAD_FILES = {
    "duplicate code": ("NIS,nis", "LAZ,nis"),  # LAZ belongs to another municipality below
    "unknown institution type": (",csr,csr,", ",csr,welfare,"),
    "malformed e-mail": ("ana.admin.nis@demo", "ana.admin.nis@@demo"),
    "unknown institution key": (",Ana,Primer,csr", ",Ana,Primer,shelter"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_is_refused_and_nothing_saved(case, tmp_path, row_counts, db):
    from tests.factories import MunicipalityFactory

    MunicipalityFactory(code="LAZ", slug="lazarevac-test", name="Lazarevac (test)")
    old, new = BAD_FILES[case]
    text = (DOCS / "onboarding-example.csv").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "bad.csv"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    before = row_counts()
    err = StringIO()
    with pytest.raises(CommandError, match="1 error in the file; nothing was saved"):
        call_command("onboard_municipality", str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue().startswith("Line ")  # e.g. "Line 12, column “institution”: ..."
    assert row_counts() == before
    assert not Municipality.objects.filter(slug="nis").exists()


@pytest.mark.django_db(transaction=True)
def test_exit_codes(tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("record,name\nmunicipality,Niš\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        execute_from_command_line(["manage.py", "onboard_municipality", str(bad)])
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "Line 1, column “code”: The column is missing." in err
    assert "nothing was saved" in err
    assert not Municipality.objects.exists()

    execute_from_command_line(["manage.py", "onboard_municipality", str(DOCS / "onboarding-example.yaml"), "--dry-run"])
    assert "Dry run" in capsys.readouterr().out
    assert not Municipality.objects.exists()
