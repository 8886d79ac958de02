"""Retainer billing: every active contract gets its issued invoice for each billing cycle that has
begun. Safe to run any number of times and from two workers at once: one invoice per contract and
period (a unique constraint), each contract in its own transaction.

``retainer_billing_run`` takes ids only, so it runs synchronously, from ``manage.py bill_retainers``
or from a scheduled job alike.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from crm.billing.models import Contract
from crm.core.scoping import org_scope
from crm.identity.models import User

from .. import locks
from .invoices import contract_periods, invoice_for_contract_period, invoices_mark_overdue


@dataclass
class BillingRun:
    created: list[int] = field(default_factory=list)
    skipped: int = 0
    overdue: int = 0


def _billing_user(organization_id: int) -> User:
    """Invoices are written by the organization's first active admin (the audit trail names them)."""
    user = (
        User.objects.filter(organization_id=organization_id, is_active=True, role__in=["owner", "admin"])
        .order_by("id")
        .first()
    )
    if user is None:
        user = User.objects.filter(organization_id=organization_id).order_by("id").first()
    if user is None:
        raise LookupError(f"Organization {organization_id} has no user to bill as.")
    return user


def retainer_billing_run(*, organization_id: int, today: datetime.date | None = None) -> BillingRun:
    """Issue every missing cycle invoice of the organization's active contracts up to ``today``."""
    run = BillingRun()
    with org_scope(organization_id):
        today = today or timezone.localdate()
        actor = _billing_user(organization_id)
        contract_ids = list(
            Contract.objects.filter(status=Contract.Status.ACTIVE, is_active=True, start_date__lte=today)
            .order_by("id")
            .values_list("pk", flat=True)
        )
        for contract_id in contract_ids:
            with transaction.atomic(durable=True):
                contract = locks.contract_for_update(contract_id=contract_id)
                if contract.status != Contract.Status.ACTIVE:
                    continue
                for start in contract_periods(contract, through=today):
                    invoice, created = invoice_for_contract_period(
                        contract=contract, period_start=start, actor=actor, issue=True
                    )
                    if created:
                        run.created.append(invoice.pk)
                    else:
                        run.skipped += 1
        run.overdue = invoices_mark_overdue(actor=actor, today=today)
    return run
