from __future__ import annotations

import pytest

from crm.accounts.models import Account, Contact
from crm.accounts.tests.factories import AccountFactory
from crm.audit.models import AuditEvent
from crm.records.testing import count_queries
from crm.sales.models import Lead, Opportunity
from crm.sales.services import opportunities as opportunity_services

from .factories import LeadFactory

pytestmark = pytest.mark.django_db


def convert(client, lead, **body):
    return client.post(f"/api/v1/leads/{lead.pk}/convert", body, format="json")


class TestLeadList:
    def test_create_requires_last_name_company_and_status(self, api):
        response = api.post("/api/v1/leads", {"first_name": "Jo"}, format="json")
        assert response.status_code == 400
        assert {"last_name", "company", "status"} <= set(response.data["errors"])

    def test_create_assigns_the_current_user(self, api, user):
        response = api.post(
            "/api/v1/leads", {"last_name": "Smith", "company": "Global Tech", "status": "New"}, format="json"
        )
        assert response.status_code == 201
        assert response.data["owner_id"] == user.pk
        assert response.data["name"] == "Smith"

    def test_status_converted_cannot_be_set_directly(self, api, user):
        response = api.post(
            "/api/v1/leads", {"last_name": "Smith", "company": "Global Tech", "status": "Converted"}, format="json"
        )
        assert response.status_code == 400
        assert "status" in response.data["errors"]

    def test_list_hides_converted_leads_unless_asked(self, api, user):
        open_lead = LeadFactory(owner=user)
        converted = LeadFactory(owner=user, status=Lead.Status.CONVERTED)
        ids = [row["id"] for row in api.get("/api/v1/leads").data["results"]]
        assert ids == [open_lead.pk]
        only_converted = [row["id"] for row in api.get("/api/v1/leads", {"status": "Converted"}).data["results"]]
        assert only_converted == [converted.pk]
        both = {row["id"] for row in api.get("/api/v1/leads", {"include_converted": "true"}).data["results"]}
        assert both == {open_lead.pk, converted.pk}

    def test_filters_and_search(self, api, user, admin):
        mine = LeadFactory(owner=user, status=Lead.Status.QUALIFIED, lead_source="Referral", industry="Retail")
        LeadFactory(owner=admin, status=Lead.Status.NEW, company="Zeta Foods")
        rows = api.get("/api/v1/leads", {"owner": "me"}).data["results"]
        assert [r["id"] for r in rows] == [mine.pk]
        assert [r["id"] for r in api.get("/api/v1/leads", {"status": "Qualified"}).data["results"]] == [mine.pk]
        assert [r["id"] for r in api.get("/api/v1/leads", {"lead_source": "Referral"}).data["results"]] == [mine.pk]
        assert [r["id"] for r in api.get("/api/v1/leads", {"industry": "Retail"}).data["results"]] == [mine.pk]
        assert len(api.get("/api/v1/leads", {"search": "zeta"}).data["results"]) == 1
        assert api.get("/api/v1/leads", {"status": "Sleeping"}).status_code == 400

    def test_ordering_by_company(self, api, user):
        LeadFactory(owner=user, company="Beta")
        LeadFactory(owner=user, company="Alpha")
        rows = api.get("/api/v1/leads", {"ordering": "company"}).data["results"]
        assert [r["company"] for r in rows] == ["Alpha", "Beta"]

    def test_converted_lead_cannot_be_edited(self, api, user):
        lead = LeadFactory(owner=user, status=Lead.Status.CONVERTED)
        response = api.put(f"/api/v1/leads/{lead.pk}", {"phone": "1", "version": 1}, format="json")
        assert response.status_code == 409
        assert response.data["code"] == "lead_converted"


class TestLeadConversion:
    def test_happy_path_creates_account_contact_and_opportunity(self, api, user):
        lead = LeadFactory(owner=user, first_name="Jane", last_name="Doe", company="Innovate Corp")
        with count_queries() as queries:
            response = convert(api, lead, opportunity_name="New Website for Innovate Corp")
        assert response.status_code == 200, response.data
        assert response.data["message"] == "Lead converted successfully."
        records = response.data["created_records"]
        assert records["account"]["name"] == "Innovate Corp"
        assert records["account"]["website"] == lead.website
        assert records["account"]["billing_address"] == lead.address
        assert records["contact"]["name"] == "Jane Doe"
        assert records["contact"]["account_id"] == records["account"]["id"]
        assert records["contact"]["email"] == lead.email
        opportunity = records["opportunity"]
        assert opportunity["name"] == "New Website for Innovate Corp"
        assert opportunity["stage"] == "Qualifying"
        assert opportunity["probability"] == 10
        assert opportunity["amount"] == "0.00"
        assert opportunity["lead_source"] == "Web"
        assert opportunity["account_id"] == records["account"]["id"]
        assert opportunity["line_items"] == []
        assert queries.count < 40

        lead.refresh_from_db()
        assert lead.status == Lead.Status.CONVERTED
        assert lead.converted_at is not None
        assert lead.converted_account_id == records["account"]["id"]
        assert lead.converted_contact_id == records["contact"]["id"]
        assert lead.converted_opportunity_id == opportunity["id"]
        assert AuditEvent.all_orgs.filter(object_id=lead.pk, name="lead.convert").exists()

        detail = api.get(f"/api/v1/leads/{lead.pk}").data
        assert detail["converted_account_name"] == "Innovate Corp"
        assert detail["converted_contact_name"] == "Jane Doe"
        assert detail["converted_opportunity_name"] == "New Website for Innovate Corp"
        assert detail["status"] == "Converted"
        assert lead.pk not in [row["id"] for row in api.get("/api/v1/leads").data["results"]]

    def test_stage_and_close_date_can_be_chosen(self, api, user):
        lead = LeadFactory(owner=user)
        response = convert(api, lead, opportunity_name="Deal", opportunity_stage="Proposal", close_date="2031-05-01")
        assert response.status_code == 200
        assert response.data["created_records"]["opportunity"]["probability"] == 50
        assert response.data["created_records"]["opportunity"]["close_date"] == "2031-05-01"

    def test_unknown_stage_is_a_field_error(self, api, user):
        lead = LeadFactory(owner=user)
        response = convert(api, lead, opportunity_name="Deal", opportunity_stage="Dreaming")
        assert (response.status_code, response.data["code"]) == (400, "invalid_stage")
        assert response.data["errors"]["opportunity_stage"] == ["'Dreaming' is not an active stage."]

    def test_opportunity_name_is_required(self, api, user):
        lead = LeadFactory(owner=user)
        response = convert(api, lead)
        assert (response.status_code, response.data["code"]) == (400, "opportunity_name_required")
        assert response.data["errors"]["opportunity_name"] == ["This field is required."]
        lead.refresh_from_db()
        assert lead.status == Lead.Status.NEW

    def test_without_opportunity(self, api, user):
        lead = LeadFactory(owner=user)
        response = convert(api, lead, create_opportunity=False)
        assert response.status_code == 200
        assert response.data["created_records"]["opportunity"] is None
        lead.refresh_from_db()
        assert lead.converted_opportunity_id is None
        assert lead.status == Lead.Status.CONVERTED

    def test_attach_to_an_existing_account(self, api, user, in_org):
        account = AccountFactory(owner=user, name="Existing Client")
        lead = LeadFactory(owner=user)
        before = Account.objects.count()
        response = convert(api, lead, opportunity_name="Upsell", account_id=account.pk)
        assert response.status_code == 200
        assert response.data["created_records"]["account"]["id"] == account.pk
        assert response.data["created_records"]["contact"]["account_id"] == account.pk
        assert response.data["created_records"]["opportunity"]["account_id"] == account.pk
        assert Account.objects.count() == before

    def test_account_of_another_organization_is_a_field_error(self, api, user, other_user):
        foreign = AccountFactory(owner=other_user)
        lead = LeadFactory(owner=user)
        response = convert(api, lead, opportunity_name="Deal", account_id=foreign.pk)
        assert response.status_code == 400
        assert "account_id" in response.data["errors"]

    def test_converting_twice_is_a_conflict(self, api, user, in_org):
        lead = LeadFactory(owner=user)
        assert convert(api, lead, opportunity_name="Deal").status_code == 200
        again = convert(api, lead, opportunity_name="Deal again")
        assert again.status_code == 409
        assert again.data["code"] == "lead_already_converted"
        assert Account.objects.count() == 1
        assert Opportunity.objects.count() == 1

    def test_a_deactivated_lead_is_not_converted(self, api, user, in_org):
        lead = LeadFactory(owner=user, is_active=False)
        response = convert(api, lead, opportunity_name="Site")
        assert (response.status_code, response.data["code"]) == (409, "lead_inactive")
        lead.refresh_from_db()
        assert (lead.status, lead.version) == (Lead.Status.NEW, 1)
        assert Account.objects.count() == 0

    def test_a_lead_is_not_converted_into_a_deactivated_account(self, api, user, in_org):
        lead = LeadFactory(owner=user)
        account = AccountFactory(owner=user, is_active=False)
        response = convert(api, lead, opportunity_name="Site", account_id=account.pk)
        assert (response.status_code, response.data["code"]) == (400, "inactive_reference")
        assert response.data["errors"]["account_id"] == ["This account is deactivated; choose an active one."]
        assert Contact.objects.count() == 0
        lead.refresh_from_db()
        assert lead.status == Lead.Status.NEW

    def test_other_organization_gets_404(self, user, other_api):
        lead = LeadFactory(owner=user)
        assert convert(other_api, lead, opportunity_name="Deal").status_code == 404
        lead.refresh_from_db()
        assert lead.status == Lead.Status.NEW

    def test_anonymous_gets_401(self, anon, user):
        lead = LeadFactory(owner=user)
        assert convert(anon, lead, opportunity_name="Deal").status_code == 401

    def test_failure_in_a_later_step_rolls_everything_back(self, api, user, in_org, monkeypatch):
        lead = LeadFactory(owner=user)

        def explode(**kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr(opportunity_services, "opportunity_create_nested", explode)
        api.raise_request_exception = False
        response = convert(api, lead, opportunity_name="Deal")
        assert response.status_code == 500
        assert Account.objects.count() == 0
        assert Contact.objects.count() == 0
        assert Opportunity.objects.count() == 0
        lead.refresh_from_db()
        assert lead.status == Lead.Status.NEW
        assert lead.converted_at is None
        assert lead.version == 1
        assert not AuditEvent.all_orgs.filter(name="lead.convert").exists()


def test_lead_list_queries_do_not_grow(api, user):
    LeadFactory(owner=user)
    api.get("/api/v1/leads")
    with count_queries() as one:
        api.get("/api/v1/leads")
    for _ in range(10):
        LeadFactory(owner=user)
    with count_queries() as many:
        api.get("/api/v1/leads")
    assert one.count == many.count
