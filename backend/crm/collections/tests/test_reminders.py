"""Payment reminders: levels, the daily run, "send now", pause and no-reminders, late charges."""

from __future__ import annotations

import datetime
import email
import subprocess
from decimal import Decimal

import pytest
from conftest import client_for, make_user
from django.test import override_settings
from django.utils import timezone

from crm.activities.models import Activity
from crm.audit.models import AuditEvent
from crm.core.scoping import org_scope
from crm.identity.models import Role
from crm.invoicing.models import Invoice
from crm.jobs.models import Job

from ..models import Reminder, ReminderCharge, ReminderLevel
from ..services.reminders import late_interest, reminder_charges, reminders_run
from ..tasks import reminders_enqueue
from .factories import overdue_invoice

TODAY = timezone.localdate()


def _pdf_text(message: email.message.Message) -> str:
    (part,) = [p for p in message.walk() if p.get_content_type() == "application/pdf"]
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"],  # noqa: S607
        input=part.get_payload(decode=True),
        capture_output=True,
        check=True,
    ).stdout.decode()


# --- levels -----------------------------------------------------------------------------------------
def test_every_organization_starts_with_three_levels(api, org):
    response = api.get("/api/v1/reminder-levels")
    assert response.status_code == 200
    assert [(row["days_after_due"], row["fixed_fee"], row["charge_interest"]) for row in response.data] == [
        (3, "0.00", False),
        (14, "0.00", False),
        (30, "40.00", True),
    ]


def test_admins_edit_levels_with_versions(admin_api, api, org):
    body = {"name": "Pre-legal", "days_after_due": 45, "subject": "Invoice {{ invoice.number }}", "body": "Pay."}
    assert api.post("/api/v1/reminder-levels", body, format="json").status_code == 403
    created = admin_api.post("/api/v1/reminder-levels", body, format="json")
    assert created.status_code == 201, created.data
    level = created.data
    assert level["version"] == 1 and level["is_active"] is True

    # validation: a taken day count, a template that does not compile, a negative fee, missing fields
    taken = admin_api.post("/api/v1/reminder-levels", {**body, "days_after_due": 14}, format="json")
    assert taken.status_code == 400 and "days_after_due" in taken.data["errors"]
    broken = admin_api.post(
        "/api/v1/reminder-levels", {**body, "days_after_due": 50, "body": "{% if %}"}, format="json"
    )
    assert broken.status_code == 400 and "body" in broken.data["errors"]
    negative = admin_api.post(
        "/api/v1/reminder-levels", {**body, "days_after_due": 51, "fixed_fee": "-1"}, format="json"
    )
    assert negative.status_code == 400 and "fixed_fee" in negative.data["errors"]
    empty = admin_api.post("/api/v1/reminder-levels", {}, format="json")
    assert empty.status_code == 400 and {"name", "days_after_due", "subject", "body"} <= set(empty.data["errors"])
    assert ReminderLevel.all_orgs.filter(organization=org).count() == 4

    url = f"/api/v1/reminder-levels/{level['id']}"
    assert api.patch(url, {"fixed_fee": "40.00", "version": 1}, format="json").status_code == 403
    assert admin_api.patch(url, {"fixed_fee": "40.00"}, format="json").status_code == 400  # no version
    changed = admin_api.patch(url, {"fixed_fee": "40.00", "version": 1}, format="json")
    assert changed.status_code == 200 and changed.data["fixed_fee"] == "40.00" and changed.data["version"] == 2
    stale = admin_api.patch(url, {"name": "Late", "version": 1}, format="json")
    assert stale.status_code == 409
    assert admin_api.get(url).data["name"] == "Pre-legal"

    assert admin_api.delete(f"{url}?version=1").status_code == 409
    assert admin_api.delete(url).status_code == 400
    assert api.delete(f"{url}?version=2").status_code == 403
    assert admin_api.delete(f"{url}?version=2").status_code == 204
    assert admin_api.get(url).status_code == 404


def test_another_organizations_levels_are_not_found(admin_api, other_api, org):
    level = admin_api.get("/api/v1/reminder-levels").data[0]
    url = f"/api/v1/reminder-levels/{level['id']}"
    assert other_api.get(url).status_code == 404
    assert other_api.patch(url, {"name": "Mine", "version": 1}, format="json").status_code == 404
    assert other_api.delete(f"{url}?version=1").status_code == 404
    assert ReminderLevel.all_orgs.get(pk=level["id"]).name == level["name"]


def test_a_level_used_by_a_reminder_is_deactivated_not_deleted(admin_api, user, in_org, smtp):
    invoice = overdue_invoice(user, days=5)
    reminders_run(organization_id=in_org.pk)
    level = Reminder.objects.get(invoice=invoice).level
    assert admin_api.delete(f"/api/v1/reminder-levels/{level.pk}?version=1").status_code == 409
    off = admin_api.patch(f"/api/v1/reminder-levels/{level.pk}", {"is_active": False, "version": 1}, format="json")
    assert off.status_code == 200 and off.data["is_active"] is False


# --- late interest and the fee ------------------------------------------------------------------------
def test_statutory_interest_is_pro_rata_per_day():
    # 1,200.00 open for 31 days at 2.15 % + 8 points = 10.15 % a year: 1200 * 0.1015 * 31 / 365
    assert late_interest(amount=Decimal("1200.00"), annual_rate=Decimal("10.15"), days=31) == Decimal("10.34")
    assert late_interest(amount=Decimal("1200.00"), annual_rate=Decimal("10.15"), days=0) == Decimal("0.00")
    assert late_interest(amount=Decimal("0"), annual_rate=Decimal("10.15"), days=10) == Decimal("0.00")


def test_the_reference_rate_is_an_editable_setting(admin_api, api, user, in_org):
    assert api.get("/api/v1/collection-settings").data["reference_rate"] == "2.15"
    assert (
        api.patch("/api/v1/collection-settings", {"reference_rate": "3.00", "version": 1}, format="json").status_code
        == 403
    )
    bad = admin_api.patch("/api/v1/collection-settings", {"reference_rate": "abc", "match_threshold": 0}, format="json")
    assert bad.status_code == 400 and {"reference_rate", "match_threshold"} <= set(bad.data["errors"])
    saved = admin_api.patch("/api/v1/collection-settings", {"reference_rate": "4.00", "version": 1}, format="json")
    assert saved.status_code == 200 and saved.data["statutory_rate"] == "12.00" and saved.data["version"] == 2
    assert (
        admin_api.patch("/api/v1/collection-settings", {"reference_rate": "1", "version": 1}, format="json").status_code
        == 409
    )
    invoice = overdue_invoice(user, days=30)
    final = ReminderLevel.objects.get(days_after_due=30)
    charges = reminder_charges(invoice=invoice, level=final, today=TODAY)
    # 1,000.00 net + 20 % VAT open for 30 days at 12 %
    assert charges.overdue == Decimal("1200.00")
    assert charges.rate == Decimal("12.00")
    assert charges.interest == Decimal("11.84")
    assert charges.fee == Decimal("40.00")


# --- the daily run ------------------------------------------------------------------------------------
def test_the_daily_run_sends_each_due_level_once_with_its_pdf(api, user, in_org, smtp):
    # given: three open invoices past due by 2, 5 and 31 days, and one paid in full
    not_yet = overdue_invoice(user, days=2, email="early@client.example")
    friendly = overdue_invoice(user, days=5, email="five@client.example")
    final = overdue_invoice(user, days=31, email="late@client.example")
    paid = overdue_invoice(user, days=40, email="paid@client.example")
    api.post(
        f"/api/v1/invoices/{paid.pk}/payments",
        {"payment_date": TODAY.isoformat(), "payment_method": "Cash"},
        format="json",
    )
    assert Invoice.objects.get(pk=paid.pk).status == Invoice.Status.PAID

    # when: the run goes twice
    first = reminders_run(organization_id=in_org.pk)
    second = reminders_run(organization_id=in_org.pk)

    # then: one mail per due invoice, the highest level reached, nothing the second time
    assert (first.sent, second.sent) == (2, 0)
    assert sorted(m["To"] for m in smtp.messages) == ["five@client.example", "late@client.example"]
    sent = {r.invoice_id: r for r in Reminder.objects.select_related("level")}
    assert set(sent) == {friendly.pk, final.pk} and not_yet.pk not in sent
    assert sent[friendly.pk].level.days_after_due == 3 and sent[friendly.pk].fee_amount == 0
    late = sent[final.pk]
    assert late.level.days_after_due == 30 and late.status == Reminder.Status.SENT
    assert late.fee_amount == Decimal("40.00")
    assert late.interest_amount == late_interest(amount=Decimal("1200.00"), annual_rate=Decimal("10.15"), days=31)
    assert late.total_due == Decimal("1240.00") + late.interest_amount
    assert sorted(ReminderCharge.objects.filter(invoice=final).values_list("kind", flat=True)) == ["fee", "interest"]

    # the mail names the invoice; its PDF is the payment reminder with the charges
    message = next(m for m in smtp.messages if m["To"] == "late@client.example")
    assert final.number in message["Subject"] and "Final reminder" in message["Subject"]
    text = _pdf_text(message)
    assert "Payment reminder" in text and final.number in text
    assert "recovery costs" in text and "Late interest" in text and "€40.00" in text
    assert "Total due" in text and f"€{late.total_due:,}" in text

    # the issued invoice is unchanged: charges are rows of their own
    assert Invoice.objects.get(pk=final.pk).gross_total == Decimal("1200.00")

    # logged on the invoice's timeline and in the invoice's and the account's history
    activity = Activity.objects.get(what_type="Invoice", what_id=final.pk)
    assert final.number in activity.subject and activity.status == "Completed"
    assert AuditEvent.all_orgs.filter(name="invoice.reminder", object_id=final.pk).count() == 1
    assert AuditEvent.all_orgs.filter(name="account.reminder", object_id=final.account_id).count() == 1

    # ten days later the friendly one reaches level 2 and the early one level 1; the final one is done
    later = reminders_run(organization_id=in_org.pk, today=TODAY + datetime.timedelta(days=10))
    assert later.sent == 2
    assert Reminder.objects.filter(invoice=friendly).count() == 2
    assert Reminder.objects.filter(invoice=not_yet).count() == 1
    assert Reminder.objects.filter(invoice=final).count() == 1
    assert len(smtp.messages) == 4


def test_the_fee_is_charged_once_per_invoice(admin_api, user, in_org, smtp):
    second = ReminderLevel.objects.get(days_after_due=14)
    admin_api.patch(f"/api/v1/reminder-levels/{second.pk}", {"fixed_fee": "40.00", "version": 1}, format="json")
    invoice = overdue_invoice(user, days=15)
    reminders_run(organization_id=in_org.pk)
    reminders_run(organization_id=in_org.pk, today=TODAY + datetime.timedelta(days=20))
    reminders = list(Reminder.objects.filter(invoice=invoice).order_by("created_at", "id"))
    assert [r.fee_amount for r in reminders] == [Decimal("40.00"), Decimal("0.00")]
    assert ReminderCharge.objects.filter(invoice=invoice, kind="fee").count() == 1
    # interest on the final level covers the days since the due date once
    assert reminders[1].interest_amount == late_interest(
        amount=Decimal("1200.00"), annual_rate=Decimal("10.15"), days=35
    )


def test_paused_invoices_and_no_reminder_accounts_are_skipped(api, user, in_org, smtp):
    paused = overdue_invoice(user, days=5, email="paused@client.example")
    quiet = overdue_invoice(user, days=5, email="quiet@client.example")
    assert api.post(f"/api/v1/invoices/{paused.pk}/pause-reminders", {"reason": "Disputed"}, format="json").data[
        "paused"
    ]
    assert (
        api.put(f"/api/v1/accounts/{quiet.account_id}/no-reminders", {"no_reminders": True}, format="json").status_code
        == 200
    )
    assert api.get(f"/api/v1/accounts/{quiet.account_id}/no-reminders").data == {"no_reminders": True}
    assert reminders_run(organization_id=in_org.pk).sent == 0
    assert smtp.messages == []

    status = api.post(f"/api/v1/invoices/{paused.pk}/resume-reminders", {}, format="json")
    assert status.status_code == 200 and status.data["paused"] is False
    api.put(f"/api/v1/accounts/{quiet.account_id}/no-reminders", {"no_reminders": False}, format="json")
    assert reminders_run(organization_id=in_org.pk).sent == 2
    assert AuditEvent.all_orgs.filter(name="invoice.reminders_pause", object_id=paused.pk).count() == 1


def test_pause_and_no_reminders_validation_and_tenancy(api, other_api, user, in_org):
    invoice = overdue_invoice(user, days=5)
    assert (
        api.put(
            f"/api/v1/accounts/{invoice.account_id}/no-reminders", {"no_reminders": "maybe"}, format="json"
        ).status_code
        == 400
    )
    assert (
        api.post(f"/api/v1/invoices/{invoice.pk}/pause-reminders", {"reason": "x" * 300}, format="json").status_code
        == 400
    )
    assert other_api.post(f"/api/v1/invoices/{invoice.pk}/pause-reminders", {}, format="json").status_code == 404
    assert other_api.post(f"/api/v1/invoices/{invoice.pk}/resume-reminders", {}, format="json").status_code == 404
    assert other_api.get(f"/api/v1/invoices/{invoice.pk}/reminder-status").status_code == 404
    assert (
        other_api.put(
            f"/api/v1/accounts/{invoice.account_id}/no-reminders", {"no_reminders": True}, format="json"
        ).status_code
        == 404
    )
    assert api.get(f"/api/v1/invoices/{invoice.pk}/reminder-status").data["paused"] is False


def test_a_mail_server_failure_leaves_the_reminder_to_the_next_run(user, in_org, smtp):
    invoice = overdue_invoice(user, days=5)
    # Nested inside the smtp fixture's own override, so that leaving it restores that one (pytest-django's
    # settings fixture would unwind after the fixture and leave the SMTP backend to later tests).
    with override_settings(EMAIL_PORT=1):  # nothing listens there
        assert reminders_run(organization_id=in_org.pk).failed == 1
    assert not Reminder.objects.filter(invoice=invoice).exists()
    assert reminders_run(organization_id=in_org.pk).sent == 1
    assert len(smtp.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_the_daily_job_runs_once_per_organization_and_day(org, user, smtp):
    with org_scope(org.pk):
        overdue_invoice(user, days=5)
    reminders_enqueue(today=TODAY)
    reminders_enqueue(today=TODAY)
    jobs = Job.objects.filter(task="collections.send_reminders", organization_id=org.pk)
    assert [(job.key, job.state) for job in jobs] == [(f"reminders:{org.pk}:{TODAY.isoformat()}", Job.State.SUCCEEDED)]
    assert len(smtp.messages) == 1


# --- send now and the list ----------------------------------------------------------------------------
def test_send_reminder_now_walks_the_levels(api, other_api, user, in_org, smtp):
    invoice = overdue_invoice(user, days=1)  # no level due yet: "now" sends the first
    url = f"/api/v1/invoices/{invoice.pk}/send-reminder"
    assert api.get(f"/api/v1/invoices/{invoice.pk}/reminder-status").data["next_level"]["days_after_due"] == 3
    first = api.post(url, {}, format="json")
    assert first.status_code == 201, first.data
    assert first.data["level_days"] == 3 and first.data["trigger"] == "Manual" and first.data["status"] == "Sent"
    assert first.data["created_by_name"] == user.name
    assert api.post(url, {"level_id": first.data["level_id"]}, format="json").status_code == 409
    assert api.post(url, {"level_id": 999999}, format="json").status_code == 400
    assert api.post(url, {"level_id": "x"}, format="json").status_code == 400
    assert api.post(url, {}, format="json").data["level_days"] == 14
    final = api.post(url, {}, format="json")
    assert final.data["level_days"] == 30 and final.data["fee_amount"] == "40.00"
    # one day overdue at 10.15 %: 1200 * 0.1015 / 365 = 0.33
    assert sorted(c["kind"] for c in final.data["charges"]) == ["fee", "interest"]
    assert final.data["interest_amount"] == "0.33" and final.data["total_due"] == "1240.33"
    exhausted = api.post(url, {}, format="json")
    assert exhausted.status_code == 409 and exhausted.data["code"] == "reminders_exhausted"
    assert other_api.post(url, {}, format="json").status_code == 404
    assert len(smtp.messages) == 3

    listed = api.get("/api/v1/reminders", {"invoice_id": invoice.pk})
    assert listed.status_code == 200 and [r["level_days"] for r in listed.data["results"]] == [30, 14, 3]
    assert api.get("/api/v1/reminders", {"account_id": invoice.account_id}).data["count"] == 3
    assert api.get("/api/v1/reminders", {"level_id": first.data["level_id"]}).data["count"] == 1
    assert api.get("/api/v1/reminders", {"invoice_id": "abc"}).status_code == 400
    assert other_api.get("/api/v1/reminders").data["count"] == 0


def test_send_now_refuses_what_is_not_reminded(api, user, in_org, smtp):
    paused = overdue_invoice(user, days=5)
    api.post(f"/api/v1/invoices/{paused.pk}/pause-reminders", {}, format="json")
    refused = api.post(f"/api/v1/invoices/{paused.pk}/send-reminder", {}, format="json")
    assert refused.status_code == 409 and refused.data["code"] == "reminders_paused"
    nobody = overdue_invoice(user, days=5, email="")
    missing = api.post(f"/api/v1/invoices/{nobody.pk}/send-reminder", {}, format="json")
    assert missing.status_code == 400
    assert smtp.messages == [] and Reminder.objects.count() == 0


def test_a_reader_of_a_shared_invoice_sees_but_does_not_send(org, user, in_org, smtp):
    from crm.sharing.tests.factories import set_default

    set_default(org.pk, "invoice", "PublicReadOnly")
    set_default(org.pk, "account", "PublicReadOnly")
    invoice = overdue_invoice(user, days=5)
    peer = client_for(make_user(org, Role.USER))
    assert peer.get(f"/api/v1/invoices/{invoice.pk}/reminder-status").status_code == 200
    assert peer.post(f"/api/v1/invoices/{invoice.pk}/send-reminder", {}, format="json").status_code == 403
    assert peer.post(f"/api/v1/invoices/{invoice.pk}/pause-reminders", {}, format="json").status_code == 403
    assert (
        peer.put(
            f"/api/v1/accounts/{invoice.account_id}/no-reminders", {"no_reminders": True}, format="json"
        ).status_code
        == 403
    )
    assert smtp.messages == []


def test_a_reminder_is_on_the_invoice_and_the_account_timeline(api, other_api, user, in_org, smtp):
    invoice = overdue_invoice(user, days=5, email="timeline@client.example")
    sent = api.post(f"/api/v1/invoices/{invoice.pk}/send-reminder", {}, format="json")
    assert sent.status_code == 201, sent.data

    detail = api.get(f"/api/v1/invoices/{invoice.pk}")
    assert detail.status_code == 200
    (logged,) = [row for row in detail.data["activities"] if "Payment reminder" in row["subject"]]
    assert invoice.number in logged["subject"] and "timeline@client.example" in logged["subject"]
    assert logged["status"] == "Completed" and logged["what_type"] == "Invoice" and logged["what_id"] == invoice.pk
    account = api.get(f"/api/v1/accounts/{invoice.account_id}")
    assert logged["id"] in [row["id"] for row in account.data["activities"]]
    # a second reminder is a second entry
    api.post(f"/api/v1/invoices/{invoice.pk}/send-reminder", {}, format="json")
    again = api.get(f"/api/v1/invoices/{invoice.pk}").data["activities"]
    assert len([row for row in again if "Payment reminder" in row["subject"]]) == 2
    assert other_api.get(f"/api/v1/invoices/{invoice.pk}").status_code == 404


def test_a_past_reminder_pdf_is_downloaded(api, other_api, user, in_org, smtp):
    invoice = overdue_invoice(user, days=31, email="pdf@client.example")
    reminders_run(organization_id=in_org.pk)
    reminder = Reminder.objects.get(invoice=invoice)
    url = f"/api/v1/reminders/{reminder.pk}/pdf"

    response = api.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="{invoice.number}-reminder-30.pdf"'
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"],  # noqa: S607
        input=response.content,
        capture_output=True,
        check=True,
    ).stdout.decode()
    # what was sent: the level's charges as they were stored, the same as the mailed PDF
    assert "Payment reminder" in text and invoice.number in text and "€40.00" in text
    assert f"€{reminder.total_due:,}" in text
    mailed = _pdf_text(next(m for m in smtp.messages if m["To"] == "pdf@client.example"))
    assert text == mailed
    assert api.get(url, {"download": "1"})["Content-Disposition"].startswith("attachment;")

    # another organization's reminder is not found; neither is one that does not exist
    assert other_api.get(url).status_code == 404
    assert api.get("/api/v1/reminders/999999/pdf").status_code == 404
