"""A real Celery worker process, the real Redis broker and a real SMTP server: the production path."""
import re
import time
import uuid

import pytest

from apps.accounts.invitations import invitation_create
from apps.accounts.models import Invitation
from apps.core import tenancy
from apps.core.choices import OutboxStatus, Role
from apps.core.models import OutboxMessage
from apps.core.tasks import ping
from tests.conftest_celery import celery_worker, smtp_server  # noqa: F401 - fixtures
from tests.factories import InstitutionFactory, member

pytestmark = [pytest.mark.celery, pytest.mark.timeout(240)]


def test_ping_round_trip_through_a_real_worker(celery_worker):  # noqa: F811
    token = uuid.uuid4().hex

    answer = ping.delay(token).get(timeout=60)

    assert answer == f"pong:{token}"


def test_invitation_email_is_delivered_by_the_worker_after_commit(celery_worker, smtp_server):  # noqa: F811
    institution = InstitutionFactory(name="CSR Testgrad Radnik")
    inviter = member(Role.INSTITUTION_ADMIN, institution)

    # Queued in the inviter's context, as a request does: the worker reads the invitation in it.
    with tenancy.user_context(inviter):
        invitation = invitation_create(
            email="Nova.Radnica@test.kzn.example", institution=institution, role=Role.CASEWORKER,
            invited_by=inviter, language="en",
        )
        # Nothing is queued before the transaction commits.
        assert smtp_server.messages == []

    [mail] = smtp_server.wait_for(1, timeout=90)
    assert mail.rcpt_tos == ["nova.radnica@test.kzn.example"]
    assert "CSR Testgrad Radnik" in mail.body
    link = re.search(r"https?://\S+/accounts/invite/(?P<token>[^/\s]+)/", mail.body)
    assert link, mail.body
    # The link carries the one-time token of exactly this invitation (only its hash is stored).
    assert Invitation.find_by_token(link.group("token")) == invitation
    # The worker records the delivery in the outbox right after the SMTP server accepted the message.
    row = OutboxMessage.objects.get(kind="accounts.invitation")
    deadline = time.monotonic() + 30
    while OutboxMessage.objects.get(pk=row.pk).status != OutboxStatus.SENT and time.monotonic() < deadline:
        time.sleep(0.2)
    assert OutboxMessage.objects.get(pk=row.pk).status == OutboxStatus.SENT
