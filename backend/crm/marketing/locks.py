"""Row locks of the marketing domain, taken only here.

Lock order, always in this direction so that two transactions never wait on each other:
1. a campaign (its members change, its parent changes), before any of its member rows;
2. an email send (status changes: send, pause, resume, cancel), before any of its recipient rows;
3. one recipient row at a time, by the worker that delivers it (``recipient_claim``).
"""

from __future__ import annotations

from .models import Campaign, CampaignMember


def campaign_for_update(*, campaign_id: int) -> Campaign:
    return Campaign.objects.select_for_update(of=("self",)).get(pk=campaign_id)


def member_for_update(*, member_id: int) -> CampaignMember:
    return CampaignMember.objects.select_for_update(of=("self",)).get(pk=member_id)
