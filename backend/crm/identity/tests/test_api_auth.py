"""Sign-in, session, logout, lockout, throttling, CSRF for cookie sessions, personal tokens."""

from __future__ import annotations

from datetime import timedelta

from conftest import PASSWORD, client_for, make_user
from django.conf import settings
from django.contrib.auth.hashers import identify_hasher
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from crm.identity.api import views
from crm.identity.models import AuthToken, Role

LOGIN = "/api/v1/auth/login"
ME = "/api/v1/auth/me"


def login(client, email, password, *, issue_token=False, organization=None, **extra):
    body = {"email": email, "password": password}
    if issue_token:
        body["issue_token"] = True
    if organization is not None:
        body["organization"] = organization
    return client.post(LOGIN, body, format="json", **extra)


def test_login_sets_httponly_cookie_and_returns_user_without_token(user, anon):
    response = login(anon, "SAM@acme.example ", PASSWORD)
    assert response.status_code == 200
    assert "token" not in response.data, "the web app signs in with the cookie; the body does not carry the token"
    assert response.data["user"]["email"] == user.email
    assert response.data["user"]["role"] == "user"
    assert response.data["user"]["organization"]["name"] == "Acme Agency"
    cookie = response.cookies[settings.AUTH_COOKIE_NAME]
    assert cookie.value.startswith("crm_")
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert "csrftoken" in response.cookies
    assert anon.get(ME).data["id"] == user.pk


def test_api_clients_ask_for_the_token_in_the_body(user, anon):
    response = login(anon, user.email, PASSWORD, issue_token=True)
    assert response.status_code == 200
    assert response.data["token"].startswith("crm_")
    assert response.cookies[settings.AUTH_COOKIE_NAME].value == response.data["token"]


def test_bearer_token_authenticates(user, anon):
    token = login(anon, user.email, PASSWORD, issue_token=True).data["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    me = client.get(ME)
    assert me.status_code == 200
    assert me.data["id"] == user.pk
    assert me.data["is_admin"] is False


def test_token_is_stored_hashed(user, anon):
    token = login(anon, user.email, PASSWORD, issue_token=True).data["token"]
    stored = AuthToken.objects.get(user=user)
    assert stored.key_hash != token
    assert token not in stored.key_hash
    assert stored.prefix == token[:12]


def test_wrong_password_and_unknown_email_give_the_same_generic_error(user, anon):
    wrong = login(anon, user.email, "not-the-password")
    unknown = login(anon, "nobody@acme.example", "not-the-password")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.data == unknown.data
    assert wrong.data["message"] == "Invalid email or password."
    assert "token" not in wrong.data


def test_missing_fields_are_field_errors(anon, db):
    response = anon.post(LOGIN, {}, format="json")
    assert response.status_code == 400
    assert set(response.data["errors"]) == {"email", "password"}


def test_account_locks_after_repeated_failures(user, anon):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        assert login(anon, user.email, "wrong-password").status_code == 400
    locked = login(anon, user.email, PASSWORD)
    assert locked.status_code == 429
    assert locked.data["code"] == "locked_out"
    assert "Try again in" in locked.data["message"]


def test_login_is_throttled_per_client(user, anon, monkeypatch):
    monkeypatch.setattr(views.LoginClientThrottle, "THROTTLE_RATES", {"login_client": "3/min"})
    for index in range(3):
        assert login(anon, f"nobody{index}@acme.example", "x").status_code == 400
    response = login(anon, "nobody9@acme.example", "x")
    assert response.status_code == 429
    assert response.data["code"] == "throttled"


def test_a_new_forwarded_for_per_request_does_not_escape_the_client_limit(user, anon, monkeypatch):
    monkeypatch.setattr(views.LoginClientThrottle, "THROTTLE_RATES", {"login_client": "3/min"})
    for index in range(3):
        response = login(anon, f"nobody{index}@acme.example", "x", HTTP_X_FORWARDED_FOR=f"198.51.100.{index}")
        assert response.status_code == 400
    response = login(anon, "nobody9@acme.example", "x", HTTP_X_FORWARDED_FOR="198.51.100.99")
    assert response.status_code == 429
    assert response.data["code"] == "throttled"


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(user, anon, monkeypatch, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    monkeypatch.setattr(views.LoginClientThrottle, "THROTTLE_RATES", {"login_client": "2/min"})
    for index in range(2):
        # what the client wrote (left) changes every time; what the proxy appended does not
        assert (
            login(anon, "x@acme.example", "x", HTTP_X_FORWARDED_FOR=f"6.6.6.{index}, 198.51.100.1").status_code == 400
        )
    assert login(anon, "x@acme.example", "x", HTTP_X_FORWARDED_FOR="6.6.6.9, 198.51.100.1").status_code == 429
    assert login(anon, user.email, PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 200


def test_password_reset_mails_are_limited_per_client_whatever_forwarded_for_says(user, anon):
    url = "/api/v1/auth/password/reset"
    answers = [
        anon.post(url, {"email": user.email}, format="json", HTTP_X_FORWARDED_FOR=f"198.51.100.{index}").status_code
        for index in range(7)
    ]
    assert answers == [202] * 5 + [429] * 2
    assert len(mail.outbox) == 5


def test_login_is_throttled_per_account(user, monkeypatch):
    monkeypatch.setattr(views.LoginAccountThrottle, "THROTTLE_RATES", {"login_account": "2/min"})
    monkeypatch.setattr(settings, "LOGIN_MAX_FAILURES", 100)
    for index in range(2):
        client = APIClient(REMOTE_ADDR=f"10.0.0.{index + 1}")
        assert login(client, user.email, "wrong").status_code == 400
    assert login(APIClient(REMOTE_ADDR="10.0.0.9"), user.email, PASSWORD).status_code == 429


def test_deactivated_user_cannot_sign_in(user, anon):
    user.is_active = False
    user.save()
    response = login(anon, user.email, PASSWORD)
    assert response.status_code == 400
    assert response.data["message"] == "Invalid email or password."


def test_logout_revokes_the_token(user, anon):
    token = login(anon, user.email, PASSWORD, issue_token=True).data["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.post("/api/v1/auth/logout").status_code == 204
    assert client.get(ME).status_code == 401


def test_expired_token_is_refused(user):
    client = client_for(user)
    AuthToken.objects.filter(user=user).update(expires_at="2000-01-01T00:00:00Z")
    response = client.get(ME)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_anonymous_gets_401_with_error_shape(anon, db):
    response = anon.get(ME)
    assert response.status_code == 401
    assert response.data["code"] == "not_authenticated"
    assert set(response.data) >= {"code", "message", "errors"}


def test_cookie_session_reads_but_writes_need_csrf(user, org, db):
    browser = APIClient(enforce_csrf_checks=True)
    assert login(browser, user.email, PASSWORD).status_code == 200
    assert browser.get(ME).status_code == 200
    refused = browser.post("/api/v1/accounts", {"name": "No CSRF"}, format="json")
    assert refused.status_code == 403
    csrf = browser.cookies["csrftoken"].value
    accepted = browser.post("/api/v1/accounts", {"name": "With CSRF"}, format="json", HTTP_X_CSRFTOKEN=csrf)
    assert accepted.status_code == 201


def test_stale_cookie_does_not_block_login(user, db):
    browser = APIClient()
    browser.cookies[settings.AUTH_COOKIE_NAME] = "crm_revoked-or-garbage"
    assert login(browser, user.email, PASSWORD).status_code == 200


def test_passwords_are_hashed_with_argon2_outside_tests(db, org):
    from django.contrib.auth.hashers import make_password

    assert settings.PASSWORD_HASHERS[1] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    hashed = make_password("Some-Long-Passphrase-1", hasher="argon2")
    assert identify_hasher(hashed).algorithm == "argon2"


class TestPersonalTokens:
    URL = "/api/v1/auth/tokens"

    def test_create_use_and_revoke(self, api, user):
        created = api.post(self.URL, {"name": "Zapier", "expires_in_days": 30}, format="json")
        assert created.status_code == 201
        raw = created.data["token"]
        assert AuthToken.objects.get(pk=created.data["id"]).key_hash != raw
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        assert client.get(ME).data["id"] == user.pk
        listed = api.get(self.URL).data
        assert [row["name"] for row in listed] == ["Zapier"]
        assert "token" not in listed[0]
        assert api.delete(f"{self.URL}/{created.data['id']}").status_code == 204
        assert client.get(ME).status_code == 401

    def test_cannot_revoke_someone_elses_token(self, api, org):
        other = make_user(org, Role.ADMIN)
        token, _ = AuthToken.issue(user=other, kind=AuthToken.Kind.PERSONAL, name="theirs")
        assert api.delete(f"{self.URL}/{token.pk}").status_code == 404

    def test_name_is_required(self, api):
        response = api.post(self.URL, {}, format="json")
        assert response.status_code == 400
        assert "name" in response.data["errors"]

    def test_a_token_expires_after_the_default_lifetime(self, api):
        created = api.post(self.URL, {"name": "CI"}, format="json")
        assert created.status_code == 201
        token = AuthToken.objects.get(pk=created.data["id"])
        expected = timezone.now() + timedelta(days=settings.PERSONAL_TOKEN_TTL_DAYS)
        assert settings.PERSONAL_TOKEN_TTL_DAYS == 90
        assert abs(token.expires_at - expected) < timedelta(minutes=1)
        assert created.data["expires_at"] is not None
        assert created.data["can_manage_tokens"] is False

    def test_a_token_that_never_expires_must_be_asked_for(self, api):
        never = api.post(self.URL, {"name": "Forever", "never": True}, format="json")
        assert never.status_code == 201
        assert never.data["expires_at"] is None
        assert AuthToken.objects.get(pk=never.data["id"]).expires_at is None
        before = AuthToken.objects.count()
        both = api.post(self.URL, {"name": "Both", "never": True, "expires_in_days": 5}, format="json")
        assert both.status_code == 400
        assert "never" in both.data["errors"]
        for days in (0, 3651):
            bad = api.post(self.URL, {"name": "Bad", "expires_in_days": days}, format="json")
            assert bad.status_code == 400
            assert "expires_in_days" in bad.data["errors"]
        assert AuthToken.objects.count() == before

    def test_a_token_cannot_mint_tokens_without_the_right(self, api, user):
        raw = api.post(self.URL, {"name": "Zapier"}, format="json").data["token"]
        leaked = APIClient()
        leaked.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        before = AuthToken.objects.count()
        refused = leaked.post(self.URL, {"name": "Another", "never": True}, format="json")
        assert refused.status_code == 403
        assert refused.data["code"] == "token_not_allowed"
        assert AuthToken.objects.count() == before
        assert leaked.get(ME).status_code == 200, "the token still works for everything else"

    def test_a_token_created_with_the_right_may_create_tokens(self, api):
        created = api.post(self.URL, {"name": "Provisioner", "can_manage_tokens": True}, format="json")
        assert created.data["can_manage_tokens"] is True
        manager = APIClient()
        manager.credentials(HTTP_AUTHORIZATION=f"Bearer {created.data['token']}")
        assert manager.post(self.URL, {"name": "Child"}, format="json").status_code == 201

    def test_the_web_sign_in_session_may_create_tokens(self, user):
        browser = APIClient(enforce_csrf_checks=True)
        assert login(browser, user.email, PASSWORD).status_code == 200
        csrf = browser.cookies["csrftoken"].value
        created = browser.post(self.URL, {"name": "From the UI"}, format="json", HTTP_X_CSRFTOKEN=csrf)
        assert created.status_code == 201
        session = AuthToken.objects.get(user=user, kind=AuthToken.Kind.SESSION)
        assert session.can_manage_tokens is True
