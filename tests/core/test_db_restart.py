"""PostgreSQL goes away while pages are served (a restart or a switch-over), through a real HTTP server.

Every connection of the test database is terminated and new ones are refused for a while, as during
a restart. The requests in that window get a clean 503 page (no traceback, nothing of the request,
Retry-After); as soon as the database takes connections again the next requests succeed, because each
request checks its persistent connection first (``CONN_HEALTH_CHECKS``).
"""
from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request

import psycopg
import pytest
from django.db import connection

pytestmark = [pytest.mark.timeout(120)]


def _admin_connection():
    s = connection.settings_dict
    return psycopg.connect(host=s["HOST"] or None, port=s["PORT"] or None, user=s["USER"] or None,
                           password=s["PASSWORD"] or None, dbname="postgres", autocommit=True)


def _get(url: str) -> tuple[int, dict, str]:
    request = urllib.request.Request(url, headers={"Cookie": "kzn_language=en"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def test_requests_fail_cleanly_while_the_database_restarts_then_succeed(transactional_db, live_server):
    name = connection.settings_dict["NAME"]
    page = live_server.url + "/accounts/login/?next=" + urllib.parse.quote("/cases/?q=Jelena", safe="")
    assert _get(live_server.url + "/health/")[0] == 200

    with _admin_connection() as admin:
        admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
        try:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name])
            status, headers, body = _get(live_server.url + "/health/")
            assert status == 503 and headers.get("Retry-After") == "30"
            assert "briefly unavailable" in body and "Traceback" not in body
            status, headers, body = _get(page)
            assert status in (200, 503)  # the login page itself may not need the database
            assert "Jelena" not in body and "Traceback" not in body
        finally:
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
    connection.close()  # this thread's connection was terminated too

    assert _get(live_server.url + "/health/")[0] == 200
    assert _get(live_server.url + "/health/")[0] == 200
