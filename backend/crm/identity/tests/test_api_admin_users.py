"""User management: only admins create users, who get a one-time link to set their password."""

from __future__ import annotations

import re

import pytest
from conftest import PASSWORD, client_for, make_user
from django.core import mail
from rest_framework.test import APIClient

from crm.identity.models import AuthToken, Role, User

URL = "/api/v1/admin/users"


def new_user(client, **overrides):
    body = {"name": "Nina New", "email": "nina@acme.example", "role": "user", **overrides}
    return client.post(URL, body, format="json")


def set_password_link(message) -> tuple[str, str]:
    match = re.search(r"set-password\?uid=([^&\s]+)&token=(\S+)", message.body)
    assert match, message.body
    return match.group(1), match.group(2)


def test_admin_creates_user_who_gets_a_set_password_mail(admin_api, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = new_user(admin_api)
    assert response.status_code == 201
    assert response.data["role"] == "user"
    user = User.objects.get(email="nina@acme.example")
    assert not user.has_usable_password()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["nina@acme.example"]
    uid, token = set_password_link(mail.outbox[0])

    anon = APIClient()
    weak = anon.post("/api/v1/auth/password/set", {"uid": uid, "token": token, "password": "12345"}, format="json")
    assert weak.status_code == 400
    assert "password" in weak.data["errors"]
    ok = anon.post("/api/v1/auth/password/set", {"uid": uid, "token": token, "password": PASSWORD}, format="json")
    assert ok.status_code == 200
    again = anon.post("/api/v1/auth/password/set", {"uid": uid, "token": token, "password": PASSWORD}, format="json")
    assert again.status_code == 400, "the link works once"
    login = anon.post("/api/v1/auth/login", {"email": "nina@acme.example", "password": PASSWORD}, format="json")
    assert login.status_code == 200


def test_non_admin_gets_403(api, user):
    assert new_user(api).status_code == 403
    assert api.get(URL).status_code == 403


def test_manager_is_not_admin(org):
    manager = client_for(make_user(org, Role.MANAGER))
    assert new_user(manager).status_code == 403


def test_validation_errors(admin_api, admin):
    bad = new_user(admin_api, email="not-an-email", role="emperor", name="")
    assert bad.status_code == 400
    assert {"email", "role", "name"} <= set(bad.data["errors"])
    duplicate = new_user(admin_api, email=admin.email)
    assert duplicate.status_code == 400
    assert "email" in duplicate.data["errors"]


def test_only_an_owner_makes_owners(admin_api, owner):
    assert new_user(admin_api, role="owner").status_code == 403
    assert new_user(client_for(owner), role="owner").status_code == 201


def test_list_is_limited_to_own_organization(admin_api, admin, other_user):
    emails = [row["email"] for row in admin_api.get(URL).data["results"]]
    assert admin.email in emails
    assert other_user.email not in emails
    assert admin_api.get(f"{URL}/{other_user.pk}").status_code == 404
    assert admin_api.patch(f"{URL}/{other_user.pk}", {"role": "user", "version": 1}, format="json").status_code == 404


def test_deactivation_blocks_sign_in_and_revokes_sessions(admin_api, user):
    session = client_for(user)
    assert session.get("/api/v1/auth/me").status_code == 200
    response = admin_api.patch(f"{URL}/{user.pk}", {"is_active": False, "version": 1}, format="json")
    assert response.status_code == 200
    assert response.data["is_active"] is False
    assert session.get("/api/v1/auth/me").status_code == 401
    assert not AuthToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    login = APIClient().post("/api/v1/auth/login", {"email": user.email, "password": PASSWORD}, format="json")
    assert login.status_code == 400


def test_role_change_uses_the_version(admin_api, user):
    first = admin_api.put(f"{URL}/{user.pk}", {"role": "manager", "version": 1}, format="json")
    assert first.status_code == 200
    assert first.data["version"] == 2
    stale = admin_api.put(f"{URL}/{user.pk}", {"role": "admin", "version": 1}, format="json")
    assert stale.status_code == 409
    user.refresh_from_db()
    assert user.role == "manager"


def test_admin_cannot_lock_themselves_out(admin_api, admin):
    response = admin_api.patch(f"{URL}/{admin.pk}", {"is_active": False, "version": 1}, format="json")
    assert response.status_code == 400


def test_password_reset_answers_the_same_for_unknown_addresses(anon, user, django_capture_on_commit_callbacks):
    known = anon.post("/api/v1/auth/password/reset", {"email": user.email}, format="json")
    unknown = anon.post("/api/v1/auth/password/reset", {"email": "ghost@acme.example"}, format="json")
    assert known.status_code == unknown.status_code == 202
    assert len(mail.outbox) == 1
    uid, token = set_password_link(mail.outbox[0])
    response = anon.post(
        "/api/v1/auth/password/set", {"uid": uid, "token": token, "password": "Brand-New-Passphrase-7"}, format="json"
    )
    assert response.status_code == 200


@pytest.mark.parametrize("uid,token", [("garbage", "x-y"), ("MQ", "bad-token")])
def test_invalid_set_password_link(anon, db, uid, token):
    response = anon.post("/api/v1/auth/password/set", {"uid": uid, "token": token, "password": PASSWORD}, format="json")
    assert response.status_code == 400
    assert response.data["code"] == "invalid_link"


def test_user_lookup_lists_active_colleagues_only(api, org, other_user):
    colleague = make_user(org, Role.USER, name="Colleague")
    gone = make_user(org, Role.USER, name="Gone")
    gone.is_active = False
    gone.save()
    names = [row["name"] for row in api.get("/api/v1/users").data["results"]]
    assert "Colleague" in names
    assert "Gone" not in names
    assert other_user.name not in names
    assert colleague.pk
