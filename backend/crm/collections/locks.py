"""Row locks of collections, taken only here. A bank transaction is locked before anything invoicing
or billing locks for its payments (the order or contract, the payment, the invoice)."""

from __future__ import annotations

from .models import BankTransaction


def bank_transaction_for_update(*, transaction_id: int) -> BankTransaction:
    return BankTransaction.objects.select_for_update().get(pk=transaction_id)
