"""The local SMTP stand-in (aiosmtpd) of every mail test and the marketing benchmark."""

from __future__ import annotations

import contextlib
import email
import socket
import threading
import time
from collections.abc import Iterator
from email.message import Message

from aiosmtpd.controller import Controller
from django.test import override_settings


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.stamps: list[float] = []
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.messages.append(email.message_from_bytes(envelope.content))
            self.stamps.append(time.monotonic())
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]

    def wait_for(self, count: int, timeout: float = 5.0) -> list[Message]:
        """The messages once at least ``count`` arrived (or the timeout passed): delivery is asynchronous."""
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return list(self.messages)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(inbox: Inbox) -> tuple[Controller, int]:
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    return controller, port


@contextlib.contextmanager
def delivering_to_inbox(**settings: object) -> Iterator[Inbox]:
    """A running stand-in with Django's SMTP backend pointed at it (and ``settings`` overridden
    with it); stopped on exit."""
    inbox = Inbox()
    controller, port = start(inbox)
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            **settings,
        ):
            yield inbox
    finally:
        controller.stop()


# What the marketing send tests run with: no rate limit to wait for, the bucket in the database,
# tracked links on the test client's host.
MARKETING_SETTINGS = {
    "MARKETING_RATE_PER_MINUTE": 60000,
    "MARKETING_RATE_REDIS_URL": "",
    "MARKETING_PUBLIC_URL": "http://testserver",
}
