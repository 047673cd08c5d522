"""Key rotation: every encrypted value ends under the new key, nothing is lost, and a value saved by
a user while the rotation runs is kept, not overwritten with an older one."""
import io

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import CommandError, call_command
from django.db import connection

from apps.cases.models import CasePerson
from apps.core import crypto, key_rotation
from apps.core.choices import Role
from tests.cases.factories import add_person, make_jmbg, open_case

OLD = Fernet.generate_key().decode()
NEW = Fernet.generate_key().decode()


@pytest.fixture
def keys(settings):
    def use(*keys):
        settings.FIELD_ENCRYPTION_KEYS = list(keys)
        crypto._fernet.cache_clear()

    use(OLD)
    yield use
    crypto._fernet.cache_clear()


@pytest.fixture
def people(keys, world):  # the keys first: everything the world encrypts is under them
    from datetime import date

    user = world.users[Role.CASEWORKER]
    case = open_case(user)
    made = [
        add_person(user, case, first_name=f"Demo{i}", jmbg=make_jmbg(date(1980, 1, 1 + i)), birth_date=date(1980, 1, 1 + i),
                   phone=f"+381 60 000 00{i:02d}", address=f"Izmišljena ulica {i} (demo)")
        for i in range(5)
    ]
    return {p.pk: (p.jmbg, p.phone, p.address) for p in made}


def raw_tokens(pk):
    with connection.cursor() as cursor:
        cursor.execute("SELECT jmbg, phone, address FROM cases_caseperson WHERE id = %s", [pk])
        return cursor.fetchone()


def run(*args):
    out = io.StringIO()
    call_command("rotate_field_keys", *args, stdout=out)
    return out.getvalue()


def test_every_value_ends_under_the_new_key_and_reads_the_same(people, keys):
    keys(NEW, OLD)
    with pytest.raises(CommandError, match="older key"):
        run("--check")
    out = run("--batch", "2")
    assert "cases_caseperson: done" in out and "resume: --table cases_caseperson --resume-after" in out
    new = Fernet(NEW.encode())
    for pk in people:
        for token in raw_tokens(pk):
            if token:
                new.decrypt(token.encode())  # raises if not under the new key
    assert "Every value is under the first key." in run("--check")
    # The old key can go: every value still reads as it was written.
    keys(NEW)
    for pk, values in people.items():
        person = CasePerson.objects.get(pk=pk)
        assert (person.jmbg, person.phone, person.address) == values
    with pytest.raises(InvalidToken):
        Fernet(OLD.encode()).decrypt(raw_tokens(next(iter(people)))[1].encode())


def test_a_second_run_changes_nothing(people, keys):
    keys(NEW, OLD)
    run()
    before = {pk: raw_tokens(pk) for pk in people}
    assert "0 values re-encrypted" in run("--table", "cases_caseperson")
    assert {pk: raw_tokens(pk) for pk in people} == before


def test_a_value_saved_during_the_rotation_is_kept(people, keys, monkeypatch):
    keys(NEW, OLD)
    pk = min(people)
    real_rotate = key_rotation.rotate
    saved = crypto.encrypt("+381 60 999 99 99")  # a user's edit, under the new key

    def rotate_while_a_user_saves(token):
        with connection.cursor() as cursor:
            cursor.execute("UPDATE cases_caseperson SET phone = %s WHERE id = %s", [saved, pk])
        return real_rotate(token)

    monkeypatch.setattr(key_rotation, "rotate", rotate_while_a_user_saves)
    key_rotation.rotate_table("cases_caseperson", "id", ["phone"], batch=1)
    assert CasePerson.objects.get(pk=pk).phone == "+381 60 999 99 99"


def test_the_encrypted_columns_are_found_from_the_models():
    tables = {name: columns for name, _pk, columns in key_rotation.encrypted_tables()}
    assert tables["cases_caseperson"] == ["jmbg", "phone", "email", "address"]
    assert "cases_casenote" in tables and "conferences_meetinginvitee" in tables
    with pytest.raises(CommandError, match="no encrypted fields"):
        run("--table", "cases_case")
