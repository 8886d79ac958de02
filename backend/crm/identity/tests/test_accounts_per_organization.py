"""Emails are unique per organization; nothing an anonymous caller or another organization's admin
sees tells whether an address has an account. Lockout is per (email, client address)."""

from __future__ import annotations

import re

import pytest
from conftest import PASSWORD, client_for, make_user
from django.conf import settings
from django.contrib.auth import authenticate
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, transaction
from rest_framework.test import APIClient

from crm.identity import services
from crm.identity.models import Organization, Role, User

LOGIN = "/api/v1/auth/login"
RESET = "/api/v1/auth/password/reset"
SHARED = "pat@shared.example"
OTHER_PASSWORD = "Another-Long-Passphrase-7"


def login(client, email, password, **body):
    return client.post(LOGIN, {"email": email, "password": password, **body}, format="json")


def from_address(address: str) -> APIClient:
    return APIClient(REMOTE_ADDR=address)


@pytest.fixture
def pat_in_two(org, other_org):
    """The same person in two organizations, with different passwords."""
    acme = make_user(org, Role.USER, email=SHARED, name="Pat Acme")
    rival = make_user(other_org, Role.USER, email=SHARED, name="Pat Rival")
    rival.set_password(OTHER_PASSWORD)
    rival.save()
    return acme, rival


# --- lockout -----------------------------------------------------------------------------------


def test_the_lockout_answer_is_the_same_whether_the_email_exists_or_not(user):
    attacker = from_address("203.0.113.7")
    for email in (user.email, "nobody@acme.example"):
        for _ in range(settings.LOGIN_MAX_FAILURES):
            assert login(attacker, email, "wrong-password").status_code == 400
    existing = login(attacker, user.email, "wrong-password")
    unknown = login(attacker, "nobody@acme.example", "wrong-password")
    assert existing.status_code == unknown.status_code == 429
    assert existing.data == unknown.data
    assert existing.data["code"] == "locked_out"
    assert "Try again in 15 minutes" in existing.data["message"]


def test_a_lockout_from_one_address_does_not_lock_the_user_out_elsewhere(user):
    attacker = from_address("203.0.113.7")
    for _ in range(settings.LOGIN_MAX_FAILURES):
        login(attacker, user.email, "wrong-password")
    assert login(attacker, user.email, PASSWORD).status_code == 429, "the attacking address stays locked"
    office = login(from_address("198.51.100.20"), user.email, PASSWORD)
    assert office.status_code == 200
    assert office.data["user"]["id"] == user.pk


def test_a_successful_sign_in_clears_the_failures_of_that_address(user):
    client = from_address("198.51.100.20")
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        login(client, user.email, "wrong-password")
    assert login(client, user.email, PASSWORD).status_code == 200
    for _ in range(settings.LOGIN_MAX_FAILURES - 1):
        assert login(client, user.email, "wrong-password").status_code == 400


def test_an_unknown_email_costs_a_password_hash_too(db, monkeypatch):
    checked = []
    monkeypatch.setattr(services, "check_password", lambda password, encoded: checked.append(encoded) or False)
    assert services.users_matching_credentials(email="nobody@acme.example", password="x") == []
    assert checked == [services._DUMMY_HASH]


# --- the same email in several organizations ---------------------------------------------------


def test_each_password_signs_in_to_its_own_organization(pat_in_two, anon):
    acme, rival = pat_in_two
    assert login(anon, SHARED, PASSWORD).data["user"]["id"] == acme.pk
    response = login(APIClient(), SHARED, OTHER_PASSWORD)
    assert response.status_code == 200
    assert response.data["user"]["id"] == rival.pk
    assert response.data["user"]["organization"]["name"] == "Rival Agency"


def test_a_password_valid_in_two_organizations_needs_the_organization(pat_in_two, anon, org, other_org):
    _, rival = pat_in_two
    rival.set_password(PASSWORD)
    rival.save()
    third = Organization.objects.create(name="Third Agency")
    make_user(third, Role.USER, email=SHARED)  # same email, different password: not listed
    User.objects.filter(organization=third).update(password="!")

    ambiguous = login(anon, SHARED, PASSWORD)
    assert ambiguous.status_code == 400
    assert ambiguous.data["code"] == "organization_required"
    assert "organization" in ambiguous.data["errors"]
    assert ambiguous.data["organizations"] == [
        {"id": org.pk, "name": "Acme Agency"},
        {"id": other_org.pk, "name": "Rival Agency"},
    ]
    assert settings.AUTH_COOKIE_NAME not in ambiguous.cookies

    chosen = login(anon, SHARED, PASSWORD, organization=other_org.pk)
    assert chosen.status_code == 200
    assert chosen.data["user"]["id"] == rival.pk

    elsewhere = login(APIClient(), SHARED, PASSWORD, organization=third.pk)
    assert elsewhere.status_code == 400
    assert elsewhere.data["code"] == "invalid_credentials"


def test_django_authenticate_follows_the_same_rule(pat_in_two, other_org):
    acme, rival = pat_in_two
    assert authenticate(email=SHARED, password=PASSWORD) == acme
    assert authenticate(email=SHARED, password="wrong") is None
    rival.set_password(PASSWORD)
    rival.save()
    assert authenticate(email=SHARED, password=PASSWORD) is None, "ambiguous: no guessing"
    assert authenticate(email=SHARED, password=PASSWORD, organization=other_org.pk) == rival


def test_emails_are_unique_per_organization_in_the_database_whatever_the_case(org, other_org):
    make_user(org, email="dup@acme.example")
    make_user(other_org, email="dup@acme.example")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(organization=org, email="DUP@acme.example", name="Dup")


def test_the_auth_system_checks_pass(db):
    call_command("check", "identity", fail_level="WARNING")


# --- password reset ------------------------------------------------------------------------------


def test_password_reset_mails_every_account_with_the_email_naming_its_organization(pat_in_two, anon):
    acme, rival = pat_in_two
    response = anon.post(RESET, {"email": "PAT@shared.example"}, format="json")
    assert response.status_code == 202
    assert sorted(message.subject for message in mail.outbox) == [
        "Reset your CRM password at Acme Agency",
        "Reset your CRM password at Rival Agency",
    ]
    rival_mail = next(message for message in mail.outbox if "Rival" in message.subject)
    assert "(organization: Rival Agency)" in rival_mail.body
    uid, token = re.search(r"set-password\?uid=([^&\s]+)&token=(\S+)", rival_mail.body).groups()
    new_password = "Brand-New-Passphrase-42"
    done = anon.post("/api/v1/auth/password/set", {"uid": uid, "token": token, "password": new_password})
    assert done.status_code == 200
    rival.refresh_from_db()
    acme.refresh_from_db()
    assert rival.check_password(new_password)
    assert acme.check_password(PASSWORD), "the other organization's account is untouched"


def test_password_reset_answers_the_same_for_unknown_addresses(user, anon):
    known = anon.post(RESET, {"email": user.email}, format="json")
    unknown = anon.post(RESET, {"email": "nobody@acme.example"}, format="json")
    assert known.status_code == unknown.status_code == 202
    assert known.content == unknown.content
    assert [message.to for message in mail.outbox] == [[user.email]]


# --- user management -------------------------------------------------------------------------


def test_an_admin_is_not_told_that_an_email_exists_in_another_organization(admin_api, admin, other_user):
    fresh = admin_api.post(
        "/api/v1/admin/users", {"name": "Fresh", "email": "fresh@acme.example", "role": "user"}, format="json"
    )
    taken_elsewhere = admin_api.post(
        "/api/v1/admin/users", {"name": "Eve", "email": other_user.email.upper(), "role": "user"}, format="json"
    )
    assert fresh.status_code == taken_elsewhere.status_code == 201
    created = User.objects.get(pk=taken_elsewhere.data["id"])
    assert created.organization_id == admin.organization_id
    assert created.email == other_user.email
    other_user.refresh_from_db()
    assert other_user.name == "Eve Rival"


def test_inside_the_organization_a_duplicate_email_is_refused(admin_api, org):
    make_user(org, email="taken@acme.example")
    before = User.objects.count()
    response = admin_api.post(
        "/api/v1/admin/users", {"name": "Again", "email": "Taken@acme.example", "role": "user"}, format="json"
    )
    assert response.status_code == 400
    assert response.data["code"] == "email_taken"
    assert response.data["errors"] == {"email": ["Already in use."]}
    assert User.objects.count() == before


def test_create_organization_accepts_an_email_used_in_another_organization(user):
    services.organization_create(name="Second Agency", admin_email=user.email, admin_password=OTHER_PASSWORD)
    owner = User.objects.get(organization__name="Second Agency")
    assert owner.email == user.email
    assert owner.role == Role.OWNER
    assert client_for(owner).get("/api/v1/auth/me").data["organization"]["name"] == "Second Agency"
