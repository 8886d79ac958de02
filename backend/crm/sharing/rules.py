"""Which objects take an organization-wide default, and which rows follow a parent's access."""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from django.apps import apps

if TYPE_CHECKING:
    from crm.records.models import Record

# Objects with their own default, by object name, with the API's key and the user columns that
# make a user (and the users above them) an owner of a record.
OBJECTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "account": ("Account", ("owner_id",)),
    "contact": ("Contact", ("owner_id",)),
    "lead": ("Lead", ("owner_id",)),
    "opportunity": ("Opportunity", ("owner_id",)),
    "order": ("Order", ("owner_id",)),
    "contract": ("Contract", ("owner_id",)),
    "case": ("Case", ("owner_id",)),
    # A task or event belongs to whom it is assigned to as much as to its owner.
    "activity": ("Activity", ("owner_id", "assigned_to_id")),
    "invoice": ("Invoice", ("owner_id",)),
}

# Rows whose access is their parent's (Salesforce's "controlled by parent"), by model label: the
# foreign keys to the parents and the parents' object names. A row with several parents (a payment
# of an order or of a contract) is visible through whichever parent it has.
CHILDREN: dict[str, tuple[tuple[str, str], ...]] = {
    "billing.payment": (("order", "order"), ("contract", "contract")),
    "billing.orderlineitem": (("order", "order"),),
    "billing.contractlineitem": (("contract", "contract"),),
    "sales.opportunitylineitem": (("opportunity", "opportunity"),),
    "sales.opportunitycontactrole": (("opportunity", "opportunity"),),
    # A quote is the opportunity's (as in Salesforce); an invoice's lines are the invoice's.
    "invoicing.quote": (("opportunity", "opportunity"),),
    "invoicing.invoicelineitem": (("invoice", "invoice"),),
}

KEY_TO_OBJECT = {key: name for name, (key, _) in OBJECTS.items()}


@cache
def model_of(object_name: str) -> type[Record]:
    for model in apps.get_models():
        if getattr(model, "object_name", None) == object_name:
            return model  # type: ignore[return-value]
    raise LookupError(object_name)
