"""No link leads to a view that refuses GET (a link can only GET: a POST-only view answers a blank 405).

Two checks: every ``<a href="{% url ... %}">`` in every template (also through ``{% url ... as name %}``),
and every ``<a href>`` of pages rendered for several roles, resolved to its view. A view refuses GET
when it is a class without ``get`` (or without "get" in ``http_method_names``) or a function wrapped in
``require_POST`` / ``require_http_methods`` without GET.
"""
from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

TEMPLATES = Path(settings.BASE_DIR) / "templates"
URL_TAG = r"\{%\s*url\s+['\"]([^'\"]+)['\"][^%]*?%\}"
HREF_URL = re.compile(r"<a\b[^>]*\bhref=\"" + URL_TAG, re.S)
URL_AS = re.compile(r"\{%\s*url\s+['\"]([^'\"]+)['\"][^%]*?\bas\s+(\w+)\s*%\}")
HREF_VAR = re.compile(r"<a\b[^>]*\bhref=\"\{\{\s*(\w+)\s*\}\}", re.S)


def _closure_methods(func, depth: int = 0) -> set[str] | None:
    """The methods a function view allows when a ``require_http_methods`` decorator wraps it."""
    if depth > 5 or func is None:
        return None
    for cell in getattr(func, "__closure__", None) or ():
        value = cell.cell_contents
        if isinstance(value, (list, tuple)) and value and all(isinstance(v, str) and v.isupper() for v in value):
            return set(value)
        if callable(value):
            found = _closure_methods(value, depth + 1)
            if found is not None:
                return found
    return _closure_methods(getattr(func, "__wrapped__", None), depth + 1)


def refuses_get(callback) -> bool:
    """Whether the view behind ``callback`` answers GET with 405."""
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None:
        actions = getattr(callback, "actions", None)  # a DRF viewset route: its method map
        if actions is not None:
            return "get" not in actions
        allowed = getattr(callback, "view_initkwargs", {}).get("http_method_names", view_class.http_method_names)
        return "get" not in allowed or not hasattr(view_class, "get")
    methods = _closure_methods(callback)
    return methods is not None and "GET" not in methods


def url_views() -> dict[str, object]:
    """Every named URL pattern ("namespace:name") with its view."""
    found: dict[str, object] = {}

    def walk(patterns, namespace: str = ""):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, inner)
            elif isinstance(entry, URLPattern) and entry.name:
                found.setdefault(f"{namespace}{entry.name}", entry.callback)

    walk(get_resolver().url_patterns)
    return found


def template_links() -> list[tuple[str, str]]:
    """(template, URL name) of every link written with the url tag."""
    links = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        names = [m.group(1) for m in HREF_URL.finditer(text)]
        variables = {m.group(2): m.group(1) for m in URL_AS.finditer(text)}
        names += [variables[m.group(1)] for m in HREF_VAR.finditer(text) if m.group(1) in variables]
        links += [(str(path.relative_to(TEMPLATES)), name) for name in names]
    return links


def test_the_check_tells_post_only_views():
    views = url_views()
    assert refuses_get(views["conferences:agenda_prepare"])  # a class with post() only
    assert refuses_get(views["conferences:minutes_autosave"])  # http_method_names = ["post"]
    assert not refuses_get(views["conferences:meeting_detail"])
    assert not refuses_get(views["conferences:minutes"])
    assert "accounts:logout" in [name for name, view in views.items() if refuses_get(view)]

    def view(request):
        return None

    assert refuses_get(require_POST(view))
    assert not refuses_get(require_http_methods(["GET", "POST"])(view)) and not refuses_get(view)
    assert len(template_links()) > 50  # the templates were read


def test_no_template_links_to_a_view_that_refuses_get():
    views = url_views()
    bad = [(template, name) for template, name in template_links() if name in views and refuses_get(views[name])]
    unknown = [(template, name) for template, name in template_links() if name not in views]
    assert not bad, f"links to POST-only views (make them a form with a button): {bad}"
    assert not unknown, f"links to URL names that do not exist: {unknown}"


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def page_links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return [h for h in parser.hrefs if h.startswith("/") and not h.startswith("//")]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["coordinator", "caseworker", "supervisor", "official", "institution_admin"])
def test_rendered_pages_link_only_to_views_that_answer_get(world, verified_client, role):
    from apps.core.choices import Role
    from tests.conferences.factories import InviteeFactory
    from tests.conferences.factories_minutes import action, draft_minutes, make_case, on_agenda, past_meeting

    coordinator = world.users[Role.COORDINATOR]
    upcoming = past_meeting(world.mun_a, created_by=coordinator, days_ago=-3, supervisor=world.users[Role.SUPERVISOR])
    held = past_meeting(world.mun_a, created_by=coordinator, days_ago=0, supervisor=world.users[Role.SUPERVISOR])
    type(held).objects.filter(pk=held.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    case = make_case(institution=world.csr_a, opened_by=world.users[Role.CASEWORKER])
    for meeting in (upcoming, held):
        InviteeFactory(meeting=meeting, user=None, institution=world.csr_a)
        item = on_agenda(meeting, case)
    draft_minutes(held, recorded_by=coordinator)
    done = action(item, owner=world.csr_a, created_by=coordinator)
    pages = [
        "/", reverse("conferences:meeting_list"), reverse("conferences:meeting_detail", args=[upcoming.pk]),
        reverse("conferences:meeting_detail", args=[held.pk]), reverse("conferences:minutes", args=[held.pk]),
        reverse("conferences:minutes_item", args=[held.pk, item.pk]), reverse("conferences:actions"),
        reverse("conferences:action_detail", args=[done.pk]), reverse("conferences:calendar_month"),
        reverse("conferences:calendar_feeds"), reverse("cases:detail", args=[case.pk]),
    ]
    client = verified_client(world.users[role])
    checked, bad = 0, []
    for path in pages:
        response = client.get(path, follow=True)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        for href in page_links(response.content.decode()):
            try:
                match = resolve(urlsplit(href).path)
            except Resolver404:
                continue
            checked += 1
            if refuses_get(match.func):
                bad.append((path, href))
    assert checked > 5
    assert not bad, f"links to POST-only views: {bad}"
