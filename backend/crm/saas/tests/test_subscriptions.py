from __future__ import annotations

import time

from crm.stripe_gateway.testing import event_payload, signature_header

from ..models import Subscription
from .conftest import WEBHOOK_SECRET

WEBHOOK = "/api/v1/stripe/webhook"


def deliver(client, event_type, obj, *, created=None):
    payload = event_payload(event_type, obj, created=created)
    return client.post(
        WEBHOOK,
        payload,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=signature_header(payload, WEBHOOK_SECRET),
    )


def subscription_object(org, *, status="active", price="price_team", sub_id="sub_test_1", customer="cus_test_1"):
    return {
        "id": sub_id,
        "object": "subscription",
        "customer": customer,
        "status": status,
        "metadata": {"organization_id": str(org.pk)},
        "items": {"object": "list", "data": [{"id": "si_1", "price": {"id": price, "object": "price"}}]},
        "current_period_end": int(time.time()) + 30 * 86400,
    }


def test_checkout_opens_a_subscription_session_for_the_plans_price(admin_api, org, admin, stripe_api):
    answer = admin_api.post("/api/v1/saas/checkout", {"plan": "team"}, format="json")

    assert answer.status_code == 200, answer.data
    assert answer.data["url"].startswith("https://checkout.stripe.test/")
    [customer] = stripe_api.calls("/v1/customers")
    assert customer.form["metadata[organization_id]"] == str(org.pk)
    assert customer.headers["idempotency-key"]
    [session] = stripe_api.calls("/v1/checkout/sessions")
    assert session.form["mode"] == "subscription"
    assert session.form["line_items[0][price]"] == "price_team"
    assert session.form["client_reference_id"] == str(org.pk)
    assert session.form["subscription_data[metadata][organization_id]"] == str(org.pk)
    assert session.headers["idempotency-key"]
    # the customer is kept: a second checkout reuses it
    admin_api.post("/api/v1/saas/checkout", {"plan": "business"}, format="json")
    assert len(stripe_api.calls("/v1/customers")) == 1


def test_checkout_validation_and_permissions(admin_api, api, stripe_api, org):
    assert admin_api.post("/api/v1/saas/checkout", {"plan": "gold"}, format="json").status_code == 400
    assert admin_api.post("/api/v1/saas/checkout", {"plan": "free"}, format="json").status_code == 400
    assert admin_api.post("/api/v1/saas/checkout", {}, format="json").status_code == 400
    assert api.post("/api/v1/saas/checkout", {"plan": "team"}, format="json").status_code == 403
    assert api.post("/api/v1/saas/portal", {}, format="json").status_code == 403
    assert stripe_api.calls("/v1/checkout/sessions") == []


def test_checkout_without_stripe_is_a_clear_409(admin_api, saas, org):
    saas.STRIPE_SECRET_KEY = ""
    answer = admin_api.post("/api/v1/saas/checkout", {"plan": "team"}, format="json")
    assert answer.status_code == 409 and answer.data["code"] == "stripe_not_configured"


def test_the_portal_needs_a_billing_account(admin_api, org, stripe_api):
    none = admin_api.post("/api/v1/saas/portal", {}, format="json")
    assert none.status_code == 409 and none.data["code"] == "no_billing_account"
    Subscription.all_orgs.update_or_create(organization=org, defaults={"plan": "team", "stripe_customer_id": "cus_9"})
    answer = admin_api.post("/api/v1/saas/portal", {}, format="json")
    assert answer.status_code == 200 and answer.data["url"].startswith("https://billing.stripe.test/")
    [call] = stripe_api.calls("/v1/billing_portal/sessions")
    assert call.form["customer"] == "cus_9" and call.form["return_url"].endswith("/setup/billing")


def test_subscription_events_set_the_plan_and_status(anon, admin_api, org, stripe_api):
    checkout = {
        "id": "cs_sub",
        "object": "checkout.session",
        "mode": "subscription",
        "customer": "cus_test_1",
        "subscription": "sub_test_1",
        "metadata": {"organization_id": str(org.pk)},
        "payment_status": "paid",
    }
    assert deliver(anon, "checkout.session.completed", checkout).status_code == 200
    assert (
        deliver(anon, "customer.subscription.created", subscription_object(org, status="trialing")).status_code == 200
    )
    state = admin_api.get("/api/v1/saas/subscription").data
    assert (state["plan"]["code"], state["status"], state["has_billing_account"]) == ("team", "trialing", True)

    deliver(anon, "customer.subscription.updated", subscription_object(org, status="past_due"))
    assert admin_api.get("/api/v1/saas/subscription").data["plan"]["code"] == "team"  # kept while Stripe retries

    deliver(anon, "customer.subscription.updated", subscription_object(org, price="price_business"))
    assert admin_api.get("/api/v1/saas/subscription").data["plan"]["code"] == "business"

    deliver(anon, "customer.subscription.deleted", subscription_object(org, status="canceled", price="price_business"))
    state = admin_api.get("/api/v1/saas/subscription").data
    assert (state["plan"]["code"], state["status"]) == ("free", "canceled")


def test_an_older_subscription_event_arriving_late_changes_nothing(anon, admin_api, org, stripe_api):
    now = int(time.time())
    deliver(anon, "customer.subscription.deleted", subscription_object(org, status="canceled"), created=now)
    late = deliver(anon, "customer.subscription.updated", subscription_object(org, status="active"), created=now - 60)
    assert late.status_code == 200 and "older" in late.data["outcome"]
    assert admin_api.get("/api/v1/saas/subscription").data["status"] == "canceled"


def test_a_subscription_of_another_organization_never_touches_this_one(anon, org, other_org, admin_api, stripe_api):
    deliver(anon, "customer.subscription.updated", subscription_object(other_org, price="price_business"))
    assert admin_api.get("/api/v1/saas/subscription").data["plan"]["code"] == "free"
    assert Subscription.all_orgs.get(organization=other_org).plan == "business"


def test_usage_counts_only_the_callers_organization(api, other_api, org, saas):
    api.post("/api/v1/accounts", {"name": "Mine"}, format="json")
    other = other_api.get("/api/v1/saas/subscription").data
    accounts = next(row for row in other["records"] if row["object"] == "account")
    assert accounts["count"] == 0
    mine = next(row for row in api.get("/api/v1/saas/subscription").data["records"] if row["object"] == "account")
    assert (mine["count"], mine["limit"]) == (1, 2)


def test_the_subscription_needs_a_signed_in_user(anon, saas, db):
    assert anon.get("/api/v1/saas/subscription").status_code == 401
