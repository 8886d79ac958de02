"""The workflow steps that reach marketing: send an email template, add to a campaign."""

from __future__ import annotations

import pytest

from crm.automation.models import Workflow, WorkflowRun
from crm.core.scoping import org_scope
from crm.core.tests import smtp
from crm.marketing.models import CampaignMember, EmailCampaign, EmailRecipient, Suppression
from crm.marketing.tests.factories import CampaignFactory, EmailTemplateFactory
from crm.sales.services.leads import lead_create

from .factories import make_workflow

pytestmark = pytest.mark.django_db

LEAD_TEMPLATE = {
    "subject": 'Welcome, {{ lead.first_name | default("there") }}',
    "body": '<p>Hi {{ lead.first_name | default("there") }}</p><p><a href="https://example.com/start">Start</a></p>',
}
BODY = {
    "name": "Welcome new leads",
    "object_name": "lead",
    "trigger": {"type": "record_created"},
    "debounce_seconds": 0,
}


@pytest.fixture
def inbox():
    with smtp.delivering_to_inbox(**smtp.MARKETING_SETTINGS) as box:
        yield box


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _new_lead(actor, **values):
    with org_scope(actor.organization_id):
        return lead_create(
            data={"first_name": "Mila", "last_name": "Novak", "company": "Novak Ltd", **values}, actor=actor
        )


# --- send an email template ----------------------------------------------------------------------------


def test_a_new_lead_gets_the_template_once_as_a_tracked_message(admin, admin_api, inbox, commit):
    # given
    template = EmailTemplateFactory(owner=admin, **LEAD_TEMPLATE)
    workflow = make_workflow(admin, **{**BODY, "steps": [{"type": "send_email_template", "template_id": template.pk}]})
    # when
    with commit():
        lead = _new_lead(admin, email="Mila@Novak.example")
    # then: one message, rendered for the lead, with the send's tracking and one-click unsubscribe
    [message] = inbox.messages
    assert message["To"] == "mila@novak.example" and message["Subject"] == "Welcome, Mila"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    html = next(part for part in message.walk() if part.get_content_type() == "text/html").get_payload(decode=True)
    assert b"http://testserver/t/c/" in html and b"http://testserver/t/o/" in html
    recipient = EmailRecipient.all_orgs.get(lead=lead)
    assert recipient.status == EmailRecipient.Status.SENT and message["Message-ID"] == recipient.message_id
    send = recipient.email_campaign
    assert (send.status, send.template_id, send.owner_id) == (EmailCampaign.Status.AUTOMATED, template.pk, admin.pk)
    [run] = WorkflowRun.all_orgs.filter(workflow=workflow)
    [step] = run.step_runs.all()
    assert step.status == "succeeded"
    assert step.result == {
        "email_campaign_id": send.pk,
        "recipient_id": recipient.pk,
        "email": "mila@novak.example",
        "status": "queued",
    }
    # ... the send's statistics count it like any send's
    stats = admin_api.get(f"/api/v1/email-campaigns/{send.pk}/stats")
    assert stats.status_code == 200 and stats.data["delivered"] == 1

    # when: the workflow runs again for the same lead
    with commit():
        again = admin_api.post(f"/api/v1/workflows/{workflow.pk}/run", {"record_id": lead.pk}, format="json")
    # then: nobody is mailed twice
    assert again.status_code == 201, again.data
    assert len(inbox.messages) == 1
    rerun = WorkflowRun.all_orgs.get(pk=again.data["id"])
    assert rerun.status == "succeeded" and rerun.step_runs.get().result["status"] == "already_sent"


def test_a_second_lead_joins_the_same_automated_send(admin, inbox, commit):
    template = EmailTemplateFactory(owner=admin, **LEAD_TEMPLATE)
    make_workflow(admin, **{**BODY, "steps": [{"type": "send_email_template", "template_id": template.pk}]})
    with commit():
        _new_lead(admin, email="a@leads.example")
    with commit():
        _new_lead(admin, first_name="", email="b@leads.example")
    assert sorted(m["To"] for m in inbox.messages) == ["a@leads.example", "b@leads.example"]
    assert inbox.to("b@leads.example")[0]["Subject"] == "Welcome, there"
    assert EmailCampaign.all_orgs.filter(status=EmailCampaign.Status.AUTOMATED).count() == 1
    assert EmailRecipient.all_orgs.filter(status=EmailRecipient.Status.SENT).count() == 2


def test_the_suppression_list_holds_for_workflow_mail(admin, org, inbox, commit):
    template = EmailTemplateFactory(owner=admin, **LEAD_TEMPLATE)
    make_workflow(admin, **{**BODY, "steps": [{"type": "send_email_template", "template_id": template.pk}]})
    Suppression.all_orgs.create(organization=org, email="gone@leads.example", reason="unsubscribed")
    with commit():
        lead = _new_lead(admin, email="gone@leads.example")
    assert inbox.messages == []
    assert EmailRecipient.all_orgs.get(lead=lead).status == EmailRecipient.Status.SUPPRESSED


def test_a_lead_without_email_is_skipped_and_the_run_succeeds(admin, inbox, commit):
    template = EmailTemplateFactory(owner=admin, **LEAD_TEMPLATE)
    workflow = make_workflow(admin, **{**BODY, "steps": [{"type": "send_email_template", "template_id": template.pk}]})
    with commit():
        _new_lead(admin, email="")
    [run] = WorkflowRun.all_orgs.filter(workflow=workflow)
    assert run.status == "succeeded" and run.step_runs.get().result == {"skipped": "no email address"}
    assert inbox.messages == [] and not EmailRecipient.all_orgs.exists()


def test_an_automated_send_cannot_be_cancelled_through_the_send_api(admin, admin_api, inbox, commit):
    template = EmailTemplateFactory(owner=admin, **LEAD_TEMPLATE)
    make_workflow(admin, **{**BODY, "steps": [{"type": "send_email_template", "template_id": template.pk}]})
    with commit():
        _new_lead(admin, email="c@leads.example")
    send = EmailCampaign.all_orgs.get(status=EmailCampaign.Status.AUTOMATED)
    response = admin_api.post(f"/api/v1/email-campaigns/{send.pk}/cancel", {}, format="json")
    assert response.status_code == 409, response.data
    assert EmailCampaign.all_orgs.get(pk=send.pk).status == EmailCampaign.Status.AUTOMATED


# --- add to a campaign ------------------------------------------------------------------------------------


def test_a_new_lead_becomes_a_campaign_member_with_the_status(admin, commit):
    campaign = CampaignFactory(owner=admin)
    workflow = make_workflow(
        admin,
        **{**BODY, "steps": [{"type": "add_to_campaign", "campaign_id": campaign.pk, "status": "Responded"}]},
    )
    with commit():
        lead = _new_lead(admin)
    member = CampaignMember.all_orgs.get(campaign=campaign, lead=lead)
    assert member.status == CampaignMember.Status.RESPONDED
    [run] = WorkflowRun.all_orgs.filter(workflow=workflow)
    assert run.status == "succeeded"
    assert run.step_runs.get().result == {
        "campaign_id": campaign.pk,
        "member_id": member.pk,
        "status": "Responded",
        "added": True,
    }


def test_a_member_already_in_the_campaign_keeps_their_status(admin, admin_api, commit):
    campaign = CampaignFactory(owner=admin)
    workflow = make_workflow(
        admin,
        trigger={"type": "manual"},
        steps=[{"type": "add_to_campaign", "campaign_id": campaign.pk, "status": "Sent"}],
    )
    lead = _new_lead(admin)
    with org_scope(admin.organization_id):
        CampaignMember.objects.create(campaign=campaign, lead=lead, status=CampaignMember.Status.CLICKED)
    with commit():
        response = admin_api.post(f"/api/v1/workflows/{workflow.pk}/run", {"record_id": lead.pk}, format="json")
    assert response.status_code == 201, response.data
    assert CampaignMember.all_orgs.get(campaign=campaign, lead=lead).status == CampaignMember.Status.CLICKED
    run = WorkflowRun.all_orgs.get(pk=response.data["id"])
    assert run.status == "succeeded" and run.step_runs.get().result["added"] is False


def test_contacts_join_campaigns_too(admin, admin_api, commit):
    from crm.accounts.tests.factories import ContactFactory

    campaign = CampaignFactory(owner=admin)
    workflow = make_workflow(
        admin,
        object_name="contact",
        trigger={"type": "manual"},
        steps=[{"type": "add_to_campaign", "campaign_id": campaign.pk}],
    )
    contact = ContactFactory(owner=admin)
    with commit():
        response = admin_api.post(f"/api/v1/workflows/{workflow.pk}/run", {"record_id": contact.pk}, format="json")
    assert response.status_code == 201, response.data
    assert CampaignMember.all_orgs.get(campaign=campaign, contact=contact).status == CampaignMember.Status.SENT


# --- validation -------------------------------------------------------------------------------------------


@pytest.fixture
def foreign(other_user):
    return {
        "template": EmailTemplateFactory(owner=other_user),
        "campaign": CampaignFactory(owner=other_user),
    }


@pytest.mark.parametrize(
    ("steps", "object_name", "field"),
    [
        ([{"type": "send_email_template"}], "lead", "steps.0.template_id"),
        ([{"type": "send_email_template", "template_id": 2**31}], "lead", "steps.0.template_id"),
        ([{"type": "send_email_template", "template_id": "1"}], "lead", "steps.0.template_id"),
        ([{"type": "send_email_template", "template_id": "foreign"}], "lead", "steps.0.template_id"),
        ([{"type": "send_email_template", "template_id": "inactive"}], "lead", "steps.0.template_id"),
        ([{"type": "send_email_template", "template_id": "own"}], "account", "steps.0.template_id"),
        ([{"type": "add_to_campaign"}], "lead", "steps.0.campaign_id"),
        ([{"type": "add_to_campaign", "campaign_id": 2**31}], "lead", "steps.0.campaign_id"),
        ([{"type": "add_to_campaign", "campaign_id": "foreign"}], "lead", "steps.0.campaign_id"),
        ([{"type": "add_to_campaign", "campaign_id": "own"}], "opportunity", "steps.0.campaign_id"),
        ([{"type": "add_to_campaign", "campaign_id": "own", "status": "Adored"}], "lead", "steps.0.status"),
    ],
)
def test_bad_marketing_steps_are_refused_field_by_field(admin, admin_api, foreign, steps, object_name, field):
    own = {"template": EmailTemplateFactory(owner=admin), "campaign": CampaignFactory(owner=admin)}
    inactive = EmailTemplateFactory(owner=admin, is_active=False)
    ids = {
        "foreign": lambda kind: foreign[kind].pk,
        "own": lambda kind: own[kind].pk,
        "inactive": lambda kind: inactive.pk,
    }
    resolved = []
    for step in steps:
        step = dict(step)
        for key, kind in (("template_id", "template"), ("campaign_id", "campaign")):
            if step.get(key) in ids:
                step[key] = ids[step[key]](kind)
        resolved.append(step)
    body = {**BODY, "object_name": object_name, "trigger": {"type": "manual"}, "steps": resolved}
    response = admin_api.post("/api/v1/workflows", body, format="json")
    assert response.status_code == 400, response.data
    assert field in response.data["errors"], response.data
    assert not Workflow.all_orgs.exists()


def test_a_case_workflow_mails_the_cases_contact(admin, admin_api, inbox, commit):
    from crm.accounts.tests.factories import ContactFactory
    from crm.service.tests.factories import CaseFactory

    template = EmailTemplateFactory(owner=admin)
    workflow = make_workflow(
        admin,
        object_name="case",
        trigger={"type": "manual"},
        steps=[{"type": "send_email_template", "template_id": template.pk}],
    )
    contact = ContactFactory(owner=admin, first_name="Ivo", email="ivo@client.example")
    case = CaseFactory(owner=admin, contact=contact, account=contact.account)
    with commit():
        response = admin_api.post(f"/api/v1/workflows/{workflow.pk}/run", {"record_id": case.pk}, format="json")
    assert response.status_code == 201, response.data
    [message] = inbox.messages
    assert message["To"] == "ivo@client.example" and message["Subject"] == "Hello Ivo"
    assert EmailRecipient.all_orgs.get().contact_id == contact.pk
