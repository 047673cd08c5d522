"""The Jinja2 environment of the compiled templates (templates/jinja2/): the hot fragments of long pages
(the case list's rows, the work queue's rows, the deadline badge), through Django's Jinja2 backend.

Autoescape is on (the backend's default), ``_``/``gettext``/``ngettext`` are Django's (the i18n
extension, new style: placeholders are escaped), ``url`` and ``static`` are Django's, and a template
rendered with a request gets ``csrf_input`` from the backend."""
from __future__ import annotations

from django.template import engines
from django.templatetags.static import static
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext, pgettext
from jinja2 import Environment

ENGINE = "jinja2"  # the alias of the backend in settings.TEMPLATES


def url(name: str, *args, **kwargs) -> str:
    """``{% url %}``: the path of a named URL."""
    return reverse(name, args=args or None, kwargs=kwargs or None)


def environment(**options) -> Environment:
    """The environment Django's Jinja2 backend builds the templates with."""
    extensions = list(options.pop("extensions", ())) + ["jinja2.ext.i18n"]
    env = Environment(extensions=extensions, **options)
    env.install_gettext_callables(gettext=gettext, ngettext=ngettext, pgettext=pgettext, newstyle=True)
    env.globals.update(url=url, static=static)
    return env


def jinja_template(name: str):
    """A compiled template (the backend's wrapper: ``render(context, request)``)."""
    return engines[ENGINE].get_template(name)


def render_fragment(name: str, context: dict, request=None) -> SafeString:
    """A compiled template's output, to be placed in a Django template (escaped by the compiled
    template itself: autoescape is on)."""
    return mark_safe(jinja_template(name).render(context, request))  # noqa: S308 - autoescaped output


def jinja_macros(name: str, **context):
    """The macros of a compiled template as callables (each returns escaped markup); ``context`` is
    what the template's top level sees (e.g. ``csrf_input``)."""
    return jinja_template(name).template.make_module(vars=context)
