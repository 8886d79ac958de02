"""Where the domain events of records reach automation: once, for every object.

``crm.records`` publishes created / updated / stage changed from its single write path; billing's
``payment_logged`` signal becomes the "payment logged" event here. Each event is turned, inside the
writer's transaction, into webhook deliveries and a job that starts the workflows it triggers
(both sent once it commits).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.dispatch import receiver

from crm.billing.models import Payment
from crm.billing.signals import payment_logged
from crm.core.scoping import org_scope, unrestricted
from crm.records import events

from .services import webhooks, workflows

PAYMENT_LOGGED = "payment.logged"


@dataclass
class _Subscriptions:
    """The organization's active webhooks and workflows, read once per transaction."""

    organization_id: int
    webhooks: list[Any]
    workflows: list[Any]
    expire: Callable[[], None] | None = None


def _subscriptions(organization_id: int) -> _Subscriptions:
    """Read once per transaction: a conversion that writes five records looks them up once.

    The memo lives until its transaction commits (an on-commit callback forgets it) and is not trusted
    after a rollback (the callback is then gone from the connection's list).
    """
    connection = transaction.get_connection()
    memo: _Subscriptions | None = getattr(connection, "_automation_subscriptions", None)
    if (
        memo is not None
        and memo.organization_id == organization_id
        and any(entry[1] is memo.expire for entry in connection.run_on_commit)
    ):
        return memo
    memo = _Subscriptions(organization_id, webhooks.active_subscriptions(), workflows.active_workflows())
    if connection.in_atomic_block:

        def expire() -> None:
            connection._automation_subscriptions = None

        memo.expire = expire
        connection._automation_subscriptions = memo
        transaction.on_commit(expire)
    return memo


@receiver(events.record_event, dispatch_uid="automation.record_event")
def _record_event(sender: Any, event: events.RecordEvent, **kwargs: Any) -> None:
    with org_scope(event.organization_id), unrestricted():
        found = _subscriptions(event.organization_id)
        webhooks.deliveries_for_event(event, found.webhooks)
        workflows.workflows_for_event(event, found.workflows)


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
