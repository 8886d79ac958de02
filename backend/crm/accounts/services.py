"""Accounts and contacts: the hierarchy rules (parent accounts, reports-to) on top of the record write path.

Lock order: the organization's hierarchy lock (its organization row) first, then the record. Every
change of an account's parent takes that lock, so two concurrent re-parentings are checked one
after the other and can never close a loop between them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from crm.core.errors import ApplicationError
from crm.records.services import record_create, record_update

from . import locks
from .models import Account, Contact

if TYPE_CHECKING:
    from crm.identity.models import User


def _refuse_account_cycle(*, account_id: int, parent_id: int) -> None:
    """Walk up from the new parent, reading the committed parents: reaching the account closes a loop."""
    seen: set[int] = set()
    node: int | None = parent_id
    while node is not None and node not in seen:
        if node == account_id:
            raise ApplicationError(
                "account_hierarchy_cycle",
                _("An account cannot be its own parent or ancestor."),
                {"parent_account_id": [_("An account cannot be its own parent or ancestor.")]},
            )
        seen.add(node)
        node = Account.objects.filter(pk=node).values_list("parent_account_id", flat=True).first()


@transaction.atomic(durable=True)
def account_create(*, data: dict[str, Any], actor: User) -> Account:
    return record_create(model=Account, data=data, actor=actor)


@transaction.atomic(durable=True)
def account_update(*, account: Account, data: dict[str, Any], expected_version: int, actor: User) -> Account:
    """Update an account; a new parent must not make the account its own ancestor."""
    parent = data.get("parent_account")
    if parent is not None and parent.pk != account.parent_account_id:
        locks.hierarchy_lock(organization_id=account.organization_id)
        _refuse_account_cycle(account_id=account.pk, parent_id=parent.pk)
    return record_update(record=account, data=data, expected_version=expected_version, actor=actor)


def _refuse_self_report(*, contact: Contact, data: dict[str, Any]) -> None:
    boss = data.get("reports_to")
    if boss is not None and boss.pk == contact.pk:
        raise ApplicationError(
            "contact_reports_to_self",
            _("A contact cannot report to themselves."),
            {"reports_to_id": [_("A contact cannot report to themselves.")]},
        )


@transaction.atomic(durable=True)
def contact_create(*, data: dict[str, Any], actor: User) -> Contact:
    return record_create(model=Contact, data=data, actor=actor)


@transaction.atomic(durable=True)
def contact_update(*, contact: Contact, data: dict[str, Any], expected_version: int, actor: User) -> Contact:
    _refuse_self_report(contact=contact, data=data)
    return record_update(record=contact, data=data, expected_version=expected_version, actor=actor)
