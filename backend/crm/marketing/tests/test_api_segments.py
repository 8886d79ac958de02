from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from crm.accounts.tests.factories import ContactFactory
from crm.activities.models import Activity
from crm.marketing.models import Segment
from crm.sales.tests.factories import LeadFactory

from .factories import CampaignFactory, CampaignMemberFactory, SegmentFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/segments"


def evaluate(api, definition, target="contacts"):
    response = api.post(f"{URL}/evaluate", {"target": target, "definition": definition}, format="json")
    assert response.status_code == 200, response.data
    return response.data


def test_field_conditions_with_and_or_and_groups(api, user):
    ContactFactory(owner=user, first_name="Ana", email="ana@acme.example", title="CTO")
    ContactFactory(owner=user, first_name="Boris", email="boris@acme.example", title="Sales")
    ContactFactory(owner=user, first_name="Cveta", email="cveta@other.example", title="CTO")
    ContactFactory(owner=user, first_name="Dimo", email="", title="CTO")
    acme = {"field": "email", "op": "contains", "value": "@acme."}
    cto = {"field": "title", "op": "equals", "value": "cto"}
    assert evaluate(api, {"match": "all", "conditions": [acme, cto]})["total"] == 1
    assert evaluate(api, {"match": "any", "conditions": [acme, cto]})["total"] == 4
    nested = {
        "match": "all",
        "conditions": [cto, {"match": "any", "conditions": [acme, {"field": "email", "op": "is_empty"}]}],
    }
    result = evaluate(api, nested)
    assert result["total"] == 2
    assert {row["email"] for row in result["sample"]} == {"ana@acme.example", ""}


def test_campaign_membership_and_last_activity(api, user):
    campaign = CampaignFactory(owner=user)
    opened = ContactFactory(owner=user)
    sent = ContactFactory(owner=user)
    ContactFactory(owner=user)
    CampaignMemberFactory(campaign=campaign, contact=opened, status="Opened")
    CampaignMemberFactory(campaign=campaign, contact=sent, status="Sent")
    member = {"type": "campaign", "campaign_id": campaign.pk}
    assert evaluate(api, {"conditions": [member]})["total"] == 2
    assert evaluate(api, {"conditions": [{**member, "status": "Opened"}]})["sample"][0]["id"] == opened.pk
    assert evaluate(api, {"conditions": [{**member, "negate": True}]})["total"] == 1
    Activity.all_orgs.create(
        organization=user.organization,
        owner=user,
        assigned_to=user,
        type="Event",
        subject="Call",
        start_time=timezone.now() - datetime.timedelta(days=3),
        who_type="Contact",
        who_id=sent.pk,
    )
    recent = {"type": "last_activity", "op": "within_days", "days": 7}
    assert [row["id"] for row in evaluate(api, {"conditions": [recent]})["sample"]] == [sent.pk]
    assert evaluate(api, {"conditions": [{**recent, "op": "not_within_days"}]})["total"] == 2


def test_both_contacts_and_leads(api, user):
    ContactFactory(owner=user, email="a@x.example")
    LeadFactory(owner=user, email="b@x.example", company="Initech")
    result = evaluate(api, {"conditions": [{"field": "email", "op": "contains", "value": "@x.example"}]}, "both")
    assert (result["contacts"], result["leads"], result["total"]) == (1, 1, 2)
    company = {"field": "company", "op": "equals", "value": "Initech"}
    assert evaluate(api, {"conditions": [company]}, "both")["total"] == 1


@pytest.mark.parametrize(
    "definition",
    [
        "all",
        {"match": "some"},
        {"conditions": "x"},
        {"conditions": [{"field": "password", "op": "equals", "value": "x"}]},
        {"conditions": [{"field": "email", "op": "before", "value": "x"}]},
        {"conditions": [{"field": "created_at", "op": "before", "value": "yesterday"}]},
        {"conditions": [{"field": "owner_id", "op": "equals", "value": "1; drop"}]},
        {"conditions": [{"type": "campaign", "campaign_id": "x"}]},
        {"conditions": [{"type": "campaign", "campaign_id": 1, "status": "Loved"}]},
        {"conditions": [{"type": "last_activity", "op": "within_days", "days": -1}]},
        {"conditions": [{"type": "tag", "value": "vip"}]},
        {"conditions": [{"conditions": [{"conditions": [{"conditions": []}]}]}]},
        {"conditions": [{"field": "email", "op": "is_empty"}] * 51},
    ],
)
def test_bad_definitions_are_400(api, definition):
    response = api.post(f"{URL}/evaluate", {"definition": definition}, format="json")
    assert response.status_code == 400, response.data
    created = api.post(URL, {"name": "Bad", "definition": definition}, format="json")
    assert created.status_code == 400
    assert "definition" in created.data["errors"]
    assert not Segment.all_orgs.exists()


def test_saved_segment_preview_counts_only_this_organization(api, user, other_user, other_api):
    ContactFactory(owner=user, email="mine@x.example")
    ContactFactory(owner=other_user, email="theirs@x.example")
    segment = SegmentFactory(
        owner=user, definition={"conditions": [{"field": "email", "op": "contains", "value": "@x."}]}
    )
    response = api.get(f"{URL}/{segment.pk}/preview")
    assert (response.status_code, response.data["total"]) == (200, 1)
    assert other_api.get(f"{URL}/{segment.pk}/preview").status_code == 404
    assert other_api.get(f"{URL}/{segment.pk}").status_code == 404


def test_edit_with_version(api, user):
    segment = SegmentFactory(owner=user)
    url = f"{URL}/{segment.pk}"
    ok = api.patch(url, {"definition": {"match": "any", "conditions": []}, "version": 1}, format="json")
    assert (ok.status_code, ok.data["version"]) == (200, 2)
    assert api.patch(url, {"name": "x", "version": 1}, format="json").status_code == 409
    bad = api.patch(url, {"definition": {"match": "none"}, "version": 2}, format="json")
    assert bad.status_code == 400


def test_anonymous_is_401(anon):
    assert anon.post(f"{URL}/evaluate", {"definition": {}}, format="json").status_code == 401


def test_tag_condition_has_and_has_not(api, user):
    tagged = ContactFactory(owner=user)
    ContactFactory(owner=user)
    lead = LeadFactory(owner=user)
    tag_id = api.post(f"/api/v1/contacts/{tagged.pk}/tags", {"tag": "Newsletter"}, format="json").data[0]["id"]
    api.post(f"/api/v1/leads/{lead.pk}/tags", {"tag": tag_id}, format="json")
    has = {"type": "tag", "tag_id": tag_id}
    assert [row["id"] for row in evaluate(api, {"conditions": [has]})["sample"]] == [tagged.pk]
    assert evaluate(api, {"conditions": [{**has, "negate": True}]})["total"] == 1
    assert [row["id"] for row in evaluate(api, {"conditions": [has]}, target="leads")["sample"]] == [lead.pk]
    # the saved segment's live count follows the tags
    segment = api.post(URL, {"name": "Newsletter", "definition": {"conditions": [has]}}, format="json")
    assert segment.status_code == 201, segment.data
    assert api.get(f"{URL}/{segment.data['id']}/preview").data["total"] == 1
    api.delete(f"/api/v1/contacts/{tagged.pk}/tags/{tag_id}")
    assert api.get(f"{URL}/{segment.data['id']}/preview").data["total"] == 0


@pytest.mark.parametrize("tag_id", [None, "1", True, 0, 999_999])
def test_tag_condition_needs_a_tag_of_the_organization(api, tag_id):
    response = api.post(
        f"{URL}/evaluate", {"definition": {"conditions": [{"type": "tag", "tag_id": tag_id}]}}, format="json"
    )
    assert response.status_code == 400
    assert "definition" in response.data["errors"]


def test_tag_condition_with_another_organizations_tag_is_refused(api, other_api, other_user):
    theirs = ContactFactory(owner=other_user)
    tag_id = other_api.post(f"/api/v1/contacts/{theirs.pk}/tags", {"tag": "Theirs"}, format="json").data[0]["id"]
    response = api.post(
        f"{URL}/evaluate", {"definition": {"conditions": [{"type": "tag", "tag_id": tag_id}]}}, format="json"
    )
    assert response.status_code == 400
