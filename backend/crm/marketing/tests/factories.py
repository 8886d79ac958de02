from __future__ import annotations

import factory

from crm.marketing.models import Campaign, CampaignMember, EmailCampaign, EmailTemplate, Segment
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


class EmailTemplateFactory(RecordFactory):
    class Meta:
        model = EmailTemplate

    name = factory.Sequence(lambda n: f"Newsletter {n:04d}")
    subject = 'Hello {{ contact.first_name | default("there") }}'
    body = '<p>Hi {{ contact.first_name | default("there") }},</p><p><a href="https://example.com/offer">See the offer</a></p>'
    body_format = EmailTemplate.Format.HTML


class SegmentFactory(RecordFactory):
    class Meta:
        model = Segment

    name = factory.Sequence(lambda n: f"Segment {n:04d}")
    target = Segment.Target.CONTACTS
    definition = factory.LazyFunction(lambda: {"match": "all", "conditions": []})


class EmailCampaignFactory(RecordFactory):
    class Meta:
        model = EmailCampaign

    name = factory.Sequence(lambda n: f"Send {n:04d}")
    template = factory.SubFactory(EmailTemplateFactory, owner=factory.SelfAttribute("..owner"))
    segment = factory.SubFactory(SegmentFactory, owner=factory.SelfAttribute("..owner"))
