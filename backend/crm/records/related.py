"""Related lists embedded in a record's detail answer (the Account 360 view, timelines).

An app that owns a child object registers how to load the rows for a parent, e.g. the sales
app registers ``opportunities`` on ``account``. The record viewset adds every embed registered
for its object to the detail response. Each loader must run a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.serializers import Serializer

    from .models import Record


@dataclass(frozen=True)
class DetailEmbed:
    parent: str
    key: str
    loader: Callable[[Record, Request], Any]
    serializer: type[Serializer[Any]] | None = None  # documents one row in the OpenAPI schema
    many: bool = True


_EMBEDS: dict[str, dict[str, DetailEmbed]] = {}


def register_embed(
    parent: str,
    key: str,
    loader: Callable[[Record, Request], Any],
    serializer: type[Serializer[Any]] | None = None,
    many: bool = True,
) -> None:
    _EMBEDS.setdefault(parent, {})[key] = DetailEmbed(parent, key, loader, serializer, many)


def embeds_for(parent: str) -> list[DetailEmbed]:
    return list(_EMBEDS.get(parent, {}).values())
