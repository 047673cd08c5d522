"""Where a `next` may send the browser: only to this site. The one check every redirect target passes."""
from __future__ import annotations

from django.utils.http import url_has_allowed_host_and_scheme

REDIRECT_FIELD_NAME = "next"


def safe_next(request, target: str | None, *, within: str = "") -> str:
    """``target`` when it is a path or URL of this site (and, given ``within``, a path under it); else "".

    Off-site and protocol-relative addresses (``//host``, ``/\\host``), other schemes (``javascript:``)
    and, on an HTTPS request, plain-HTTP addresses are refused."""
    target = (target or "").strip()
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return ""
    if within and not target.startswith(within):
        return ""
    return target


def requested_next(request, *, within: str = "") -> str:
    """The request's own ``next`` (form field first, then query string), if it is safe; else ""."""
    target = request.POST.get(REDIRECT_FIELD_NAME) or request.GET.get(REDIRECT_FIELD_NAME)
    return safe_next(request, target, within=within)
