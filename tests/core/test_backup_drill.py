"""The backup and restore drill: a backup of the demo-like world restores into an empty database with
the same rows, unbroken audit chains and readable encrypted fields; a damaged or wrongly keyed backup
is refused with a clear message, and nothing is restored over a database that has tables."""
import io
from datetime import date

import pyrage
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from apps.core.backup import RestoreReport, connect, read_manifest
from apps.core.choices import Role
from apps.core.restore import verify_restored
from tests.cases.factories import add_person, make_jmbg, open_case

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def data(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "documents").mkdir(parents=True)
    (settings.MEDIA_ROOT / "documents" / "scan.pdf").write_bytes(b"%PDF-1.4 demo scan")
    user = world.users[Role.CASEWORKER]
    case = open_case(user)
    add_person(user, case, first_name="Demo", jmbg=make_jmbg(date(1980, 5, 5)), birth_date=date(1980, 5, 5),
               address="Izmišljena 1 (demo)")
    return case


@pytest.fixture
def empty_database():
    db = dict(settings.DATABASES["default"])
    name = f"{db['NAME']}_restore"
    admin = {**db, "NAME": "postgres"}
    with connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    yield {**db, "NAME": name}
    with connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def url(db):
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


def run(name, *args):
    out = io.StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


def only_backup(folder):
    [backup] = list(folder.glob("kzn-backup-*"))
    return backup


def test_a_backup_restores_and_verifies(data, empty_database, tmp_path):
    out = run("backup", "--output", str(tmp_path / "b"))
    assert "Backup written to" in out
    backup = only_backup(tmp_path / "b")
    out = run("restore", str(backup), "--target-url", url(empty_database), "--verify",
              "--media-dir", str(tmp_path / "restored"))
    assert "Verified:" in out and "audit links unbroken" in out
    assert (tmp_path / "restored" / "media" / "documents" / "scan.pdf").read_bytes() == b"%PDF-1.4 demo scan"
    with connect(empty_database) as conn:
        assert conn.execute("SELECT count(*) FROM cases_case WHERE id = %s", [data.pk]).fetchone()[0] == 1
        assert conn.execute("SELECT count(*) FROM cases_caseperson").fetchone()[0] >= 1
    assert "encrypted values readable" in out and " 0 encrypted values" not in out


def test_an_encrypted_backup_needs_its_identity(data, empty_database, tmp_path):
    identity = pyrage.x25519.Identity.generate()
    keyfile = tmp_path / "backup.key"
    keyfile.write_text(f"# demo identity\n{identity}\n")
    run("backup", "--output", str(tmp_path / "b"), "--recipient", str(identity.to_public()))
    backup = only_backup(tmp_path / "b")
    assert {p.name for p in backup.iterdir()} == {"manifest.json", "database.dump.age", "media.tar.age"}
    assert b"Izmi" not in (backup / "database.dump.age").read_bytes()
    with pytest.raises(CommandError, match="encrypted: give the age identity"):
        run("restore", str(backup), "--target-url", url(empty_database))
    other = tmp_path / "other.key"
    other.write_text(f"{pyrage.x25519.Identity.generate()}\n")
    with pytest.raises(CommandError, match="cannot be decrypted with the identity"):
        run("restore", str(backup), "--target-url", url(empty_database), "--identity", str(other))
    out = run("restore", str(backup), "--target-url", url(empty_database), "--identity", str(keyfile), "--verify")
    assert "Verified:" in out


def test_a_damaged_backup_or_a_used_database_is_refused(data, empty_database, tmp_path):
    run("backup", "--output", str(tmp_path / "b"), "--no-media")
    backup = only_backup(tmp_path / "b")
    dump = backup / "database.dump"
    content = bytearray(dump.read_bytes())
    content[len(content) // 2] ^= 0xFF
    dump.write_bytes(bytes(content))
    with pytest.raises(CommandError, match="database.dump does not match its checksum"):
        run("restore", str(backup), "--target-url", url(empty_database))
    with connect(empty_database, autocommit=True) as conn:
        conn.execute("CREATE TABLE precious (id int)")
    run("backup", "--output", str(tmp_path / "c"), "--no-media")
    with pytest.raises(CommandError, match="is not empty"):
        run("restore", str(only_backup(tmp_path / "c")), "--target-url", url(empty_database))
    with connect(empty_database) as conn:
        assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 1


def test_a_restore_with_a_changed_row_does_not_verify(data, empty_database, tmp_path):
    run("backup", "--output", str(tmp_path / "b"), "--no-media")
    backup = only_backup(tmp_path / "b")
    run("restore", str(backup), "--target-url", url(empty_database))
    # Someone edits the restored audit log before the check: the chain names it.
    with connect(empty_database) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute("UPDATE core_auditentry SET actor_label = 'x' WHERE id = (SELECT min(entry_id) FROM core_auditseal)")
        conn.commit()
    report = RestoreReport()
    verify_restored(empty_database, read_manifest(backup), report)
    assert any("altered" in p for p in report.problems)
