"""A local stand-in for Stripe's API, speaking its wire format, and signed webhook payloads.

The stand-in is a real HTTP server on a free local port: it takes form-encoded bodies and the
``Idempotency-Key`` header as Stripe does (a repeated key answers the first response again), records
every request, and answers with JSON objects carrying ``id``, ``object`` and ``url``. Tests point
``STRIPE_API_BASE`` at it; the browser tests' server script starts one too.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit


@dataclass
class RecordedRequest:
    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, str]


def _nested(form: dict[str, str], prefix: str) -> dict[str, str]:
    """``metadata[invoice_id]=7`` -> ``{"invoice_id": "7"}``."""
    start = f"{prefix}["
    return {key[len(start) : -1]: value for key, value in form.items() if key.startswith(start) and key.count("[") == 1}


@dataclass
class StripeStandIn:
    checkout_host: str = "https://checkout.stripe.test"
    requests: list[RecordedRequest] = field(default_factory=list)
    # Answer the next request with this Stripe error (status, type, message), once.
    fail_next: tuple[int, str, str] | None = None
    _replies: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self, port: int = 0) -> StripeStandIn:
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode()
                form = dict(parse_qsl(body, keep_blank_values=True))
                code, reply = stand_in.answer(
                    "POST", urlsplit(self.path).path, {k.lower(): v for k, v in self.headers.items()}, form
                )
                data = json.dumps(reply).encode()
                self.send_response(code)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.send_header("Request-Id", f"req_{next(stand_in._ids)}")
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST

        self._server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> StripeStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- Stripe's answers ------------------------------------------------------------------------
    def answer(
        self, method: str, path: str, headers: dict[str, str], form: dict[str, str]
    ) -> tuple[int, dict[str, Any]]:
        with self._lock:
            self.requests.append(RecordedRequest(method, path, headers, form))
            if not headers.get("authorization", "").startswith("Bearer sk_"):
                return 401, _error("invalid_request_error", "Invalid API Key provided.")
            if self.fail_next is not None:
                code, kind, message = self.fail_next
                self.fail_next = None
                return code, _error(kind, message)
            key = headers.get("idempotency-key")
            if key and key in self._replies:
                return self._replies[key]
            reply = self._object(path, form)
            if key:
                self._replies[key] = reply
            return reply

    def _object(self, path: str, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        n = next(self._ids)
        if path == "/v1/checkout/sessions":
            session_id = f"cs_test_{n:06d}"
            amount = sum(
                int(form.get(f"line_items[{i}][price_data][unit_amount]", "0"))
                * int(form.get(f"line_items[{i}][quantity]", "1"))
                for i in range(10)
                if f"line_items[{i}][quantity]" in form
            )
            return 200, {
                "id": session_id,
                "object": "checkout.session",
                "url": f"{self.checkout_host}/c/pay/{session_id}",
                "mode": form.get("mode", "payment"),
                "status": "open",
                "payment_status": "unpaid",
                "client_reference_id": form.get("client_reference_id"),
                "customer": form.get("customer"),
                "customer_email": form.get("customer_email"),
                "metadata": _nested(form, "metadata"),
                "amount_total": amount,
                "currency": form.get("line_items[0][price_data][currency]"),
                "success_url": form.get("success_url"),
                "cancel_url": form.get("cancel_url"),
            }
        if path == "/v1/billing_portal/sessions":
            portal_id = f"bps_test_{n:06d}"
            return 200, {
                "id": portal_id,
                "object": "billing_portal.session",
                "url": f"https://billing.stripe.test/p/session/{portal_id}",
                "customer": form.get("customer"),
                "return_url": form.get("return_url"),
            }
        if path == "/v1/customers":
            return 200, {
                "id": f"cus_test_{n:06d}",
                "object": "customer",
                "email": form.get("email"),
                "name": form.get("name"),
                "metadata": _nested(form, "metadata"),
            }
        return 404, _error("invalid_request_error", f"Unrecognized request URL (POST: {path}).")

    def calls(self, path: str) -> list[RecordedRequest]:
        return [request for request in self.requests if request.path == path]


def _error(kind: str, message: str) -> dict[str, Any]:
    return {"error": {"type": kind, "message": message}}


# --- signed webhook payloads ------------------------------------------------------------------------
_event_ids = itertools.count(1)


def event_payload(
    event_type: str, obj: dict[str, Any], *, event_id: str | None = None, created: int | None = None
) -> bytes:
    return json.dumps(
        {
            "id": event_id or f"evt_test_{next(_event_ids):06d}_{time.time_ns()}",
            "object": "event",
            "api_version": "2025-09-30.clover",
            "created": created if created is not None else int(time.time()),
            "livemode": False,
            "type": event_type,
            "data": {"object": obj},
        }
    ).encode()


def signature_header(payload: bytes, secret: str, *, timestamp: int | None = None) -> str:
    """Stripe's ``Stripe-Signature``: ``t=<unix time>,v1=<HMAC-SHA256 of "t.payload" with the secret>``."""
    stamp = int(time.time()) if timestamp is None else timestamp
    signed = hmac.new(secret.encode(), f"{stamp}.".encode() + payload, hashlib.sha256).hexdigest()
    return f"t={stamp},v1={signed}"


def main() -> None:
    """Serve the stand-in on ``--port`` until the process that started it ends (the browser tests' server)."""
    import argparse
    import os

    parser = argparse.ArgumentParser(description="A local stand-in for Stripe's API.")
    parser.add_argument("--port", type=int, default=0)
    port = parser.parse_args().port
    parent = os.getppid()
    stand_in = StripeStandIn().start(port)
    try:
        while os.getppid() == parent:
            time.sleep(1)
    finally:
        stand_in.stop()


if __name__ == "__main__":
    main()
