"""Identities for the load test: verified sessions and API tokens for a sample of generated users,
with cases each may open, written to a JSON file that benchmarks/locustfile.py reads.

The sessions are made the way a real login leaves them (user, auth hash, verified second factor,
session start) so the server runs its whole middleware stack; nothing is faked on the server side.
"""
from __future__ import annotations

import json
import random
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.cached_db import SessionStore
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from apps.accounts.middleware import SESSION_STARTED_KEY
from apps.accounts.models import Membership, User
from apps.cases.selectors import lists
from apps.core.choices import Role

SEARCHES = ["Đorđević", "Ђорђевић", "djordjevic", "Petrović", "Јовановић", "Jelena Nikolić", "Stankski"]


def _session_cookie(user) -> str:
    device, _created = TOTPDevice.objects.get_or_create(user=user, name="benchmark", defaults={"confirmed": True})
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "apps.accounts.backends.EmailOrUsernameBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session[SESSION_STARTED_KEY] = time.time()
    session.create()
    return session.session_key


def prepare(path: str, *, caseworkers: int = 200, coordinators: int = 30, officials: int = 30, api_clients: int = 20,
            seed: int = 1, log=print) -> dict:
    """Write the identities file and return it."""
    rng = random.Random(seed)

    def sample(role, n):
        ids = sorted(Membership.objects.filter(role=role, is_active=True).values_list("user_id", flat=True).distinct())
        return [User.objects.get(pk=pk) for pk in rng.sample(ids, min(n, len(ids)))]

    def cases_of(user, scope):
        return [c.pk for c in lists.case_list(user, scope=scope, page_size=20, audit=False).cases]

    data = {"cookie_name": settings.SESSION_COOKIE_NAME, "searches": SEARCHES,
            "caseworkers": [], "coordinators": [], "officials": [], "api_clients": []}
    for user in sample(Role.CASEWORKER, caseworkers):
        cases = cases_of(user, "mine") or cases_of(user, "institution")
        if cases:
            data["caseworkers"].append({"session": _session_cookie(user), "cases": cases})
    for user in sample(Role.COORDINATOR, coordinators):
        data["coordinators"].append({"session": _session_cookie(user), "cases": cases_of(user, "all")})
    for user in sample(Role.OFFICIAL, officials):
        data["officials"].append({"session": _session_cookie(user)})
    for user in sample(Role.CASEWORKER, api_clients):
        _instance, token = AuthToken.objects.create(user=user)
        data["api_clients"].append({"token": token})
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(data))
    log(
        f"Load-test identities: {len(data['caseworkers'])} caseworkers, {len(data['coordinators'])} coordinators, "
        f"{len(data['officials'])} officials, {len(data['api_clients'])} API clients -> {path}"
    )
    return data
