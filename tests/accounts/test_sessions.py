"""Session lifetime: 30 minutes idle (renewed by activity, at most once a minute), 12 hours at most."""
import time

from django.conf import settings
from django.test import override_settings
from django.urls import reverse

from apps.accounts.middleware import SESSION_STARTED_KEY, SESSION_TOUCHED_KEY, touch_interval
from apps.core.choices import Role


def test_idle_timeout_is_thirty_minutes_renewed_within_a_minute():
    from config.settings import base

    assert base.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60
    with override_settings(SESSION_COOKIE_AGE=1800):
        assert touch_interval() == 60
    with override_settings(SESSION_COOKIE_AGE=2):
        assert touch_interval() == 0.2


def test_requests_within_the_touch_interval_do_not_rewrite_the_session(client, world, monkeypatch):
    from importlib import import_module

    from django.conf import settings

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore  # noqa: N806 - the engine's class

    writes = []
    original = SessionStore.save
    monkeypatch.setattr(SessionStore, "save", lambda self, *a, **kw: (writes.append(1), original(self, *a, **kw))[1])
    client.force_login(world.users[Role.OFFICIAL])
    assert client.get(reverse("core:home")).status_code == 200  # first request: stamps the session
    stamped = len(writes)
    for _ in range(3):
        assert client.get(reverse("core:home")).status_code == 200
    assert len(writes) == stamped
    session = client.session
    session[SESSION_TOUCHED_KEY] = time.time() - 61  # a minute later: renewed once
    session.save()
    before = len(writes)
    assert client.get(reverse("core:home")).status_code == 200
    assert len(writes) == before + 1


def test_idle_session_expires(client, world):
    with override_settings(SESSION_COOKIE_AGE=1):
        client.force_login(world.users[Role.OFFICIAL])
        assert client.get(reverse("core:home")).status_code == 200
        time.sleep(2.2)
        response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_activity_keeps_the_session_alive(client, world):
    with override_settings(SESSION_COOKIE_AGE=2):
        client.force_login(world.users[Role.OFFICIAL])
        for _ in range(4):  # 4 x 1.2 s: well past the 2 s idle limit in total, never idle that long
            assert client.get(reverse("core:home")).status_code == 200
            time.sleep(1.2)
        assert client.get(reverse("core:home")).status_code == 200


def test_session_ends_twelve_hours_after_login_whatever_the_activity(verified_client, world):
    client = verified_client(world.users[Role.CASEWORKER])
    assert client.get(reverse("core:home")).status_code == 200
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - 13 * 60 * 60
    session.save()

    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:login") + "?expired=1"
    assert "_auth_user_id" not in client.session
    response = client.get(reverse("core:home"))
    assert response["Location"].startswith(reverse("accounts:login"))


def test_session_within_twelve_hours_continues(verified_client, world):
    client = verified_client(world.users[Role.CASEWORKER])
    client.get(reverse("core:home"))
    session = client.session
    session[SESSION_STARTED_KEY] = time.time() - 11 * 60 * 60
    session.save()
    assert client.get(reverse("core:home")).status_code == 200
