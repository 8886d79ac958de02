"""Web-to-lead: the administrators' forms API and the public submission endpoint."""

from __future__ import annotations

import pytest
from django.test import override_settings

from crm.automation.models import WebForm, WebFormSubmission
from crm.automation.services.web_forms import HONEYPOT
from crm.sales.models import Lead

from .factories import DEFAULT_FIELDS, WebFormFactory

pytestmark = pytest.mark.django_db


def _create(admin_api, **overrides):
    body = {"name": "Contact us", "lead_source": "Web", "fields": DEFAULT_FIELDS, **overrides}
    return admin_api.post("/api/v1/web-forms", body, format="json")


def test_an_admin_creates_a_form_and_gets_its_key_and_snippet(admin_api, admin):
    response = _create(admin_api, thank_you_url="https://example.com/thanks")
    assert response.status_code == 201, response.data
    data = response.data
    assert len(data["key"]) >= 20
    assert data["public_url"].endswith(f"/api/v1/forms/{data['key']}")
    assert f'action="{data["public_url"]}"' in data["snippet"]
    assert 'name="last_name"' in data["snippet"] and f'name="{HONEYPOT}"' in data["snippet"]
    assert data["lead_owner_id"] == admin.pk
    assert data["version"] == 1
    assert [f["field"] for f in data["fields"]] == ["first_name", "last_name", "company", "email"]


def test_a_form_needs_the_fields_a_lead_cannot_do_without(admin_api):
    response = _create(admin_api, fields=[{"field": "email", "required": True}])
    assert response.status_code == 400
    assert "fields" in response.data["errors"]
    assert not WebForm.all_orgs.exists()


@pytest.mark.parametrize(
    "fields",
    [
        [{"field": "password"}],
        "not a list",
        [],
        [{"field": "last_name"}, {"field": "last_name"}, {"field": "company"}],
    ],
)
def test_bad_field_lists_are_refused_field_by_field(admin_api, fields):
    response = _create(admin_api, fields=fields)
    assert response.status_code == 400
    assert any(key.startswith("fields") for key in response.data["errors"]), response.data


def test_plain_users_cannot_manage_forms(api, admin):
    form = WebFormFactory(lead_owner=admin)
    assert api.get("/api/v1/web-forms").status_code == 403
    assert api.post("/api/v1/web-forms", {"name": "x"}, format="json").status_code == 403
    assert api.patch(f"/api/v1/web-forms/{form.pk}", {"name": "x", "version": 1}, format="json").status_code == 403


def test_another_organizations_form_is_not_found(other_api, admin):
    form = WebFormFactory(lead_owner=admin)
    assert other_api.get(f"/api/v1/web-forms/{form.pk}").status_code == 404
    assert (
        other_api.patch(f"/api/v1/web-forms/{form.pk}", {"name": "x", "version": 1}, format="json").status_code == 404
    )
    assert other_api.get("/api/v1/web-forms").data["results"] == []


def test_editing_needs_the_current_version(admin_api, admin):
    form = WebFormFactory(lead_owner=admin)
    response = admin_api.patch(f"/api/v1/web-forms/{form.pk}", {"name": "Renamed", "version": 1}, format="json")
    assert response.status_code == 200 and response.data["version"] == 2
    stale = admin_api.patch(f"/api/v1/web-forms/{form.pk}", {"name": "Again", "version": 1}, format="json")
    assert stale.status_code == 409
    assert WebForm.all_orgs.get(pk=form.pk).name == "Renamed"
    missing = admin_api.patch(f"/api/v1/web-forms/{form.pk}", {"name": "Again"}, format="json")
    assert missing.status_code == 400 and "version" in missing.data["errors"]


# --- the public endpoint ---------------------------------------------------------------------

GOOD = {"first_name": "Ana", "last_name": "Petrova", "company": "Petrova Ltd", "email": "ana@petrova.example"}


def test_a_json_post_creates_a_lead_owned_by_the_forms_owner(anon, admin):
    form = WebFormFactory(lead_owner=admin, lead_source="Trade Show")
    response = anon.post(f"/api/v1/forms/{form.key}", GOOD, format="json", HTTP_ACCEPT="application/json")
    assert response.status_code == 201, response.content
    lead = Lead.all_orgs.get(pk=response.json()["lead_id"])
    assert (lead.last_name, lead.company, lead.email) == ("Petrova", "Petrova Ltd", "ana@petrova.example")
    assert lead.owner_id == admin.pk and lead.organization_id == admin.organization_id
    assert lead.lead_source == "Trade Show"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert WebFormSubmission.all_orgs.filter(form=form, lead=lead).count() == 1
    assert WebForm.all_orgs.get(pk=form.pk).submission_count == 1


def test_a_browser_post_is_redirected_to_the_thank_you_page(anon, admin):
    form = WebFormFactory(lead_owner=admin, thank_you_url="https://example.com/thanks")
    response = anon.post(f"/api/v1/forms/{form.key}", GOOD, format="multipart", HTTP_ACCEPT="text/html,*/*")
    assert response.status_code == 303
    assert response["Location"] == "https://example.com/thanks"
    assert Lead.all_orgs.filter(email="ana@petrova.example").count() == 1


def test_a_browser_post_without_a_thank_you_page_gets_one(anon, admin):
    form = WebFormFactory(lead_owner=admin)
    response = anon.post(f"/api/v1/forms/{form.key}", GOOD, format="multipart", HTTP_ACCEPT="text/html")
    assert response.status_code == 200 and b"Thank you" in response.content


def test_a_browser_post_with_bad_input_gets_a_readable_400_page(anon, admin):
    form = WebFormFactory(lead_owner=admin)
    response = anon.post(
        f"/api/v1/forms/{form.key}", {**GOOD, "email": "nope"}, format="multipart", HTTP_ACCEPT="text/html"
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert b"email" in response.content
    assert not Lead.all_orgs.exists()


def test_the_honeypot_refuses_spam(anon, admin):
    form = WebFormFactory(lead_owner=admin)
    response = anon.post(f"/api/v1/forms/{form.key}", {**GOOD, HONEYPOT: "buy now"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "spam_rejected"
    assert not Lead.all_orgs.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({**GOOD, "last_name": ""}, "last_name"),
        ({k: v for k, v in GOOD.items() if k != "company"}, "company"),
        ({**GOOD, "email": "not-an-email"}, "email"),
        ({**GOOD, "last_name": "x" * 101}, "last_name"),
        ({**GOOD, "first_name": {"nested": 1}}, "first_name"),
    ],
)
def test_bad_input_gets_a_400_per_field_and_changes_nothing(anon, admin, body, field):
    form = WebFormFactory(lead_owner=admin)
    response = anon.post(f"/api/v1/forms/{form.key}", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()["errors"]
    assert not Lead.all_orgs.exists()
    assert WebForm.all_orgs.get(pk=form.pk).submission_count == 0


def test_a_body_that_is_not_an_object_is_refused(anon, admin):
    form = WebFormFactory(lead_owner=admin)
    response = anon.post(f"/api/v1/forms/{form.key}", ["a", "b"], format="json")
    assert response.status_code == 400


def test_an_oversized_submission_is_refused_with_413(anon, admin):
    form = WebFormFactory(lead_owner=admin)
    response = anon.post(f"/api/v1/forms/{form.key}", {**GOOD, "description": "x" * 20_000}, format="json")
    assert response.status_code == 413
    assert not Lead.all_orgs.exists()


def test_unknown_and_inactive_forms_answer_404(anon, admin):
    form = WebFormFactory(lead_owner=admin, is_active=False)
    assert anon.post(f"/api/v1/forms/{form.key}", GOOD, format="json").status_code == 404
    assert anon.post("/api/v1/forms/no-such-key", GOOD, format="json").status_code == 404


@override_settings(WEB_FORM_RATE="3/min")
def test_each_client_is_rate_limited(anon, admin):
    form = WebFormFactory(lead_owner=admin)
    codes = [
        anon.post(f"/api/v1/forms/{form.key}", {**GOOD, "email": f"a{i}@x.example"}, format="json").status_code
        for i in range(4)
    ]
    assert codes == [201, 201, 201, 429]
    assert Lead.all_orgs.count() == 3


def test_a_preflight_from_another_site_is_allowed(anon, admin):
    form = WebFormFactory(lead_owner=admin)
    response = anon.options(
        f"/api/v1/forms/{form.key}",
        HTTP_ORIGIN="https://agency-site.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
    )
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response["Access-Control-Allow-Methods"]


def test_a_cross_site_form_post_needs_no_csrf_token(admin):
    from django.test import Client

    form = WebFormFactory(lead_owner=admin)
    client = Client(enforce_csrf_checks=True)
    response = client.post(f"/api/v1/forms/{form.key}", GOOD, HTTP_ACCEPT="text/html", HTTP_ORIGIN="https://x.example")
    assert response.status_code == 200


# --- the form's campaign ------------------------------------------------------------------------------


def test_a_form_with_a_campaign_makes_each_lead_a_responded_member(admin_api, anon, admin):
    from crm.marketing.models import CampaignMember
    from crm.marketing.tests.factories import CampaignFactory

    # given
    campaign = CampaignFactory(owner=admin, name="Spring webinar")
    created = _create(admin_api, campaign_id=campaign.pk)
    assert created.status_code == 201, created.data
    assert (created.data["campaign_id"], created.data["campaign_name"]) == (campaign.pk, "Spring webinar")
    key = created.data["key"]
    # when
    response = anon.post(f"/api/v1/forms/{key}", GOOD, format="json", HTTP_ACCEPT="application/json")
    # then
    assert response.status_code == 201, response.json()
    lead = Lead.all_orgs.get(pk=response.json()["lead_id"])
    assert lead.campaign_id == campaign.pk  # the primary campaign source
    member = CampaignMember.all_orgs.get(campaign=campaign)
    assert (member.lead_id, member.status) == (lead.pk, CampaignMember.Status.RESPONDED)
    members = admin_api.get(f"/api/v1/campaigns/{campaign.pk}/members")
    assert members.status_code == 200
    assert [(row["lead_id"], row["status"]) for row in members.data] == [(lead.pk, "Responded")]


def test_the_campaign_can_be_changed_and_removed(admin_api, admin):
    from crm.marketing.tests.factories import CampaignFactory

    form = WebFormFactory(lead_owner=admin)
    campaign = CampaignFactory(owner=admin)
    response = admin_api.patch(
        f"/api/v1/web-forms/{form.pk}", {"campaign_id": campaign.pk, "version": 1}, format="json"
    )
    assert response.status_code == 200, response.data
    assert response.data["campaign_id"] == campaign.pk and response.data["version"] == 2
    cleared = admin_api.patch(f"/api/v1/web-forms/{form.pk}", {"campaign_id": None, "version": 2}, format="json")
    assert cleared.status_code == 200 and cleared.data["campaign_id"] is None


@pytest.mark.parametrize("which", ["foreign", "inactive", "missing", "text"])
def test_a_campaign_of_another_organization_or_deactivated_is_refused(admin_api, admin, other_user, which):
    from crm.marketing.tests.factories import CampaignFactory

    campaign_id = {
        "foreign": lambda: CampaignFactory(owner=other_user).pk,
        "inactive": lambda: CampaignFactory(owner=admin, is_active=False).pk,
        "missing": lambda: 2**31,
        "text": lambda: "spring",
    }[which]()
    response = _create(admin_api, campaign_id=campaign_id)
    assert response.status_code == 400, response.data
    assert "campaign_id" in response.data["errors"], response.data
    assert not WebForm.all_orgs.exists()


def test_bad_input_with_a_campaign_adds_nobody(anon, admin):
    from crm.marketing.models import CampaignMember
    from crm.marketing.tests.factories import CampaignFactory

    campaign = CampaignFactory(owner=admin)
    form = WebFormFactory(lead_owner=admin, campaign=campaign)
    response = anon.post(f"/api/v1/forms/{form.key}", {**GOOD, "email": "not-an-email"}, format="json")
    assert response.status_code == 400
    assert not CampaignMember.all_orgs.exists() and not Lead.all_orgs.exists()


def test_a_campaign_deactivated_later_still_lets_the_form_make_leads(anon, admin):
    from crm.marketing.models import CampaignMember
    from crm.marketing.tests.factories import CampaignFactory

    campaign = CampaignFactory(owner=admin)
    form = WebFormFactory(lead_owner=admin, campaign=campaign)
    campaign.is_active = False
    campaign.save()
    response = anon.post(f"/api/v1/forms/{form.key}", GOOD, format="json", HTTP_ACCEPT="application/json")
    assert response.status_code == 201
    assert not CampaignMember.all_orgs.exists()
    assert Lead.all_orgs.get().campaign_id is None
