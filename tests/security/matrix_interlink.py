"""Isolation matrix entries of the interlinking app (pages and API).

Per scope a machine account: OWN is CSR A's, SAME police A's, OTHER CSR B's, each with a waiting record
and a file import. The institution's admin manages its own accounts only; the institution's caseworkers
and coordinators read and decide its records; nobody else sees any. The API answers machine tokens only:
every person's token is refused (401); the machine tokens' own matrix is tests/interlink/test_isolation.py.
"""
from __future__ import annotations

from .matrix import API, CO, CW, IA, OTHER, OWN, PAGE, REDIRECT, SAME, Entry, e

ADMIN_OWN = e(default=404, **{IA: {OWN: 200}})
STAFF_OWN = e(default=404, **{CW: {OWN: 200}, CO: {OWN: 200}, IA: {OWN: 200}})
DECIDERS_OWN = e(default=404, **{CW: {OWN: 200}, CO: {OWN: 200}})
MACHINES_ONLY = e(default=401)


def account(w, scope):
    return {"pk": w.il["account"][scope].pk}


def token(w, scope):
    return {"pk": w.il["account"][scope].pk, "prefix": w.il["token"][scope]}


def record(w, scope):
    return {"pk": w.il["record"][scope].pk}


def run(w, scope):
    return {"pk": w.il["run"][scope].pk}


def webhook(w, scope):
    return {"pk": w.il["webhook"][scope].pk}


def event(w, scope):
    return {"pk": w.il["event"][scope].pk}


ENTRIES = [
    Entry("interlink:account_list", PAGE, e(default=404, **{IA: 200})),
    Entry("interlink:account_create", PAGE, e(default=404, **{IA: 200})),
    Entry("interlink:account_create", PAGE, e(default=404, **{IA: 200}), method="POST",
          note="an empty form is refused with errors"),
    Entry("interlink:account_detail", PAGE, ADMIN_OWN, kwargs=account),
    Entry("interlink:account_detail", PAGE, ADMIN_OWN, method="POST", kwargs=account,
          note="an empty form is refused with errors"),
    Entry("interlink:account_rotate", PAGE, ADMIN_OWN, method="POST", kwargs=account, note="shows the new token once"),
    Entry("interlink:account_revoke", PAGE, e(default=404, **{IA: {OWN: REDIRECT}}), method="POST", kwargs=account),
    Entry("interlink:token_revoke", PAGE, e(default=404, **{IA: {OWN: REDIRECT}}), method="POST", kwargs=token),
    Entry("interlink:account_upload", PAGE, ADMIN_OWN, method="POST", kwargs=account,
          note="no file: refused with errors"),
    Entry("interlink:import_detail", PAGE, STAFF_OWN, kwargs=run),
    Entry("interlink:record_list", PAGE, e(default=200)),
    Entry("interlink:record_detail", PAGE, STAFF_OWN, kwargs=record),
    Entry("interlink:record_assign", PAGE, DECIDERS_OWN, method="POST", kwargs=record,
          note="no choice: refused with errors"),
    Entry("interlink:record_undo", PAGE, DECIDERS_OWN, method="POST", kwargs=record,
          note="a waiting record has nothing to undo: refused with errors"),
    Entry("interlink-police-report-send", API, MACHINES_ONLY, method="POST"),
    Entry("interlink-emergency-order-send", API, MACHINES_ONLY, method="POST"),
    Entry("interlink-court-decision-send", API, MACHINES_ONLY, method="POST"),
    Entry("interlink-record-list", API, MACHINES_ONLY),
    Entry("interlink-record-detail", API, MACHINES_ONLY, kwargs=record),
    Entry("interlink-import-list", API, MACHINES_ONLY),
    Entry("interlink-import-list", API, MACHINES_ONLY, method="POST"),
    Entry("interlink-import-detail", API, MACHINES_ONLY, kwargs=run),
    Entry("interlink-event-list", API, MACHINES_ONLY),
    Entry("interlink-event-detail", API, MACHINES_ONLY, kwargs=event),
    Entry("interlink-webhook-list", API, MACHINES_ONLY),
    Entry("interlink-webhook-list", API, MACHINES_ONLY, method="POST"),
    Entry("interlink-webhook-detail", API, MACHINES_ONLY, kwargs=webhook),
    Entry("interlink-webhook-detail", API, MACHINES_ONLY, method="DELETE", kwargs=webhook),
]


def build(w) -> None:
    """Per scope: a machine account with a token, a waiting record, a file import, a webhook and an event."""
    from apps.core.choices import Role
    from apps.interlink.choices import RecordKind, RecordStatus
    from apps.interlink.models import FeedEvent, ImportRun, InboundRecord, WebhookSubscription
    from apps.interlink.services.accounts import machine_account_create
    from tests.factories import member

    admins = {OWN: w.users[IA], SAME: member(Role.INSTITUTION_ADMIN, w.institution[SAME]),
              OTHER: w.base.users["other_municipality"][Role.INSTITUTION_ADMIN]}
    w.il = {key: {} for key in ("account", "token", "record", "run", "webhook", "event")}
    for scope in (OWN, SAME, OTHER):
        institution = w.institution[scope]
        account, secret = machine_account_create(user=admins[scope], institution=institution,
                                                 name=f"Matrica sistem {scope}", scopes=["police_reports:send"])
        w.il["account"][scope] = account
        w.il["token"][scope] = secret.split("_")[1]
        common = {"municipality_id": institution.municipality_id, "account": account, "institution": institution}
        w.il["record"][scope] = InboundRecord.objects.create(
            **common, kind=RecordKind.POLICE_REPORT, external_id=f"MATRICA-{scope}", version=1, digest="x" * 64,
            payload="{}", status=RecordStatus.QUEUED)
        w.il["run"][scope] = ImportRun.objects.create(**common, kind=RecordKind.POLICE_REPORT, file_name="matrica.csv")
        w.il["webhook"][scope] = WebhookSubscription.objects.create(
            municipality_id=institution.municipality_id, account=account, url="https://primer.test/hook",
            secret="s" * 32, event_types=["referral.changed"])
        w.il["event"][scope] = FeedEvent.objects.create(
            municipality_id=institution.municipality_id, account=account, key=f"matrica:{scope}",
            event_type="referral.changed", payload={})
