from __future__ import annotations

from decimal import Decimal

import pytest

from crm.accounts.tests.factories import ContactFactory
from crm.marketing.models import Campaign, CampaignMember
from crm.sales.models import OpportunityContactRole
from crm.sales.tests.factories import LeadFactory, OpportunityFactory

from .factories import CampaignFactory, CampaignMemberFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/campaigns"


def members_url(campaign_id: int) -> str:
    return f"{URL}/{campaign_id}/members"


class TestCampaigns:
    def test_create_with_parent_and_amounts(self, api, user):
        parent = CampaignFactory(owner=user, name="2026 brand")
        response = api.post(
            URL,
            {"name": "Spring webinar", "type": "Webinar", "budgeted_cost": "500.00", "parent_id": parent.pk},
            format="json",
        )
        assert response.status_code == 201, response.data
        assert response.data["parent_name"] == "2026 brand"
        assert response.data["status"] == "Planned"
        assert response.data["members"] == []
        assert response.data["roi"]["campaign"]["roi"] is None

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({}, "name"),
            ({"name": "x", "type": "Radio"}, "type"),
            ({"name": "x", "budgeted_cost": "-1"}, "budgeted_cost"),
            ({"name": "x", "parent_id": 999999}, "parent_id"),
            ({"name": "x", "start_date": "2026-02-02", "end_date": "2026-02-01"}, "end_date"),
        ],
    )
    def test_validation(self, api, payload, field):
        response = api.post(URL, payload, format="json")
        assert response.status_code == 400
        assert field in response.data["errors"]
        assert not Campaign.all_orgs.exists()

    def test_a_campaign_cannot_sit_under_itself_or_its_children(self, api, user):
        top = CampaignFactory(owner=user)
        child = CampaignFactory(owner=user, parent=top)
        response = api.patch(f"{URL}/{top.pk}", {"parent_id": child.pk, "version": top.version}, format="json")
        assert (response.status_code, response.data["code"]) == (400, "campaign_cycle")
        response = api.patch(f"{URL}/{top.pk}", {"parent_id": top.pk, "version": top.version}, format="json")
        assert response.data["code"] == "campaign_cycle"

    def test_another_organizations_parent_is_refused(self, api, other_user):
        theirs = CampaignFactory(owner=other_user)
        response = api.post(URL, {"name": "x", "parent_id": theirs.pk}, format="json")
        assert response.status_code == 400
        assert "parent_id" in response.data["errors"]

    def test_roi_rolls_up_the_hierarchy(self, api, user, in_org):
        # given a campaign with a child campaign, costs on both, and deals they brought in
        top = CampaignFactory(owner=user, actual_cost=Decimal("100.00"), budgeted_cost=Decimal("150.00"))
        child = CampaignFactory(owner=user, parent=top, actual_cost=Decimal("100.00"))
        OpportunityFactory(owner=user, campaign=top, stage="Closed Won", amount=Decimal("300.00"))
        OpportunityFactory(owner=user, campaign=child, stage="Proposal", amount=Decimal("50.00"))
        # a contact of the child campaign has a role on a won deal: influenced through the member
        contact = ContactFactory(owner=user)
        CampaignMemberFactory(campaign=child, contact=contact, status="Responded")
        influenced = OpportunityFactory(owner=user, stage="Closed Won", amount=Decimal("700.00"))
        OpportunityContactRole.objects.create(opportunity=influenced, contact=contact, role="Decision Maker")
        # when
        response = api.get(f"{URL}/{top.pk}/roi")
        # then
        assert response.status_code == 200, response.data
        own, tree = response.data["campaign"], response.data["hierarchy"]
        assert (own["influenced_opportunities"], own["won_opportunities"], own["won_amount"]) == (1, 1, "300.00")
        assert own["roi"] == "2.0000"
        assert (tree["influenced_opportunities"], tree["won_opportunities"]) == (3, 2)
        assert (tree["won_amount"], tree["actual_cost"], tree["members"]) == ("1000.00", "200.00", 1)
        assert tree["roi"] == "4.0000"
        assert response.data["children"] == [{"id": child.pk, "name": child.name, "status": child.status}]

    def test_stale_version_is_409(self, api, user):
        campaign = CampaignFactory(owner=user)
        assert api.patch(f"{URL}/{campaign.pk}", {"name": "A", "version": 1}, format="json").status_code == 200
        response = api.patch(f"{URL}/{campaign.pk}", {"name": "B", "version": 1}, format="json")
        assert response.status_code == 409

    def test_primary_campaign_source_on_leads_and_opportunities(self, api, user, other_user):
        campaign = CampaignFactory(owner=user, name="Expo")
        lead = LeadFactory(owner=user)
        response = api.patch(
            f"/api/v1/leads/{lead.pk}", {"campaign_id": campaign.pk, "version": lead.version}, format="json"
        )
        assert response.status_code == 200, response.data
        assert (response.data["campaign_id"], response.data["campaign_name"]) == (campaign.pk, "Expo")
        deal = OpportunityFactory(owner=user)
        response = api.patch(
            f"/api/v1/opportunities/{deal.pk}", {"campaign_id": campaign.pk, "version": deal.version}, format="json"
        )
        assert (response.status_code, response.data["campaign_name"]) == (200, "Expo")
        theirs = CampaignFactory(owner=other_user)
        response = api.patch(
            f"/api/v1/opportunities/{deal.pk}",
            {"campaign_id": theirs.pk, "version": response.data["version"]},
            format="json",
        )
        assert response.status_code == 400
        assert "campaign_id" in response.data["errors"]


class TestMembers:
    def test_add_contact_and_lead_then_list(self, api, user):
        campaign = CampaignFactory(owner=user)
        contact = ContactFactory(owner=user, first_name="Ana", last_name="Petrova")
        lead = LeadFactory(owner=user)
        first = api.post(members_url(campaign.pk), {"contact_id": contact.pk}, format="json")
        second = api.post(members_url(campaign.pk), {"lead_id": lead.pk, "status": "Sent"}, format="json")
        assert (first.status_code, second.status_code) == (201, 201), (first.data, second.data)
        assert (first.data["kind"], first.data["name"], first.data["status"]) == ("contact", "Ana Petrova", "Planned")
        assert (second.data["kind"], second.data["status"]) == ("lead", "Sent")
        listed = api.get(members_url(campaign.pk))
        assert {row["id"] for row in listed.data} == {first.data["id"], second.data["id"]}
        assert [row["id"] for row in api.get(members_url(campaign.pk), {"status": "Sent"}).data] == [second.data["id"]]
        detail = api.get(f"{URL}/{campaign.pk}")
        assert detail.data["member_count"] == 2
        assert len(detail.data["members"]) == 2

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({}, "contact_id"),
            ({"contact_id": 999999}, "contact_id"),
            ({"lead_id": "x"}, "lead_id"),
            ({"lead_id": 1, "status": "Won"}, "status"),
        ],
    )
    def test_validation(self, api, user, payload, field):
        campaign = CampaignFactory(owner=user)
        response = api.post(members_url(campaign.pk), payload, format="json")
        assert response.status_code == 400
        assert field in response.data["errors"]
        assert not CampaignMember.all_orgs.exists()

    def test_both_contact_and_lead_is_refused(self, api, user):
        campaign = CampaignFactory(owner=user)
        body = {"contact_id": ContactFactory(owner=user).pk, "lead_id": LeadFactory(owner=user).pk}
        response = api.post(members_url(campaign.pk), body, format="json")
        assert response.status_code == 400
        assert "contact_id" in response.data["errors"]

    def test_a_person_joins_once(self, api, user):
        campaign = CampaignFactory(owner=user)
        contact = ContactFactory(owner=user)
        assert api.post(members_url(campaign.pk), {"contact_id": contact.pk}, format="json").status_code == 201
        again = api.post(members_url(campaign.pk), {"contact_id": contact.pk}, format="json")
        assert (again.status_code, again.data["code"]) == (409, "already_member")
        assert CampaignMember.all_orgs.count() == 1

    def test_a_deactivated_campaign_takes_no_members(self, api, user):
        campaign = CampaignFactory(owner=user, is_active=False)
        response = api.post(members_url(campaign.pk), {"contact_id": ContactFactory(owner=user).pk}, format="json")
        assert response.status_code == 409

    def test_status_change_with_version_and_removal(self, api, user):
        campaign = CampaignFactory(owner=user)
        member = CampaignMemberFactory(campaign=campaign, contact=ContactFactory(owner=user))
        url = f"{members_url(campaign.pk)}/{member.pk}"
        changed = api.patch(url, {"status": "Responded", "version": 1}, format="json")
        assert (changed.status_code, changed.data["status"], changed.data["version"]) == (200, "Responded", 2)
        stale = api.patch(url, {"status": "Opened", "version": 1}, format="json")
        assert stale.status_code == 409
        assert api.patch(url, {"status": "Nope", "version": 2}, format="json").status_code == 400
        assert api.delete(url).status_code == 204
        assert not CampaignMember.all_orgs.exists()

    def test_another_organization_sees_404(self, other_api, user):
        campaign = CampaignFactory(owner=user)
        member = CampaignMemberFactory(campaign=campaign, contact=ContactFactory(owner=user))
        assert other_api.get(members_url(campaign.pk)).status_code == 404
        assert other_api.post(members_url(campaign.pk), {"contact_id": 1}, format="json").status_code == 404
        assert other_api.delete(f"{members_url(campaign.pk)}/{member.pk}").status_code == 404
        assert CampaignMember.all_orgs.count() == 1

    def test_someone_elses_person_cannot_join(self, api, user, other_user):
        campaign = CampaignFactory(owner=user)
        response = api.post(
            members_url(campaign.pk), {"contact_id": ContactFactory(owner=other_user).pk}, format="json"
        )
        assert response.status_code == 400
        assert "contact_id" in response.data["errors"]

    def test_anonymous_is_401(self, anon, user):
        campaign = CampaignFactory(owner=user)
        assert anon.get(members_url(campaign.pk)).status_code == 401
        assert anon.get(URL).status_code == 401

    def test_service_add_keeps_an_existing_member(self, user, in_org):
        from crm.marketing.services.campaigns import campaign_member_add

        campaign = CampaignFactory(owner=user)
        contact = ContactFactory(owner=user)
        first = campaign_member_add(campaign=campaign, contact=contact, actor=user)
        again = campaign_member_add(campaign=campaign, contact=contact, actor=user, if_exists="keep")
        assert first.pk == again.pk
        assert Campaign.objects.get(pk=campaign.pk).members.count() == 1
