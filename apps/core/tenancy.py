"""Row-level security, the second wall: whose request a database transaction serves.

Every tenant table (a ``municipality_id`` column, and the municipality table itself) has ENABLE and
FORCE ROW LEVEL SECURITY and one policy, ``kzn_tenant``, that admits a row only when its municipality
is among the municipalities of the transaction's user. The user is stated per transaction, in one
statement sent with the transaction's BEGIN, with ``set_config(..., true)`` (``SET LOCAL``): nothing outlives the transaction, so a
connection pooler in transaction mode (pgbouncer) may hand the connection to anyone next. The same
statement switches to the application role (``SET LOCAL ROLE``), a role that owns no table and does
not bypass row-level security, so the policies hold even where the login is the owner or a superuser.

Settings of the transaction (all ``SET LOCAL``):
- ``kzn.user_id``: the user (their own memberships, grants, drafts... stay readable by it);
- ``kzn.municipality_ids``: their municipalities, computed by ``kzn_context`` (a SECURITY DEFINER
  function of migration core 0007) from ``kzn_user_reach``, the one statement of what a user reaches:
  memberships, the municipality-wide grants of their groups, the cases shared with them by unexpired
  grants, running referrals to their institutions and their coordination areas (the same call returns
  the rows the request's access context reads: ``take_reach``);
- ``kzn.directory``: ``on`` for platform admins: the directory tables (municipalities, institutions,
  memberships, invitations, areas) of every municipality, never case content.
No setting: no row (every policy fails closed).

The platform-wide jobs (reminders, expiry...) run in ``platform(reason)``, the one named bypass:
every municipality, and an audit entry saying which job entered it.
"""
from __future__ import annotations

import json
import logging
from contextlib import contextmanager
from dataclasses import dataclass, replace

import psycopg
from django.conf import settings
from django.db import connections, transaction
from django.utils import timezone

from . import fixed_sql
from .audit import audit_log
from .choices import AuditAction

logger = logging.getLogger(__name__)

POLICY = "kzn_tenant"
# The national templates and municipal adaptations of protocols and checklists (apps/protocols): every
# signed-in user reads them (a national template has no municipality); writes stay in scope, and only
# the directory flag (platform admins) writes a national one.
PROTOCOL_TABLES = (
    "protocols_protocol", "protocols_protocolversion", "protocols_protocolstep",
    "protocols_checklist", "protocols_checklistitem",
)
# Tables of people and structure that platform admins manage (they onboard municipalities and manage
# users); every other tenant table is case content, which no directory flag opens.
DIRECTORY_TABLES = frozenset({
    "municipalities_municipality",
    "municipalities_municipalitygroupgrant",
    "institutions_institution",
    "accounts_membership",
    "accounts_invitation",
    "accounts_accessnotice",
    "conferences_coordinationarea",
    "conferences_areamunicipality",
    "conferences_areamember",
    # Protocols and checklists: national templates (no municipality) published by platform admins and
    # municipal adaptations; rules of work, never case content.
    *PROTOCOL_TABLES,
})
# The service directory: any signed-in user reads every municipality's institutions, municipalities
# and coordination areas (a referral may go to a safe house elsewhere, an area spans municipalities);
# writes stay in scope.
REFERENCE_TABLES = frozenset({
    "municipalities_municipality",
    "institutions_institution",
    "conferences_coordinationarea",
    "conferences_areamunicipality",
    "conferences_areamember",
    *PROTOCOL_TABLES,
})
# The audit log: written by anyone acting (a failed login has no municipality), read in scope.
AUDIT_TABLE = "core_auditentry"
# The audit log's hash chain (apps/core/audit_chain.py): read and written only by platform-wide jobs.
AUDIT_SEAL_TABLE = "core_auditseal"


@dataclass(frozen=True)
class TenantState:
    """What one transaction states about its request."""

    user_id: int | None = None
    directory: bool = False
    platform: str = ""  # the name of the platform-wide job, for the bypass
    invitation: str = ""  # the token hash of the invitation link an anonymous request opened
    # An anonymous request that opened a public link (a questionnaire's), resolved beforehand to the
    # municipality of that link by a narrow SECURITY DEFINER function (apps/surveys/public.py).
    municipality_id: int | None = None

    def as_header(self) -> dict:
        return {"user_id": self.user_id, "directory": self.directory, "platform": self.platform}

    @classmethod
    def from_header(cls, value) -> TenantState:
        value = value if isinstance(value, dict) else {}
        user_id = value.get("user_id")
        return cls(
            user_id=int(user_id) if user_id is not None else None,
            directory=bool(value.get("directory")),
            platform=str(value.get("platform") or ""),
        )


NOBODY = TenantState()


def app_role() -> str:
    """The role every tenant transaction runs as (``DB_APP_ROLE``; empty: stay the login role)."""
    return getattr(settings, "DATABASE_APP_ROLE", "") or ""


def _enter_sql(role: str) -> str:
    # One statement per transaction. The municipalities are computed in the database by a SECURITY
    # DEFINER function, so the app role needs no read of memberships or grants before it knows them;
    # the same call returns the user's memberships, municipality-wide permissions and shared cases'
    # municipalities (``kzn_user_reach``, migration core 0007), which the access context of the
    # request then reads instead of asking again (``take_reach``).
    role_part = "set_config('role', %s, true), " if role else ""
    return (
        f"SELECT {role_part}set_config('kzn.user_id', %s, true), "
        "set_config('kzn.municipality_ids', x.municipality_ids, true), "
        "set_config('kzn.directory', %s, true), x.reach "
        "FROM kzn_context(%s::bigint, %s, %s, %s) AS x"
    )


_LEAVE_SQL = (
    "SELECT set_config('role', 'none', true), set_config('kzn.user_id', '', true), "
    "set_config('kzn.municipality_ids', '', true), set_config('kzn.directory', '', true)"
)


def _stack(connection) -> list:
    stack = getattr(connection, "_kzn_tenant_stack", None)
    if stack is None:
        stack = connection._kzn_tenant_stack = []
    return stack


def _opens_here(connection) -> bool:
    """Whether the context statement may open the transaction itself: psycopg would otherwise send
    its BEGIN in a round trip of its own (also in pipeline mode, where it waits for BEGIN's answer)."""
    raw = connection.connection
    pgconn = getattr(raw, "pgconn", None)
    return (
        getattr(settings, "TENANT_CONTEXT_WITH_BEGIN", True)
        and pgconn is not None
        and not getattr(raw, "_autocommit", True)
        and pgconn.transaction_status == psycopg.pq.TransactionStatus.IDLE
    )


def _run(connection, sql: str, params: list, *, opens: bool):
    """Run the context statement and return its row. When it is the transaction's first statement
    (``opens``), ``BEGIN`` is sent in the same message (one simple query of two statements): the
    transaction starts and states whose it is in one round trip. psycopg sends a BEGIN of its own
    before the first statement of a transaction unless the connection is in autocommit, so for this
    one call it is told it is (``_autocommit``, what ``_start_query`` reads); it is not, and the
    BEGIN it would have sent is the first statement of the message. ``tests/core/test_round_trips.py``
    counts the round trips of a request, so a psycopg that stops honouring this fails CI."""
    connection.ensure_connection()
    if opens and _opens_here(connection):
        raw = connection.connection
        with connection.cursor() as cursor:
            raw._autocommit = True
            try:
                cursor.execute("BEGIN; " + sql, params)
            finally:
                raw._autocommit = False
            cursor.nextset()
            return cursor.fetchone()
    # Prepared: the same text on every nested context (apps/core/fixed_sql.py).
    with fixed_sql.cursor(connection) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


def _apply(connection, state: TenantState | None, *, opens: bool = False) -> None:
    connection._kzn_reach = None
    if state is None:
        _run(connection, _LEAVE_SQL, [], opens=opens)
        return
    role = app_role()
    if state.municipality_id is not None and state.user_id is None and not state.platform:
        role_part = "set_config('role', %s, true), " if role else ""
        _run(
            connection,
            f"SELECT {role_part}set_config('kzn.user_id', '', true), "
            "set_config('kzn.municipality_ids', %s, true), set_config('kzn.directory', '', true)",
            [*([role] if role else []), f"{{{int(state.municipality_id)}}}"],
            opens=opens,
        )
        return
    user = "" if state.user_id is None else str(state.user_id)
    directory = "on" if (state.directory or state.platform) else ""
    params = [user, directory, state.user_id, bool(state.platform), timezone.now(), state.invitation]
    row = _run(connection, _enter_sql(role), [role, *params] if role else params, opens=opens)
    if state.user_id is not None and not state.platform and row is not None and row[-1] is not None:
        connection._kzn_reach = (state.user_id, row[-1])


def forget_reach(user_id, *, using: str = "default") -> None:
    """Drop what the opening statement read of ``user_id``'s reach (their memberships or grants changed
    in this transaction: their next access context reads them again)."""
    connection = connections[using]
    held = getattr(connection, "_kzn_reach", None)
    if held is not None and held[0] == user_id:
        connection._kzn_reach = None


def take_reach(user_id, *, using: str = "default") -> list | None:
    """What the statement that opened the current context read of ``user_id``'s reach (rows of
    ``kind, municipality_id, institution_id, ref_id, name, active``; kinds m, p and g), handed out
    once: a later access context of the same user (after a membership change) asks the database
    again. None: the context is not that user's, or it was handed out already."""
    connection = connections[using]
    held = getattr(connection, "_kzn_reach", None)
    if held is None or user_id is None or held[0] != user_id:
        return None
    connection._kzn_reach = None
    return json.loads(held[1])


def current(using: str = "default") -> TenantState | None:
    """The state of the innermost tenant context open on the connection (None: none is open)."""
    stack = _stack(connections[using])
    return stack[-1] if stack else None


@contextmanager
def tenant_context(state: TenantState, *, using: str = "default"):
    """A transaction (a savepoint when one is open) that serves ``state``; the context of an
    enclosing transaction comes back when it ends (SET LOCAL would otherwise outlive a savepoint)."""
    connection = connections[using]
    stack = _stack(connection)
    nested = connection.in_atomic_block
    # Pushed before the transaction opens and popped after it ends: the on-commit callbacks (which
    # queue the Celery tasks) still know whose request they finish, and pass it on to the task.
    stack.append(state)
    try:
        with transaction.atomic(using=using):
            _apply(connection, state, opens=not nested)
            yield state
            if nested and not connection.needs_rollback:
                _apply(connection, stack[-2] if len(stack) > 1 else None)
    finally:
        stack.pop()


def state_for(user) -> TenantState:
    """The state of a request by ``user`` (anonymous: nobody)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return NOBODY
    return TenantState(user_id=user.pk, directory=bool(getattr(user, "is_platform_admin", False)))


def user_context(user, *, using: str = "default"):
    """A transaction that acts for ``user`` (management commands, shells, tests)."""
    return tenant_context(state_for(user), using=using)


def bind_user(user, *, using: str = "default") -> None:
    """The open tenant context now acts for ``user`` (a login, or an API token authenticated inside
    the view); no-op outside a tenant context."""
    connection = connections[using]
    stack = _stack(connection)
    if not stack:
        return
    state = state_for(user)
    if stack[-1] == state:
        return
    stack[-1] = state
    _apply(connection, state)


def bind_invitation(token_hash: str, *, using: str = "default") -> None:
    """An anonymous request that opened an invitation link may read that invitation (and accept it
    when usable): its municipality joins the context (no-op for a signed-in user)."""
    stack = _stack(connections[using])
    if not stack or stack[-1].user_id is not None or stack[-1].platform or stack[-1].invitation == token_hash:
        return
    stack[-1] = replace(stack[-1], invitation=token_hash)
    _apply(connections[using], stack[-1])


def public_link_context(municipality_id: int, *, using: str = "default"):
    """A transaction for an anonymous request on a public link of ``municipality_id`` (found from the
    link's token by a narrow function that answers only that): that municipality's rows, no user."""
    return tenant_context(TenantState(municipality_id=int(municipality_id)), using=using)


@contextmanager
def platform(reason: str, *, using: str = "default"):
    """The named, audited bypass for platform-wide jobs (reminders, expiry): every municipality.
    Writes an audit entry naming the job before anything is read."""
    if not reason:
        raise ValueError("A platform-wide context needs the name of its job.")
    with tenant_context(TenantState(platform=reason[:100]), using=using) as state:
        audit_log(action=AuditAction.PLATFORM, object_type="platform", details={"job": state.platform})
        yield state


def streamed(chunks, state: TenantState, *, using: str = "default"):
    """The chunks of a streaming response, produced inside a tenant context of their own: the
    request's transaction has ended by the time the server iterates them."""
    with tenant_context(state, using=using):
        yield from chunks
