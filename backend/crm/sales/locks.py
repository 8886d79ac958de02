"""Row locks of the sales domain, taken only here.

Lock order, always in this direction so that two transactions never wait on each other:
1. a lead (conversion), then the account it is converted into (``accounts.locks``);
2. an opportunity, before any of its lines or contact roles (a line change, an order or a
   contract generated from it: billing takes the opportunity through ``opportunity_for_update``
   before its own order or contract rows);
3. the organization's stage list, on its own.
"""

from __future__ import annotations

from .models import Lead, Opportunity, OpportunityStage


def lead_for_update(*, lead_id: int) -> Lead:
    return Lead.objects.select_for_update().get(pk=lead_id)


def opportunity_for_update(*, opportunity_id: int, with_account: bool = False) -> Opportunity:
    """The opportunity row locked (with its account read alongside, but only the opportunity locked)."""
    queryset = Opportunity.objects.select_for_update(of=("self",))
    if with_account:
        queryset = queryset.select_related("account")
    return queryset.get(pk=opportunity_id)


def stages_for_update() -> list[OpportunityStage]:
    return list(OpportunityStage.objects.select_for_update())
