"""Facts about a request that many places need, each decided here once: the client's IP
address (GeoIP country, login throttling, the audit log), whether a `next` address is safe
to redirect to (every `next` parameter of every page), and the body as a JSON endpoint reads it
(`json_body`: the playback beats and stops of the storefront and of the stream routes).

The client's IP is the peer's address unless the peer is one of the operator's trusted proxies
(`KINOMOST_TRUSTED_PROXIES`, IPs or CIDRs; default none): only then is `X-Forwarded-For` read,
from the right, skipping the trusted hops. A header sent by anyone else is ignored, so a viewer
cannot choose their GeoIP country or spread their login failures over invented addresses.
"""

from __future__ import annotations

import ipaddress
import json

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http.request import RawPostDataException
from django.utils.http import url_has_allowed_host_and_scheme

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted_proxies(value: str) -> list[Network]:
    """`"127.0.0.1, 10.0.0.0/8"` → networks; a wrong entry stops the start with its name (a typo
    must not silently trust nobody — or everybody)."""
    networks = []
    for entry in (e.strip() for e in (value or "").split(",")):
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            raise ImproperlyConfigured(f"KINOMOST_TRUSTED_PROXIES: '{entry}' is not an IP address or CIDR network") from None
    return networks


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, proxies: list[Network]) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def client_ip(request) -> str | None:
    """The address of whoever is asking (see the module's docstring)."""
    peer = _address(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    proxies = settings.KINOMOST_TRUSTED_PROXIES
    if not _trusted(peer, proxies):
        return str(peer)
    hops = [_address(h) for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if hop is None:  # garbage in the header: stop at the last hop we could read
            break
        if not _trusted(hop, proxies):
            return str(hop)
        peer = hop
    return str(peer)


def safe_next(request, fallback: str, *, field: str = "next") -> str:
    """The request's `next` (POST, else GET) when it stays on this site, otherwise `fallback`."""
    target = request.POST.get(field) or request.GET.get(field) or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def json_body(request, limit: int | None = None) -> bytes:
    """The request's body (its first `limit` bytes) for an endpoint that reads JSON. A form post
    was already read by the middleware that checks form text (web.middleware.CleanTextMiddleware),
    after which Django refuses `request.body` (RawPostDataException, a 500): its fields are then
    given as the JSON object they stand for, so a form-encoded beat or stop is answered, not crashed."""
    try:
        raw = request.body
    except RawPostDataException:
        raw = json.dumps(request.POST.dict()).encode()
    return raw if limit is None else raw[:limit]
