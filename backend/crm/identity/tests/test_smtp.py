"""The welcome and invitation mails go out through a real SMTP conversation with a local server."""

from __future__ import annotations

import pytest

from crm.core.tests.smtp import delivering_to_inbox


@pytest.fixture
def inbox():
    with delivering_to_inbox() as box:
        yield box


def test_new_user_mail_is_delivered_over_smtp(admin_api, inbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post(
            "/api/v1/admin/users", {"name": "Mia Mail", "email": "mia@acme.example", "role": "user"}, format="json"
        )
    assert response.status_code == 201
    (message,) = inbox.wait_for(1)
    assert message["To"] == "mia@acme.example"
    assert "set-password?uid=" in message.get_payload(decode=True).decode()


def test_invitation_mail_is_delivered_over_smtp(admin_api, inbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_api.post("/api/v1/invitations", {"email": "ina@acme.example", "role": "user"}, format="json")
    assert response.status_code == 201
    (message,) = inbox.wait_for(1)
    assert message["To"] == "ina@acme.example"
    assert message["Subject"] == "You are invited to Acme Agency"
    assert "/accept-invitation?token=" in message.get_payload(decode=True).decode()
