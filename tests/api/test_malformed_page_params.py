"""Malformed query parameters never make an HTML list page answer 500: every page without URL
arguments, with the fields of its own filter forms and the pagers' parameters, given dates out of
range, impossible time zones, ids beyond bigint and forged cursors. A page shows a message (or
answers 400/404) instead."""
from __future__ import annotations

import re
from html import unescape

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from apps.core.choices import Role

BAD_VALUES = (
    "abc", "9999-12-31", "31.12.9999", "0112-01-24T06:35:35-22:25", "2026-13", str(2**63), "-1", "cD0yMDI2LTEzLTQ1", "MjAyNi0xMy00NVQwMDowMDowMHw5OTk5OTk5OTk5OTk5OTk5OTk5OQ",
)
# Parameters of pagers and period switches, which are links rather than form fields.
PAGER_PARAMETERS = ("page", "ipage", "cursor", "after", "before", "month", "day", "year", "when", "scope", "f")
SKIPPED_PREFIXES = ("api/", "i18n/", "health/", "accounts/logout/", "accounts/login/", "accounts/2fa/",
                    "accounts/password-reset/")


def page_routes() -> list[str]:
    """Paths of every HTML page that takes no URL argument."""
    paths: list[str] = []

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and "<" not in route and "(?P" not in route:
                if not route.startswith(SKIPPED_PREFIXES):
                    paths.append("/" + route.lstrip("^").rstrip("$"))

    walk(get_resolver().url_patterns, "")
    return paths


def get_form_fields(body: str) -> set[str]:
    """Names of the fields of the page's GET forms (its filters)."""
    names: set[str] = set()
    for attrs, inner in re.findall(r"<form([^>]*)>(.*?)</form>", body, re.S):
        if 'method="post"' in attrs.lower():
            continue
        names.update(unescape(n) for n in re.findall(r'<(?:input|select|textarea)[^>]*\sname="([^"]+)"', inner))
    return names - {"csrfmiddlewaretoken"}


def verified_client(user) -> Client:
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client(raise_request_exception=False, HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = TOTPDevice.objects.filter(user=user).first().persistent_id
    session.save()
    return client


@pytest.fixture
def coordinator_pages(api_world, db):
    return verified_client(api_world.users[Role.COORDINATOR])


@pytest.mark.timeout(900)  # every page of every app, with every bad value
def test_list_pages_answer_malformed_query_parameters_without_a_server_error(coordinator_pages):
    client = coordinator_pages
    problems, tried, pages = [], 0, 0
    for path in page_routes():
        first = client.get(path)
        if first.status_code != 200 or not first["Content-Type"].startswith("text/html"):
            continue
        pages += 1
        names = get_form_fields(first.content.decode()) | set(PAGER_PARAMETERS)
        for name in sorted(names):
            for bad in BAD_VALUES:
                tried += 1
                with transaction.atomic():
                    response = client.get(path, {name: bad})
                    transaction.set_rollback(True)
                if response.status_code >= 500:
                    problems.append(f"GET {path}?{name}={bad}: {response.status_code}")
    assert pages >= 10 and tried > 300
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("field,value", [("date_to", "31.12.9999"), ("date_from", "01.01.0001")])
def test_audit_log_dates_outside_the_calendar_are_a_message(api_world, db, field, value):
    """The audit filter is posted and kept in the session; a date its range arithmetic cannot handle is
    refused on the form instead of failing when the list is read."""
    client = verified_client(api_world.users["platform_admin"])
    with transaction.atomic():
        response = client.post("/audit/", {field: value}, follow=True)
        transaction.set_rollback(True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Enter a date between 01.01.1900 and 31.12.2199." in body


@pytest.mark.timeout(900)
def test_pages_with_ids_beyond_bigint_answer_404(coordinator_pages):
    """Every page that takes numeric ids (``<int:...>``) answers an id PostgreSQL cannot hold with 404."""
    client = coordinator_pages
    problems, tried = [], 0

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif "<int:" in route and not route.startswith("api/"):
                yield_paths.append(route)

    yield_paths: list[str] = []
    walk(get_resolver().url_patterns, "")
    for route in yield_paths:
        for huge in (str(2**63), str(10**30)):
            path = "/" + re.sub(r"<int:\w+>", huge, route)
            path = re.sub(r"<(?:str|slug):\w+>", "x", path)
            for method in ("get", "post"):
                tried += 1
                with transaction.atomic():
                    response = getattr(client, method)(path)
                    transaction.set_rollback(True)
                if response.status_code >= 500:
                    problems.append(f"{method.upper()} {path}: {response.status_code}")
    assert tried > 50
    assert not problems, "\n".join(problems)
