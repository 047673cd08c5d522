"""Anonymous pages: certificate verification and a municipality's public page (off by default).

Neither shows personal data. An anonymous request reads nothing under row-level security. The
verification page asks the narrow function of migration events 0003 for exactly one code (the
event's title and kind, its date and whether the certificate was revoked), limited per client
address; the public page reads through ``apps.core.tenancy.platform(reason)``, the named and audited
bypass, only the held round tables (title, date, public summary, counts) and the materials' titles,
of a municipality whose page is switched on.
"""
from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from apps.core import rate_limit, tenancy
from apps.core.client_ip import client_ip
from apps.municipalities.models import Municipality

from .. import rules
from ..choices import EventKind, EventStatus
from ..models import Event, Material, PublicPageSetting
from ..services import certificates

RATE_SCOPE = "events.verify"


def verify_limit() -> tuple[int, int]:
    """Checks allowed per client address and window (seconds): settings.EVENTS_VERIFY_RATE."""
    limit, window = getattr(settings, "EVENTS_VERIFY_RATE", (30, 600))
    return int(limit), int(window)


@never_cache
@require_GET
def verify(request, code: str = ""):
    """Whether a certificate code is valid: event, date and validity only. Each check counts against
    the client address's allowance (apps/core/rate_limit.py); over it the page answers 429 and looks
    nothing up. No audit entry per check (decision 67)."""
    code = (code or request.GET.get("code", "")).strip().upper()
    result, limited = None, False
    if code:
        limit, window = verify_limit()
        if not rate_limit.allow(RATE_SCOPE, client_ip(request) or "", limit=limit, window=window):
            limited = True
        else:
            row = certificates.check(code)
            if row is None:
                result = {"found": False}
            else:
                result = {"found": True, "valid": not row["revoked"], "title": row["title"],
                          "kind": dict(EventKind.choices).get(row["kind"], ""), "date": row["starts_at"]}
    response = render(request, "events/verify.html", {"code": code, "result": result, "limited": limited},
                      status=429 if limited else 200)
    response["X-Robots-Tag"] = "noindex"
    if limited:
        response["Retry-After"] = str(verify_limit()[1])
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
