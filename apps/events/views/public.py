"""Anonymous pages: certificate verification and a municipality's public page (off by default).

Neither shows personal data. An anonymous request reads nothing under row-level security, so each
page reads through ``apps.core.tenancy.platform(reason)``, the named and audited bypass, and only
the fields it shows: the verification page the event's title and kind, its date and whether the
code is valid; the public page the held round tables (title, date, public summary, counts) and the
materials' titles, of a municipality whose page is switched on.
"""
from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.core import tenancy
from apps.municipalities.models import Municipality

from .. import rules
from ..choices import EventKind, EventStatus
from ..models import Certificate, Event, Material, PublicPageSetting


@never_cache
@require_GET
def verify(request, code: str = ""):
    """Whether a certificate code is valid: event, date and validity only."""
    code = (code or request.GET.get("code", "")).strip().upper()
    result = None
    if code:
        if len(code) > 20:
            result = {"found": False}
        else:
            with tenancy.platform("certificate verification"):
                row = (Certificate.objects.filter(code=code)
                       .values("revoked_at", "event__title", "event__kind", "event__starts_at").first())
            if row is None:
                result = {"found": False}
            else:
                result = {"found": True, "valid": row["revoked_at"] is None, "title": row["event__title"],
                          "kind": dict(EventKind.choices).get(row["event__kind"], ""), "date": row["event__starts_at"]}
    response = render(request, "events/verify.html", {"code": code, "result": result})
    response["X-Robots-Tag"] = "noindex"
    return response


@require_GET
def public_page(request, slug: str):
    """Held round tables and materials of a municipality that switched its page on."""
    with tenancy.platform("public events page"):
        municipality = Municipality.objects.filter(slug=slug).first()
        if municipality is None or not rules.public_rows(PublicPageSetting.objects, municipality).filter(enabled=True).exists():
            raise Http404
        round_tables = list(
            rules.public_rows(Event.objects, municipality).filter(kind=EventKind.ROUND_TABLE, status=EventStatus.HELD)
            .order_by("-starts_at").values("title", "starts_at", "public_summary", "citizens_count",
                                            "institutions_present")[:50]
        )
        materials = list(rules.public_rows(Material.objects, municipality).order_by("title")
                         .values("title", "kind", "languages", "audience")[:100])
        name = municipality.display_name()
    return render(request, "events/public.html", {"name": name, "round_tables": round_tables,
                                                  "materials": materials})
