"""The public answer page (no login): the most sensitive page of the platform.

No session, no cookie (the form carries its own signed token), nothing about the request stored with
an answer, no audit entry (it would hold the address and the time), a neutral title, a quick exit.
The reads and the insert run inside the tenant context of the link's municipality (apps/surveys/public.py).
"""
from __future__ import annotations

import time

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from apps.core import tenancy
from apps.core.client_ip import client_ip
from apps.institutions.models import Institution
from apps.municipalities.models import Municipality

from .. import public
from ..choices import QuestionKind
from ..models import Collection
from ..models.common import tr
from ..services.answers import AnswerRefused, submit

LANGS = {code for code, _name in settings.LANGUAGES}


def exit_url() -> str:
    """The neutral site of the quick exit (settings.SURVEY_EXIT_URL)."""
    return getattr(settings, "SURVEY_EXIT_URL", "https://www.google.com/")


def _language(request) -> str:
    lang = request.GET.get("lang") or request.POST.get("lang") or ""
    return lang if lang in LANGS else settings.LANGUAGE_CODE


def _items(questions, lang, data=None):
    items = []
    for q in questions:
        if q.kind == QuestionKind.LIKERT:
            options = [(str(i), str(i)) for i in range(1, 6)]
        elif q.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.YES_NO):
            options = [(v, q.option_label(v)) for v in q.option_values()]
        else:
            options = []
        items.append({
            "q": q, "name": f"q_{q.key}", "text": tr(q.text, lang), "low": tr(q.low_label, lang),
            "high": tr(q.high_label, lang), "options": options,
            "selected": data.getlist(f"q_{q.key}") if data is not None else [],
            "condition": (tr(q.show_if.text, lang), q.show_if.option_label(q.show_if_value)) if q.show_if_id else None,
        })
    return items


def _headers(response):
    response["Referrer-Policy"] = "no-referrer"
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _questions_html(pc, lang, errors, data):
    """The questions of the form as the template renders them; a blank form (no errors, nothing
    chosen) is rendered once per version and language and kept (published versions never change)."""
    blank = not errors and data is None
    key = (pc.version_id, lang)
    if blank and key in public.rendered:
        return public.rendered[key]
    db_sections, questions, _intro = public.structure(pc)
    by_section = {}
    for item in _items(questions, lang, data):
        by_section.setdefault(item["q"].section_id, []).append(item)
    sections = [(tr(s.title, lang), by_section.get(s.pk, [])) for s in db_sections]
    html = mark_safe(render_to_string("surveys/public/_questions.html", {"sections": sections, "errors": errors or {}}))
    if blank and pc.version_id in public.cached_versions():
        public.rendered[key] = html  # the output of the template above, nothing else
    return html


FORM_SLOT = "kzn-survey-form-token-slot"  # where the blank page's form token goes (never in a page otherwise)


def _page(request, token, pc, lang, *, errors=None, data=None, status=200, form_token=None):
    _sections, _questions, intro = public.structure(pc)
    context = {
        "questions_html": _questions_html(pc, lang, errors, data),
        "token": token, "lang": lang, "form_token": form_token or public.form_token(pc), "pow_bits": public.POW_BITS,
        "intro": tr(intro, lang),
        "errors": errors or {}, "data": data, "exit_url": exit_url(), "is_open": pc.is_open(),
        "asks_code": pc.wave_id is not None, "languages": settings.LANGUAGES,
    }
    # No request context: no context processor runs (navigation, memberships, CSRF token: none of
    # them belongs on this page, and the CSRF token would set a cookie).
    return _headers(HttpResponse(render_to_string("surveys/public/answer.html", context), status=status))


def _blank_page(request, token, pc, lang):
    """The blank form: rendered once per collection (and its version), language and open/closed, kept in
    process memory around the one part that differs per request, the signed form token."""
    key = pc.page_key(lang)
    parts = public.pages.get(key)
    if parts is None:
        html = _page(request, token, pc, lang, form_token=FORM_SLOT).content.decode()
        head, slot, tail = html.partition(FORM_SLOT)
        parts = (head, tail if slot else None)
        if pc.version_id in public.cached_versions():  # published: its questions never change
            if len(public.pages) > 2000:
                public.pages.clear()
            public.pages[key] = parts
    head, tail = parts
    return _headers(HttpResponse(head if tail is None else head + public.form_token(pc) + tail))


@csrf_exempt  # no cookie: the form's own signed token instead (apps/surveys/public.py explains)
@never_cache
def answer(request, token):
    pc = public.load(token)
    if pc is None:
        raise Http404
    lang = _language(request)
    with translation.override(lang):
        if request.method != "POST":
            return _blank_page(request, token, pc, lang)
        form = public.read_form_token(request.POST.get("form", ""), pc)
        if form is None:
            return _page(request, token, pc, lang, errors={"": _expired()}, data=request.POST, status=400)
        thanks = HttpResponseRedirect(reverse("surveys:public_thanks", args=[token]) + f"?lang={lang}")
        if request.POST.get("website"):  # the honeypot: a person never sees this field
            return thanks
        with_work = public.work_done(request.POST.get("form", ""), request.POST.get("work", ""), int(form.get("d", 0)))
        if not with_work and time.time() - form["t"] < public.MIN_SECONDS:
            return _page(request, token, pc, lang, errors={"": _too_fast()}, data=request.POST, status=400)
        if not public.first_use(form):
            return thanks  # the same form sent again: one answer
        if not public.allow(client_ip(request) or "", with_work=with_work):
            public.forget_use(form)
            return _page(request, token, pc, lang, errors={"": _too_many()}, data=request.POST, status=429)
        _sections, questions, _intro = public.structure(pc)
        try:
            with tenancy.public_link_context(pc.municipality_id):
                collection = Collection.objects.get(pk=pc.id)
                submit(collection, questions, request.POST, code=request.POST.get("code", ""))
        except AnswerRefused as refused:
            public.forget_use(form)
            return _page(request, token, pc, lang, errors=refused.errors, data=request.POST, status=400)
        return thanks


@never_cache
def thanks(request, token):
    pc = public.load(token)
    if pc is None:
        raise Http404
    lang = _language(request)
    with translation.override(lang), tenancy.public_link_context(pc.municipality_id):
        services = list(
            Institution.objects.for_municipality(pc.municipality_id).filter(is_active=True).exclude(phone="")
            .order_by("type", "name")[:6]
        )
        slug = Municipality.objects.filter(pk=pc.municipality_id).values_list("slug", flat=True).first()
        helplines = getattr(settings, "SURVEY_HELPLINES", {})
        lines = list(helplines.get("national", [])) + list(helplines.get(slug or "", []))
        response = HttpResponse(render_to_string("surveys/public/thanks.html", {
            "lang": lang, "lines": lines, "services": [(s.display_name(lang), s.phone) for s in services],
            "exit_url": exit_url(), "languages": settings.LANGUAGES, "token": token,
        }))
    return _headers(response)


def _expired():
    return translation.gettext("This form has expired. Please answer again on this page.")


def _too_fast():
    return translation.gettext("That was very fast. Please check your answers and send them again.")


def _too_many():
    return translation.gettext("Too many answers have come from this connection today. Please try again tomorrow.")
