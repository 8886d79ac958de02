"""What an import needs to know about each registered object beyond its API: the natural keys that
find the existing record a row updates, and how a lookup column names the record it links to.

Every registered object can be imported through its own list endpoint's serializer (the same field
rules as the API's create and update); objects without natural keys here can be created only.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Lower, Upper
from django.urls import Resolver404, resolve

from crm.accounts.models import Account, Contact
from crm.records.api import RecordViewSet
from crm.records.models import Record
from crm.records.registry import ObjectMeta, registered
from crm.sales.models import Lead, Product

_HOST = re.compile(r"^(?:[a-z][a-z0-9+.-]*://)?(?:[^@/]*@)?([^/:?#]+)", re.IGNORECASE)


def web_domain(value: str) -> str:
    """``https://www.Example.com/about`` -> ``example.com``; "" when there is no host."""
    found = _HOST.match(value.strip())
    if not found:
        return ""
    host = found.group(1).lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


@dataclass(frozen=True)
class NaturalKey:
    """A field whose normalized value identifies a record (a contact's email)."""

    field: str
    normalize: Callable[[str], str]
    # The records among ``queryset`` whose key is in ``keys``: (key, record id) pairs.
    find: Callable[[QuerySet[Any], set[str]], Iterable[tuple[str, int]]]


def _by_upper(name: str) -> Callable[[QuerySet[Any], set[str]], Iterable[tuple[str, int]]]:
    def find(queryset: QuerySet[Any], keys: set[str]) -> Iterable[tuple[str, int]]:
        return queryset.annotate(_key=Upper(name)).filter(_key__in=keys).values_list("_key", "id")

    return find


def _by_lower(name: str) -> Callable[[QuerySet[Any], set[str]], Iterable[tuple[str, int]]]:
    def find(queryset: QuerySet[Any], keys: set[str]) -> Iterable[tuple[str, int]]:
        return queryset.annotate(_key=Lower(name)).filter(_key__in=keys).values_list("_key", "id")

    return find


def _by_exact(name: str) -> Callable[[QuerySet[Any], set[str]], Iterable[tuple[str, int]]]:
    def find(queryset: QuerySet[Any], keys: set[str]) -> Iterable[tuple[str, int]]:
        return queryset.filter(**{f"{name}__in": keys}).values_list(name, "id")

    return find


def _by_domain(queryset: QuerySet[Any], keys: set[str]) -> Iterable[tuple[str, int]]:
    candidates = queryset.exclude(website="")
    for website, pk in candidates.values_list("website", "id").iterator(chunk_size=2000):
        domain = web_domain(website)
        if domain in keys:
            yield domain, pk


EMAIL = NaturalKey("email", lambda value: value.strip().upper(), _by_upper("email"))
DOMAIN = NaturalKey("website", web_domain, _by_domain)
ACCOUNT_NAME = NaturalKey("name", lambda value: value.strip().lower(), _by_lower("name"))


@dataclass(frozen=True)
class ImportTarget:
    object: str
    model: type[Record]
    # Tried in order: the first key a row has a value for decides which record it updates.
    keys: tuple[NaturalKey, ...] = ()
    # Lookup fields given by a name instead of an id: field -> (object, keys tried in order).
    links: dict[str, tuple[str, tuple[NaturalKey, ...]]] = field(default_factory=dict)


TARGETS: dict[str, ImportTarget] = {
    "account": ImportTarget("account", Account, keys=(DOMAIN,)),
    "contact": ImportTarget(
        "contact",
        Contact,
        keys=(EMAIL,),
        links={"account_id": ("account", (DOMAIN, ACCOUNT_NAME))},
    ),
    "lead": ImportTarget("lead", Lead, keys=(EMAIL,)),
    "product": ImportTarget(
        "product", Product, keys=(NaturalKey("product_code", str.strip, _by_exact("product_code")),)
    ),
}


@dataclass(frozen=True)
class ObjectAccess:
    """A registered object as the data tools reach it: its metadata, viewset and import rules."""

    meta: ObjectMeta
    viewset: type[RecordViewSet]
    initkwargs: dict[str, Any]
    target: ImportTarget

    @property
    def model(self) -> type[Record]:
        return self.viewset.model


def object_access(name: str) -> ObjectAccess | None:
    """The registered object ``name`` with the viewset that serves its list, or None."""
    meta = registered().get(name)
    if meta is None:
        return None
    try:
        match = resolve(f"/api/v1/{meta.api_path}")
    except Resolver404:
        return None
    viewset = getattr(match.func, "cls", None)
    if not isinstance(viewset, type) or not issubclass(viewset, RecordViewSet):
        return None
    target = TARGETS.get(name) or ImportTarget(name, viewset.model)
    return ObjectAccess(meta, viewset, dict(getattr(match.func, "initkwargs", {})), target)


def model_of(name: str) -> type[Record] | None:
    access = object_access(name)
    return access.model if access is not None else None
