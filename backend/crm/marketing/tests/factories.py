from __future__ import annotations

import factory

from crm.marketing.models import Campaign, CampaignMember
from crm.records.testing import OrgOwnedFactory, RecordFactory


class CampaignFactory(RecordFactory):
    class Meta:
        model = Campaign

    name = factory.Sequence(lambda n: f"Campaign {n:04d}")
    type = Campaign.Type.EMAIL
    status = Campaign.Status.PLANNED


class CampaignMemberFactory(OrgOwnedFactory):
    class Meta:
        model = CampaignMember

    campaign = factory.SubFactory(CampaignFactory)
    organization = factory.LazyAttribute(lambda o: o.campaign.organization)
    status = CampaignMember.Status.PLANNED
