"""The audit log's hash chain: sealing links every entry into its municipality's chain, and
verify_audit names the first broken link when a row is changed, removed or the chain rewritten."""
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from apps.core import audit_chain
from apps.core.audit import audit_log
from apps.core.choices import AuditAction, Role
from apps.core.models import AuditEntry, AuditSeal
from tests.cases.factories import open_case


@pytest.fixture
def entries(world):
    """Entries in both municipalities and some of none (a login), through the real writers."""
    open_case(world.users[Role.CASEWORKER])
    open_case(world.users["other_municipality"][Role.CASEWORKER])
    for _ in range(3):
        audit_log(action=AuditAction.LOGIN, actor=world.users[Role.OFFICIAL])
    return AuditEntry.objects.count()


def as_owner(sql, params=()):
    """Change rows as the database owner with the append-only triggers switched off: what an
    intruder with the owner's password could do."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(sql, params)


def run_verify(*args):
    out = io.StringIO()
    try:
        call_command("verify_audit", *args, stdout=out)
    except CommandError:
        return False, out.getvalue()
    return True, out.getvalue()


def test_every_entry_is_sealed_once_in_its_municipalitys_chain(entries, world):
    sealed = audit_chain.seal()
    # The seal job's own platform entry is written before it reads, so it is sealed too.
    total = AuditEntry.objects.count()
    assert sealed == total >= entries
    assert audit_chain.seal() == 1  # only the second run's own platform entry
    seals = list(AuditSeal.objects.order_by("municipality_id", "seq").values_list("municipality_id", "seq", "entry_id"))
    assert len({entry for _, _, entry in seals}) == len(seals) == AuditEntry.objects.count()
    by_chain = {}
    for municipality, seq, _entry in seals:
        by_chain.setdefault(municipality, []).append(seq)
    for positions in by_chain.values():
        assert positions == list(range(1, len(positions) + 1))
    entry_municipalities = dict(AuditEntry.objects.values_list("pk", "municipality_id"))
    assert all(entry_municipalities[entry] == municipality for municipality, _, entry in seals)
    assert world.mun_a.pk in by_chain and world.mun_b.pk in by_chain and None in by_chain
    ok, out = run_verify()
    assert ok, out
    assert f"{len(seals)} links in {len(by_chain)} chains" in out


def test_a_changed_entry_is_named_as_the_first_broken_link(entries, world):
    audit_chain.seal()
    victim = AuditEntry.objects.filter(municipality_id=world.mun_a.pk).order_by("pk")[1]
    seq = AuditSeal.objects.get(entry_id=victim.pk).seq
    as_owner("UPDATE core_auditentry SET actor_label = 'someone else' WHERE id = %s", [victim.pk])
    ok, out = run_verify()
    assert not ok
    assert f"chain {world.mun_a.pk}: first broken link at position {seq} (audit entry {victim.pk})" in out
    assert "changed after sealing" in out
    # The other municipality's chain is intact and not named.
    assert f"chain {world.mun_b.pk}:" not in out


def test_a_removed_entry_or_seal_is_named(entries, world):
    audit_chain.seal()
    entry = AuditEntry.objects.filter(municipality_id=world.mun_b.pk).order_by("pk").first()
    as_owner("DELETE FROM core_auditentry WHERE id = %s", [entry.pk])
    ok, out = run_verify()
    assert not ok and f"(audit entry {entry.pk}): the sealed entry is gone" in out
    link = AuditSeal.objects.filter(municipality_id=world.mun_a.pk).order_by("seq").first()
    as_owner("DELETE FROM core_auditseal WHERE id = %s", [link.pk])
    ok, out = run_verify()
    assert f"chain {world.mun_a.pk}: first broken link at position {link.seq + 1}" in out
    assert "a link before this one is gone" in out


def test_a_rewritten_chain_is_caught_by_the_saved_heads(entries, world, tmp_path):
    audit_chain.seal()
    heads = tmp_path / "heads.json"
    ok, out = run_verify("--save-heads", str(heads))
    assert ok, out
    # The intruder changes an entry, throws the seals away and seals everything again: every link
    # verifies, but not against the heads kept outside the database.
    victim = AuditEntry.objects.filter(municipality_id=world.mun_a.pk).order_by("pk").first()
    as_owner("UPDATE core_auditentry SET object_id = '0' WHERE id = %s", [victim.pk])
    as_owner("DELETE FROM core_auditseal")
    audit_chain.seal(everything=True)
    ok, out = run_verify()
    assert ok, out
    ok, out = run_verify("--heads", str(heads))
    assert not ok
    assert f"chain {world.mun_a.pk}: the saved head at position" in out and "rewritten" in out


def test_unsealed_old_entries_are_reported_not_silently_accepted(entries):
    as_owner("UPDATE core_auditentry SET at = at - interval '1 day'")
    old = set(AuditEntry.objects.values_list("pk", flat=True))
    ok, out = run_verify()
    assert not ok and "old entries are not sealed" in out and "seal_audit --all" in out
    audit_chain.seal()  # the recent window does not reach them
    assert not AuditSeal.objects.filter(entry_id__in=old).exists()
    assert audit_chain.seal(everything=True) >= entries
    ok, out = run_verify()
    assert ok, out


def test_the_app_role_cannot_change_or_read_the_seals(entries, world):
    from apps.core.tenancy import user_context

    audit_chain.seal()
    with user_context(world.users[Role.COORDINATOR]):
        assert AuditSeal.objects.count() == 0  # only platform-wide jobs read the chain
    with pytest.raises(Exception, match="append-only|row-level security|permission denied"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE core_auditseal SET digest = 'x'")
