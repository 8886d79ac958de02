"""Shared state handed to each app's demo seeder."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from crm.identity.models import Organization, User


@dataclass
class DemoContext:
    organization: Organization
    actor: User
    users: list[User]
    rng: random.Random
    created: dict[str, int] = field(default_factory=dict)
    objects: dict[str, list[Any]] = field(default_factory=dict)

    def count(self, name: str, number: int = 1) -> None:
        self.created[name] = self.created.get(name, 0) + number

    def owner(self) -> User:
        return self.rng.choice(self.users)
