"""Row locks of collections, taken only here.

Lock order: a bank transaction is locked before anything invoicing or billing locks for its
payments (the order or contract, the payment, the invoice). The organization's collection
settings and a reminder level are locked on their own, for their edits.
"""

from __future__ import annotations

from .models import BankTransaction, CollectionSettings, ReminderLevel


def bank_transaction_for_update(*, transaction_id: int) -> BankTransaction:
    return BankTransaction.objects.select_for_update().get(pk=transaction_id)


def bank_transactions_for_update(*, transaction_ids: list[int]) -> list[BankTransaction]:
    """Several transactions (a matching batch), locked in id order."""
    return list(BankTransaction.objects.select_for_update().filter(pk__in=transaction_ids).order_by("id"))


def collection_settings_for_update() -> CollectionSettings:
    return CollectionSettings.objects.select_for_update().get()


def reminder_level_for_update(*, level_id: int) -> ReminderLevel:
    return ReminderLevel.objects.select_for_update().get(pk=level_id)
