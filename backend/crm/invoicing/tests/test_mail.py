"""Sending documents by mail, against a local SMTP server (aiosmtpd) that receives the PDF."""

from __future__ import annotations

from decimal import Decimal

import pytest

from crm.activities.models import Activity
from crm.core.tests.smtp import delivering_to_inbox

from ..models import Delivery
from .factories import ContactFactory, OrderFactory, open_opportunity, quote_body


@pytest.fixture
def smtp():
    with delivering_to_inbox() as inbox:
        yield inbox


def _pdf_parts(message):
    return [part for part in message.walk() if part.get_content_type() == "application/pdf"]


def test_quote_send_mails_the_pdf_once_per_idempotency_key(api, user, in_org, smtp):
    opportunity = open_opportunity(user)
    contact = ContactFactory(owner=user, account=opportunity.account, email="buyer@client.example")
    quote = api.post("/api/v1/quotes", quote_body(opportunity, contact_id=contact.pk), format="json").data
    response = api.post(f"/api/v1/quotes/{quote['id']}/send", {}, format="json", HTTP_IDEMPOTENCY_KEY="send-1")
    assert response.status_code == 200, response.data
    assert response.data["sent"] is True and response.data["to"] == "buyer@client.example"
    again = api.post(f"/api/v1/quotes/{quote['id']}/send", {}, format="json", HTTP_IDEMPOTENCY_KEY="send-1")
    assert again.status_code == 200 and again.data["sent"] is False
    assert len(smtp.messages) == 1
    message = smtp.messages[0]
    assert message["To"] == "buyer@client.example"
    assert quote["quote_number"] in message["Subject"]
    (pdf,) = _pdf_parts(message)
    assert pdf.get_payload(decode=True).startswith(b"%PDF")
    assert Delivery.objects.get().template_version is None or Delivery.objects.get().template_version.number == 1
    activity = Activity.objects.get(what_type="Opportunity", what_id=opportunity.pk)
    assert activity.status == "Completed" and quote["quote_number"] in activity.subject
    assert api.get(f"/api/v1/quotes/{quote['id']}").data["status"] == "Presented"
    assert api.get("/api/v1/quotes").data["results"][0]["contact_name"] == str(contact)


def test_invoice_send_attaches_the_stored_pdf(api, user, in_org, smtp):
    order = OrderFactory(owner=user, lines=[(Decimal("1"), Decimal("100.00"))])
    invoice = api.post(f"/api/v1/orders/{order.pk}/invoices", {}, format="json").data
    draft = api.post(f"/api/v1/invoices/{invoice['id']}/send", {"to": "ap@client.example"}, format="json")
    assert draft.status_code == 409
    issued = api.post(f"/api/v1/invoices/{invoice['id']}/issue", {}, format="json").data
    response = api.post(
        f"/api/v1/invoices/{invoice['id']}/send", {"to": "ap@client.example", "idempotency_key": "inv-1"}, format="json"
    )
    assert response.status_code == 200 and response.data["sent"] is True
    (pdf,) = _pdf_parts(smtp.messages[0])
    assert pdf.get_payload(decode=True) == api.get(f"/api/v1/invoices/{invoice['id']}/pdf").content
    assert issued["number"] in smtp.messages[0]["Subject"]
    assert Activity.objects.filter(what_type="Order", what_id=order.pk).count() == 1
    reused = api.post("/api/v1/quotes/1/send", {"idempotency_key": "inv-1"}, format="json")
    assert reused.status_code in (404, 409)


def test_send_needs_a_recipient_and_a_working_server(api, user, in_org, settings):
    quote = api.post("/api/v1/quotes", quote_body(open_opportunity(user)), format="json").data
    missing = api.post(f"/api/v1/quotes/{quote['id']}/send", {}, format="json")
    assert missing.status_code == 400 and "to" in missing.data["errors"]
    bad = api.post(f"/api/v1/quotes/{quote['id']}/send", {"to": "not-an-address"}, format="json")
    assert bad.status_code == 400
    assert Delivery.objects.count() == 0


def test_send_defaults_then_send_with_an_edited_subject_cc_and_message(api, user, in_org, smtp):
    opportunity = open_opportunity(user)
    contact = ContactFactory(owner=user, account=opportunity.account, email="buyer@client.example")
    quote = api.post("/api/v1/quotes", quote_body(opportunity, contact_id=contact.pk), format="json").data
    defaults = api.get(f"/api/v1/quotes/{quote['id']}/send")
    assert defaults.status_code == 200, defaults.data
    assert defaults.data["to"] == "buyer@client.example"
    assert quote["quote_number"] in defaults.data["subject"]
    response = api.post(
        f"/api/v1/quotes/{quote['id']}/send",
        {
            "to": "cfo@client.example",
            "cc": ["buyer@client.example", "cfo@client.example"],
            "subject": "Our offer for the spring campaign",
            "message": "Dear CFO,\nplease find our offer attached.",
        },
        format="json",
    )
    assert response.status_code == 200, response.data
    assert response.data["to"] == "cfo@client.example" and response.data["cc"] == ["buyer@client.example"]
    (message,) = smtp.messages
    assert message["To"] == "cfo@client.example"
    assert message["Cc"] == "buyer@client.example"
    assert message["Subject"] == "Our offer for the spring campaign"
    body = next(part for part in message.walk() if part.get_content_type() == "text/plain")
    assert "please find our offer attached" in body.get_payload(decode=True).decode()
    activity = Activity.objects.get(what_type="Opportunity", what_id=opportunity.pk)
    assert "cfo@client.example" in activity.subject
    assert "Our offer for the spring campaign" in activity.description
    assert "buyer@client.example" in activity.description
    delivery = Delivery.objects.get()
    assert (delivery.recipient, delivery.cc, delivery.subject) == (
        "cfo@client.example",
        "buyer@client.example",
        "Our offer for the spring campaign",
    )


def test_send_refuses_bad_fields_one_by_one_and_sends_nothing(api, user, in_org, smtp):
    opportunity = open_opportunity(user)
    contact = ContactFactory(owner=user, account=opportunity.account, email="buyer@client.example")
    quote = api.post("/api/v1/quotes", quote_body(opportunity, contact_id=contact.pk), format="json").data
    url = f"/api/v1/quotes/{quote['id']}/send"
    for body, field in (
        ({"to": "nobody"}, "to"),
        ({"cc": ["fine@client.example", "broken"]}, "cc.1"),
        ({"cc": "buyer@client.example"}, "cc"),
        ({"cc": [f"a{n}@client.example" for n in range(11)]}, "cc"),
        ({"subject": ""}, "subject"),
        ({"subject": "x" * 256}, "subject"),
        ({"message": "x" * 5001}, "message"),
    ):
        response = api.post(url, body, format="json")
        assert response.status_code == 400, (body, response.data)
        assert list(response.data["errors"]) == [field], (body, response.data)
    assert smtp.messages == [] and Delivery.objects.count() == 0
    assert not Activity.objects.filter(what_type="Opportunity", what_id=opportunity.pk).exists()


def test_send_defaults_of_another_organization_are_not_found(api, user, in_org, other_api):
    quote = api.post("/api/v1/quotes", quote_body(open_opportunity(user)), format="json").data
    assert api.get(f"/api/v1/quotes/{quote['id']}/send").data["to"] == ""
    assert other_api.get(f"/api/v1/quotes/{quote['id']}/send").status_code == 404
    assert other_api.post(f"/api/v1/quotes/{quote['id']}/send", {}, format="json").status_code == 404
