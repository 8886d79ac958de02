"""Outbound webhooks: subscriptions, signed deliveries, retries with backoff, and disabling.

A delivery row is written in the transaction of the change it reports, and its job is sent once
that commits. The HTTP call happens outside any transaction; its outcome is written afterwards.
Failed attempts are retried with exponential backoff (the ``automation.due`` schedule sends them);
after ``WEBHOOK_DISABLE_AFTER`` failed attempts in a row the endpoint is disabled and the
organization's administrators get a mail.

Payloads are signed: ``X-CRM-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`` with
``X-CRM-Timestamp`` (Unix seconds) so receivers can refuse replays.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
import ssl
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.core.errors import ApplicationError, VersionConflict
from crm.identity.models import ADMIN_ROLES, User
from crm.jobs.services import enqueue_on_commit
from crm.records.events import RecordEvent, json_safe

from .. import locks
from ..models import WebhookDelivery, WebhookEndpoint

EVENT_TYPES = ("record.created", "record.updated", "stage.changed", "payment.logged", "form.submitted")
# The event type of a delivery made by a workflow's "call a webhook" step.
WORKFLOW_EVENT = "workflow.webhook"
DELIVER_TASK = "automation.deliver_webhook"
DISABLED_MAIL_TASK = "automation.webhook_disabled_mail"


# --- where a webhook may go ---------------------------------------------------------------------


@dataclass(frozen=True)
class Destination:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the resolved address connected to (checked, so a DNS answer cannot change it later)


def _blocked(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def webhook_destination(url: str) -> Destination:
    """Where ``url`` goes, refused (400) unless it is http(s) and, in production settings, public."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ApplicationError(
            "invalid_webhook_url", _("Please correct the errors below."), {"url": _("Give an http or https URL.")}
        )
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, ValueError, UnicodeError):
        raise ApplicationError(
            "webhook_host_unknown",
            _("Please correct the errors below."),
            {"url": _("The host name does not resolve.")},
        ) from None
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES and any(_blocked(address) for address in addresses):
        raise ApplicationError(
            "webhook_address_blocked",
            _("Please correct the errors below."),
            {"url": _("Webhooks cannot be sent to private, loopback or reserved addresses.")},
        )
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Destination(parts.scheme, parts.hostname, port, path, str(addresses[0]))


# --- the endpoints --------------------------------------------------------------------------------


def _clean_event_types(value: Any) -> list[str]:
    if not isinstance(value, list) or not value or any(item not in EVENT_TYPES for item in value):
        raise ApplicationError(
            "invalid_webhook",
            _("Please correct the errors below."),
            {"event_types": _("Pick one or more of: %(choices)s.") % {"choices": ", ".join(EVENT_TYPES)}},
        )
    return sorted(set(value))


def _values(data: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {key: data[key] for key in ("name", "url", "object_names", "is_active") if key in data}
    if "event_types" in data:
        values["event_types"] = _clean_event_types(data["event_types"])
    if "url" in values:
        webhook_destination(values["url"])
    return values


@transaction.atomic(durable=True)
def webhook_create(*, data: dict[str, Any], actor: User) -> WebhookEndpoint:
    values = _values(data)
    if "event_types" not in values:
        _clean_event_types(None)
    return WebhookEndpoint.objects.create(**values, created_by=actor)


@transaction.atomic(durable=True)
def webhook_update(*, endpoint_id: int, data: dict[str, Any], expected_version: int, actor: User) -> WebhookEndpoint:
    """Change an endpoint; switching a disabled one on again starts its failure count afresh."""
    endpoint = locks.webhook_for_update(endpoint_id=endpoint_id)
    if endpoint.version != expected_version:
        raise VersionConflict(current_version=endpoint.version)
    values = _values(data)
    changed = [name for name, value in values.items() if getattr(endpoint, name) != value]
    if not changed:
        return endpoint
    for name in changed:
        setattr(endpoint, name, values[name])
    if "is_active" in changed and endpoint.is_active:
        endpoint.consecutive_failures = 0
        endpoint.disabled_at = None
        endpoint.disabled_reason = ""
        changed += ["consecutive_failures", "disabled_at", "disabled_reason"]
    endpoint.version += 1
    endpoint.save(update_fields=[*changed, "version", "updated_at"])
    return endpoint


# --- deliveries -------------------------------------------------------------------------------------


def record_snapshot(object_name: str, record_id: int) -> dict[str, Any] | None:
    """The record's columns as JSON (the organization in scope; None when it is gone)."""
    for model in apps.get_models():
        if getattr(model, "object_name", None) == object_name:
            record = model._default_manager.filter(pk=record_id).first()
            if record is None:
                return None
            values = {
                f.attname: getattr(record, f.attname) for f in model._meta.concrete_fields if f.name != "organization"
            }
            snapshot: dict[str, Any] = json_safe(values)
            return snapshot
    return None


def event_payload(event: RecordEvent, *, event_id: str) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": event.type,
        "created_at": timezone.now().isoformat(),
        "organization_id": event.organization_id,
        "data": {
            "object": event.object_name,
            "id": event.record_id,
            "actor_id": event.actor_id,
            "changes": event.changes,
            **event.extra,
            "record": record_snapshot(event.object_name, event.record_id),
        },
    }


def delivery_create(*, endpoint: WebhookEndpoint, event_type: str, payload: dict[str, Any]) -> WebhookDelivery:
    """A pending delivery, sent by a job once the current transaction commits."""
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_id=uuid.UUID(payload["id"]),
        event_type=event_type,
        payload=payload,
        next_attempt_at=timezone.now(),
    )
    enqueue_on_commit(
        DELIVER_TASK,
        key=f"{delivery.pk}:0",
        organization_id=delivery.organization_id,
        organization=delivery.organization_id,
        delivery_id=delivery.pk,
    )
    return delivery


def active_subscriptions() -> list[tuple[int, list[str], list[str]]]:
    """(id, event types, object names) of the organization's active endpoints."""
    return list(
        WebhookEndpoint.objects.filter(is_active=True).order_by("id").values_list("pk", "event_types", "object_names")
    )


def deliveries_for_event(
    event: RecordEvent, subscriptions: list[tuple[int, list[str], list[str]]] | None = None
) -> list[WebhookDelivery]:
    """The deliveries of one domain event to every active endpoint subscribed to it (in the event's transaction)."""
    rows = active_subscriptions() if subscriptions is None else subscriptions
    wanted = [
        pk for pk, types, objects in rows if event.type in types and (not objects or event.object_name in objects)
    ]
    if not wanted:
        return []
    endpoints = list(WebhookEndpoint.objects.filter(pk__in=wanted, is_active=True).order_by("id"))
    event_id = str(uuid.uuid4())
    payload = event_payload(event, event_id=event_id)
    return [delivery_create(endpoint=endpoint, event_type=event.type, payload=payload) for endpoint in endpoints]


def signature(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"v1={digest}"


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to the address that was checked, with the certificate checked for the host name."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class AttemptOutcome:
    ok: bool
    status_code: int | None
    error: str
    duration_ms: int


def _post_rollback_unsafe(url: str, secret: str, payload: dict[str, Any], delivery_id: int) -> AttemptOutcome:
    """One HTTP POST of the signed payload; any answer but 2xx, or no answer, is a failure."""
    started = time.monotonic()
    body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "CRM-Webhooks/1",
        "X-CRM-Event": str(payload.get("type", "")),
        "X-CRM-Delivery": str(payload.get("id", "")),
        "X-CRM-Timestamp": str(timestamp),
        "X-CRM-Signature": signature(secret, timestamp, body),
    }
    connection: http.client.HTTPConnection | None = None
    try:
        target = webhook_destination(url)
        timeout = float(settings.WEBHOOK_TIMEOUT_SECONDS)
        if target.scheme == "https":
            connection = _PinnedHTTPSConnection(target.host, target.address, target.port, timeout)
        else:
            connection = http.client.HTTPConnection(target.address, target.port, timeout=timeout)
        default_port = 443 if target.scheme == "https" else 80
        headers["Host"] = target.host if target.port == default_port else f"{target.host}:{target.port}"
        connection.request("POST", target.path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(2048)
        code = response.status
        elapsed = int((time.monotonic() - started) * 1000)
        if 200 <= code < 300:
            return AttemptOutcome(True, code, "", elapsed)
        return AttemptOutcome(False, code, f"HTTP {code}", elapsed)
    except ApplicationError as exc:
        return AttemptOutcome(
            False, None, "; ".join(m for messages in exc.fields.values() for m in messages) or exc.message, 0
        )
    except (OSError, http.client.HTTPException) as exc:
        elapsed = int((time.monotonic() - started) * 1000)
        return AttemptOutcome(False, None, f"{type(exc).__name__}: {exc}"[:500], elapsed)
    finally:
        if connection is not None:
            connection.close()


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff after the ``attempts``-th failed attempt."""
    base = float(settings.WEBHOOK_RETRY_BASE_SECONDS)
    return timedelta(seconds=min(base * 2 ** (attempts - 1), float(settings.WEBHOOK_RETRY_MAX_SECONDS)))


def delivery_attempt_rollback_unsafe(*, delivery_id: int) -> str:
    """Send one delivery now (the HTTP call is outside any transaction) and record how it went."""
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first()
        if delivery is None or delivery.status in (WebhookDelivery.Status.SUCCEEDED, WebhookDelivery.Status.FAILED):
            return "skipped"
        endpoint = delivery.endpoint
        if not endpoint.is_active:
            return "endpoint_disabled"
        url, secret, payload = endpoint.url, endpoint.secret, delivery.payload
    outcome = _post_rollback_unsafe(url, secret, payload, delivery_id)
    return _record_outcome(delivery_id=delivery_id, endpoint_id=endpoint.pk, outcome=outcome)


@transaction.atomic
def _record_outcome(*, delivery_id: int, endpoint_id: int, outcome: AttemptOutcome) -> str:
    endpoint = locks.webhook_for_update(endpoint_id=endpoint_id)
    delivery = locks.delivery_for_update(delivery_id=delivery_id)
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_status_code = outcome.status_code
    delivery.last_error = outcome.error
    delivery.attempt_log = [
        *delivery.attempt_log,
        {
            "at": now.isoformat(),
            "status_code": outcome.status_code,
            "error": outcome.error,
            "duration_ms": outcome.duration_ms,
        },
    ][-20:]
    if outcome.ok:
        delivery.status = WebhookDelivery.Status.SUCCEEDED
        delivery.delivered_at = now
        delivery.next_attempt_at = None
        if endpoint.consecutive_failures:
            endpoint.consecutive_failures = 0
            endpoint.save(update_fields=["consecutive_failures", "updated_at"])
    else:
        if delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS:
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.next_attempt_at = None
        else:
            delivery.status = WebhookDelivery.Status.RETRYING
            delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        endpoint.consecutive_failures += 1
        fields = ["consecutive_failures", "updated_at"]
        if endpoint.is_active and endpoint.consecutive_failures >= settings.WEBHOOK_DISABLE_AFTER:
            endpoint.is_active = False
            endpoint.disabled_at = now
            endpoint.disabled_reason = _("Disabled after %(count)s failed attempts in a row; the last: %(error)s") % {
                "count": endpoint.consecutive_failures,
                "error": outcome.error,
            }
            endpoint.version += 1
            fields += ["is_active", "disabled_at", "disabled_reason", "version"]
            enqueue_on_commit(
                DISABLED_MAIL_TASK,
                key=f"{endpoint.pk}:{now.isoformat()}",
                organization_id=endpoint.organization_id,
                organization=endpoint.organization_id,
                endpoint_id=endpoint.pk,
            )
        endpoint.save(update_fields=fields)
    delivery.save()
    return str(delivery.status)


def deliveries_send_due(*, now: datetime | None = None) -> int:
    """Send the deliveries whose retry time has come (the ``automation.due`` schedule); returns how many."""
    moment = now or timezone.now()
    with transaction.atomic():
        due = list(
            WebhookDelivery.all_orgs.filter(
                status=WebhookDelivery.Status.RETRYING, next_attempt_at__lte=moment, endpoint__is_active=True
            ).values_list("pk", "organization_id", "attempts")[:500]
        )
        for delivery_id, organization_id, attempts in due:
            enqueue_on_commit(
                DELIVER_TASK,
                key=f"{delivery_id}:{attempts}",
                organization_id=organization_id,
                organization=organization_id,
                delivery_id=delivery_id,
            )
    return len(due)


def webhook_disabled_mail_rollback_unsafe(*, endpoint_id: int) -> int:
    """Tell the organization's administrators that an endpoint was disabled; returns the mails sent."""
    endpoint = WebhookEndpoint.objects.filter(pk=endpoint_id).first()
    if endpoint is None:
        return 0
    admins = list(
        User.objects.filter(
            organization_id=endpoint.organization_id, role__in=list(ADMIN_ROLES), is_active=True
        ).values_list("email", flat=True)
    )
    if not admins:
        return 0
    subject = _("Webhook %(name)s was disabled") % {"name": endpoint.name}
    body = _(
        "The webhook %(name)s (%(url)s) failed %(count)s times in a row and was disabled.\n\n%(reason)s\n\n"
        "Fix the receiving end, then switch the webhook on again in Setup > Webhooks: %(link)s"
    ) % {
        "name": endpoint.name,
        "url": endpoint.url,
        "count": endpoint.consecutive_failures,
        "reason": endpoint.disabled_reason,
        "link": f"{settings.CRM_BASE_URL.rstrip('/')}/setup/webhooks",
    }
    return send_mail(subject, body, None, admins)
