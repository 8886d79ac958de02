"""No partial business transactions: every step of a multi-step action fails in turn, nothing is written.

Each case makes one building block of a business action fail, either by raising from it (a bug
or a crash on the way) or by sending the database a row that breaks a NOT NULL constraint (a real
database error). The action goes through the API; afterwards every table of the database must be
exactly as before, row for row, and the same action must then succeed once the fault is gone.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from typing import Any

import pytest
from django.db import IntegrityError

from crm.audit import services as audit
from crm.audit.models import AuditEvent
from crm.billing import models as billing
from crm.billing.tests.factories import OrderFactory, won_opportunity
from crm.sales.models import Lead
from crm.sales.tests.factories import LeadFactory

from . import dbutil

# Tables a request may legitimately touch without being part of the action (token last use).
IGNORED_TABLES = {"identity_authtoken", "django_session", "crm_cache"}
TERM = {"start_date": "2025-01-01", "end_date": "2025-12-31", "billing_cycle": "Monthly"}
PAYMENT = {"amount": "400.00", "payment_date": "2025-09-01", "payment_method": "Bank Transfer"}


class InjectedFault(Exception):
    """Raised by a building block on purpose."""


def _snapshot() -> dict[str, list[tuple]]:
    return {table: rows for table, rows in dbutil.dump_tables_django().items() if table not in IGNORED_TABLES}


@dataclass
class Fault:
    fired: int = 0


def _fail_call(monkeypatch, module: Any, name: str, *, when: Callable[..., bool] = lambda *a, **k: True, nth: int = 1):
    """Make the ``nth`` matching call of ``module.name`` raise before it does anything."""
    original = getattr(module, name)
    fault = Fault()
    seen = 0

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        nonlocal seen
        if when(*args, **kwargs):
            seen += 1
            if seen == nth:
                fault.fired += 1
                raise InjectedFault(f"{getattr(module, '__name__', type(module).__name__)}.{name} call {nth}")
        return original(*args, **kwargs)

    monkeypatch.setattr(module, name, wrapper)
    return fault


def _break_audit_insert(monkeypatch, nth: int) -> Fault:
    """The ``nth`` audit insert reaches the database without its object id: NOT NULL violation.
    Events are counted alike whether they are written one by one or many in one statement."""
    original_create = AuditEvent.all_orgs.create
    original_bulk = AuditEvent.all_orgs.bulk_create
    fault = Fault()
    seen = 0

    def create(**values: Any) -> AuditEvent:
        nonlocal seen
        seen += 1
        if seen == nth:
            fault.fired += 1
            values["object_id"] = None
        return original_create(**values)

    def bulk_create(events: list[AuditEvent], *args: Any, **kwargs: Any) -> list[AuditEvent]:
        nonlocal seen
        for event in events:
            seen += 1
            if seen == nth:
                fault.fired += 1
                event.object_id = None
        return original_bulk(events, *args, **kwargs)

    monkeypatch.setattr(AuditEvent.all_orgs, "create", create)
    monkeypatch.setattr(AuditEvent.all_orgs, "bulk_create", bulk_create)
    return fault


def _break_line_copy(monkeypatch, module: Any, model: type, nth: int) -> Fault:
    """The ``nth`` copied line reaches the database without a quantity: NOT NULL violation."""
    fault = Fault()
    seen = 0

    class FaultyLine:
        objects = model.objects

        def __new__(cls, **values: Any) -> Any:
            nonlocal seen
            seen += 1
            if seen == nth:
                fault.fired += 1
                values["quantity"] = None
            return model(**values)

    monkeypatch.setattr(module, model.__name__, FaultyLine)
    return fault


def _is_model(model_name: str) -> Callable[..., bool]:
    return lambda *args, **kwargs: kwargs.get("model") is not None and kwargs["model"].__name__ == model_name


def _assert_nothing_written(monkeypatch, inject: Callable[[], Fault], act: Callable[[], Any], expected: type) -> None:
    before = _snapshot()
    fault = inject()
    with pytest.raises(expected):
        act()
    assert fault.fired == 1, "the fault was never reached: the step is not where the test thinks"
    after = _snapshot()
    changed = [table for table in before if before[table] != after.get(table)]
    assert not changed, f"partial write in {changed}"
    monkeypatch.undo()


def _fail_audit_write(monkeypatch, nth: int) -> Fault:
    return _fail_call(monkeypatch, audit, "write_event", nth=nth)


# --- lead conversion ------------------------------------------------------------------------------

LEAD_FAULTS = {
    "account create": lambda mp: _fail_call(mp, _leads(), "record_create", when=_is_model("Account")),
    "contact create": lambda mp: _fail_call(mp, _leads(), "record_create", when=_is_model("Contact")),
    "opportunity create": lambda mp: _fail_call(mp, _opps(), "record_create", when=_is_model("Opportunity")),
    "lead update": lambda mp: _fail_call(mp, _leads(), "record_update"),
    **{f"audit write {n} raises": partial(_fail_audit_write, nth=n) for n in (1, 2, 3, 4, 5)},
    **{f"audit insert {n} violates NOT NULL": partial(_break_audit_insert, nth=n) for n in (1, 5)},
}


def _leads():
    from crm.sales.services import leads

    return leads


def _opps():
    from crm.sales.services import opportunities

    return opportunities


@pytest.mark.parametrize("step", list(LEAD_FAULTS))
def test_lead_conversion_writes_nothing_when_a_step_fails(step, api, user, in_org, monkeypatch, figure):
    lead = LeadFactory(owner=user)
    url = f"/api/v1/leads/{lead.pk}/convert"
    body = {"opportunity_name": "First deal"}
    expected = IntegrityError if "NOT NULL" in step else InjectedFault

    _assert_nothing_written(
        monkeypatch, lambda: LEAD_FAULTS[step](monkeypatch), lambda: api.post(url, body, format="json"), expected
    )

    lead.refresh_from_db()
    assert lead.status != Lead.Status.CONVERTED and lead.converted_at is None
    response = api.post(url, body, format="json")  # the fault gone, the same action succeeds
    assert response.status_code == 200, response.data
    figure("sum:faults injected", 1)


def test_lead_conversion_writes_the_five_audit_events_the_faults_cover(api, user, in_org):
    lead = LeadFactory(owner=user)
    before = AuditEvent.all_orgs.count()
    assert api.post(f"/api/v1/leads/{lead.pk}/convert", {"opportunity_name": "Deal"}, format="json").status_code == 200
    assert AuditEvent.all_orgs.count() - before == 5


# --- order generation -----------------------------------------------------------------------------


def _orders():
    from crm.billing.services import orders

    return orders


def _common_numbering(mp):
    from crm.billing.services import orders

    return _fail_call(mp, orders, "number_next")


ORDER_FAULTS = {
    "order number": _common_numbering,
    "order create": lambda mp: _fail_call(mp, _orders(), "record_create", when=_is_model("Order")),
    "line copy 1 violates NOT NULL": lambda mp: _break_line_copy(mp, _orders(), billing.OrderLineItem, 1),
    "line copy 2 violates NOT NULL": lambda mp: _break_line_copy(mp, _orders(), billing.OrderLineItem, 2),
    "line copy raises": lambda mp: _fail_call(mp, billing.OrderLineItem.objects, "bulk_create"),
    "audit write 1 raises": lambda mp: _fail_call(mp, audit, "write_event", nth=1),
    "audit write 2 raises": lambda mp: _fail_call(mp, audit, "write_event", nth=2),
    "audit insert 2 violates NOT NULL": lambda mp: _break_audit_insert(mp, 2),
}


@pytest.mark.parametrize("step", list(ORDER_FAULTS))
def test_order_generation_writes_nothing_when_a_step_fails(step, api, user, in_org, monkeypatch, figure):
    opportunity = won_opportunity(user, lines=[(Decimal("2"), Decimal("100.00")), (Decimal("1"), Decimal("50.00"))])
    url = f"/api/v1/opportunities/{opportunity.pk}/generate-order"
    expected = IntegrityError if "NOT NULL" in step else InjectedFault

    _assert_nothing_written(monkeypatch, lambda: ORDER_FAULTS[step](monkeypatch), lambda: api.post(url), expected)

    assert not billing.Order.objects.exists()
    response = api.post(url)
    assert response.status_code == 201, response.data
    assert response.data["order_number"] == "ORD-00001"  # the failed attempts used no number
    assert billing.OrderLineItem.objects.count() == 2
    figure("sum:faults injected", 1)


# --- contract generation --------------------------------------------------------------------------


def _contracts():
    from crm.billing.services import contracts

    return contracts


CONTRACT_FAULTS = {
    "contract number": lambda mp: _fail_call(mp, _contracts(), "number_next"),
    "contract create": lambda mp: _fail_call(mp, _contracts(), "record_create", when=_is_model("Contract")),
    "line copy 1 violates NOT NULL": lambda mp: _break_line_copy(mp, _contracts(), billing.ContractLineItem, 1),
    "line copy 2 violates NOT NULL": lambda mp: _break_line_copy(mp, _contracts(), billing.ContractLineItem, 2),
    "audit write 1 raises": lambda mp: _fail_call(mp, audit, "write_event", nth=1),
    "audit write 2 raises": lambda mp: _fail_call(mp, audit, "write_event", nth=2),
    "audit insert 2 violates NOT NULL": lambda mp: _break_audit_insert(mp, 2),
}


@pytest.mark.parametrize("step", list(CONTRACT_FAULTS))
def test_contract_generation_writes_nothing_when_a_step_fails(step, api, user, in_org, monkeypatch, figure):
    opportunity = won_opportunity(
        user, lines=[(Decimal("1"), Decimal("900.00")), (Decimal("1"), Decimal("300.00"))], retainer=True
    )
    url = f"/api/v1/opportunities/{opportunity.pk}/generate-contract"
    expected = IntegrityError if "NOT NULL" in step else InjectedFault

    _assert_nothing_written(
        monkeypatch, lambda: CONTRACT_FAULTS[step](monkeypatch), lambda: api.post(url, TERM, format="json"), expected
    )

    response = api.post(url, TERM, format="json")
    assert response.status_code == 201, response.data
    assert billing.ContractLineItem.objects.count() == 2
    figure("sum:faults injected", 1)


# --- payment logging ------------------------------------------------------------------------------


def _payments():
    from crm.billing.services import payments

    return payments


PAYMENT_FAULTS = {
    "payment insert": lambda mp: _fail_call(mp, _payments(), "record_create", when=_is_model("Payment")),
    "order status recalculation": lambda mp: _fail_call(mp, _payments(), "order_sync_status"),
    "order status update": lambda mp: _fail_call(mp, _orders(), "record_set_derived"),
    "audit write 1 raises": lambda mp: _fail_call(mp, audit, "write_event", nth=1),
    "audit write 2 raises": lambda mp: _fail_call(mp, audit, "write_event", nth=2),
    "audit insert 1 violates NOT NULL": lambda mp: _break_audit_insert(mp, 1),
    "audit insert 2 violates NOT NULL": lambda mp: _break_audit_insert(mp, 2),
}


@pytest.mark.parametrize("step", list(PAYMENT_FAULTS))
def test_payment_logging_writes_nothing_when_a_step_fails(step, api, user, in_org, monkeypatch, figure):
    order = OrderFactory(owner=user)  # one line of 1 x 1000.00, awaiting payment
    url = f"/api/v1/orders/{order.pk}/payments"
    expected = IntegrityError if "NOT NULL" in step else InjectedFault

    _assert_nothing_written(
        monkeypatch, lambda: PAYMENT_FAULTS[step](monkeypatch), lambda: api.post(url, PAYMENT, format="json"), expected
    )

    order.refresh_from_db()
    assert order.status == billing.Order.Status.AWAITING_PAYMENT
    assert not billing.Payment.objects.exists()
    assert api.post(url, PAYMENT, format="json").status_code == 201
    detail = api.get(f"/api/v1/orders/{order.pk}").data
    assert (detail["status"], detail["amount_paid"]) == ("Partially Paid", "400.00"), detail
    figure("sum:faults injected", 1)


def test_order_factory_shape_the_payment_faults_rely_on(api, user, in_org):
    order = OrderFactory(owner=user)
    detail = api.get(f"/api/v1/orders/{order.pk}").data
    assert Decimal(detail["total"]) > Decimal(PAYMENT["amount"]), detail
    assert detail["status"] == "Awaiting Payment"
    assert datetime.date.fromisoformat(PAYMENT["payment_date"])
