"""Test helpers shared by every app: the record contract cases and query counting."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import factory
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm.identity.models import Organization, User
from crm.records.models import OrgOwned, Record


@dataclass
class ContractCase:
    """What the shared API contract test needs to exercise one registered object.

    - ``make_record(org, user)`` creates a stored record directly (for read/update tests);
    - ``create_payload(org, user)`` builds a valid POST body (creating what it points at);
    - ``invalid_payload`` / ``invalid_field`` / ``invalid_code``: a body that must fail on that field,
      with that error code (a parsing error, or the code of the business rule that refuses it);
    - ``update``: a valid change of at least one field;
    - ``detail_queries``: the exact query count of the detail endpoint;
    - ``create_url(org, user)``: for objects created through a business action rather than the
      list endpoint (an order from its opportunity, a payment on its order), the URL to POST to;
      ``invalid_payload`` is None when that action takes no input.
    """

    object: str
    make_record: Callable[[Organization, User], Record]
    create_payload: Callable[[Organization, User], dict[str, Any]]
    invalid_payload: Callable[[Organization, User], dict[str, Any]] | None
    invalid_field: str
    update: dict[str, Any]
    admin_only_write: bool = False
    deactivatable: bool = True
    extra: dict[str, Any] = field(default_factory=dict)
    create_url: Callable[[Organization, User], str] | None = None
    invalid_code: str = "validation_error"
    # The exact number of queries of GET /<object>/{id}: a change shows up in review, an N+1 fails.
    detail_queries: int = 0


def collect_contract_cases() -> list[ContractCase]:
    cases: list[ContractCase] = []
    for config in apps.get_app_configs():
        if not config.name.startswith("crm."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.tests.contract")
        except ModuleNotFoundError:
            continue
        cases.extend(module.CASES)
    return cases


class count_queries(CaptureQueriesContext):
    def __init__(self) -> None:
        super().__init__(connection)

    @property
    def count(self) -> int:
        return len(self.captured_queries)


class OrgOwnedFactory(factory.django.DjangoModelFactory[Any]):
    """Creates organization-owned rows through the unscoped manager (no organization in scope needed)."""

    class Meta:
        abstract = True

    @classmethod
    def _get_manager(cls, model_class: type[OrgOwned]) -> Any:
        return model_class.all_orgs


class RecordFactory(OrgOwnedFactory):
    """Creates records through the unscoped manager; organization follows the owner."""

    class Meta:
        abstract = True

    organization = factory.declarations.LazyAttribute(lambda o: o.owner.organization)
    created_by = factory.declarations.SelfAttribute("owner")
    updated_by = factory.declarations.SelfAttribute("owner")
