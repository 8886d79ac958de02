"""The audit trail: every write and business action leaves who, when, which fields, old and new values.

One walk through the product performs every create, update, deactivate, void, cancel and business
action through the API and checks the audit event each one wrote. The table is append-only below
the ORM too (database triggers), and no endpoint can change or remove an audit row.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import get_resolver
from django.utils import timezone
from rest_framework.test import APIClient

from crm.audit.models import AuditEvent
from crm.identity.models import Invitation, User, hash_token

ANY = object()
PAY = {"payment_date": "2025-09-01", "payment_method": "Bank Transfer"}
TERM = {"start_date": "2025-01-01", "end_date": "2025-12-31", "billing_cycle": "Monthly"}


class Trail:
    def __init__(self, started: datetime.datetime) -> None:
        self.started = started
        self.checked: list[str] = []

    def expect(
        self,
        object_type: str,
        object_id: int,
        action: str,
        actor: Any,
        name: str = "",
        fields: dict[str, tuple[Any, Any]] | None = None,
    ) -> AuditEvent:
        event = (
            AuditEvent.all_orgs.filter(object_type=object_type, object_id=object_id, action=action, name=name)
            .order_by("-id")
            .first()
        )
        label = f"{object_type} {action} {name}".strip()
        assert event is not None, f"no audit event for {label} #{object_id}"
        assert event.actor_id == actor.pk, label
        assert event.organization_id == actor.organization_id, label
        assert self.started <= event.at <= timezone.now(), label
        for field, (old, new) in (fields or {}).items():
            assert field in event.changes, (label, field, event.changes)
            recorded_old, recorded_new = event.changes[field]
            if old is not ANY:
                assert recorded_old == old, (label, field, event.changes[field])
            if new is not ANY:
                assert recorded_new == new, (label, field, event.changes[field])
        self.checked.append(label)
        return event


def _ok(response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, getattr(response, "data", None))
    return response.data


def test_every_write_and_business_action_is_audited(api, admin_api, user, admin, figure):
    trail = Trail(timezone.now())
    put = lambda client, path, body: _ok(client.put(path, body, format="json"))  # noqa: E731
    post = lambda client, path, body=None, status=201: _ok(client.post(path, body or {}, format="json"), status)  # noqa: E731

    # accounts and contacts: create, update, deactivate
    account = post(api, "/api/v1/accounts", {"name": "Audit Co", "phone": "555-1000"})
    trail.expect("accounts.account", account["id"], "create", user, fields={"name": (None, "Audit Co")})
    account = put(api, f"/api/v1/accounts/{account['id']}", {"phone": "555-2000", "version": account["version"]})
    trail.expect("accounts.account", account["id"], "update", user, fields={"phone": ("555-1000", "555-2000")})
    contact = post(api, "/api/v1/contacts", {"first_name": "Ada", "last_name": "Audit", "account_id": account["id"]})
    trail.expect("accounts.contact", contact["id"], "create", user, fields={"last_name": (None, "Audit")})
    contact = put(api, f"/api/v1/contacts/{contact['id']}", {"title": "CTO", "version": contact["version"]})
    trail.expect("accounts.contact", contact["id"], "update", user, fields={"title": ("", "CTO")})
    spare = post(api, "/api/v1/accounts", {"name": "Spare Co"})
    put(api, f"/api/v1/accounts/{spare['id']}", {"is_active": False, "version": spare["version"]})
    trail.expect("accounts.account", spare["id"], "deactivate", user, fields={"is_active": (True, False)})
    put(api, f"/api/v1/accounts/{spare['id']}", {"is_active": True, "version": spare["version"] + 1})
    trail.expect("accounts.account", spare["id"], "reactivate", user, fields={"is_active": (False, True)})

    # leads: create, update, convert
    lead = post(api, "/api/v1/leads", {"last_name": "Lovelace", "company": "Engines Ltd", "status": "New"})
    trail.expect("sales.lead", lead["id"], "create", user, fields={"company": (None, "Engines Ltd")})
    lead = put(api, f"/api/v1/leads/{lead['id']}", {"status": "Contacted", "version": lead["version"]})
    trail.expect("sales.lead", lead["id"], "update", user, fields={"status": ("New", "Contacted")})
    converted = post(api, f"/api/v1/leads/{lead['id']}/convert", {"opportunity_name": "Engines deal"}, 200)
    trail.expect("sales.lead", lead["id"], "update", user, fields={"status": ("Contacted", "Converted")})
    trail.expect("sales.lead", lead["id"], "action", user, "lead.convert", {"account": (None, ANY)})
    new_account_id = AuditEvent.all_orgs.get(name="lead.convert").changes["account"][1]
    trail.expect("accounts.account", new_account_id, "create", user, fields={"name": (None, "Engines Ltd")})
    assert converted

    # products (admin): create, update, deactivate
    product = post(admin_api, "/api/v1/products", {"name": "Site build", "standard_list_price": "1000.00"})
    trail.expect("sales.product", product["id"], "create", admin, fields={"name": (None, "Site build")})
    product = put(admin_api, f"/api/v1/products/{product['id']}", {"standard_list_price": "1200.00", "version": 1})
    trail.expect(
        "sales.product", product["id"], "update", admin, fields={"standard_list_price": ("1000.00", "1200.00")}
    )
    retainer = post(
        admin_api,
        "/api/v1/products",
        {"name": "Care plan", "standard_list_price": "300.00", "is_retainer_product": True},
    )
    old_product = post(admin_api, "/api/v1/products", {"name": "Old", "standard_list_price": "1.00"})
    put(admin_api, f"/api/v1/products/{old_product['id']}", {"is_active": False, "version": 1})
    trail.expect("sales.product", old_product["id"], "deactivate", admin, fields={"is_active": (True, False)})

    # opportunities: create, stage change, line items, contact roles
    deal_body = {"name": "Audit deal", "stage": "Qualifying", "close_date": "2025-12-31", "account_id": account["id"]}
    deal = post(api, "/api/v1/opportunities", deal_body)
    trail.expect("sales.opportunity", deal["id"], "create", user, fields={"stage": (None, "Qualifying")})
    opp = f"/api/v1/opportunities/{deal['id']}"
    line = post(api, f"{opp}/line_items", {"product_id": product["id"], "quantity": "2"})
    trail.expect(
        "sales.opportunity", deal["id"], "action", user, "opportunity.line_item_add", {"line_item": (None, ANY)}
    )
    post(api, f"{opp}/line_items", {"product_id": product["id"], "quantity": "1"})
    put(api, f"{opp}/line_items/{line['id']}", {"quantity": "3", "version": 1})
    event = trail.expect("sales.opportunity", deal["id"], "action", user, "opportunity.line_item_update")
    assert (event.changes["line_item"][0]["quantity"], event.changes["line_item"][1]["quantity"]) == ("2.00", "3.00")
    assert api.delete(f"{opp}/line_items/{line['id']}?version=2").status_code == 200
    trail.expect(
        "sales.opportunity", deal["id"], "action", user, "opportunity.line_item_delete", {"line_item": (ANY, None)}
    )
    role = post(api, f"{opp}/contact_roles", {"contact_id": contact["id"], "role": "Decision Maker"})
    trail.expect("sales.opportunity", deal["id"], "action", user, "opportunity.contact_role_add")
    assert api.delete(f"{opp}/contact_roles/{role['id']}").status_code in (200, 204)
    trail.expect("sales.opportunity", deal["id"], "action", user, "opportunity.contact_role_delete")
    deal = _ok(api.get(opp))
    deal = put(api, opp, {"stage": "Closed Won", "version": deal["version"]})
    trail.expect("sales.opportunity", deal["id"], "update", user, fields={"stage": ("Qualifying", "Closed Won")})

    # orders: generate, payments (log, void), fulfil, cancel
    order = post(api, f"{opp}/generate-order")
    trail.expect("billing.order", order["id"], "create", user, fields={"status": (None, "Awaiting Payment")})
    trail.expect(
        "sales.opportunity", deal["id"], "action", user, "opportunity.generate_order", {"order": (None, order["id"])}
    )
    payment = post(api, f"/api/v1/orders/{order['id']}/payments", {"amount": "500.00", **PAY})
    trail.expect("billing.payment", payment["id"], "create", user, fields={"amount": (None, "500.00")})
    trail.expect(
        "billing.order", order["id"], "update", user, fields={"status": ("Awaiting Payment", "Partially Paid")}
    )
    put(api, f"/api/v1/payments/{payment['id']}", {"status": "Void", "version": payment["version"]})
    trail.expect("billing.payment", payment["id"], "update", user, fields={"status": ("Completed", "Void")})
    trail.expect(
        "billing.order", order["id"], "update", user, fields={"status": ("Partially Paid", "Awaiting Payment")}
    )
    order = _ok(api.get(f"/api/v1/orders/{order['id']}"))
    post(api, f"/api/v1/orders/{order['id']}/cancel", {"version": order["version"]}, 200)
    trail.expect("billing.order", order["id"], "update", user, fields={"status": ("Awaiting Payment", "Cancelled")})
    trail.expect("billing.order", order["id"], "action", user, "order.cancel")

    # contracts: generate, payment, status change, renew
    retainer_deal = post(api, "/api/v1/opportunities", {**deal_body, "name": "Retainer deal"})
    rpath = f"/api/v1/opportunities/{retainer_deal['id']}"
    post(api, f"{rpath}/line_items", {"product_id": retainer["id"], "quantity": "1"})
    retainer_deal = _ok(api.get(rpath))
    put(api, rpath, {"stage": "Closed Won", "version": retainer_deal["version"]})
    contract = post(api, f"{rpath}/generate-contract", TERM)
    trail.expect("billing.contract", contract["id"], "create", user, fields={"status": (None, "Active")})
    trail.expect("sales.opportunity", retainer_deal["id"], "action", user, "opportunity.generate_contract")
    contract_payment = post(api, f"/api/v1/contracts/{contract['id']}/payments", {"amount": "300.00", **PAY})
    trail.expect("billing.payment", contract_payment["id"], "create", user, fields={"amount": (None, "300.00")})
    renewal = post(
        api, f"/api/v1/contracts/{contract['id']}/renew", {"start_date": "2026-01-01", "end_date": "2026-12-31"}
    )
    trail.expect("billing.contract", renewal["id"], "create", user, fields={"start_date": (None, "2026-01-01")})
    trail.expect(
        "billing.contract", contract["id"], "action", user, "contract.renew", {"renewal": (None, renewal["id"])}
    )
    trail.expect("billing.contract", contract["id"], "update", user, fields={"status": ("Active", "Expired")})
    put(api, f"/api/v1/contracts/{renewal['id']}", {"status": "Terminated", "version": renewal["version"]})
    trail.expect("billing.contract", renewal["id"], "update", user, fields={"status": ("Active", "Terminated")})

    # service cases and tasks: create, close, complete
    case = post(api, "/api/v1/cases", {"subject": "Login broken", "priority": "High", "account_id": account["id"]})
    trail.expect("service.case", case["id"], "create", user, fields={"subject": (None, "Login broken")})
    put(api, f"/api/v1/cases/{case['id']}", {"status": "Closed", "version": case["version"]})
    trail.expect("service.case", case["id"], "update", user, fields={"status": ("New", "Closed")})
    task_body = {
        "type": "Task",
        "subject": "Call back",
        "due_date": "2025-09-15",
        "what_type": "Account",
        "what_id": account["id"],
    }
    task = post(api, "/api/v1/activities", task_body)
    trail.expect("activities.activity", task["id"], "create", user, fields={"subject": (None, "Call back")})
    put(api, f"/api/v1/activities/{task['id']}", {"status": "Completed", "version": task["version"]})
    trail.expect("activities.activity", task["id"], "update", user, fields={"status": ("Not Started", "Completed")})

    # users (admin): create, role change, deactivation
    member = post(
        admin_api, "/api/v1/admin/users", {"name": "New Member", "email": "member@example.com", "role": "user"}
    )
    trail.expect("identity.user", member["id"], "create", admin, fields={"role": (None, "user")})
    member = put(admin_api, f"/api/v1/admin/users/{member['id']}", {"role": "manager", "version": member["version"]})
    trail.expect("identity.user", member["id"], "update", admin, fields={"role": ("user", "manager")})
    put(admin_api, f"/api/v1/admin/users/{member['id']}", {"is_active": False, "version": member["version"]})
    trail.expect("identity.user", member["id"], "deactivate", admin, fields={"is_active": (True, False)})

    # invitations (admin): invite, resend, revoke; the invitee accepts
    invitation = post(admin_api, "/api/v1/invitations", {"email": "invitee@example.com", "role": "user"})
    trail.expect(
        "identity.invitation", invitation["id"], "create", admin, "invitation.create", {"role": (None, "user")}
    )
    post(admin_api, f"/api/v1/invitations/{invitation['id']}/resend", status=200)
    trail.expect(
        "identity.invitation", invitation["id"], "action", admin, "invitation.resend", {"expires_at": (ANY, ANY)}
    )
    post(admin_api, f"/api/v1/invitations/{invitation['id']}/revoke", status=200)
    trail.expect(
        "identity.invitation",
        invitation["id"],
        "action",
        admin,
        "invitation.revoke",
        {"status": ("pending", "revoked")},
    )
    again = post(admin_api, "/api/v1/invitations", {"email": "invitee@example.com", "role": "manager"})
    Invitation.all_orgs.filter(pk=again["id"]).update(token_hash=hash_token("audit-invitation-token"))
    body = {"token": "audit-invitation-token", "name": "Invited Ivan", "password": "Invited-Passphrase-2026"}
    invitee = User.objects.get(pk=post(APIClient(), "/api/v1/invitations/accept", body, 200)["user"]["id"])
    trail.expect("identity.user", invitee.pk, "create", invitee, "invitation.accept", {"role": (None, "manager")})
    trail.expect(
        "identity.invitation",
        again["id"],
        "action",
        invitee,
        "invitation.accept",
        {"accepted_user": (None, invitee.pk)},
    )

    # the trail is what the History related list and the API show
    history = _ok(api.get(f"/api/v1/accounts/{account['id']}/history"))
    assert [e["action"] for e in history][-1] == "create" and history[0]["actor_id"] == user.pk
    figure("audit actions checked", len(trail.checked))


# --- append-only, below the ORM and through the API -------------------------------------------------


@pytest.fixture
def event(api, user):
    account = _ok(api.post("/api/v1/accounts", {"name": "Kept"}, format="json"), 201)
    return AuditEvent.all_orgs.get(object_type="accounts.account", object_id=account["id"])


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE records_auditevent SET changes = '{}' WHERE id = %s",
        "UPDATE records_auditevent SET actor_id = NULL WHERE id = %s",
        "DELETE FROM records_auditevent WHERE id = %s",
    ],
)
def test_the_database_refuses_to_change_or_delete_audit_rows(event, sql):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [event.pk])
    assert AuditEvent.all_orgs.get(pk=event.pk).changes == event.changes


def test_the_orm_refuses_bulk_changes_of_audit_rows(event):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.all_orgs.filter(pk=event.pk).update(name="edited")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.all_orgs.filter(pk=event.pk).delete()
    with pytest.raises(RuntimeError):
        event.delete()
    assert AuditEvent.all_orgs.filter(pk=event.pk, name="").exists()


def test_inserting_audit_rows_still_works(event):
    assert AuditEvent.all_orgs.count() >= 1  # the fixture's create wrote one through the triggers


def test_no_endpoint_can_change_an_audit_row(api, admin_api, event):
    path = f"/api/v1/accounts/{event.object_id}/history"
    for client in (api, admin_api):
        for method in ("post", "put", "patch", "delete"):
            response = getattr(client, method)(path, {"changes": {}}, format="json")
            assert response.status_code == 405, (method, response.status_code)
    routes = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                routes.append(prefix + str(pattern.pattern))

    walk(get_resolver().url_patterns)
    audit_routes = [r for r in routes if "audit" in r.lower() or "history" in r.lower()]
    assert audit_routes, "the history routes exist"
    assert all("history" in r for r in audit_routes), audit_routes  # no other way in to audit rows
    assert AuditEvent.all_orgs.get(pk=event.pk).changes == event.changes
