"""Mixed traffic of the four kinds of user against a running server (gunicorn), for locust.

Identities come from ``manage.py run_benchmarks --prepare-load FILE`` (verified sessions and API
tokens of generated users); point KZN_LOAD_USERS at that file. The mix follows the day in
JOURNEYS.md: caseworkers (list, case page, work queue, search), coordinators (all cases, case
page), officials (their home page, aggregates only) and API clients (the case list with a token).
This file needs only locust, not Django.
"""
from __future__ import annotations

import itertools
import json
import os
import random
from urllib.parse import quote

from locust import FastHttpUser, between, task

DATA = json.loads(open(os.environ.get("KZN_LOAD_USERS", "benchmarks/results/load_users.json"), encoding="utf-8").read())
_next = {kind: itertools.cycle(DATA[kind]) for kind in ("caseworkers", "coordinators", "officials", "api_clients")}


class _Browser(FastHttpUser):
    abstract = True
    wait_time = between(0.5, 1.5)
    kind = ""

    def on_start(self):
        self.me = next(_next[self.kind])
        self.headers = {"Cookie": f"{DATA['cookie_name']}={self.me['session']}", "Accept-Language": "sr-latn"}

    def page(self, url, name):
        with self.client.get(url, headers=self.headers, name=name, catch_response=True, allow_redirects=False) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")

    def a_case(self):
        return random.choice(self.me["cases"])


class Caseworker(_Browser):
    """Jelena: her cases, a case page, the work queue, a name search."""

    weight = 6
    kind = "caseworkers"

    @task(3)
    def my_cases(self):
        self.page("/cases/?scope=mine", "case list (mine)")

    @task(1)
    def institution_cases(self):
        self.page("/cases/?scope=institution", "case list (institution)")

    @task(3)
    def case_page(self):
        self.page(f"/cases/{self.a_case()}/", "case page")

    @task(2)
    def work_queue(self):
        self.page("/cases/work-queue/", "work queue")

    @task(1)
    def search(self):
        q = quote(random.choice(DATA["searches"]))
        self.page(f"/api/v1/cases/?q={q}", "name search (API, session)")


class Coordinator(_Browser):
    """Marko: every case of the municipality and case pages."""

    weight = 2
    kind = "coordinators"

    @task(3)
    def all_cases(self):
        self.page("/cases/?scope=all", "case list (all, coordinator)")

    @task(2)
    def case_page(self):
        if self.me["cases"]:
            self.page(f"/cases/{self.a_case()}/", "case page (coordinator)")


class Official(_Browser):
    """Dragana: her home page (aggregates only, never a person)."""

    weight = 1
    kind = "officials"

    @task
    def home(self):
        self.page("/", "home (official)")


class ApiClient(FastHttpUser):
    """The police system: the case list through the API with a token."""

    weight = 1
    wait_time = between(0.5, 1.5)

    def on_start(self):
        token = next(_next["api_clients"])["token"]
        self.headers = {"Authorization": f"Token {token}", "Accept": "application/json"}

    @task
    def cases(self):
        with self.client.get("/api/v1/cases/?scope=institution", headers=self.headers, name="API case list",
                             catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")
