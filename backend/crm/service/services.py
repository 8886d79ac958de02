"""Case numbers and the create/update path that keeps ``closed_at`` in step with the status."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crm.accounts.models import Account
from crm.core.errors import ApplicationError
from crm.records.sequences import Numbering, number_next
from crm.records.services import record_create, record_update

from .models import Case

if TYPE_CHECKING:
    from crm.identity.models import User


CASE_NUMBERS = Numbering(key="case", width=8, first=1001)


def _after(values: dict[str, Any], current: Case | None, name: str) -> Any:
    """A field's value after the write: the new one if given, else the stored one."""
    if name in values:
        return values[name]
    return getattr(current, name) if current is not None else None


def _with_consistent_account(values: dict[str, Any], current: Case | None) -> dict[str, Any]:
    """A case's contact belongs to its account; a contact without an account takes the contact's."""
    contact = _after(values, current, "contact")
    if contact is None:
        return values
    account = _after(values, current, "account")
    if account is None:
        return {**values, "account": Account.objects.get(pk=contact.account_id)}
    if contact.account_id != account.pk:
        raise ApplicationError(
            "contact_not_on_account",
            _("The case's contact must belong to the case's account."),
            {
                "contact_id": [
                    _("%(contact)s does not belong to the account %(account)s.")
                    % {"contact": contact, "account": account}
                ]
            },
        )
    return values


def _closed_at_for(status: str, current: Case | None) -> Any:
    if status != Case.Status.CLOSED:
        return None
    if current is not None and current.status == Case.Status.CLOSED and current.closed_at is not None:
        return current.closed_at
    return timezone.now()


@transaction.atomic(durable=True)
def case_create(*, data: dict[str, Any], actor: User) -> Case:
    """Open a case: the next case number, the contact's account when none is given."""
    return case_create_nested(data=data, actor=actor)


@transaction.atomic
def case_create_nested(*, data: dict[str, Any], actor: User) -> Case:
    """The building block behind ``case_create``, for callers that already hold a transaction."""
    values = _with_consistent_account(dict(data), None)
    values.setdefault("status", Case.Status.NEW)
    values["closed_at"] = _closed_at_for(values["status"], None)
    number = number_next(CASE_NUMBERS)
    return record_create(model=Case, data={**values, "case_number": number}, actor=actor)


@transaction.atomic(durable=True)
def case_update(*, case: Case, data: dict[str, Any], expected_version: int, actor: User) -> Case:
    return case_update_nested(case=case, data=data, expected_version=expected_version, actor=actor)


@transaction.atomic
def case_update_nested(*, case: Case, data: dict[str, Any], expected_version: int, actor: User) -> Case:
    """The building block behind ``case_update``, for callers that already hold a transaction."""
    values = _with_consistent_account(dict(data), case)
    if "status" in values:
        values["closed_at"] = _closed_at_for(values["status"], case)
    return record_update(record=case, data=values, expected_version=expected_version, actor=actor)
