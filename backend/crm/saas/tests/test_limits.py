from __future__ import annotations

import pytest
from conftest import client_for, make_user
from django.core import mail

from crm.accounts.models import Account
from crm.core.scoping import org_scope
from crm.identity.models import Role, User

from ..limits import PlanLimitReached, ensure_can_add_user, ensure_can_create, ensure_feature
from ..models import Subscription


def put_on(org, plan: str, status: str = "active") -> None:
    Subscription.all_orgs.update_or_create(organization=org, defaults={"plan": plan, "status": status})


def new_user(client, n: int):
    return client.post(
        "/api/v1/admin/users", {"name": f"New {n}", "email": f"new{n}@acme.example", "role": "user"}, format="json"
    )


def test_inviting_beyond_the_seats_is_refused_with_a_clear_message(saas, org, admin, admin_api):
    put_on(org, "free")  # 3 seats; the admin takes one
    assert new_user(admin_api, 1).status_code == 201
    assert new_user(admin_api, 2).status_code == 201
    sent = len(mail.outbox)

    refused = new_user(admin_api, 3)

    assert refused.status_code == 402
    assert refused.data["code"] == "plan_seat_limit"
    assert "Free plan includes 3 users" in refused.data["message"]
    assert not User.objects.filter(email="new3@acme.example").exists()
    assert len(mail.outbox) == sent


def test_an_invitation_beyond_the_seats_is_refused_and_so_is_its_acceptance_once_seats_filled(
    saas, org, admin, admin_api, django_capture_on_commit_callbacks
):
    from crm.identity.models import Invitation
    from crm.identity.services import invitation_accept

    put_on(org, "free")  # 3 seats; the admin takes one
    assert new_user(admin_api, 1).status_code == 201
    with django_capture_on_commit_callbacks(execute=True):
        invited = admin_api.post("/api/v1/invitations", {"email": "late@acme.example", "role": "user"}, format="json")
    assert invited.status_code == 201, invited.data
    token = mail.outbox[-1].body.split("token=")[1].split()[0]
    assert new_user(admin_api, 2).status_code == 201  # the last seat goes to somebody else

    refused = admin_api.post("/api/v1/invitations", {"email": "more@acme.example", "role": "user"}, format="json")
    assert refused.status_code == 402 and refused.data["code"] == "plan_seat_limit"
    assert not Invitation.all_orgs.filter(email="more@acme.example").exists()
    with pytest.raises(PlanLimitReached):
        invitation_accept(token=token, name="Late Comer", password="A-long-enough-pass-42")
    assert not User.objects.filter(email="late@acme.example").exists()


def test_reactivating_a_user_takes_a_seat(saas, org, admin, admin_api):
    put_on(org, "free")
    make_user(org, Role.USER)
    gone = make_user(org, Role.USER)
    User.objects.filter(pk=gone.pk).update(is_active=False)
    assert new_user(admin_api, 1).status_code == 201  # 3 active now
    gone.refresh_from_db()
    answer = admin_api.patch(
        f"/api/v1/admin/users/{gone.pk}", {"is_active": True, "version": gone.version}, format="json"
    )
    assert answer.status_code == 402 and answer.data["code"] == "plan_seat_limit"


def test_creating_beyond_the_record_limit_is_refused(saas, org, api):
    put_on(org, "free")  # 2 records of each object
    for n in range(2):
        assert api.post("/api/v1/accounts", {"name": f"Account {n}"}, format="json").status_code == 201
    refused = api.post("/api/v1/accounts", {"name": "One too many"}, format="json")
    assert refused.status_code == 402 and refused.data["code"] == "plan_record_limit"
    assert "accounts" in refused.data["message"] and "Upgrade" in refused.data["message"]
    with org_scope(org.pk):
        assert Account.objects.count() == 2
    # the limit is per object: contacts still have room
    account_id = api.get("/api/v1/accounts").data["results"][0]["id"]
    contact = api.post(
        "/api/v1/contacts", {"first_name": "Ann", "last_name": "Lee", "account_id": account_id}, format="json"
    )
    assert contact.status_code == 201, contact.data


def test_a_shrunk_plan_keeps_data_readable_and_editable(saas, org, api):
    put_on(org, "team")  # 10 records
    ids = [api.post("/api/v1/accounts", {"name": f"Account {n}"}, format="json").data["id"] for n in range(4)]
    put_on(org, "free")  # down to 2: four accounts stay

    assert api.get("/api/v1/accounts").data["count"] == 4
    first = api.get(f"/api/v1/accounts/{ids[0]}").data
    edited = api.patch(f"/api/v1/accounts/{ids[0]}", {"name": "Renamed", "version": first["version"]}, format="json")
    assert edited.status_code == 200 and edited.data["name"] == "Renamed"
    assert api.post("/api/v1/accounts", {"name": "Fifth"}, format="json").status_code == 402


def test_a_canceled_subscription_falls_back_to_free_and_past_due_keeps_the_plan(saas, org, in_org):
    put_on(org, "business", "past_due")
    ensure_feature(org, "marketing")
    put_on(org, "business", "canceled")
    with pytest.raises(PlanLimitReached) as refused:
        ensure_feature(org, "marketing")
    assert refused.value.code == "plan_feature_missing"
    assert "Marketing is not included in the Free plan" in refused.value.message


def test_features_follow_the_plan(saas, org):
    put_on(org, "free")
    with pytest.raises(PlanLimitReached):
        ensure_feature(org, "ai")
    put_on(org, "team")
    ensure_feature(org, "ai")
    with pytest.raises(PlanLimitReached):
        ensure_feature(org.pk, "marketing")
    put_on(org, "business")
    ensure_feature(org, "marketing")
    with pytest.raises(ValueError, match="Unknown plan feature"):
        ensure_feature(org, "teleport")


def test_no_limits_without_saas_mode(org, admin, admin_api, api):
    put_on(org, "free")
    for n in range(4):
        assert new_user(admin_api, n).status_code == 201
    for n in range(3):
        assert api.post("/api/v1/accounts", {"name": f"Account {n}"}, format="json").status_code == 201
    ensure_feature(org, "marketing")
    ensure_can_add_user(org)
    ensure_can_create(org, Account)


def test_payments_are_never_refused(saas, org):
    from crm.billing.models import Payment

    put_on(org, "free")
    Subscription.all_orgs.filter(organization=org).update(plan="free")
    ensure_can_create(org, Payment)  # money received is always recorded


def test_an_organization_without_a_subscription_is_on_the_free_plan(saas, org, admin):
    client = client_for(admin)
    answer = client.get("/api/v1/saas/subscription")
    assert answer.status_code == 200
    assert answer.data["plan"]["code"] == "free"
    assert answer.data["seats"] == {"used": 1, "limit": 3}


def test_marketing_endpoints_answer_with_the_plan_message_outside_the_plan(saas, org, api):
    put_on(org, "team")  # AI, no marketing
    urls = ["/api/v1/campaigns", "/api/v1/email-templates", "/api/v1/segments", "/api/v1/email-campaigns"]
    for url in urls:
        refused = api.get(url)
        assert refused.status_code == 402, url
        assert refused.data["code"] == "plan_feature_missing"
        assert "Marketing is not included in the Team plan" in refused.data["message"]
    created = api.post("/api/v1/campaigns", {"name": "Spring launch"}, format="json")
    assert created.status_code == 402 and created.data["code"] == "plan_feature_missing"
    assert api.get("/api/v1/campaigns/1/members").status_code == 402
    # the rest of the CRM is not affected
    assert api.get("/api/v1/accounts").status_code == 200

    put_on(org, "business")
    assert api.get("/api/v1/campaigns").status_code == 200
    assert api.post("/api/v1/campaigns", {"name": "Spring launch"}, format="json").status_code == 201


def test_marketing_endpoints_are_open_without_saas_mode(org, api):
    put_on(org, "free")
    assert api.get("/api/v1/campaigns").status_code == 200
    assert api.get("/api/v1/segments").status_code == 200
