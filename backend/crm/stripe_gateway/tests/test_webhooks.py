from __future__ import annotations

import threading
import time

import pytest
from django.db import connection

from crm.billing.models import Payment
from crm.core.scoping import org_scope
from crm.invoicing.models import Invoice

from ..models import PaymentLink, WebhookEvent
from ..testing import event_payload, signature_header
from .conftest import WEBHOOK_SECRET

URL = "/api/v1/stripe/webhook"


def deliver(client, payload: bytes, *, secret: str = WEBHOOK_SECRET, timestamp: int | None = None):
    return client.post(
        URL,
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature_header(payload, secret, timestamp=timestamp),
    )


def completed(link: dict, *, amount: int | None = None, payment_status: str = "paid", intent: str = "pi_test_1"):
    return {
        "id": PaymentLink.all_orgs.get(pk=link["id"]).session_id,
        "object": "checkout.session",
        "payment_status": payment_status,
        "status": "complete",
        "amount_total": link["amount_minor"] if amount is None else amount,
        "currency": link["currency"],
        "client_reference_id": str(link["invoice_id"]),
        "metadata": {"invoice_id": str(link["invoice_id"])},
        "payment_intent": intent,
    }


def refunded(link: dict, amount_refunded: int, *, intent: str = "pi_test_1"):
    key = PaymentLink.all_orgs.get(pk=link["id"]).idempotency_key
    return {
        "id": "ch_test_1",
        "object": "charge",
        "amount": link["amount_minor"],
        "amount_refunded": amount_refunded,
        "refunded": amount_refunded >= link["amount_minor"],
        "payment_intent": intent,
        "metadata": {"invoice_id": str(link["invoice_id"]), "crm_link": key},
    }


@pytest.fixture
def link(api, stripe_api, issued_invoice):
    answer = api.post(f"/api/v1/invoices/{issued_invoice['id']}/payment-link", {}, format="json")
    assert answer.status_code == 201
    return answer.data


def invoice_state(org, invoice_id):
    with org_scope(org.pk):
        invoice = Invoice.objects.get(pk=invoice_id)
        payments = list(
            Payment.objects.filter(allocations__invoice_id=invoice_id).values_list("amount", "status", "payment_method")
        )
        return invoice.status, str(invoice.amount_paid), payments


def test_a_completed_checkout_logs_a_stripe_payment_and_the_invoice_is_paid(anon, org, link, api):
    answer = deliver(anon, event_payload("checkout.session.completed", completed(link)))

    assert answer.status_code == 200, answer.data
    assert answer.data["outcome"] == "payment logged"
    status, paid, payments = invoice_state(org, link["invoice_id"])
    assert (status, paid) == ("Paid", "1200.00")
    assert [(str(a), s, m) for a, s, m in payments] == [("1200.00", "Completed", "Stripe")]
    detail = api.get(f"/api/v1/invoices/{link['invoice_id']}").data
    assert detail["status"] == "Paid" and detail["balance_due"] == "0.00"
    assert PaymentLink.all_orgs.get(pk=link["id"]).status == "paid"


def test_a_wrong_signature_or_secret_is_400_and_changes_nothing(anon, org, link):
    payload = event_payload("checkout.session.completed", completed(link))
    assert deliver(anon, payload, secret="whsec_wrong").status_code == 400
    tampered = payload.replace(b'"paid"', b'"paid" ')
    answer = anon.post(
        URL, tampered, content_type="application/json", HTTP_STRIPE_SIGNATURE=signature_header(payload, WEBHOOK_SECRET)
    )
    assert answer.status_code == 400 and answer.data["code"] == "invalid_signature"
    assert anon.post(URL, payload, content_type="application/json").status_code == 400
    assert invoice_state(org, link["invoice_id"])[0] == "Issued"
    assert not WebhookEvent.objects.exists()


def test_a_stale_timestamp_is_400(anon, org, link):
    payload = event_payload("checkout.session.completed", completed(link))
    answer = deliver(anon, payload, timestamp=int(time.time()) - 3600)
    assert answer.status_code == 400 and answer.data["code"] == "invalid_signature"
    assert invoice_state(org, link["invoice_id"])[0] == "Issued"


def test_a_body_that_is_no_event_is_400(anon):
    from django.test import override_settings

    with override_settings(STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET):
        for body in (b"not json", b"[]", b'{"id": 5}', b'{"id": "evt_1", "type": "x", "data": {"object": 3}}'):
            answer = deliver(anon, body)
            assert answer.status_code == 400, body


def test_without_a_webhook_secret_events_are_refused(anon, settings, link):
    settings.STRIPE_WEBHOOK_SECRET = ""
    answer = deliver(anon, event_payload("checkout.session.completed", completed(link)))
    assert answer.status_code == 409 and answer.data["code"] == "stripe_not_configured"


def test_a_duplicate_event_is_applied_once(anon, org, link):
    payload = event_payload("checkout.session.completed", completed(link), event_id="evt_dup")
    assert deliver(anon, payload).data["duplicate"] is False
    again = deliver(anon, payload)
    assert again.status_code == 200 and again.data["duplicate"] is True
    assert len(invoice_state(org, link["invoice_id"])[2]) == 1


def test_the_same_checkout_in_two_events_is_one_payment(anon, org, link):
    deliver(anon, event_payload("checkout.session.completed", completed(link)))
    again = deliver(anon, event_payload("checkout.session.async_payment_succeeded", completed(link)))
    assert again.data["outcome"] == "already logged"
    assert len(invoice_state(org, link["invoice_id"])[2]) == 1


def test_an_unpaid_checkout_waits_for_the_async_payment(anon, org, link):
    first = deliver(anon, event_payload("checkout.session.completed", completed(link, payment_status="unpaid")))
    assert first.data["outcome"] == "awaiting payment"
    assert invoice_state(org, link["invoice_id"])[0] == "Issued"
    deliver(anon, event_payload("checkout.session.async_payment_succeeded", completed(link)))
    assert invoice_state(org, link["invoice_id"])[0] == "Paid"


def test_a_full_refund_voids_the_payment(anon, org, link):
    deliver(anon, event_payload("checkout.session.completed", completed(link)))
    answer = deliver(anon, event_payload("charge.refunded", refunded(link, 120000)))
    assert answer.data["outcome"] == "payment voided"
    status, paid, payments = invoice_state(org, link["invoice_id"])
    assert (status, paid) == ("Issued", "0.00")
    assert [s for _, s, _ in payments] == ["Void"]
    assert PaymentLink.all_orgs.get(pk=link["id"]).status == "refunded"


def test_a_partial_refund_leaves_a_payment_for_what_was_kept(anon, org, link):
    deliver(anon, event_payload("checkout.session.completed", completed(link)))
    deliver(anon, event_payload("charge.refunded", refunded(link, 20000)))
    status, paid, payments = invoice_state(org, link["invoice_id"])
    assert (status, paid) == ("Partially Paid", "1000.00")
    assert sorted((str(a), s) for a, s, _ in payments) == [("1000.00", "Completed"), ("1200.00", "Void")]
    assert PaymentLink.all_orgs.get(pk=link["id"]).status == "partially_refunded"


def test_events_out_of_order_end_in_the_same_state(anon, org, link):
    # Stripe's running refund totals arrive newest first, and both before the completed checkout.
    deliver(anon, event_payload("charge.refunded", refunded(link, 50000)))
    late_older = deliver(anon, event_payload("charge.refunded", refunded(link, 20000)))
    assert late_older.data["outcome"] == "refund known"
    assert invoice_state(org, link["invoice_id"])[2] == []
    deliver(anon, event_payload("checkout.session.completed", completed(link)))
    status, paid, payments = invoice_state(org, link["invoice_id"])
    assert (status, paid) == ("Partially Paid", "700.00")
    assert [(str(a), s) for a, s, _ in payments] == [("700.00", "Completed")]
    # an expiry delivered after the payment changes nothing
    expired = {**completed(link), "status": "expired", "payment_status": "unpaid"}
    assert deliver(anon, event_payload("checkout.session.expired", expired)).data["outcome"] == "already settled"


def test_an_expired_session_is_no_longer_the_invoices_link(anon, api, link):
    expired = {**completed(link), "status": "expired", "payment_status": "unpaid"}
    assert deliver(anon, event_payload("checkout.session.expired", expired)).data["outcome"] == "expired"
    assert api.get(f"/api/v1/invoices/{link['invoice_id']}/payment-link").data["link"] is None


def test_unknown_sessions_and_event_types_are_acknowledged(anon, db, stripe_api):
    other = {"id": "cs_elsewhere", "object": "checkout.session", "payment_status": "paid", "amount_total": 5}
    assert deliver(anon, event_payload("checkout.session.completed", other)).data["outcome"] == "not a link of this CRM"
    assert (
        deliver(anon, event_payload("customer.created", {"id": "cus_1", "object": "customer"})).data["outcome"]
        == "ignored"
    )


def test_a_payment_the_invoice_cannot_take_is_noted_on_the_link(anon, api, org, link):
    api.post(
        f"/api/v1/invoices/{link['invoice_id']}/payments",
        {"amount": "500.00", "payment_date": "2026-01-10", "payment_method": "Cash"},
        format="json",
    )
    answer = deliver(anon, event_payload("checkout.session.completed", completed(link)))
    assert answer.status_code == 200 and answer.data["outcome"] == "refused: payment_exceeds_balance"
    stored = PaymentLink.all_orgs.get(pk=link["id"])
    assert stored.status == "failed" and stored.problem


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_deliveries_of_one_event_log_one_payment(org, user, settings):
    from decimal import Decimal

    from conftest import client_for

    from crm.invoicing.tests.factories import OrderFactory

    from ..testing import StripeStandIn

    with StripeStandIn() as stand_in:
        settings.STRIPE_SECRET_KEY = "sk_test_crm"
        settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
        settings.STRIPE_API_BASE = stand_in.base_url
        api = client_for(user)
        with org_scope(org.pk):
            order = OrderFactory(owner=user, lines=[(Decimal("1"), Decimal("100.00"))])
        invoice = api.post(f"/api/v1/orders/{order.pk}/invoices", {}, format="json").data
        api.post(f"/api/v1/invoices/{invoice['id']}/issue", {}, format="json")
        link = api.post(f"/api/v1/invoices/{invoice['id']}/payment-link", {}, format="json").data
        payload = event_payload("checkout.session.completed", completed(link), event_id="evt_concurrent")
        header = signature_header(payload, WEBHOOK_SECRET)
        barrier = threading.Barrier(10)
        codes: list[int] = []

        def one() -> None:
            from rest_framework.test import APIClient

            try:
                barrier.wait()
                answer = APIClient().post(URL, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header)
                codes.append(answer.status_code)
            finally:
                connection.close()

        threads = [threading.Thread(target=one) for _ in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert codes == [200] * 10
    status, paid, payments = invoice_state(org, invoice["id"])
    assert len(payments) == 1
    assert (status, paid) == ("Paid", invoice["gross_total"])
    assert WebhookEvent.objects.filter(event_id="evt_concurrent").count() == 1
