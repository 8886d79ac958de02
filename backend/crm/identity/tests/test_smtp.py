"""The welcome mail goes out through a real SMTP conversation with a local server."""

from __future__ import annotations

import socket
import time

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content.decode()))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller, inbox
    controller.stop()


def test_new_user_mail_is_delivered_over_smtp(admin_api, smtp_server, django_capture_on_commit_callbacks):
    controller, inbox = smtp_server
    with (
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=controller.port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = admin_api.post(
            "/api/v1/admin/users", {"name": "Mia Mail", "email": "mia@acme.example", "role": "user"}, format="json"
        )
    assert response.status_code == 201
    deadline = time.monotonic() + 5
    while not inbox.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(inbox.messages) == 1
    _, recipients, content = inbox.messages[0]
    assert recipients == ["mia@acme.example"]
    assert "set-password?uid=" in content


def test_invitation_mail_is_delivered_over_smtp(admin_api, smtp_server, django_capture_on_commit_callbacks):
    controller, inbox = smtp_server
    with (
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=controller.port,
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = admin_api.post("/api/v1/invitations", {"email": "ina@acme.example", "role": "user"}, format="json")
    assert response.status_code == 201
    deadline = time.monotonic() + 5
    while not inbox.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(inbox.messages) == 1
    _, recipients, content = inbox.messages[0]
    assert recipients == ["ina@acme.example"]
    assert "/accept-invitation?token=" in content
    assert "Subject: You are invited to Acme Agency" in content
