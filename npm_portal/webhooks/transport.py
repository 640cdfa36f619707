"""Posting a webhook, safely: the SSRF guard and the HTTP request.

The guard (`check_url`) accepts only `https://` URLs (`NPM_WEBHOOKS_ALLOW_HTTP` allows
`http://` for local testing) whose host name resolves only to public addresses: none may be
loopback, private, link-local, multicast, reserved, unspecified or otherwise not global
(`NPM_WEBHOOKS_ALLOW_PRIVATE` allows them, for a receiver inside the NPM's own network).
It runs when a subscription is saved and again before every attempt; the request then connects
to the address that was checked (never resolving the name a second time), so a DNS answer that
changes between the check and the connection (DNS rebinding) cannot redirect it. TLS still
verifies the certificate against the host name. Redirects are never followed (a 3xx is a
failure, as the Standard Webhooks spec recommends)."""

from __future__ import annotations

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

RESPONSE_EXCERPT_BYTES = 500
USER_AGENT = "NPM-Portal-Webhooks/1"


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str


def resolve(host: str, port: int) -> list[str]:
    """Every address the host name resolves to (an IP literal resolves to itself)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({info[4][0] for info in infos})


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


def check_url(url: str) -> Target:
    """The URL's parts and the checked address to connect to; ValidationError (a message for
    the URL field) when it may not be called."""
    allow_http = settings.NPM_WEBHOOKS_ALLOW_HTTP
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise ValidationError(_("Enter a valid URL."), code="invalid") from error
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in schemes:
        raise ValidationError(_("Only https:// addresses can receive webhooks."), code="scheme")
    host = parts.hostname
    if not host:
        raise ValidationError(_("Enter a valid URL."), code="invalid")
    if parts.username or parts.password:
        raise ValidationError(_("The URL cannot contain a user name or password."), code="auth")
    port = port or (443 if parts.scheme == "https" else 80)
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError) as error:
        raise ValidationError(
            _("The host name %(host)s cannot be resolved.") % {"host": host}, code="dns"
        ) from error
    if not addresses:
        raise ValidationError(
            _("The host name %(host)s cannot be resolved.") % {"host": host}, code="dns"
        )
    if not settings.NPM_WEBHOOKS_ALLOW_PRIVATE:
        refused = [a for a in addresses if not is_public(a)]
        if refused:
            raise ValidationError(
                _(
                    "%(host)s points to an internal address (%(address)s): webhooks go only to "
                    "public addresses."
                )
                % {"host": host, "address": refused[0]},
                code="private",
            )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(parts.scheme, host, port, path, addresses[0])


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """Connects to the checked address, whatever the host name resolves to now."""

    def __init__(self, target: Target, timeout: float):
        super().__init__(target.host, target.port, timeout=timeout)
        self._address = target.address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, target: Target, timeout: float):
        super().__init__(
            target.host, target.port, timeout=timeout, context=ssl.create_default_context()
        )
        self._address = target.address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        # The certificate is checked against the host name of the URL.
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dataclass
class Result:
    status_code: int | None = None
    excerpt: str = ""
    error: str = ""

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post(*, url: str, body: bytes, headers: dict[str, str]) -> Result:
    """POST `body` to `url` after the guard; never raises (the failure is in the result)."""
    try:
        target = check_url(url)
    except ValidationError as error:
        return Result(error=" ".join(error.messages)[:255])
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    connection = connection_class(target, timeout=settings.NPM_WEBHOOKS_TIMEOUT_SECONDS)
    try:
        connection.request(
            "POST", target.path, body=body, headers={**headers, "user-agent": USER_AGENT}
        )
        response = connection.getresponse()
        excerpt = response.read(RESPONSE_EXCERPT_BYTES).decode("utf-8", "replace")
        return Result(status_code=response.status, excerpt=excerpt)
    except TimeoutError:
        return Result(error=_("The endpoint did not answer in time."))
    except (OSError, http.client.HTTPException) as error:
        return Result(error=f"{type(error).__name__}: {error}"[:255])
    finally:
        connection.close()
