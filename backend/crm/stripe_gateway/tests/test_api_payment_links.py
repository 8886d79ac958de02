from __future__ import annotations

from decimal import Decimal

from conftest import client_for, make_user
from django.core import mail

from crm.identity.models import Role
from crm.invoicing.documents import render
from crm.invoicing.tests.factories import OrderFactory, draft_invoice
from crm.sharing.models import Access
from crm.sharing.tests.factories import set_default

from ..models import PaymentLink


def test_payment_link_is_a_checkout_session_for_the_open_balance(api, stripe_api, issued_invoice):
    answer = api.post(f"/api/v1/invoices/{issued_invoice['id']}/payment-link", {}, format="json")

    assert answer.status_code == 201, answer.data
    assert answer.data["url"].startswith("https://checkout.stripe.test/c/pay/cs_test_")
    assert (answer.data["amount"], answer.data["amount_minor"], answer.data["currency"]) == ("1200.00", 120000, "eur")
    [request] = stripe_api.calls("/v1/checkout/sessions")
    assert request.headers["idempotency-key"]
    assert request.headers["authorization"] == "Bearer sk_test_crm"
    form = request.form
    assert form["mode"] == "payment"
    assert form["client_reference_id"] == str(issued_invoice["id"])
    assert form["metadata[invoice_id]"] == str(issued_invoice["id"])
    assert form["payment_intent_data[metadata][invoice_id]"] == str(issued_invoice["id"])
    assert form["line_items[0][price_data][currency]"] == "eur"
    assert form["line_items[0][price_data][unit_amount]"] == "120000"
    assert issued_invoice["number"] in form["line_items[0][price_data][product_data][name]"]


def test_the_open_link_is_given_again_and_a_new_balance_gets_a_new_one(api, stripe_api, issued_invoice):
    url = f"/api/v1/invoices/{issued_invoice['id']}/payment-link"
    first = api.post(url, {}, format="json")
    again = api.post(url, {}, format="json")
    assert again.status_code == 200 and again.data["id"] == first.data["id"]
    assert len(stripe_api.calls("/v1/checkout/sessions")) == 1
    assert api.get(url).data == {"configured": True, "link": first.data}

    paid = api.post(
        f"/api/v1/invoices/{issued_invoice['id']}/payments",
        {"amount": "200.00", "payment_date": "2026-01-10", "payment_method": "Bank Transfer"},
        format="json",
    )
    assert paid.status_code == 201
    assert api.get(url).data["link"] is None  # the link for 1200.00 is stale now
    second = api.post(url, {}, format="json")
    assert second.status_code == 201 and second.data["amount"] == "1000.00"
    keys = [call.headers["idempotency-key"] for call in stripe_api.calls("/v1/checkout/sessions")]
    assert len(set(keys)) == 2


def test_the_idempotency_key_makes_a_retried_request_the_same_session(api, stripe_api, issued_invoice, in_org):
    url = f"/api/v1/invoices/{issued_invoice['id']}/payment-link"
    first = api.post(url, {}, format="json").data
    PaymentLink.objects.filter(pk=first["id"]).delete()  # as if the answer was lost before it was stored
    retried = api.post(url, {}, format="json")
    assert retried.status_code == 201
    assert retried.data["url"] == first["url"]  # Stripe replayed the same session for the same key


def test_without_a_secret_key_the_link_is_refused_clearly(api, settings, issued_invoice):
    settings.STRIPE_SECRET_KEY = ""
    answer = api.post(f"/api/v1/invoices/{issued_invoice['id']}/payment-link", {}, format="json")
    assert answer.status_code == 409 and answer.data["code"] == "stripe_not_configured"
    assert api.get(f"/api/v1/invoices/{issued_invoice['id']}/payment-link").data == {"configured": False, "link": None}


def test_stripe_errors_are_a_clear_502(api, stripe_api, issued_invoice, in_org):
    stripe_api.fail_next = (400, "invalid_request_error", "Currency not supported.")
    answer = api.post(f"/api/v1/invoices/{issued_invoice['id']}/payment-link", {}, format="json")
    assert answer.status_code == 502 and answer.data["code"] == "stripe_error"
    assert not PaymentLink.objects.exists()


def test_only_an_open_invoice_with_an_order_takes_a_link(api, user, stripe_api, in_org):
    order = OrderFactory(owner=user)
    draft = api.post(f"/api/v1/orders/{order.pk}/invoices", {}, format="json").data
    answer = api.post(f"/api/v1/invoices/{draft['id']}/payment-link", {}, format="json")
    assert answer.status_code == 409 and answer.data["code"] == "invoice_not_open"

    manual = draft_invoice(api, order.account)
    api.post(f"/api/v1/invoices/{manual['id']}/issue", {}, format="json")
    answer = api.post(f"/api/v1/invoices/{manual['id']}/payment-link", {}, format="json")
    assert answer.status_code == 409 and answer.data["code"] == "invoice_without_order"

    api.post(f"/api/v1/invoices/{draft['id']}/issue", {}, format="json")
    api.post(
        f"/api/v1/invoices/{draft['id']}/payments",
        {"payment_date": "2026-01-10", "payment_method": "Cash"},
        format="json",
    )
    answer = api.post(f"/api/v1/invoices/{draft['id']}/payment-link", {}, format="json")
    assert answer.status_code == 409 and answer.data["code"] == "invoice_not_open"
    assert stripe_api.calls("/v1/checkout/sessions") == []


def test_another_organizations_invoice_is_404(other_api, stripe_api, issued_invoice):
    url = f"/api/v1/invoices/{issued_invoice['id']}/payment-link"
    assert other_api.post(url, {}, format="json").status_code == 404
    assert other_api.get(url).status_code == 404
    assert stripe_api.calls("/v1/checkout/sessions") == []


def test_anonymous_and_read_only_users_cannot_create_a_link(anon, org, stripe_api, issued_invoice):
    url = f"/api/v1/invoices/{issued_invoice['id']}/payment-link"
    assert anon.post(url, {}, format="json").status_code == 401
    colleague = client_for(make_user(org, Role.USER))
    set_default(org.pk, "invoice", Access.PUBLIC_READ_ONLY)
    answer = colleague.post(url, {}, format="json")
    assert answer.status_code == 403 and answer.data["code"] == "read_only_record"
    set_default(org.pk, "invoice", Access.PRIVATE)
    assert colleague.post(url, {}, format="json").status_code == 404
    assert stripe_api.calls("/v1/checkout/sessions") == []


def test_the_link_is_printed_on_the_invoice_and_in_its_mail(api, stripe_api, issued_invoice, in_org):
    link = api.post(f"/api/v1/invoices/{issued_invoice['id']}/payment-link", {}, format="json").data
    html = render.render_record(kind="invoice", record_id=issued_invoice["id"], output="html").html
    assert link["url"] in html and "Pay online" in html

    sent = api.post(f"/api/v1/invoices/{issued_invoice['id']}/send", {"to": "client@example.com"}, format="json")
    assert sent.status_code == 200, sent.data
    assert f"Pay online: {link['url']}" in mail.outbox[-1].body


def test_a_paid_invoice_prints_no_link(api, stripe_api, issued_invoice, in_org):
    api.post(f"/api/v1/invoices/{issued_invoice['id']}/payment-link", {}, format="json")
    api.post(
        f"/api/v1/invoices/{issued_invoice['id']}/payments",
        {"payment_date": "2026-01-10", "payment_method": "Cash"},
        format="json",
    )
    html = render.render_record(kind="invoice", record_id=issued_invoice["id"], output="html").html
    assert "checkout.stripe.test" not in html


def test_minor_units_follow_the_currency():
    from ..services.client import from_minor_units, minor_units

    assert minor_units(Decimal("12.34"), "EUR") == 1234
    assert minor_units(Decimal("1200"), "JPY") == 1200
    assert minor_units(Decimal("1.234"), "KWD") == 1234
    assert from_minor_units(1234, "eur") == Decimal("12.34")
