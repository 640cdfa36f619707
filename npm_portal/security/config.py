"""Checks of security settings run while settings.py loads (no Django setup needed)."""

from __future__ import annotations

import ipaddress

from django.core.exceptions import ImproperlyConfigured


def check_trusted_proxies(entries: list[str], *, legacy_count: int) -> None:
    """Refuse the retired NPM_TRUSTED_PROXY_COUNT and any entry of NPM_TRUSTED_PROXIES that is
    not an IP address or network."""
    if legacy_count:
        raise ImproperlyConfigured(
            "NPM_TRUSTED_PROXY_COUNT is no longer supported: set NPM_TRUSTED_PROXIES to the "
            "addresses (or networks) of your reverse proxies instead."
        )
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError as error:
            raise ImproperlyConfigured(
                f"NPM_TRUSTED_PROXIES: {entry!r} is not an IP address or network."
            ) from error
