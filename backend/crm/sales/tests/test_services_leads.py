from __future__ import annotations

import pytest

from crm.accounts.models import Account, Contact
from crm.core.errors import ApplicationError, InvalidStateTransition
from crm.sales.models import Lead, Opportunity
from crm.sales.services.leads import lead_convert, lead_create, lead_update

from .factories import LeadFactory

pytestmark = pytest.mark.django_db


def test_conversion_copies_the_lead_into_three_records(user, admin, in_org):
    # given a lead owned by somebody else than the converting user
    lead = LeadFactory(owner=user, company="Helix Clinic", lead_source=Lead.Source.REFERRAL, title="CEO")
    # when an admin converts it
    result = lead_convert(lead_id=lead.pk, actor=admin, opportunity_name="Clinic website")
    # then the new records belong to the lead's owner and carry its data
    assert result.account.name == "Helix Clinic"
    assert result.account.owner_id == user.pk
    assert result.account.phone == lead.phone
    assert result.contact.title == "CEO"
    assert result.contact.account_id == result.account.pk
    assert result.opportunity is not None
    assert result.opportunity.lead_source == Lead.Source.REFERRAL
    assert result.opportunity.probability == 10
    assert result.opportunity.created_by_id == admin.pk
    assert result.lead.status == Lead.Status.CONVERTED
    assert result.lead.version == 2


def test_second_conversion_is_refused(user, in_org):
    lead = LeadFactory(owner=user)
    lead_convert(lead_id=lead.pk, actor=user, opportunity_name="Deal")
    with pytest.raises(InvalidStateTransition) as error:
        lead_convert(lead_id=lead.pk, actor=user, opportunity_name="Deal")
    assert error.value.code == "lead_already_converted"
    assert Account.objects.count() == 1
    assert Contact.objects.count() == 1


def test_missing_opportunity_name_writes_nothing(user, in_org):
    lead = LeadFactory(owner=user)
    with pytest.raises(ApplicationError) as error:
        lead_convert(lead_id=lead.pk, actor=user, opportunity_name="  ")
    assert "opportunity_name" in error.value.fields
    assert not Account.objects.exists()


def test_default_stage_is_the_first_open_active_stage(user, org, admin, in_org):
    from crm.sales.services.stages import StageInput, stages_replace

    stages_replace(
        actor=admin,
        stages=[
            StageInput("Qualifying", 10, is_active=False),
            StageInput("Discovery", 20),
            StageInput("Closed Won", 100, is_closed=True, is_won=True),
        ],
    )
    lead = LeadFactory(owner=user)
    result = lead_convert(lead_id=lead.pk, actor=user, opportunity_name="Deal")
    assert result.opportunity.stage == "Discovery"
    assert Opportunity.objects.get().probability == 20


def test_converted_lead_is_read_only(user, in_org):
    lead = LeadFactory(owner=user, status=Lead.Status.CONVERTED)
    with pytest.raises(InvalidStateTransition) as error:
        lead_update(lead=lead, data={"phone": "1"}, expected_version=1, actor=user)
    assert error.value.code == "lead_converted"


def test_status_converted_only_through_the_action(user, in_org):
    with pytest.raises(ApplicationError) as error:
        lead_create(data={"last_name": "X", "company": "Y", "status": Lead.Status.CONVERTED}, actor=user)
    assert error.value.code == "use_lead_convert"
    lead = LeadFactory(owner=user)
    with pytest.raises(ApplicationError) as error:
        lead_update(lead=lead, data={"status": Lead.Status.CONVERTED}, expected_version=1, actor=user)
    assert error.value.code == "use_lead_convert"
