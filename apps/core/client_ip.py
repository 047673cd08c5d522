"""The client's address, read in one place for the login lockout, the audit log and anything else.

With no reverse proxy configured (PROXY_COUNT = 0, the default) the address is the connection's own
(REMOTE_ADDR) and X-Forwarded-For is ignored: anyone can send that header. Behind N proxies, each of
which appends the address it received the request from, the client is the N-th entry of
X-Forwarded-For counted from the right; entries further left were written by the client and are
ignored. With PROXY_TRUSTED_IPS set, the header is read only on connections from those addresses.
"""
from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from ipware import get_client_ip

FORWARDED_HEADER = "HTTP_X_FORWARDED_FOR"


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def _from_trusted_proxy(peer: str | None) -> bool:
    trusted = tuple(getattr(settings, "PROXY_TRUSTED_IPS", ()) or ())
    if not trusted:
        return True
    try:
        address = ipaddress.ip_address(peer or "")
    except ValueError:
        return False
    return any(address.version == net.version and address in net for net in _networks(trusted))


def client_ip(request) -> str | None:
    """The address the request came from, honouring the configured reverse proxies (also axes'
    AXES_CLIENT_IP_CALLABLE)."""
    peer = request.META.get("REMOTE_ADDR") or None
    proxies = int(getattr(settings, "PROXY_COUNT", 0) or 0)
    if proxies <= 0 or not _from_trusted_proxy(peer):
        return peer
    # ipware counts the proxies listed in the header after the client; the nearest proxy is not in
    # it (it is REMOTE_ADDR), hence proxies - 1. Not strict: counted from the right, extra entries
    # on the left (written by the client) neither move the position nor void the header.
    address, _routable = get_client_ip(
        request,
        proxy_order="left-most",
        proxy_count=proxies - 1,
        request_header_order=(FORWARDED_HEADER,),
        strict=False,
    )
    return address or peer
