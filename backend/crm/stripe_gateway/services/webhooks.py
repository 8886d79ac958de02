"""Stripe's webhook: the signature is checked with the official library, each event is taken in once
(by its id, also when deliveries arrive at the same time), and handed to the handler of its type.

Handlers are registered per event type (payment links here, subscriptions in the SaaS app). Each is
idempotent and safe in any order: it compares against the state it keeps, never assumes the previous
event arrived. An event whose handler fails is let go again, so Stripe's retry applies it later.
"""

from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Callable
from typing import Any

import stripe
from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import status

from crm.core.errors import ApplicationError

from ..models import WebhookEvent

log = logging.getLogger("crm.stripe")

# A delivery that took an event in but died before finishing it lets a redelivery take it after this.
STALE_CLAIM = datetime.timedelta(minutes=5)

Handler = Callable[[dict[str, Any], datetime.datetime], str]

_handlers: dict[str, dict[str, Handler]] = {}


class EventBusy(ApplicationError):
    """Another delivery is applying an event to the same object: Stripe retries this one later."""

    status_code = status.HTTP_409_CONFLICT

    def __init__(self) -> None:
        super().__init__("event_busy", _("Another event for this payment is being applied; retry later."))


def register_event_handler(event_type: str, handler: Handler, *, name: str | None = None) -> None:
    """``handler(object, event_created)`` applies one event's object and says what it did (several
    handlers may take one type, e.g. payment links and subscriptions both take completed checkouts)."""
    _handlers.setdefault(event_type, {})[name or f"{handler.__module__}.{handler.__qualname__}"] = handler


def verify(*, payload: bytes, signature: str | None) -> dict[str, Any]:
    """The event, if ``payload`` is signed with the webhook secret within the tolerance; else a 400."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise ApplicationError(
            "stripe_not_configured",
            _("Stripe webhooks are not set up: the webhook secret is missing."),
            status_code=status.HTTP_409_CONFLICT,
        )
    try:
        stripe.WebhookSignature.verify_header(
            payload.decode("utf-8", "replace"), signature or "", secret, settings.STRIPE_WEBHOOK_TOLERANCE_SECONDS
        )
    except stripe.SignatureVerificationError as exc:
        raise ApplicationError("invalid_signature", _("The Stripe signature is missing, wrong or too old.")) from exc
    try:
        data = json.loads(payload)
    except ValueError as exc:
        raise ApplicationError("invalid_payload", _("The webhook body is not a Stripe event.")) from exc
    if (
        not isinstance(data, dict)
        or not isinstance(data.get("id"), str)
        or not isinstance(data.get("type"), str)
        or not isinstance(data.get("data"), dict)
        or not isinstance(data["data"].get("object"), dict)
    ):
        raise ApplicationError("invalid_payload", _("The webhook body is not a Stripe event."))
    return data


def _claim(event: dict[str, Any], created: datetime.datetime) -> WebhookEvent | None:
    """The event's row, taken for this delivery; None when it was applied or is being applied."""
    try:
        with transaction.atomic():
            return WebhookEvent.objects.create(
                event_id=event["id"],
                type=event["type"][:100],
                livemode=bool(event.get("livemode")),
                stripe_created=created,
            )
    except IntegrityError:
        pass
    # Taken in before: only a delivery that died halfway leaves it unprocessed and stale.
    stale_before = timezone.now() - STALE_CLAIM
    taken = WebhookEvent.objects.filter(
        event_id=event["id"], processed_at__isnull=True, received_at__lt=stale_before
    ).update(received_at=timezone.now())
    return WebhookEvent.objects.get(event_id=event["id"]) if taken else None


def event_receive(*, payload: bytes, signature: str | None) -> tuple[WebhookEvent | None, str]:
    """Verify and apply one delivery. Returns the event row (None for a duplicate) and the outcome."""
    event = verify(payload=payload, signature=signature)
    try:
        created = datetime.datetime.fromtimestamp(int(event.get("created") or 0), tz=datetime.UTC)
    except (TypeError, ValueError, OverflowError) as exc:
        raise ApplicationError("invalid_payload", _("The webhook body is not a Stripe event.")) from exc
    row = _claim(event, created)
    if row is None:
        return None, "duplicate"
    handlers = list(_handlers.get(event["type"], {}).values())
    try:
        outcomes = [handler(event["data"]["object"], created) for handler in handlers]
        outcome = "; ".join(o for o in outcomes if o) if handlers else "ignored"
    except BaseException:
        # Let the event go: Stripe's retry (or a concurrent delivery's) applies it later.
        WebhookEvent.objects.filter(pk=row.pk, processed_at__isnull=True).delete()
        raise
    WebhookEvent.objects.filter(pk=row.pk).update(processed_at=timezone.now(), outcome=outcome[:255])
    log.info("stripe event %s %s: %s", event["id"], event["type"], outcome)
    return row, outcome
