"""The public page's machinery: from a link's token to its collection, the form token, the
proof-of-work, the rate limit and the collapsing of duplicate submissions. Nothing here stores the
visitor's address, browser or time of day with an answer.

- The token is resolved by ``kzn_survey_link_municipality`` (migration surveys 0002), the one narrow
  path that reads a collection before a tenant context exists: it answers the municipality only.
  The collection and its version are then read inside ``public_link_context(municipality)``
  (apps/core/tenancy.py). What the page needs of the collection (its dates, its version, the lock
  column that every change moves on) is kept in the shared cache (Redis) under a hash of the token,
  and deleted by every change of the collection (``forget_link``); an unknown token is remembered in
  process memory for ``COLLECTION_TTL`` seconds. Each process keeps a link it has read for
  ``LOCAL_TTL`` seconds more (a read of the shared cache costs more than the rest of the page): another
  process serves a changed collection's old page for at most that long; the one that made the change
  never does. Published versions never change, so their questions
  are kept in process memory, and so is the rendered blank page per collection, collection version,
  language and open/closed (``pages``): a request then costs one cache read, a signed form token and
  the joining of three strings, and no database query. The answer itself is checked against the
  stored dates again inside the context.
- The form carries a signed token (collection, a random nonce, the second it was made, the work
  asked): no cookie is needed, so Django's CSRF cookie is not used on this page (the view is
  csrf_exempt). What CSRF protects against (a signed-in user's session used by another site) does
  not exist here: there is no session, and the signed token must come from this page.
- Proof of work: with JavaScript the browser finds a number whose SHA-256 with the token starts with
  ``POW_BITS`` zero bits (about 0.1 s on a phone). Without JavaScript the answer is still accepted
  after a plausible reading time, but the address's daily allowance is smaller.
- Rate limit: a counter per address per day in Redis only, under an HMAC of the address whose key
  changes every day (yesterday's counters cannot be matched to today's and expire within a day):
  ``apps/core/rate_limit.py``, shared with the certificate check of the events app.
- A form token is used once: a second submission of the same form (a double click, a reload)
  shows the thank-you page and stores nothing.
"""
from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import astuple, dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone

from apps.core import rate_limit, tenancy

from .models import Collection, Question, QuestionnaireVersion, Section

COLLECTION_TTL = 30
LINK_TTL = 600
LOCAL_TTL = 2
POW_BITS = getattr(settings, "SURVEY_POW_BITS", 14)
MIN_SECONDS = getattr(settings, "SURVEY_MIN_SECONDS", 3)
FORM_MAX_AGE = 6 * 3600
DAILY_LIMIT_WITH_WORK = getattr(settings, "SURVEY_DAILY_LIMIT", 60)
DAILY_LIMIT_WITHOUT_WORK = getattr(settings, "SURVEY_DAILY_LIMIT_NO_WORK", 10)
SALT = "surveys.public-form"
RATE_SCOPE = "surveys"

_unknown: dict[str, float] = {}
_local: dict[str, tuple[float, PublicCollection]] = {}
_versions: dict[int, tuple] = {}
rendered: dict = {}  # (version id, language) -> the blank form's questions, rendered (apps/surveys/views/public.py)
pages: dict = {}  # PublicCollection.page_key(language) -> the blank page around its form token (views/public.py)


@dataclass(frozen=True)
class PublicCollection:
    id: int
    municipality_id: int
    version_id: int
    wave_id: int | None
    opens_on: object
    closes_on: object
    version: int = 1

    def page_key(self, lang: str) -> tuple:
        """What the blank page depends on: a change of the collection moves its version on."""
        return (self.id, self.version, self.version_id, lang, self.is_open())

    def is_open(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on


def resolve_municipality(token: str) -> int | None:
    """The municipality of the collection with this token (None: no such link)."""
    if not token or len(token) > 64:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT kzn_survey_link_municipality(%s)", [token])
        row = cursor.fetchone()
    return row[0] if row else None


def _link_key(token: str) -> str:
    return "surveys:link:" + hashlib.sha256(token.encode()).hexdigest()[:40]


def load(token: str) -> PublicCollection | None:
    """The collection of a public link (from the shared cache; else read inside its municipality's context)."""
    if not token or len(token) > 64:
        return None
    now = time.monotonic()
    local = _local.get(token)
    if local is not None and local[0] > now:
        return local[1]
    if _unknown.get(token, 0) > now:
        return None
    key = _link_key(token)
    hit = cache.get(key)
    if hit is not None:
        return _keep(token, PublicCollection(*hit), now)
    municipality_id = resolve_municipality(token)
    found = None
    if municipality_id is not None:
        with tenancy.public_link_context(municipality_id):
            c = Collection.objects.filter(token=token).values(
                "id", "municipality_id", "questionnaire_version_id", "wave_id", "opens_on", "closes_on", "version").first()
        if c:
            found = PublicCollection(c["id"], c["municipality_id"], c["questionnaire_version_id"], c["wave_id"],
                                     c["opens_on"], c["closes_on"], c["version"])
    if found is None:
        if len(_unknown) > 5000:
            _unknown.clear()
        _unknown[token] = now + COLLECTION_TTL
        return None
    cache.set(key, astuple(found), timeout=LINK_TTL)
    return _keep(token, found, now)


def _keep(token: str, found: PublicCollection, now: float) -> PublicCollection:
    if len(_local) > 5000:
        _local.clear()
    _local[token] = (now + LOCAL_TTL, found)
    return found


def forget_link(token: str) -> None:
    """A collection changed: its public page is read anew (now, and once the change is committed, so that a
    page read meanwhile is not kept)."""
    key = _link_key(token)

    def forget():
        _local.pop(token, None)
        cache.delete(key)

    forget()
    transaction.on_commit(forget)


def structure(public: PublicCollection) -> tuple[list, list, dict]:
    """(sections, questions, intro) of the collection's version: read once per process (published
    versions never change)."""
    hit = _versions.get(public.version_id)
    if hit is not None:
        return hit
    with tenancy.public_link_context(public.municipality_id):
        sections = list(Section.objects.filter(questionnaire_version_id=public.version_id).order_by("position", "id"))
        questions = list(Question.objects.filter(questionnaire_version_id=public.version_id)
                         .select_related("show_if").order_by("position", "id"))
        version = QuestionnaireVersion.objects.filter(pk=public.version_id).values("intro", "status").first()
    value = (sections, questions, (version or {}).get("intro") or {})
    if version and version["status"] == "published":
        _versions[public.version_id] = value
    return value


def cached_versions():
    """The versions whose structure is kept (published ones)."""
    return _versions.keys()


def clear_caches() -> None:
    _unknown.clear()
    _local.clear()
    _versions.clear()
    rendered.clear()
    pages.clear()


# --- the form token and the proof of work -------------------------------------------------------

def form_token(public: PublicCollection) -> str:
    return signing.dumps({"c": public.id, "n": secrets.token_urlsafe(12), "t": int(time.time()), "d": POW_BITS},
                         salt=SALT, compress=False)


def read_form_token(value: str, public: PublicCollection) -> dict | None:
    try:
        data = signing.loads(value or "", salt=SALT, max_age=FORM_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("c") != public.id:
        return None
    return data


def work_done(token: str, nonce: str, bits: int) -> bool:
    """Whether SHA-256(token:nonce) starts with ``bits`` zero bits."""
    if not nonce or len(nonce) > 20 or not nonce.isdigit():
        return False
    digest = hashlib.sha256(f"{token}:{nonce}".encode()).digest()
    value = int.from_bytes(digest, "big")
    return value >> (256 - bits) == 0


def solve(token: str, bits: int = POW_BITS) -> str:
    """The proof of work as the page's script finds it (tests and the load test)."""
    n = 0
    while not work_done(token, str(n), bits):
        n += 1
    return str(n)


# --- rate limit and duplicates (Redis only) -------------------------------------------------------

def _address_key(address: str) -> str:
    return rate_limit.address_key(RATE_SCOPE, address)


def allow(address: str, *, with_work: bool) -> bool:
    """Count one answer for the address today; False over the day's allowance (apps/core/rate_limit.py)."""
    limit = DAILY_LIMIT_WITH_WORK if with_work else DAILY_LIMIT_WITHOUT_WORK
    return rate_limit.allow(RATE_SCOPE, address, limit=limit)


def first_use(form: dict) -> bool:
    """True the first time a form token is submitted (it is then marked used for its lifetime)."""
    key = "surveys:used:" + hashlib.sha256(f"{form['c']}:{form['n']}".encode()).hexdigest()[:32]
    return cache.add(key, 1, timeout=FORM_MAX_AGE)


def forget_use(form: dict) -> None:
    cache.delete("surveys:used:" + hashlib.sha256(f"{form['c']}:{form['n']}".encode()).hexdigest()[:32])
