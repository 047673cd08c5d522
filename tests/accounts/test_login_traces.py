"""What a failed login leaves behind: the account it named, or a keyed hash; never the text as typed."""
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import connection
from django.urls import reverse

from apps.core.choices import AuditAction
from apps.core.models import AuditEntry
from tests.factories import UserFactory

PASSWORD = "test-lozinka-123"
IP = "203.0.113.10"
# A password typed into the name field by mistake (fictional).
TYPED_SECRET = "Ljubicica-Proba-4711"

TABLES = [AuditEntry, AccessAttempt, AccessLog, AccessFailureLog]


def _login(client, login, password):
    return client.post(reverse("accounts:login"), {"username": login, "password": password}, REMOTE_ADDR=IP)


def _rows_containing(model, text: str) -> int:
    """Rows of the table whose any column holds ``text`` (any case), read straight from PostgreSQL."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {connection.ops.quote_name(model._meta.db_table)} t "
            "WHERE position(lower(%s) in lower(t::text)) > 0",
            [text],
        )
        return cursor.fetchone()[0]


@pytest.fixture(autouse=True)
def failure_log(settings):
    """axes' optional failure log on too, so that its table is checked as well."""
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True


@pytest.mark.django_db
def test_a_password_typed_as_the_name_is_stored_nowhere(client):
    user = UserFactory()
    for _ in range(5):  # up to the lockout, so the lockout's own records are checked as well
        _login(client, TYPED_SECRET, user.email)
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).count() >= 4
    assert AuditEntry.objects.filter(action=AuditAction.LOCKOUT).exists()
    assert AccessAttempt.objects.exists() and AccessFailureLog.objects.exists()
    for model in TABLES:
        assert _rows_containing(model, TYPED_SECRET) == 0, model._meta.db_table
        assert _rows_containing(model, TYPED_SECRET.casefold()) == 0, model._meta.db_table
    # The attempts still count as one: the stand-in is the same keyed hash each time.
    assert AccessAttempt.objects.get().failures_since_start == 5
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED).values("actor_label").distinct().count() == 1


@pytest.mark.django_db
def test_a_failed_login_to_an_account_names_the_account(client):
    user = UserFactory(email="petar.proba@test.kzn.example", username="testgrad.petar")
    _login(client, "PETAR.Proba@test.kzn.example", "not-the-password")
    entry = AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED)
    assert entry.actor_label == user.email
    assert (entry.object_type, entry.object_id) == ("accounts.user", str(user.pk))
    assert AccessAttempt.objects.get().username == user.username
    assert AccessFailureLog.objects.get().username == user.username
