"""Where the domain events of records reach automation: once, for every object.

``crm.records`` publishes created / updated / stage changed from its single write path; billing's
``payment_logged`` signal becomes the "payment logged" event here. Each event is turned, inside the
writer's transaction, into webhook deliveries and a job that starts the workflows it triggers
(both sent once it commits).
"""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from crm.billing.models import Payment
from crm.billing.signals import payment_logged
from crm.core.scoping import org_scope, unrestricted
from crm.records import events

from .services import webhooks, workflows

PAYMENT_LOGGED = "payment.logged"


@receiver(events.record_event, dispatch_uid="automation.record_event")
def _record_event(sender: Any, event: events.RecordEvent, **kwargs: Any) -> None:
    with org_scope(event.organization_id), unrestricted():
        webhooks.deliveries_for_event(event)
        workflows.workflows_for_event(event)


@receiver(payment_logged, sender=Payment, dispatch_uid="automation.payment_logged")
def _payment_logged(sender: type[Payment], payment: Payment, actor: Any, **kwargs: Any) -> None:
    events.publish(
        type=PAYMENT_LOGGED,
        record=payment,
        actor_id=getattr(actor, "pk", None),
        extra={
            "amount": payment.amount,
            "status": payment.status,
            "order_id": payment.order_id,
            "contract_id": payment.contract_id,
        },
    )
