"""Signals billing sends to the modules built on it (they are received inside the same transaction)."""

from __future__ import annotations

from django.dispatch import Signal

# Sent after a payment is edited or voided, with ``payment`` (the updated row) and ``actor``: what is
# derived from payments elsewhere (an invoice's amount paid) is brought up to date in the same transaction.
payment_changed = Signal()

# Sent once a payment is logged against an order or a contract, with ``payment`` and ``actor``
# (the "payment logged" domain event of workflows and outbound webhooks).
payment_logged = Signal()
