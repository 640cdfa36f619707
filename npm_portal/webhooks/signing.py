"""Standard Webhooks signatures (https://www.standardwebhooks.com, "Signature scheme"):
HMAC-SHA256 over `{webhook-id}.{webhook-timestamp}.{body}` with the secret's key bytes (the
base64 after `whsec_`), sent as `webhook-signature: v1,<base64 signature>`.

Written here rather than taken from the `standardwebhooks` package, which brings an HTTP client
and its dependencies for these few lines."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import uuid

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def new_event_id() -> str:
    # No "." in it: the id is a part of the signed content, delimited by full stops.
    return f"msg_{uuid.uuid4().hex}"


def body_bytes(payload: dict) -> bytes:
    """The exact bytes posted (and signed): compact JSON, keys sorted."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True, ensure_ascii=False).encode()


def sign(*, secret: str, event_id: str, timestamp: int, body: bytes) -> str:
    key = base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    content = f"{event_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, content, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(*, secret: str, event_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret=secret, event_id=event_id, timestamp=timestamp, body=body),
        "content-type": "application/json",
    }
