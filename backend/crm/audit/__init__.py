"""The audit trail: its append-only table and the writer services call inside their transaction.

It sits between the core and identity (identity writes audit events for users and organizations),
and it imports only the core.
"""
