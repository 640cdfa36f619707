"""The client's IP address behind a known number of reverse proxies."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# The address as the socket saw it, before ClientIPMiddleware replaced REMOTE_ADDR.
PEER_KEY = "NPM_PEER_ADDR"


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip_from_meta(meta) -> str | None:
    """With N trusted proxies, each appending the address it saw to X-Forwarded-For, the client
    is the N-th entry from the right. Entries further left were written by the client and are
    ignored: a forged header can neither hide nor change the address a lockout is keyed on."""
    peer = meta.get(PEER_KEY) or meta.get("REMOTE_ADDR") or ""
    hops = settings.NPM_TRUSTED_PROXY_COUNT
    if hops <= 0:
        return _valid(peer)
    forwarded = [part.strip() for part in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < hops:
        # Not through all the proxies (a direct connection): the socket address is the client.
        return _valid(peer)
    return _valid(forwarded[-hops]) or _valid(peer)


def client_ip(request: HttpRequest) -> str | None:
    return client_ip_from_meta(request.META)
