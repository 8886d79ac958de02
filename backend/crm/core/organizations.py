"""What a new organization starts with: each domain registers an initialiser, identity runs them.

Identity creates organizations but knows no business domain; a domain (sales: the default
opportunity stages) registers a function here from its AppConfig.ready(), and
``organization_initialise`` runs every one, in registration order, in the new organization's
scope and in the caller's transaction. Reads never create these rows on first use.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from crm.core.scoping import org_scope

Initialiser = Callable[[], None]

_initialisers: dict[str, Initialiser] = {}


def register_organization_initialiser(name: str, initialiser: Initialiser) -> None:
    """Run ``initialiser()`` for every new organization (registering a name again replaces it)."""
    _initialisers[name] = initialiser


@transaction.atomic
def organization_initialise(*, organization_id: int) -> None:
    """Give a newly created organization what every organization has (default stages, ...)."""
    with org_scope(organization_id):
        for initialiser in _initialisers.values():
            initialiser()
