"""Billing business actions: generating orders and contracts, payments, status changes, renewals."""

from .contracts import contract_generate, contract_renew, contract_update
from .orders import order_cancel, order_create_from_opportunity, order_generate, order_sync_status, order_update
from .payments import payment_add, payment_attribute_vat, payment_log, payment_update

__all__ = [
    "contract_generate",
    "contract_renew",
    "contract_update",
    "order_cancel",
    "order_create_from_opportunity",
    "order_generate",
    "order_sync_status",
    "order_update",
    "payment_add",
    "payment_attribute_vat",
    "payment_log",
    "payment_update",
]
