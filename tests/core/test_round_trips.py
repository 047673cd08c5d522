"""What a case list request costs the database, counted where CI can check it: its statements and its
round trips (a message the server answers with ReadyForQuery), read from libpq's own trace of the
connection. The request runs as in production, in a transaction of its own (not inside a test's), so
BEGIN and COMMIT are counted too.

Per request: one round trip opens the transaction and states whose it is, reading the user's access
context in the same statement (apps/core/tenancy.py); then the page's own statements; then COMMIT.
Before this was measured, BEGIN, the context statement and the access-context statement were three
round trips.
"""
import re
import tempfile
from contextlib import contextmanager

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from psycopg import pq

from apps.core.choices import Role
from tests.cases.factories import open_case

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def traced():
    """The libpq protocol messages of the default connection while the block runs."""
    connection.ensure_connection()
    pgconn = connection.connection.pgconn
    found = {}
    with tempfile.TemporaryFile() as out:
        pgconn.trace(out.fileno())
        pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        try:
            yield found
        finally:
            pgconn.untrace()
            out.seek(0)
            lines = out.read().decode("utf-8", "replace").splitlines()
    found["round_trips"] = sum(1 for line in lines if re.match(r"^B\s+\d+\s+ReadyForQuery", line))
    found["lone_begin"] = [line for line in lines if re.match(r'^F\s+\d+\s+(Query|Parse)\s.*"BEGIN"', line)]
    found["commits"] = sum(1 for line in lines if re.match(r'^F\s+\d+\s+Query\s+"COMMIT"', line))


def list_request(client, url):
    with CaptureQueriesContext(connection) as captured, traced() as trace:
        response = client.get(url)
    assert response.status_code == 200
    # Django's log also notes where a transaction begins and ends (no message of its own is sent).
    return response, [q["sql"] for q in captured.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")], trace


def test_the_case_list_request_opens_its_transaction_states_its_context_and_reads_access_in_one_round_trip(
    world, login
):
    worker = world.users[Role.CASEWORKER]
    case = open_case(worker)
    client = login(worker)
    url = reverse("cases:list") + "?scope=institution"
    list_request(client, url)  # warm: the session's user and device are read as on every request
    response, statements, trace = list_request(client, url)
    assert case.number in response.content.decode()

    # No BEGIN of its own: the first statement of the request is "BEGIN; SELECT set_config(...)".
    assert trace["lone_begin"] == []
    opening = [s for s in statements if "kzn_context(" in s]
    assert len(opening) == 1 and opening[0].startswith("BEGIN; SELECT set_config('role'")
    # The access context comes from that statement: no statement of its own.
    assert not [s for s in statements if "kzn_user_reach" in s]
    assert trace["commits"] == 1
    # The page: the session's user (outside the transaction: authentication comes first), the
    # opening statement, the session's second-factor device, the list page's statement, the audit of
    # the rows shown, the institutions the filter offers; then COMMIT. Each statement is one round
    # trip, COMMIT one more: 7 (9 when BEGIN and the access context had round trips of their own).
    assert len(statements) == 6, statements
    assert trace["round_trips"] == len(statements) + 1 == 7, trace


def test_the_access_context_of_another_user_is_read_by_its_own_statement(world):
    from apps.accounts.models import User
    from apps.core import tenancy

    worker = world.users[Role.CASEWORKER]
    coordinator = User.objects.get(pk=world.users[Role.COORDINATOR].pk)
    with tenancy.user_context(worker), CaptureQueriesContext(connection) as captured:
        memberships = coordinator.access.memberships
    assert [m.role for m in memberships] == [Role.COORDINATOR]
    assert sum("kzn_user_reach" in q["sql"] for q in captured.captured_queries) == 1


def test_a_membership_made_in_the_transaction_is_seen_by_the_next_access_context(world):
    from apps.accounts.models import User
    from apps.accounts.services import membership_create
    from apps.core import tenancy

    worker = User.objects.get(pk=world.users[Role.CASEWORKER].pk)
    with tenancy.user_context(worker):
        membership_create(user=worker, institution=world.police_a, role=Role.CASEWORKER)
        fresh = User.objects.get(pk=worker.pk)
        assert world.police_a.pk in fresh.access.institution_ids()
