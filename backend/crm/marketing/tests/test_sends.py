from __future__ import annotations

import datetime
import re

import pytest
from conftest import client_for, make_user
from django.utils import timezone

from crm.accounts.tests.factories import ContactFactory
from crm.core.tests import smtp
from crm.identity.models import Role
from crm.marketing.models import CampaignMember, EmailCampaign, EmailRecipient, Suppression, TrackingEvent
from crm.marketing.services import sends
from crm.marketing.tracking import make_token

from .factories import (
    CampaignFactory,
    CampaignMemberFactory,
    EmailCampaignFactory,
    EmailTemplateFactory,
    SegmentFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/email-campaigns"
ALL = {"match": "all", "conditions": [{"field": "email", "op": "contains", "value": "@example.com"}]}


@pytest.fixture
def inbox():
    with smtp.delivering_to_inbox(**smtp.MARKETING_SETTINGS) as box:
        yield box


@pytest.fixture
def manager_api(org):
    return client_for(make_user(org, Role.MANAGER))


def _send(api, email_campaign, **body):
    return api.post(f"{URL}/{email_campaign.pk}/send", body, format="json")


def _deliver(email_campaign):
    return sends.email_campaign_deliver_rollback_unsafe(email_campaign_id=email_campaign.pk, budget_seconds=30)


def _html(message):
    return next(p for p in message.walk() if p.get_content_type() == "text/html").get_payload(decode=True).decode()


def test_create_with_the_documented_shape(api, user):
    template = EmailTemplateFactory(owner=user)
    campaign = CampaignFactory(owner=user)
    response = api.post(URL, {"name": "N", "template_id": template.pk, "campaign_id": campaign.pk}, format="json")
    assert response.status_code == 201, response.data
    assert (response.data["status"], response.data["campaign_name"]) == ("draft", campaign.name)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"window_start": "18:00", "window_end": "09:00"}, "window_end"),
        ({"window_start": "09:00"}, "window_end"),
        ({"window_days": [7]}, "window_days"),
        ({"template_id": 999999}, "template_id"),
    ],
)
def test_validation(api, user, extra, field):
    body = {
        "name": "N",
        "template_id": EmailTemplateFactory(owner=user).pk,
        "segment_id": SegmentFactory(owner=user).pk,
    }
    response = api.post(URL, {**body, **extra}, format="json")
    assert response.status_code == 400, response.data
    assert any(key.startswith(field) for key in response.data["errors"])
    assert not EmailCampaign.all_orgs.exists()


def test_send_to_a_segment_with_tracking_headers_and_suppression(manager_api, user, inbox, in_org):
    # given three contacts, one of them suppressed, and one duplicate address
    ContactFactory(owner=user, first_name="Ana", email="ana@example.com")
    ContactFactory(owner=user, first_name="Bo", email="bo@example.com")
    ContactFactory(owner=user, first_name="Bo2", email="BO@example.com")
    ContactFactory(owner=user, first_name="Cy", email="cy@example.com")
    Suppression.objects.create(email="cy@example.com", reason="unsubscribed")
    email_campaign = EmailCampaignFactory(owner=user, segment=SegmentFactory(owner=user, definition=ALL))
    # when
    response = _send(manager_api, email_campaign)
    assert (response.status_code, response.data["status"]) == (200, "sending"), response.data
    assert _deliver(email_campaign) == 2
    # then: one message per address, none to the suppressed one
    assert sorted(m["To"] for m in inbox.messages) == ["ana@example.com", "bo@example.com"]
    message = inbox.to("ana@example.com")[0]
    assert message["Subject"] == "Hello Ana"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert re.fullmatch(r"<http://testserver/u/[^>]+>", message["List-Unsubscribe"].strip())
    recipient = EmailRecipient.objects.get(email="ana@example.com")
    assert message["Message-ID"] == recipient.message_id
    html = _html(message)
    assert "http://testserver/t/c/" in html and "https://example.com/offer" not in html
    assert "http://testserver/t/o/" in html
    email_campaign.refresh_from_db()
    assert email_campaign.status == "completed"
    assert EmailRecipient.objects.get(email="cy@example.com").status == "suppressed"


def test_the_open_pixel_records_an_open_once_with_few_queries(
    manager_api, user, inbox, in_org, client, django_assert_max_num_queries, django_assert_num_queries
):
    # given: a delivered message to a campaign member
    campaign = CampaignFactory(owner=user)
    contact = ContactFactory(owner=user, email="cy@example.com")
    CampaignMemberFactory(campaign=campaign, contact=contact, status="Sent")
    email_campaign = EmailCampaignFactory(owner=user, segment=None, campaign=campaign)
    assert _send(manager_api, email_campaign).status_code == 200
    _deliver(email_campaign)
    recipient = EmailRecipient.objects.get(email="cy@example.com")
    EmailRecipient.objects.filter(pk=recipient.pk).update(sent_at=timezone.now() - datetime.timedelta(minutes=5))
    pixel = "/t/o/" + make_token("open", recipient.token)
    # when: the first open: a read, then the recipient, the event and the member in one transaction
    # (4 statements; the transaction and the member service's nested block are savepoints in a test)
    with django_assert_max_num_queries(8):
        assert client.get(pixel, HTTP_USER_AGENT="Mozilla/5.0 (Macintosh)").status_code == 200
    # then
    opened = EmailRecipient.objects.get(pk=recipient.pk)
    assert opened.status == "opened" and opened.opened_at is not None
    assert CampaignMember.objects.get(contact=contact).status == "Opened"
    # when: the mail is viewed again: one read, no write
    with django_assert_num_queries(1):
        assert client.get(pixel, HTTP_USER_AGENT="Mozilla/5.0 (Macintosh)").status_code == 200
    assert EmailRecipient.objects.get(pk=recipient.pk).opened_at == opened.opened_at
    assert TrackingEvent.objects.filter(recipient=recipient, kind="open").count() == 1
    # ... and a bad token answers the same pixel, reading nothing
    with django_assert_num_queries(0):
        bad = client.get("/t/o/forged", HTTP_USER_AGENT="Mozilla/5.0 (Macintosh)")
    assert (bad.status_code, bad["Content-Type"]) == (200, "image/gif")


def test_open_click_unsubscribe_and_statistics(manager_api, user, inbox, in_org, client):
    ContactFactory(owner=user, email="ana@example.com")
    campaign = CampaignFactory(owner=user)
    contact = ContactFactory(owner=user, email="bo@example.com")
    CampaignMemberFactory(campaign=campaign, contact=contact)
    email_campaign = EmailCampaignFactory(owner=user, segment=None, campaign=campaign)
    assert _send(manager_api, email_campaign).status_code == 200
    _deliver(email_campaign)
    recipient = EmailRecipient.objects.get(email="bo@example.com")
    EmailRecipient.objects.filter(pk=recipient.pk).update(sent_at=timezone.now() - datetime.timedelta(minutes=5))
    html = _html(inbox.messages[0])
    click = re.search(r'href="http://testserver(/t/c/[^"]+)"', html).group(1)
    pixel = re.search(r'src="http://testserver(/t/o/[^"]+)"', html).group(1)
    # a privacy proxy fetches the pixel: a machine open, reported apart
    assert client.get(pixel, HTTP_USER_AGENT="Mozilla/5.0 (via ggpht.com GoogleImageProxy)").status_code == 200
    # the reader opens and clicks
    opened = client.get(pixel, HTTP_USER_AGENT="Mozilla/5.0 (Macintosh)")
    assert (opened.status_code, opened["Content-Type"]) == (200, "image/gif")
    clicked = client.get(click, HTTP_USER_AGENT="Mozilla/5.0 (Macintosh)")
    assert (clicked.status_code, clicked["Location"]) == (302, "https://example.com/offer")
    stats = manager_api.get(f"{URL}/{email_campaign.pk}/stats").data
    assert (stats["delivered"], stats["unique_opens"], stats["unique_clicks"]) == (1, 1, 1)
    assert stats["links"] == [{"url": "https://example.com/offer", "clicks": 1, "people": 1}]
    assert CampaignMember.objects.get(contact=contact).status == "Clicked"
    # unsubscribe: GET shows a page, the one-click POST unsubscribes and suppresses
    unsubscribe = re.search(r"<http://testserver(/u/[^>]+)>", inbox.messages[0]["List-Unsubscribe"]).group(1)
    assert client.get(unsubscribe).status_code == 200
    assert not Suppression.objects.exists()
    assert (
        client.post(
            unsubscribe, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
        ).status_code
        == 200
    )
    assert Suppression.objects.filter(email="bo@example.com", reason="unsubscribed").exists()
    stats = manager_api.get(f"/api/v1/campaigns/{campaign.pk}/email-stats").data
    assert (stats["unsubscribes"], stats["recipients"]) == (1, 1)


def test_forged_or_foreign_links_do_not_redirect(client, user, in_org):
    assert client.get("/t/c/" + make_token("click", "x" * 32, "https://evil.example")[:-3] + "abc").status_code == 404
    # a validly signed token whose recipient does not exist is refused too
    assert client.get("/t/c/" + make_token("click", "nobody", "https://evil.example")).status_code == 404
    assert client.get("/t/c/garbage").status_code == 404
    assert client.get("/t/o/garbage").status_code == 200  # the pixel reveals nothing
    assert client.get("/u/garbage").status_code == 404


def test_bounce_hook(manager_api, user, inbox, in_org, client, settings):
    settings.MARKETING_HOOK_TOKEN = "hook-secret"
    ContactFactory(owner=user, email="ana@example.com")
    email_campaign = EmailCampaignFactory(owner=user, segment=SegmentFactory(owner=user, definition=ALL))
    _send(manager_api, email_campaign)
    _deliver(email_campaign)
    recipient = EmailRecipient.objects.get()
    dsn = (
        "From: MAILER-DAEMON@mx.example\r\nTo: marketing@localhost\r\nSubject: Undelivered\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        "--b\r\nContent-Type: text/plain\r\n\r\nNo such user.\r\n"
        "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n"
        "Final-Recipient: rfc822; ana@example.com\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n"
        f"--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: {recipient.message_id}\r\n\r\n--b--\r\n"
    )
    assert client.post("/hooks/email/bounce", dsn, content_type="message/rfc822").status_code == 401
    response = client.post(
        "/hooks/email/bounce", dsn, content_type="message/rfc822", HTTP_AUTHORIZATION="Bearer hook-secret"
    )
    assert response.status_code == 202
    recipient.refresh_from_db()
    assert recipient.status == "bounced"
    assert Suppression.objects.filter(email="ana@example.com", reason="bounced").exists()
    # every later send honours the suppression
    later = EmailCampaignFactory(owner=user, segment=SegmentFactory(owner=user, definition=ALL))
    ContactFactory(owner=user, email="new@example.com")
    _send(manager_api, later)
    _deliver(later)
    assert [m["To"] for m in inbox.messages[1:]] == ["new@example.com"]


def test_pause_resume_cancel_and_states(manager_api, user, in_org, inbox):
    ContactFactory(owner=user, email="ana@example.com")
    email_campaign = EmailCampaignFactory(owner=user, segment=SegmentFactory(owner=user, definition=ALL))
    assert manager_api.post(f"{URL}/{email_campaign.pk}/pause").status_code == 409
    _send(manager_api, email_campaign)
    assert _send(manager_api, email_campaign).status_code == 409
    assert manager_api.post(f"{URL}/{email_campaign.pk}/pause").data["status"] == "paused"
    assert _deliver(email_campaign) == 0  # a paused send sends nothing
    assert (
        manager_api.patch(f"{URL}/{email_campaign.pk}", {"name": "x", "version": 1}, format="json").status_code == 200
    )
    assert manager_api.post(f"{URL}/{email_campaign.pk}/resume").data["status"] == "sending"
    assert manager_api.post(f"{URL}/{email_campaign.pk}/cancel").data["status"] == "cancelled"
    assert _deliver(email_campaign) == 0
    assert manager_api.post(f"{URL}/{email_campaign.pk}/cancel").status_code == 409
    assert EmailRecipient.objects.get().status == "failed"
    assert not inbox.messages


def test_scheduled_and_windowed_sends(manager_api, user, in_org, inbox):
    ContactFactory(owner=user, email="ana@example.com")
    later = timezone.now() + datetime.timedelta(hours=2)
    email_campaign = EmailCampaignFactory(owner=user, segment=SegmentFactory(owner=user, definition=ALL))
    response = _send(manager_api, email_campaign, scheduled_at=later.isoformat())
    assert response.data["status"] == "scheduled"
    assert sends.email_campaigns_due() == []
    EmailCampaign.objects.filter(pk=email_campaign.pk).update(scheduled_at=timezone.now())
    assert sends.email_campaigns_due() == [email_campaign.pk]
    # a window that is closed now holds the send
    email_campaign.refresh_from_db()
    email_campaign.window_start, email_campaign.window_end, email_campaign.window_days = (
        datetime.time(0, 0), datetime.time(0, 1), [],
    )  # fmt: skip
    email_campaign.save()
    assert _deliver(email_campaign) == 0
    assert sends.in_window(email_campaign, "Europe/Sofia") is False
    monday_10_sofia = datetime.datetime(2026, 12, 7, 8, 0, tzinfo=datetime.UTC)
    email_campaign.window_start, email_campaign.window_end, email_campaign.window_days = (
        datetime.time(9, 0), datetime.time(17, 0), [0, 1, 2, 3, 4],
    )  # fmt: skip
    assert sends.in_window(email_campaign, "Europe/Sofia", monday_10_sofia) is True
    assert sends.in_window(email_campaign, "UTC", monday_10_sofia) is False


def test_a_dead_workers_row_is_never_sent_again(manager_api, user, in_org, inbox, settings):
    settings.MARKETING_STUCK_SECONDS = 0
    ContactFactory(owner=user, email="ana@example.com")
    ContactFactory(owner=user, email="bo@example.com")
    email_campaign = EmailCampaignFactory(owner=user, segment=SegmentFactory(owner=user, definition=ALL))
    _send(manager_api, email_campaign)
    claimed = sends._claim(email_campaign.pk)  # a worker claimed it, then died before marking it sent
    assert claimed.status == "sending"
    assert _deliver(email_campaign) == 1
    claimed.refresh_from_db()
    assert claimed.status == "unknown"
    assert [m["To"] for m in inbox.messages] == [e for e in ("ana@example.com", "bo@example.com") if e != claimed.email]
    assert manager_api.get(f"{URL}/{email_campaign.pk}/stats").data["unknown"] == 1


def test_test_send(manager_api, user, inbox, in_org):
    email_campaign = EmailCampaignFactory(owner=user)
    response = manager_api.post(f"{URL}/{email_campaign.pk}/test-send", {"to": "me@example.com"}, format="json")
    assert response.status_code == 202
    assert inbox.messages[0]["Subject"].startswith("[Test] Hello")
    assert manager_api.post(f"{URL}/{email_campaign.pk}/test-send", {"to": "nope"}, format="json").status_code == 400


def test_plain_users_cannot_send(api, user, in_org):
    email_campaign = EmailCampaignFactory(owner=user)
    for action in ("send", "pause", "resume", "cancel", "test-send"):
        assert (
            api.post(f"{URL}/{email_campaign.pk}/{action}", {"to": "a@example.com"}, format="json").status_code == 403
        )
    assert api.get(f"{URL}/{email_campaign.pk}/stats").status_code == 200


def test_nobody_to_send_to_is_400(manager_api, user, in_org):
    email_campaign = EmailCampaignFactory(owner=user)
    response = _send(manager_api, email_campaign)
    assert (response.status_code, response.data["code"]) == (400, "no_recipients")
    assert not EmailRecipient.objects.exists()


def test_another_organization_gets_404(other_api, user, in_org):
    email_campaign = EmailCampaignFactory(owner=user)
    assert other_api.get(f"{URL}/{email_campaign.pk}/stats").status_code == 404
    assert other_api.post(f"{URL}/{email_campaign.pk}/send").status_code in (403, 404)
