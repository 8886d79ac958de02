"""Contracts: generated from a won retainer opportunity, renewed as new contracts, never re-termed."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from crm.audit import services as audit
from crm.audit.models import AuditEvent
from crm.core.errors import ApplicationError, InvalidStateTransition
from crm.records.sequences import number_next
from crm.records.services import record_create, record_update
from crm.sales.services.opportunities import opportunity_mark_billed

from .. import locks
from ..models import Contract, ContractLineItem, Payment
from .common import CONTRACT_NUMBERS, check_version, opportunity_lines, opportunity_lock_won, refuse_fixed_fields
from .orders import payments_settle_for_cancel

if TYPE_CHECKING:
    from crm.accounts.models import Account
    from crm.identity.models import User

# A contract's terms never change (renew it for new terms): only these fields do.
CONTRACT_EDITABLE = ("status", "description")
CONTRACT_FIXED_MESSAGE = gettext_lazy(
    "Only the status and description of a contract can be changed; renew it for new terms."
)
TERMINAL_STATUSES = frozenset({Contract.Status.EXPIRED, Contract.Status.TERMINATED, Contract.Status.CANCELLED})


def _check_term(start_date: datetime.date, end_date: datetime.date) -> None:
    if end_date < start_date:
        raise ApplicationError(
            "invalid_term",
            _("The contract cannot end before it starts."),
            {"end_date": _("Must be on or after the start date.")},
        )


def _contract_create(
    *,
    actor: User,
    account: Account,
    opportunity_id: int | None,
    start_date: datetime.date,
    end_date: datetime.date,
    billing_cycle: str,
    lines: list[tuple[int, Any, Any]],
    renewed_from: Contract | None = None,
    owner: Any = None,
    contract_number: str | None = None,
) -> Contract:
    contract = record_create(
        model=Contract,
        actor=actor,
        data={
            "status": Contract.Status.ACTIVE,
            "start_date": start_date,
            "end_date": end_date,
            "billing_cycle": billing_cycle,
            "account": account,
            "opportunity_id": opportunity_id,
            "owner": owner,
        },
        contract_number=contract_number or number_next(CONTRACT_NUMBERS),
        renewed_from=renewed_from,
    )
    ContractLineItem.objects.bulk_create(
        [
            ContractLineItem(
                contract=contract,
                product_id=product_id,
                quantity=quantity,
                price_per_cycle=price,
            )
            for product_id, quantity, price in lines
        ]
    )
    return contract


@transaction.atomic(durable=True)
def contract_generate(
    *, opportunity_id: int, start_date: datetime.date, end_date: datetime.date, billing_cycle: str, actor: User
) -> Contract:
    """A retainer agreement from a won opportunity whose products are all retainer products."""
    _check_term(start_date, end_date)
    opportunity = opportunity_lock_won(opportunity_id=opportunity_id)
    if Contract.objects.filter(opportunity=opportunity, renewed_from__isnull=True).exists():
        raise InvalidStateTransition(
            "contract_already_generated", _("A contract has already been generated for this opportunity.")
        )
    contract_number = number_next(CONTRACT_NUMBERS)
    opportunity_mark_billed(opportunity=opportunity, document_number=contract_number)
    lines = opportunity_lines(opportunity=opportunity)
    one_time = sorted({line.product.name for line in lines if not line.product.is_retainer_product})
    if one_time:
        raise InvalidStateTransition(
            "not_retainer_products",
            _(
                "A contract covers retainer products only; these are not retainers: %(products)s. "
                "Generate an order instead, or remove them from the opportunity."
            )
            % {"products": ", ".join(one_time)},
        )
    contract = _contract_create(
        contract_number=contract_number,
        actor=actor,
        account=opportunity.account,
        opportunity_id=opportunity.pk,
        start_date=start_date,
        end_date=end_date,
        billing_cycle=billing_cycle,
        lines=[(line.product_id, line.quantity, line.sale_price) for line in lines],
    )
    audit.write_event(
        record=opportunity,
        action=AuditEvent.Action.ACTION,
        actor=actor,
        name="opportunity.generate_contract",
        changes={"contract": (None, contract.pk)},
    )
    return contract


@transaction.atomic(durable=True)
def contract_update(*, contract_id: int, data: dict[str, Any], expected_version: int, actor: User) -> Contract:
    """Status and description only; the terms of a contract are never edited (renew instead)."""
    refuse_fixed_fields(model=Contract, data=data, editable=CONTRACT_EDITABLE, message=str(CONTRACT_FIXED_MESSAGE))
    contract = locks.contract_for_update(contract_id=contract_id)
    check_version(record=contract, expected_version=expected_version)
    status = data.get("status", contract.status)
    if status != contract.status and contract.status in TERMINAL_STATUSES:
        raise InvalidStateTransition(
            "contract_closed",
            _("A contract that is %(current)s cannot change to '%(status)s'.")
            % {"current": contract.status.lower(), "status": status},
        )
    if status == Contract.Status.CANCELLED and contract.status != status:
        payments_settle_for_cancel(payments=Payment.objects.filter(contract=contract), actor=actor, what="contract")
    return record_update(record=contract, data=data, expected_version=expected_version, actor=actor)


@transaction.atomic(durable=True)
def contract_renew(
    *,
    contract_id: int,
    start_date: datetime.date,
    end_date: datetime.date,
    billing_cycle: str | None,
    actor: User,
) -> Contract:
    """A new contract for the next term with the same services; the old terms stay as they were."""
    old = locks.contract_for_update(contract_id=contract_id)
    if old.status in (Contract.Status.CANCELLED, Contract.Status.TERMINATED):
        raise InvalidStateTransition(
            "contract_closed", _("A %(current)s contract cannot be renewed.") % {"current": old.status.lower()}
        )
    if Contract.objects.filter(renewed_from=old).exists():
        raise InvalidStateTransition("contract_already_renewed", _("This contract has already been renewed."))
    _check_term(start_date, end_date)
    if start_date <= old.end_date:
        raise ApplicationError(
            "renewal_overlaps",
            _("A renewal starts after the current term ends."),
            {
                "start_date": _("Must be after %(date)s, when the current term ends.")
                % {"date": old.end_date.isoformat()}
            },
        )
    lines = list(old.line_items.values_list("product_id", "quantity", "price_per_cycle"))
    renewal = _contract_create(
        actor=actor,
        account=old.account,
        opportunity_id=old.opportunity_id,
        start_date=start_date,
        end_date=end_date,
        billing_cycle=billing_cycle or old.billing_cycle,
        lines=lines,
        renewed_from=old,
        owner=old.owner,
    )
    if old.status == Contract.Status.ACTIVE and old.end_date < timezone.localdate():
        record_update(record=old, data={"status": Contract.Status.EXPIRED}, expected_version=old.version, actor=actor)
    audit.write_event(
        record=old,
        action=AuditEvent.Action.ACTION,
        actor=actor,
        name="contract.renew",
        changes={"renewal": (None, renewal.pk)},
    )
    return renewal
