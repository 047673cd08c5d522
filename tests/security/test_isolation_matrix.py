"""The isolation matrix: every URL x every role x own / same-municipality / other-municipality object.

The registry lives in tests/security/matrix.py; a URL of the project that is not in it fails
``test_every_url_pattern_is_in_the_matrix``.
"""
from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from rest_framework.test import APIClient

from .matrix import ANONYMOUS, API, ENTRIES, EXCLUDED, LOGIN, PA, REDIRECT, ROLES, Entry, entries_by_name


def project_url_names() -> tuple[set[str], list[str]]:
    """Every named URL pattern (with namespaces), and the routes of unnamed ones."""
    names: set[str] = set()
    unnamed: list[str] = []

    def walk(patterns, namespaces, prefix):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = [*namespaces, pattern.namespace] if pattern.namespace else namespaces
                walk(pattern.url_patterns, ns, prefix + str(pattern.pattern))
            elif pattern.name:
                names.add(":".join([*namespaces, pattern.name]))
            else:
                unnamed.append(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns, [], "")
    return names, unnamed


def test_every_url_pattern_is_in_the_matrix():
    names, unnamed = project_url_names()
    assert not unnamed, f"URL patterns without a name cannot be checked by the matrix: {unnamed}"
    assert "institution-list" in names and "core:home" in names  # the walk sees the router and includes
    registered = set(entries_by_name())
    missing = sorted(names - registered - set(EXCLUDED))
    assert not missing, (
        "These URL patterns have no entry in tests/security/matrix.py; add one with the designed answer "
        f"for every role and scope: {missing}"
    )
    stale = sorted((registered | set(EXCLUDED)) - names)
    assert not stale, f"Matrix entries for URL patterns that no longer exist: {stale}"


def _verified_client(user) -> Client:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    device = TOTPDevice.objects.filter(user=user, name="matrix").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="matrix", confirmed=True)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _api_client(user, tokens: dict) -> APIClient:
    from knox.models import AuthToken

    client = APIClient()
    if user is not None:
        if user.pk not in tokens:
            tokens[user.pk] = AuthToken.objects.create(user=user, expiry=timedelta(hours=1))[1]
        client.credentials(HTTP_AUTHORIZATION=f"Token {tokens[user.pk]}")
    return client


def _signed_in(w, role, *, fresh: bool):
    """A page client of ``role`` (the world's tokens, devices and sessions are made once per module)."""
    cache = w.__dict__.setdefault("_page_clients", {})
    if fresh or role not in cache:
        client = _verified_client(w.users[role]) if role != ANONYMOUS else Client()
        if fresh:
            return client
        cache[role] = client
    return cache[role]


def _send(entry: Entry, client, url: str, body):
    method = entry.method.lower()
    if entry.kind == API:
        if entry.method == "GET":
            return getattr(client, method)(url)
        return getattr(client, method)(url, body or {}, format="json")
    if entry.method == "GET":
        return client.get(url)
    return getattr(client, method)(url, body or {})


def _content(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def _matches(response, expected) -> bool:
    if isinstance(expected, tuple):
        return any(_matches(response, one) for one in expected)
    login = reverse("accounts:login")
    location = response.get("Location", "") if response.status_code in (301, 302, 303) else ""
    if expected == LOGIN:
        return bool(location) and location.split("?")[0] == login
    if expected == REDIRECT:
        return bool(location) and location.split("?")[0] != login
    return response.status_code == expected


def _describe(response) -> str:
    where = f" -> {response['Location']}" if response.has_header("Location") else ""
    return f"{response.status_code}{where}"


def _leaks(entry: Entry, w, response) -> list[str]:
    body = _content(response)
    found = [text for text in w.leak_texts if text and text in body]
    if entry.kind == API and entry.name in w.leak_ids:
        rows = json.loads(body).get("results", [])
        found += [f"id {row['id']}" for row in rows if row.get("id") in w.leak_ids[entry.name]]
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("entry", ENTRIES, ids=[entry.id for entry in ENTRIES])
def test_isolation_matrix(entry: Entry, matrix_world):
    w = matrix_world
    failures: list[str] = []
    tokens = w.__dict__.setdefault("_tokens", {})
    for role in ROLES:
        user = None if role == ANONYMOUS else w.users[role]
        for scope in entry.scope_list():
            kwargs = entry.kwargs(w, scope) if entry.kwargs else None
            url = reverse(entry.name, kwargs=kwargs) + entry.query
            body = entry.data(w, scope) if entry.data else None
            if entry.kind == API:
                client = _api_client(user, tokens)
            else:
                # A GET leaves the session as it was; a POST (logout, switching...) gets a session of its own.
                client = _signed_in(w, role, fresh=entry.method != "GET")
            # Every request is undone afterwards, so that writes do not change the next role's world.
            with transaction.atomic():
                response = _send(entry, client, url, body)
                content_leaks = []
                if entry.leaks and role not in (PA, ANONYMOUS) and response.status_code == 200:
                    content_leaks = _leaks(entry, w, response)
                transaction.set_rollback(True)
            expected = entry.expected(role, scope)
            if not _matches(response, expected):
                failures.append(f"{role:>17} {scope:<18} expected {expected}, got {_describe(response)}")
            if content_leaks:
                failures.append(f"{role:>17} {scope:<18} answer shows the other municipality: {content_leaks}")
    assert not failures, f"{entry.method} {entry.name}:\n" + "\n".join(failures)
