"""The pages the marketing screens read: a send's recipients a page at a time, its statistics,
and the fields and operators the segment builder offers."""

from __future__ import annotations

import pytest
from django.utils import timezone

from crm.marketing.models import EmailRecipient
from crm.marketing.segments import FIELDS, OPS

from .factories import EmailCampaignFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/email-campaigns"


def _recipients(email_campaign, statuses):
    EmailRecipient.objects.bulk_create(
        EmailRecipient(
            organization=email_campaign.organization,
            email_campaign=email_campaign,
            email=f"person{i:03d}@example.com",
            token=f"{email_campaign.pk:08d}{i:024d}",
            status=status,
            sent_at=timezone.now() if status != "queued" else None,
        )
        for i, status in enumerate(statuses)
    )


def test_recipients_come_a_page_at_a_time(api, user, in_org):
    # given a send with 7 recipients, 2 of them still queued
    email_campaign = EmailCampaignFactory(owner=user)
    _recipients(email_campaign, ["sent"] * 5 + ["queued"] * 2)
    # when the third page of three rows is asked for
    response = api.get(f"{URL}/{email_campaign.pk}/recipients", {"page": 3, "page_size": 3})
    # then it holds the last row, and the count is of every row
    assert response.status_code == 200, response.data
    assert (response.data["count"], response.data["page"], response.data["page_size"]) == (7, 3, 3)
    assert [row["email"] for row in response.data["results"]] == ["person006@example.com"]
    queued = api.get(f"{URL}/{email_campaign.pk}/recipients", {"status": "queued"}).data
    assert queued["count"] == 2
    assert {row["status"] for row in queued["results"]} == {"queued"}


def test_recipient_pages_cost_the_same_queries(api, user, in_org, django_assert_max_num_queries):
    email_campaign = EmailCampaignFactory(owner=user)
    _recipients(email_campaign, ["sent"] * 120)
    with django_assert_max_num_queries(12) as one:
        api.get(f"{URL}/{email_campaign.pk}/recipients", {"page_size": 1})
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = api.get(f"{URL}/{email_campaign.pk}/recipients", {"page_size": 100})
    assert len(response.data["results"]) == 100


@pytest.mark.parametrize(
    ("query", "field"),
    [({"page": 0}, "page"), ({"page_size": 500}, "page_size"), ({"status": "lost"}, "status"), ({"page": "x"}, "page")],
)
def test_bad_recipient_queries_are_refused_by_field(api, user, in_org, query, field):
    email_campaign = EmailCampaignFactory(owner=user)
    response = api.get(f"{URL}/{email_campaign.pk}/recipients", query)
    assert response.status_code == 400
    assert field in response.data["errors"]


def test_statistics_of_a_send_without_mail_are_zero(api, user, in_org):
    email_campaign = EmailCampaignFactory(owner=user)
    stats = api.get(f"{URL}/{email_campaign.pk}/stats").data
    assert stats["recipients"] == stats["delivered"] == stats["unique_opens"] == stats["machine_opens"] == 0
    assert stats["links"] == []


def test_another_organization_sees_no_recipients(other_api, user, in_org):
    email_campaign = EmailCampaignFactory(owner=user)
    _recipients(email_campaign, ["sent"])
    assert other_api.get(f"{URL}/{email_campaign.pk}/recipients").status_code == 404
    assert other_api.get(f"{URL}/{email_campaign.pk}/stats").status_code == 404


def test_segment_builder_fields_match_what_the_server_accepts(api):
    response = api.get("/api/v1/segments/fields")
    assert response.status_code == 200
    fields = {row["name"]: row for row in response.data["fields"]}
    assert set(fields) == set(FIELDS)
    assert fields["company"]["targets"] == ["leads"]
    assert fields["email"]["targets"] == ["contacts", "leads"]
    assert {kind: set(ops) for kind, ops in response.data["operators"].items()} == {k: set(v) for k, v in OPS.items()}
    assert "Opened" in response.data["member_statuses"]
    # every field with each of its operators is accepted by the evaluation the builder calls
    for name, row in fields.items():
        op = response.data["operators"][row["kind"]][0]
        value = {"text": "a", "number": 1, "date": "2026-01-01"}[row["kind"]]
        if op == "within_days":
            value = 7
        body = {
            "target": "both",
            "definition": {"match": "all", "conditions": [{"field": name, "op": op, "value": value}]},
        }
        assert api.post("/api/v1/segments/evaluate", body, format="json").status_code == 200, name


def test_segment_builder_fields_need_a_session(client):
    assert client.get("/api/v1/segments/fields").status_code in (401, 403)
