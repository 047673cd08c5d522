"""Password reset: the e-mail is queued after commit and sent by the Celery task."""
import re

import pytest
from django.core import mail
from django.urls import reverse

from apps.core.choices import AuditAction
from apps.core.models import AuditEntry
from tests.factories import UserFactory

from .conftest import run_queued_tasks


@pytest.mark.django_db
def test_reset_mail_is_queued_then_sent_by_the_task(client, django_capture_on_commit_callbacks):
    user = UserFactory(email="reset.proba@test.kzn.example")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("accounts:password_reset"), {"email": "reset.proba@test.kzn.example"})
    assert response.status_code == 302
    assert len(callbacks) == 1
    assert mail.outbox == []  # nothing is sent inside the request

    run_queued_tasks(callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reset.proba@test.kzn.example"]
    path = re.search(r"https?://[^/\s]+(/accounts/password-reset/\S+/\S+/)", message.body).group(1)

    response = client.get(path)  # Django moves the token into the session and redirects
    assert response.status_code == 302
    new_password = "nova-Lozinka-za-test-77"
    response = client.post(response["Location"], {"new_password1": new_password, "new_password2": new_password})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new_password)
    assert AuditEntry.objects.filter(action=AuditAction.PASSWORD_RESET, actor=user).exists()


@pytest.mark.django_db
def test_unknown_address_gets_the_same_answer_and_no_mail(client, django_capture_on_commit_callbacks):
    UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("accounts:password_reset"), {"email": "nobody@test.kzn.example"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert callbacks == []
