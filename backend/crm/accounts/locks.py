"""Row locks of accounts and contacts, taken only here.

Lock order: the organization's hierarchy lock, then accounts, then contacts. Other domains that
lock an account (a lead converted into an existing account) take it through ``account_for_update``
after their own rows (the lead), never before.
"""

from __future__ import annotations

from crm.identity.locks import organization_for_update

from .models import Account


def hierarchy_lock(*, organization_id: int) -> None:
    """Serialise changes of one organization's account hierarchy (SQLite serialises every write already)."""
    organization_for_update(organization_id=organization_id)


def account_for_update(*, account_id: int) -> Account:
    return Account.objects.select_for_update().get(pk=account_id)
