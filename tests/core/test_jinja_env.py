"""The compiled templates' environment (apps/core/jinja_env.py): Django's translations in the reader's
language and script, autoescape on, Django's url and static, and CSRF from the request."""
from __future__ import annotations

from django.template import Context, Template, engines
from django.test import RequestFactory
from django.utils import translation
from django.utils.safestring import mark_safe

from apps.cases.views.deadline_rows import done_badge
from apps.core.jinja_env import jinja_macros


def _render(source: str, context: dict | None = None, request=None) -> str:
    return engines["jinja2"].from_string(source).render(context or {}, request)


def test_translations_follow_the_active_language_and_script():
    source = '{{ _("Not assessed") }} · {{ ngettext("%(num)d case", "%(num)d cases", 3) }}'
    with translation.override("sr-latn"):
        latin = _render(source)
    with translation.override("sr-cyrl"):
        cyrillic = _render(source)
    with translation.override("en"):
        english = _render(source)
    assert latin.startswith("Nije procenjeno") and cyrillic.startswith("Није процењено")
    assert english.startswith("Not assessed") and english.endswith("3 cases")


def test_values_are_escaped_and_markup_is_kept():
    html = _render('<a title="{{ t }}">{{ t }}</a>{{ m }}', {"t": '<b>"x"</b>', "m": mark_safe("<i>ok</i>")})
    assert html == '<a title="&lt;b&gt;&#34;x&#34;&lt;/b&gt;">&lt;b&gt;&#34;x&#34;&lt;/b&gt;</a><i>ok</i>'


def test_url_static_and_csrf_input():
    request = RequestFactory().get("/")
    html = _render('{{ url("cases:detail", 12) }} {{ static("css/cases.css") }} {{ csrf_input }}', request=request)
    assert html.startswith("/cases/12/ ") and "css/cases" in html
    assert 'name="csrfmiddlewaretoken"' in html and "&lt;" not in html


def test_macro_markup_is_safe_in_django_templates():
    markup = jinja_macros("cases/macros.html").badge(done_badge("<b>gotovo</b>"))
    rendered = Template("{{ m }}").render(Context({"m": markup}))
    assert rendered == '<span class="badge badge-ok">&lt;b&gt;gotovo&lt;/b&gt;</span>'
