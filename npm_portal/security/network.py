"""The client's IP address, behind the reverse proxies named in NPM_TRUSTED_PROXIES.

X-Forwarded-For is read only when the request comes from one of those proxies (REMOTE_ADDR is
one of their addresses or networks); then the client is the right-most address in the header that
is not a trusted proxy. Each trusted proxy appends the address it saw, so everything left of that
entry was written by the client and is ignored: a forged header can neither hide nor change the
address a lockout or the access log is keyed on. From anyone else the header is ignored entirely.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

# The address as the socket saw it, before ClientIPMiddleware replaced REMOTE_ADDR.
PEER_KEY = "NPM_PEER_ADDR"

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(entries) -> tuple[Network, ...]:
    """IP addresses and CIDR networks ("10.0.0.5", "10.1.0.0/16", "2001:db8::/48")."""
    networks = []
    for entry in entries:
        entry = str(entry).strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError as error:
            raise ImproperlyConfigured(
                f"NPM_TRUSTED_PROXIES: {entry!r} is not an IP address or network."
            ) from error
    return tuple(networks)


@lru_cache(maxsize=8)
def _trusted(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return parse_networks(entries)


def _parse(text: str) -> Address | None:
    """An address as proxies write it: plain, or with a port ("192.0.2.1:443", "[2001:db8::1]:443");
    an IPv4-mapped IPv6 address is its IPv4 address."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def is_trusted_proxy(address: Address) -> bool:
    networks = _trusted(tuple(settings.NPM_TRUSTED_PROXIES))
    # An address is never "in" a network of the other IP version.
    return any(address in network for network in networks)


def client_ip_from_meta(meta) -> str | None:
    peer = _parse(meta.get(PEER_KEY) or meta.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    client = peer
    if is_trusted_proxy(peer):
        # Several X-Forwarded-For headers arrive joined with commas.
        for entry in reversed(meta.get("HTTP_X_FORWARDED_FOR", "").split(",")):
            address = _parse(entry)
            if address is None:
                # Not written by a trusted proxy: the last hop we can vouch for is the client.
                break
            client = address
            if not is_trusted_proxy(address):
                break
    return str(client)


def client_ip(request: HttpRequest) -> str | None:
    return client_ip_from_meta(request.META)
