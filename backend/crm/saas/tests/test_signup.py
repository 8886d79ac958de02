from __future__ import annotations

import re

import pytest
from django.core import mail

from crm.identity.models import Organization, Role, User

from ..models import SignupRequest, Subscription

BODY = {
    "organization_name": "Nova Studio",
    "name": "Nina Nova",
    "email": "Nina@Nova.example",
    "password": "Correct-Horse-Battery-9",
}


def _token() -> str:
    match = re.search(r"/signup/verify\?token=([\w-]+)", mail.outbox[-1].body)
    assert match
    return match.group(1)


def test_signup_mails_a_link_and_verifying_creates_the_organization_and_owner(anon, saas, db):
    answer = anon.post("/api/v1/saas/signup", BODY, format="json")
    assert answer.status_code == 202, answer.data
    assert not Organization.objects.filter(name="Nova Studio").exists()
    assert mail.outbox[-1].to == ["nina@nova.example"]

    verified = anon.post("/api/v1/saas/verify", {"token": _token()}, format="json")

    assert verified.status_code == 201, verified.data
    org = Organization.objects.get(name="Nova Studio")
    owner = User.objects.get(organization=org)
    assert (owner.email, owner.role, owner.name) == ("nina@nova.example", Role.OWNER, "Nina Nova")
    assert owner.check_password(BODY["password"])
    assert Subscription.all_orgs.get(organization=org).plan == "free"
    login = anon.post("/api/v1/auth/login", {"email": BODY["email"], "password": BODY["password"]}, format="json")
    assert login.status_code == 200, login.data


def test_a_verification_link_works_once(anon, saas, db):
    anon.post("/api/v1/saas/signup", BODY, format="json")
    token = _token()
    assert anon.post("/api/v1/saas/verify", {"token": token}, format="json").status_code == 201
    again = anon.post("/api/v1/saas/verify", {"token": token}, format="json")
    assert again.status_code == 400 and again.data["code"] == "invalid_token"
    assert Organization.objects.filter(name="Nova Studio").count() == 1


def test_an_expired_or_wrong_token_is_refused(anon, saas, db):
    anon.post("/api/v1/saas/signup", BODY, format="json")
    token = _token()
    assert anon.post("/api/v1/saas/verify", {"token": "nope"}, format="json").data["code"] == "invalid_token"
    from django.utils import timezone

    SignupRequest.objects.update(expires_at=timezone.now())
    assert anon.post("/api/v1/saas/verify", {"token": token}, format="json").status_code == 400
    assert not Organization.objects.filter(name="Nova Studio").exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "not-an-email"), ("password", "short"), ("organization_name", ""), ("name", "")],
)
def test_bad_signups_get_field_messages_and_change_nothing(anon, saas, db, field, value):
    answer = anon.post("/api/v1/saas/signup", {**BODY, field: value}, format="json")
    assert answer.status_code == 400 and field in answer.data["errors"]
    assert not SignupRequest.objects.exists() and not mail.outbox


def test_without_saas_mode_the_routes_are_404(anon, api, admin_api, db):
    assert anon.post("/api/v1/saas/signup", BODY, format="json").status_code == 404
    assert anon.post("/api/v1/saas/verify", {"token": "x"}, format="json").status_code == 404
    assert anon.get("/api/v1/saas/plans").status_code == 404
    assert api.get("/api/v1/saas/subscription").status_code == 404
    assert admin_api.post("/api/v1/saas/checkout", {"plan": "team"}, format="json").status_code == 404
    assert admin_api.post("/api/v1/saas/portal", {}, format="json").status_code == 404


def test_plans_are_public(anon, saas, db):
    answer = anon.get("/api/v1/saas/plans")
    assert answer.status_code == 200
    assert [(p["code"], p["seats"], p["record_limit"], p["features"]) for p in answer.data] == [
        ("free", 3, 2, []),
        ("team", 5, 10, ["ai"]),
        ("business", None, None, ["ai", "marketing"]),
    ]
