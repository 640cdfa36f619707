"""A webhook consumer written from the Standard Webhooks specification (spec/standard-webhooks.md,
"Signature scheme", "Webhook headers", "Verifying signatures"), with its own hmac and base64 code:
it shares nothing with npm_portal.webhooks.signing, so a mistake there cannot hide here.

It listens on 127.0.0.1 (an `http.server` in a thread), verifies each request, and answers with
the next status of its script (204 once the script is used up; 401 for a bad signature)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TOLERANCE_SECONDS = 5 * 60


def verify(secret: str, headers, body: bytes, *, now: float | None = None) -> str:
    """ "" when the request is authentic, otherwise why not."""
    msg_id = headers.get("webhook-id")
    timestamp = headers.get("webhook-timestamp")
    signatures = headers.get("webhook-signature")
    if not (msg_id and timestamp and signatures):
        return "missing headers"
    if not timestamp.isdigit():
        return "bad timestamp"
    now = time.time() if now is None else now
    if abs(now - int(timestamp)) > TOLERANCE_SECONDS:
        return "timestamp outside the tolerance"
    if not secret.startswith("whsec_"):
        return "not a whsec_ secret"
    key = base64.b64decode(secret[len("whsec_") :])
    signed_content = msg_id.encode() + b"." + timestamp.encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, signed_content, hashlib.sha256).digest()).decode()
    for signature in signatures.split(" "):
        version, _comma, value = signature.partition(",")
        if version == "v1" and hmac.compare_digest(value.encode(), expected.encode()):
            return ""
    return "no valid signature"


@dataclass
class Received:
    path: str
    headers: dict
    body: bytes
    refused: str

    @property
    def payload(self) -> dict:
        return json.loads(self.body)


@dataclass
class SpecReceiver:
    secret: str = ""
    script: list[int] = field(default_factory=list)
    received: list[Received] = field(default_factory=list)
    got_one: threading.Event = field(default_factory=threading.Event)

    def start(self) -> SpecReceiver:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                headers = {k.lower(): v for k, v in self.headers.items()}
                refused = verify(receiver.secret, headers, body)
                receiver.received.append(Received(self.path, headers, body, refused))
                status = 401 if refused else (receiver.script.pop(0) if receiver.script else 204)
                self.send_response(status)
                answer = b"refused: " + refused.encode() if refused else b"thanks"
                self.send_header("content-length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
                receiver.got_one.set()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/npm"
