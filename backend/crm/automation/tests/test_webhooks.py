"""Outbound webhooks against a local HTTP server: signed payloads, retries with backoff, the delivery
log, disabling after repeated failures with a mail to the administrators, and the address guard."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import time
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from crm.automation.models import WebhookDelivery, WebhookEndpoint
from crm.automation.services import webhooks
from crm.billing.services.payments import payment_log
from crm.billing.tests.factories import OrderFactory
from crm.core.scoping import org_scope
from crm.sales.models import Lead
from crm.sales.tests.factories import LeadFactory, OpportunityFactory

from .factories import WebhookFactory
from .stand_in import Receiver

pytestmark = pytest.mark.django_db

LEAD = {"last_name": "Ivanova", "company": "Ivanova Studio", "email": "maria@ivanova.example", "status": "New"}


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


def _verify(secret: str, received) -> None:
    timestamp = int(received.headers["X-CRM-Timestamp"])
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + received.body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(received.headers["X-CRM-Signature"], f"v1={expected}")
    assert abs(time.time() - timestamp) < 60


def test_a_new_lead_is_posted_signed_to_the_subscribed_endpoint(
    api, admin, receiver, django_capture_on_commit_callbacks
):
    endpoint = WebhookFactory(organization=admin.organization, url=receiver.url, event_types=["record.created"])
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/leads", LEAD, format="json")
    assert response.status_code == 201
    assert len(receiver.received) == 1
    received = receiver.received[0]
    _verify(endpoint.secret, received)
    assert received.path == "/hooks/crm"
    body = received.json
    assert body["type"] == "record.created" and received.headers["X-CRM-Event"] == "record.created"
    assert body["data"]["object"] == "lead" and body["data"]["id"] == response.data["id"]
    assert body["data"]["record"]["last_name"] == "Ivanova"
    assert body["data"]["changes"]["company"] == [None, "Ivanova Studio"]
    delivery = WebhookDelivery.all_orgs.get(endpoint=endpoint)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 1, 200)


def test_a_tampered_body_fails_the_signature_check(admin, receiver, django_capture_on_commit_callbacks):
    endpoint = WebhookFactory(organization=admin.organization, url=receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        LeadFactory(owner=admin)  # factories skip the services: no event
    assert receiver.received == []
    with django_capture_on_commit_callbacks(execute=True), org_scope(admin.organization_id):
        from crm.sales.services.leads import lead_create

        lead_create(data=LEAD, actor=admin)
    received = receiver.received[0]
    received.body = received.body.replace(b"Ivanova", b"Mallory")
    with pytest.raises(AssertionError):
        _verify(endpoint.secret, received)


def test_only_subscribed_events_and_objects_are_sent(api, admin, user, receiver, django_capture_on_commit_callbacks):
    WebhookFactory(
        organization=admin.organization, url=receiver.url, event_types=["stage.changed"], object_names=["opportunity"]
    )
    opportunity = OpportunityFactory(owner=user)
    with django_capture_on_commit_callbacks(execute=True):
        api.post("/api/v1/leads", LEAD, format="json")
        response = api.patch(
            f"/api/v1/opportunities/{opportunity.pk}", {"stage": "Closed Won", "version": 1}, format="json"
        )
    assert response.status_code == 200
    assert [r.json["type"] for r in receiver.received] == ["stage.changed"]
    data = receiver.received[0].json["data"]
    assert (data["from"], data["to"], data["field"]) == (opportunity.stage, "Closed Won", "stage")


def test_a_logged_payment_is_an_event(admin, receiver, django_capture_on_commit_callbacks):
    WebhookFactory(organization=admin.organization, url=receiver.url, event_types=["payment.logged"])
    order = OrderFactory(owner=admin)
    with django_capture_on_commit_callbacks(execute=True), org_scope(admin.organization_id):
        payment = payment_log(
            data={
                "amount": Decimal("250.00"),
                "payment_date": timezone.localdate(),
                "payment_method": "Bank Transfer",
            },
            actor=admin,
            order_id=order.pk,
        )
    assert len(receiver.received) == 1
    data = receiver.received[0].json["data"]
    assert (data["object"], data["id"], data["amount"], data["order_id"]) == ("payment", payment.pk, "250.00", order.pk)


def test_a_rolled_back_write_sends_nothing(admin, receiver, django_capture_on_commit_callbacks):
    WebhookFactory(organization=admin.organization, url=receiver.url)
    from crm.sales.services.leads import lead_create_nested

    with (
        django_capture_on_commit_callbacks(execute=True),
        org_scope(admin.organization_id),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        lead_create_nested(data=LEAD, actor=admin)
        raise RuntimeError("rolled back")
    assert receiver.received == []
    assert not WebhookDelivery.all_orgs.exists()


def test_a_500_is_retried_with_backoff_until_it_succeeds(api, admin, receiver, django_capture_on_commit_callbacks):
    receiver.answers = [500, 502, 200]
    endpoint = WebhookFactory(organization=admin.organization, url=receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        api.post("/api/v1/leads", LEAD, format="json")
    delivery = WebhookDelivery.all_orgs.get(endpoint=endpoint)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("retrying", 1, 500)
    first_wait = delivery.next_attempt_at - timezone.now()
    assert datetime.timedelta(seconds=25) < first_wait <= datetime.timedelta(seconds=30)
    # not due yet: nothing is sent
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.deliveries_send_due() == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.deliveries_send_due(now=delivery.next_attempt_at) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("retrying", 2, 502)
    second_wait = delivery.next_attempt_at - timezone.now()
    assert second_wait > first_wait  # the backoff grows
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.deliveries_send_due(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("succeeded", 3)
    assert [a["status_code"] for a in delivery.attempt_log] == [500, 502, 200]
    assert len(receiver.received) == 3
    assert len({r.headers["X-CRM-Delivery"] for r in receiver.received}) == 1  # the same event each time
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0 and endpoint.is_active


@override_settings(WEBHOOK_MAX_ATTEMPTS=2)
def test_a_delivery_fails_for_good_after_the_last_attempt(api, admin, receiver, django_capture_on_commit_callbacks):
    receiver.answers = [500]
    endpoint = WebhookFactory(organization=admin.organization, url=receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        api.post("/api/v1/leads", LEAD, format="json")
    delivery = WebhookDelivery.all_orgs.get(endpoint=endpoint)
    with django_capture_on_commit_callbacks(execute=True):
        webhooks.deliveries_send_due(now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.next_attempt_at) == ("failed", 2, None)
    with django_capture_on_commit_callbacks(execute=True):
        assert webhooks.deliveries_send_due(now=timezone.now() + datetime.timedelta(days=1)) == 0


@override_settings(WEBHOOK_DISABLE_AFTER=3)
def test_repeated_failures_disable_the_endpoint_and_mail_the_admins(
    api, admin, owner, user, receiver, django_capture_on_commit_callbacks
):
    receiver.answers = [500]
    endpoint = WebhookFactory(organization=admin.organization, url=receiver.url, name="Warehouse sync")
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            api.post("/api/v1/leads", {**LEAD, "email": f"l{n}@x.example"}, format="json")
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert endpoint.consecutive_failures == 3
    assert endpoint.disabled_at is not None and "HTTP 500" in endpoint.disabled_reason
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([admin.email, owner.email])  # administrators only, not plain users
    assert "Warehouse sync" in message.subject and receiver.url in message.body
    # a disabled endpoint receives nothing more
    with django_capture_on_commit_callbacks(execute=True):
        api.post("/api/v1/leads", {**LEAD, "email": "later@x.example"}, format="json")
    assert len(receiver.received) == 3
    # switching it on again starts the count afresh
    client_response = _admin(admin).patch(
        f"/api/v1/webhooks/{endpoint.pk}", {"is_active": True, "version": endpoint.version}, format="json"
    )
    assert client_response.status_code == 200, client_response.data
    assert client_response.data["consecutive_failures"] == 0 and client_response.data["disabled_at"] is None


def _admin(user):
    from conftest import client_for

    return client_for(user)


@override_settings(WEBHOOK_ALLOW_PRIVATE_ADDRESSES=False)
@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080/x",
        "http://10.1.2.3/x",
        "http://[::1]/x",
        "http://169.254.169.254/latest",
        "http://localhost/x",
    ],
)
def test_private_and_loopback_addresses_are_refused(admin_api, url):
    response = admin_api.post(
        "/api/v1/webhooks", {"name": "x", "url": url, "event_types": ["record.created"]}, format="json"
    )
    assert response.status_code == 400, response.data
    assert "url" in response.data["errors"]
    assert not WebhookEndpoint.all_orgs.exists()


def test_a_delivery_to_an_address_that_became_private_is_not_sent(
    api, admin, receiver, django_capture_on_commit_callbacks
):
    endpoint = WebhookFactory(organization=admin.organization, url=receiver.url)
    with override_settings(WEBHOOK_ALLOW_PRIVATE_ADDRESSES=False), django_capture_on_commit_callbacks(execute=True):
        api.post("/api/v1/leads", LEAD, format="json")
    assert receiver.received == []
    delivery = WebhookDelivery.all_orgs.get(endpoint=endpoint)
    assert delivery.status == "retrying" and "private" in delivery.last_error


# --- the API ------------------------------------------------------------------------------------


def test_an_admin_creates_a_webhook_and_reads_its_delivery_log(
    admin_api, admin, receiver, django_capture_on_commit_callbacks
):
    response = admin_api.post(
        "/api/v1/webhooks",
        {"name": "Zapier", "url": receiver.url, "event_types": ["record.created", "record.updated"]},
        format="json",
    )
    assert response.status_code == 201, response.data
    assert len(response.data["secret"]) == 64 and response.data["version"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        admin_api.post("/api/v1/leads", LEAD, format="json")
    log = admin_api.get(f"/api/v1/webhooks/{response.data['id']}/deliveries")
    assert log.status_code == 200
    rows = log.data["results"]
    assert [(row["event_type"], row["status"], row["last_status_code"]) for row in rows] == [
        ("record.created", "succeeded", 200)
    ]
    assert rows[0]["attempt_log"][0]["status_code"] == 200


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": "x", "url": "ftp://example.com", "event_types": ["record.created"]}, "url"),
        ({"name": "x", "url": "https://example.com", "event_types": []}, "event_types"),
        ({"name": "x", "url": "https://example.com", "event_types": ["lead.exploded"]}, "event_types.0"),
        ({"url": "https://example.com", "event_types": ["record.created"]}, "name"),
    ],
)
def test_bad_webhooks_are_refused_field_by_field(admin_api, body, field):
    response = admin_api.post("/api/v1/webhooks", body, format="json")
    assert response.status_code == 400
    assert field in response.data["errors"], response.data


def test_webhooks_are_for_administrators_and_their_own_organization(api, other_api, admin):
    endpoint = WebhookFactory(organization=admin.organization)
    assert api.get("/api/v1/webhooks").status_code == 403
    assert api.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries").status_code == 403
    assert other_api.get(f"/api/v1/webhooks/{endpoint.pk}").status_code == 404
    assert other_api.get(f"/api/v1/webhooks/{endpoint.pk}/deliveries").status_code == 404
    assert (
        other_api.patch(f"/api/v1/webhooks/{endpoint.pk}", {"name": "x", "version": 1}, format="json").status_code
        == 404
    )


def test_editing_a_webhook_needs_the_current_version(admin_api, admin):
    endpoint = WebhookFactory(organization=admin.organization)
    ok = admin_api.patch(f"/api/v1/webhooks/{endpoint.pk}", {"name": "Renamed", "version": 1}, format="json")
    assert ok.status_code == 200 and ok.data["version"] == 2
    stale = admin_api.patch(f"/api/v1/webhooks/{endpoint.pk}", {"name": "Again", "version": 1}, format="json")
    assert stale.status_code == 409
    assert WebhookEndpoint.all_orgs.get(pk=endpoint.pk).name == "Renamed"


def test_no_subscription_costs_no_delivery(api, admin):
    api.post("/api/v1/leads", LEAD, format="json")
    assert Lead.all_orgs.count() == 1
    assert not WebhookDelivery.all_orgs.exists()
