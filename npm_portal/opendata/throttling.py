"""Rate limits per client address, in the cache (the default local-memory cache in `make run`;
several workers need a shared one, Redis, or each counts on its own).

The address is the app's client address (`npm_portal.security.network.client_ip`: the
X-Forwarded-For of trusted proxies only, never what a client writes); an IPv6 client counts as its
/64, as the login lockouts do. A rate is "<number>/<second|minute|hour|day>"; empty: no limit."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from npm_portal.security.network import client_ip


def address_ident(request) -> str:
    address = client_ip(request) or ""
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


class OpenDataThrottle(SimpleRateThrottle):
    """The JSON pages, the detail records and the dictionary."""

    scope = "open_data"
    setting = "NPM_OPEN_DATA_RATE"

    def get_rate(self) -> str | None:
        # Read on every request (not once, as DRF's THROTTLE_RATES): tests and operators may
        # change it without a restart of the class.
        return getattr(settings, self.setting) or None

    def get_ident(self, request) -> str:
        return address_ident(request)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class OpenDataBulkThrottle(OpenDataThrottle):
    """The whole-set downloads: far fewer, each one a full scan."""

    scope = "open_data_bulk"
    setting = "NPM_OPEN_DATA_BULK_RATE"
