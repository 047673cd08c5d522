"""The machine tokens' matrix: a token of one institution can neither send for nor read another's
records, imports, events or webhooks; every API action of the app, own / other institution of the
same municipality / other municipality."""
import pytest

from apps.interlink.choices import RecordKind, RecordStatus
from apps.interlink.models import FeedEvent, ImportRun, InboundRecord, WebhookSubscription
from tests.factories import InstitutionFactory

from .conftest import client_for, make_account, report


def _objects(machine):
    account = machine.account
    common = {"municipality_id": account.municipality_id, "account": account, "institution": account.institution}
    return {
        "records": InboundRecord.objects.create(**common, kind=RecordKind.POLICE_REPORT, external_id=f"X-{account.pk}",
                                                version=1, digest="x" * 64, payload="{}", status=RecordStatus.QUEUED),
        "imports": ImportRun.objects.create(**common, kind=RecordKind.POLICE_REPORT, file_name="x.csv"),
        "webhooks": WebhookSubscription.objects.create(municipality_id=account.municipality_id, account=account,
                                                       url="https://primer.test/hook", secret="s" * 32,
                                                       event_types=["referral.changed"]),
        "events": FeedEvent.objects.create(municipality_id=account.municipality_id, account=account, key="k",
                                           event_type="referral.changed", payload={}),
    }


@pytest.mark.django_db
def test_a_machine_token_reaches_only_its_own_accounts_rows(machines):
    world = machines.world
    same = make_account(InstitutionFactory(municipality=world.mun_a, type="health", name="Dom zdravlja A"))
    own = _objects(machines.a)
    others = {"same_municipality": _objects(same), "other_municipality": _objects(machines.b)}
    client = client_for(machines.a.secret)
    for resource, obj in own.items():
        assert client.get(f"/api/v1/interlink/{resource}/{obj.pk}/").status_code == 200, resource
        listed = {row["id"] for row in client.get(f"/api/v1/interlink/{resource}/").json()["results"]}
        assert obj.pk in listed, resource
        for scope, objects in others.items():
            theirs = objects[resource]
            assert client.get(f"/api/v1/interlink/{resource}/{theirs.pk}/").status_code == 404, (resource, scope)
            assert theirs.pk not in listed, (resource, scope)
    for scope, objects in others.items():
        assert client.delete(f"/api/v1/interlink/webhooks/{objects['webhooks'].pk}/").status_code == 404, scope
        assert WebhookSubscription.objects.filter(pk=objects["webhooks"].pk).exists()


@pytest.mark.django_db
def test_a_record_sent_lands_only_in_the_senders_institution_and_municipality(machines):
    body = client_for(machines.b.secret).post("/api/v1/interlink/police-reports/", report("B-1"), format="json").json()
    record = InboundRecord.objects.get(pk=body["id"])
    assert record.institution == machines.police_b and record.municipality_id == machines.world.mun_b.pk
    assert record.case.municipality_id == machines.world.mun_b.pk
    # The same sender id from another institution is another record, and A's token cannot read B's.
    body_a = client_for(machines.a.secret).post("/api/v1/interlink/police-reports/", report("B-1"), format="json").json()
    assert body_a["id"] != body["id"] and body_a["case_number"] != body["case_number"]
    assert client_for(machines.a.secret).get(f"/api/v1/interlink/records/{body['id']}/").status_code == 404


@pytest.mark.django_db
def test_revoked_and_person_tokens_are_refused(machines):
    from apps.interlink.services.accounts import machine_account_revoke

    machine_account_revoke(user=machines.a.admin, account=machines.a.account)
    assert client_for(machines.a.secret).get("/api/v1/interlink/records/").status_code == 401
    assert client_for("kznm_000000000000_" + "x" * 40).get("/api/v1/interlink/records/").status_code == 401


@pytest.mark.django_db
def test_a_rotated_token_works_and_the_old_one_expires_after_the_grace(machines):
    from datetime import timedelta

    from django.utils import timezone

    from apps.interlink.models import MachineToken
    from apps.interlink.services.accounts import machine_token_rotate

    new = machine_token_rotate(user=machines.a.admin, account=machines.a.account)
    assert client_for(new).get("/api/v1/interlink/records/").status_code == 200
    assert client_for(machines.a.secret).get("/api/v1/interlink/records/").status_code == 200  # grace period
    old = MachineToken.objects.get(prefix=machines.a.secret.split("_")[1])
    assert old.expires_at <= timezone.now() + timedelta(hours=24, seconds=5)
    MachineToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client_for(machines.a.secret).get("/api/v1/interlink/records/").status_code == 401


@pytest.mark.django_db
def test_the_rate_limit_answers_429(machines, settings):
    from apps.interlink.services.accounts import machine_account_update
    from tests.cache_keys import clear_own_cache_keys

    machine_account_update(user=machines.a.admin, account=machines.a.account, scopes=machines.a.account.scopes,
                           rate_per_minute=2)
    client = client_for(machines.a.secret)
    try:
        answers = [client.get("/api/v1/interlink/records/").status_code for _ in range(3)]
    finally:
        clear_own_cache_keys()
    assert answers == [200, 200, 429]
