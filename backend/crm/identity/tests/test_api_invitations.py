# ruff: noqa: RUF001  Bulgarian text is Cyrillic on purpose
"""Invitations: administrators invite by email with a role; the mailed single-use link creates the
user and signs them in. Resend replaces the link, revoke ends it, seven days end it too."""

from __future__ import annotations

import datetime
import re
import threading

import pytest
import time_machine
from conftest import client_for, make_user
from django.core import mail
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from crm.audit.models import AuditEvent
from crm.core.errors import ApplicationError
from crm.core.scoping import org_scope
from crm.identity import services
from crm.identity.api.serializers import MeSerializer
from crm.identity.models import AuthToken, Invitation, Organization, Role, User, hash_token

URL = "/api/v1/invitations"
CHECK = f"{URL}/check"
ACCEPT = f"{URL}/accept"
NEW_PASSWORD = "Invited-Passphrase-2026"


def invite(client, email="ivan@acme.example", role="user"):
    return client.post(URL, {"email": email, "role": role}, format="json")


def link_token(message) -> str:
    match = re.search(r"/accept-invitation\?token=(\S+)", message.body)
    assert match, message.body
    return match.group(1)


@pytest.fixture
def invited(admin_api, django_capture_on_commit_callbacks):
    """An invitation sent by the admin, and the token of its mail."""
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(admin_api)
    assert response.status_code == 201, response.data
    return response.data, link_token(mail.outbox[-1])


def accept(token, name="Ivan Invited", password=NEW_PASSWORD, client=None):
    client = client or APIClient()
    return client.post(ACCEPT, {"token": token, "name": name, "password": password}, format="json")


def events(name: str) -> list[AuditEvent]:
    return list(AuditEvent.all_orgs.filter(name=name).order_by("id"))


def test_an_admin_invites_and_the_mail_carries_a_single_use_link(admin_api, admin, invited, settings):
    body, token = invited
    assert body["email"] == "ivan@acme.example"
    assert body["role"] == "user"
    assert body["status"] == "pending"
    assert body["invited_by"] == {"id": admin.pk, "name": admin.name}
    expires = datetime.datetime.fromisoformat(body["expires_at"])
    assert abs(expires - (timezone.now() + datetime.timedelta(days=7))) < datetime.timedelta(minutes=1)
    message = mail.outbox[-1]
    assert message.to == ["ivan@acme.example"]
    assert message.subject == "You are invited to Acme Agency"
    assert f"{settings.CRM_BASE_URL}/accept-invitation?token={token}" in message.body
    assert "Ada Admin invited you to join Acme Agency in the CRM as User." in message.body
    # Only the token's hash is stored.
    invitation = Invitation.all_orgs.get(pk=body["id"])
    assert invitation.token_hash == hash_token(token)
    stored = [str(value) for value in Invitation.all_orgs.filter(pk=body["id"]).values().first().values()]
    assert token not in stored
    assert "token" not in body and "token_hash" not in body
    [created] = events("invitation.create")
    assert (created.actor_id, created.object_id, created.changes["email"]) == (
        admin.pk,
        invitation.pk,
        [None, "ivan@acme.example"],
    )


def test_the_mail_speaks_the_organizations_default_language(admin_api, org, django_capture_on_commit_callbacks):
    Organization.objects.filter(pk=org.pk).update(default_language="bg")
    with django_capture_on_commit_callbacks(execute=True):
        assert invite(admin_api, role="manager").status_code == 201
    message = mail.outbox[-1]
    assert message.subject == "Покана за Acme Agency"
    assert "ви покани да се присъедините към Acme Agency в CRM като Мениджър." in message.body
    token = link_token(message)
    response = accept(token)
    assert response.status_code == 200
    assert response.data["user"]["language"] == "bg"


def test_check_answers_what_the_accept_page_shows(invited, anon):
    _, token = invited
    response = anon.get(CHECK, {"token": token})
    assert response.status_code == 200
    assert response.data | {"expires_at": None} == {
        "email": "ivan@acme.example",
        "organization": "Acme Agency",
        "role": "user",
        "expires_at": None,
        "valid": True,
        "code": None,
        "message": "",
    }
    unknown = anon.get(CHECK, {"token": "not-a-token"})
    assert unknown.status_code == 400
    assert unknown.data["code"] == "invitation_invalid"
    missing = anon.get(CHECK)
    assert missing.status_code == 400
    assert "token" in missing.data["errors"]


def test_accept_creates_the_user_and_signs_them_in_like_login(invited, org, anon):
    body, token = invited
    response = accept(token, client=anon)
    assert response.status_code == 200, response.data
    user = User.objects.get(organization=org, email="ivan@acme.example")
    assert (user.name, user.role, user.is_active) == ("Ivan Invited", Role.USER, True)
    assert user.check_password(NEW_PASSWORD)
    assert response.data == {"user": MeSerializer(user).data}
    assert "token" not in response.data
    # The session is the httpOnly cookie, with the CSRF cookie the web app echoes, as at sign-in.
    cookie = response.cookies["crm_token"]
    assert cookie["httponly"] and cookie.value
    assert "csrftoken" in response.cookies
    me = anon.get("/api/v1/auth/me")
    assert me.status_code == 200
    assert me.data["id"] == user.pk
    assert AuthToken.objects.filter(user=user, kind=AuthToken.Kind.SESSION).count() == 1
    invitation = Invitation.all_orgs.get(pk=body["id"])
    assert (invitation.status, invitation.accepted_user_id) == (Invitation.Status.ACCEPTED, user.pk)
    assert [event.actor_id for event in events("invitation.accept")] == [user.pk, user.pk]
    # The new password signs in later too.
    login = APIClient().post("/api/v1/auth/login", {"email": user.email, "password": NEW_PASSWORD}, format="json")
    assert login.status_code == 200


def test_an_api_client_may_ask_for_the_token_in_the_body(invited):
    _, token = invited
    response = APIClient().post(
        ACCEPT, {"token": token, "name": "Ivan", "password": NEW_PASSWORD, "issue_token": True}, format="json"
    )
    assert response.status_code == 200
    bearer = APIClient()
    bearer.credentials(HTTP_AUTHORIZATION=f"Bearer {response.data['token']}")
    assert bearer.get("/api/v1/auth/me").data["email"] == "ivan@acme.example"


def test_accepting_twice_is_refused_clearly(invited):
    _, token = invited
    assert accept(token).status_code == 200
    again = accept(token, name="Someone Else")
    assert again.status_code == 400
    assert again.data["code"] == "invitation_used"
    assert again.data["message"] == "This invitation has already been accepted. Sign in instead."
    assert User.objects.filter(email="ivan@acme.example").count() == 1
    check = APIClient().get(CHECK, {"token": token}).data
    assert (check["valid"], check["code"]) == (False, "invitation_used")


def test_accept_validates_name_and_password_and_changes_nothing(invited):
    _, token = invited
    weak = accept(token, password="12345")
    assert weak.status_code == 400
    assert weak.data["code"] == "weak_password"
    assert "password" in weak.data["errors"]
    blank = accept(token, name="   ")
    assert blank.status_code == 400
    assert "name" in blank.data["errors"]
    missing = APIClient().post(ACCEPT, {"token": token}, format="json")
    assert missing.status_code == 400
    assert {"name", "password"} <= set(missing.data["errors"])
    assert not User.objects.filter(email="ivan@acme.example").exists()
    assert accept(token).status_code == 200, "the link still works after refused attempts"


def test_an_unknown_token_is_invalid(db):
    response = accept("no-such-invitation")
    assert response.status_code == 400
    assert response.data["code"] == "invitation_invalid"
    assert "token" in response.data["errors"]


def test_the_link_expires_after_seven_days(admin_api, invited):
    body, token = invited
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1)):
        check = APIClient().get(CHECK, {"token": token}).data
        assert (check["valid"], check["code"]) == (False, "invitation_expired")
        refused = accept(token)
        assert refused.status_code == 400
        assert refused.data["code"] == "invitation_expired"
        assert refused.data["message"] == "This invitation has expired. Ask your administrator to send it again."
        listed = admin_api.get(URL).data["results"]
        assert [(row["id"], row["status"]) for row in listed] == [(body["id"], "expired")]
    with time_machine.travel(timezone.now() + datetime.timedelta(days=6, hours=23)):
        assert APIClient().get(CHECK, {"token": token}).data["valid"] is True
    assert not User.objects.filter(email="ivan@acme.example").exists()


def test_resend_mails_a_new_link_and_the_old_one_stops_working(
    admin_api, admin, invited, django_capture_on_commit_callbacks
):
    body, old = invited
    later = timezone.now() + datetime.timedelta(days=8)
    with time_machine.travel(later):
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_api.post(f"{URL}/{body['id']}/resend")
        assert response.status_code == 200, response.data
        assert response.data["status"] == "pending"
        assert datetime.datetime.fromisoformat(response.data["expires_at"]) > later + datetime.timedelta(days=6)
        new = link_token(mail.outbox[-1])
        assert new != old
        assert accept(old).data["code"] == "invitation_invalid"
        assert accept(new).status_code == 200
    assert len(mail.outbox) == 2
    [resent] = events("invitation.resend")
    assert resent.actor_id == admin.pk


def test_revoke_ends_the_link_and_the_address_may_be_invited_again(admin_api, admin, invited):
    body, token = invited
    response = admin_api.post(f"{URL}/{body['id']}/revoke")
    assert response.status_code == 200
    assert response.data["status"] == "revoked"
    refused = accept(token)
    assert refused.status_code == 400
    assert refused.data["code"] == "invitation_revoked"
    assert APIClient().get(CHECK, {"token": token}).data["code"] == "invitation_revoked"
    assert admin_api.get(URL).data["results"] == []
    again = admin_api.post(f"{URL}/{body['id']}/revoke")
    assert (again.status_code, again.data["code"]) == (400, "invitation_revoked")
    assert admin_api.post(f"{URL}/{body['id']}/resend").data["code"] == "invitation_revoked"
    assert [event.actor_id for event in events("invitation.revoke")] == [admin.pk]
    assert invite(admin_api).status_code == 201


def test_an_accepted_invitation_cannot_be_resent_or_revoked(admin_api, invited):
    body, token = invited
    assert accept(token).status_code == 200
    assert admin_api.get(URL).data["results"] == []
    for action in ("resend", "revoke"):
        response = admin_api.post(f"{URL}/{body['id']}/{action}")
        assert (response.status_code, response.data["code"]) == (400, "invitation_used")


def test_inviting_an_address_that_has_a_user_is_a_field_error(admin_api, user):
    response = invite(admin_api, email=user.email.upper())
    assert response.status_code == 400
    assert response.data["code"] == "email_taken"
    assert response.data["errors"]["email"] == ["Already in use."]
    assert not Invitation.all_orgs.exists()


def test_a_second_pending_invitation_is_refused_with_a_pointer_to_resend(admin_api, invited):
    response = invite(admin_api, email="Ivan@Acme.example", role="manager")
    assert response.status_code == 400
    assert response.data["code"] == "invitation_pending"
    assert "Resend" in response.data["message"]
    assert "email" in response.data["errors"]
    assert Invitation.all_orgs.count() == 1


def test_the_same_address_may_be_invited_by_another_organization(admin_api, other_api, invited):
    assert invite(other_api).status_code == 201


def test_validation_errors(admin_api):
    response = admin_api.post(URL, {"email": "not-an-email", "role": "emperor"}, format="json")
    assert response.status_code == 400
    assert {"email", "role"} <= set(response.data["errors"])
    empty = admin_api.post(URL, {}, format="json")
    assert {"email", "role"} <= set(empty.data["errors"])
    assert not Invitation.all_orgs.exists()


@pytest.mark.parametrize("role", [Role.USER, Role.MANAGER])
def test_only_admins_and_owners_invite_and_manage(org, role, invited):
    body, _ = invited
    client = client_for(make_user(org, role))
    assert invite(client, email="x@acme.example").status_code == 403
    assert client.get(URL).status_code == 403
    assert client.post(f"{URL}/{body['id']}/resend").status_code == 403
    assert client.post(f"{URL}/{body['id']}/revoke").status_code == 403
    assert Invitation.all_orgs.get(pk=body["id"]).status == Invitation.Status.PENDING


def test_only_an_owner_invites_an_owner(admin_api, owner):
    refused = invite(admin_api, role="owner")
    assert refused.status_code == 403
    assert refused.data["code"] == "forbidden_role"
    created = invite(client_for(owner), role="owner")
    assert created.status_code == 201
    assert admin_api.post(f"{URL}/{created.data['id']}/resend").status_code == 403
    assert client_for(owner).post(f"{URL}/{created.data['id']}/resend").status_code == 200


def test_another_organizations_invitation_answers_404(invited, other_api):
    body, _ = invited
    assert other_api.get(URL).data["results"] == []
    for action in ("resend", "revoke"):
        assert other_api.post(f"{URL}/{body['id']}/{action}").status_code == 404
    invitation = Invitation.all_orgs.get(pk=body["id"])
    assert invitation.status == Invitation.Status.PENDING
    assert invitation.token_hash


def test_anonymous_callers_cannot_list_or_invite(anon, invited):
    body, _ = invited
    assert anon.get(URL).status_code == 401
    assert invite(anon).status_code == 401
    assert anon.post(f"{URL}/{body['id']}/revoke").status_code == 401


def test_a_user_created_meanwhile_makes_accept_refuse(admin_api, invited, org):
    _, token = invited
    make_user(org, Role.USER, email="ivan@acme.example")
    response = accept(token)
    assert response.status_code == 400
    assert response.data["code"] == "email_taken"
    assert User.objects.filter(email="ivan@acme.example").count() == 1


def test_the_list_shows_pending_invitations_newest_first(admin_api, django_assert_max_num_queries):
    for n in range(3):
        assert invite(admin_api, email=f"p{n}@acme.example").status_code == 201
    with django_assert_max_num_queries(8):
        rows = admin_api.get(URL).data["results"]
    assert [row["email"] for row in rows] == ["p2@acme.example", "p1@acme.example", "p0@acme.example"]


def test_the_public_endpoints_are_rate_limited(db):
    client = APIClient()
    answers = [accept("guess-" + str(n), client=client).status_code for n in range(21)]
    assert answers[:20] == [400] * 20
    assert answers[20] == 429
    checks = [client.get(CHECK, {"token": f"guess-{n}"}).status_code for n in range(61)]
    assert checks[-1] == 429 and set(checks[:60]) == {400}


@pytest.mark.django_db(transaction=True)
def test_two_accepts_of_one_link_at_once_create_one_user(org, admin):
    # given an invitation and two people holding its link
    with org_scope(org.pk):
        invitation = services.invitation_create(actor=admin, email="race@acme.example", role=Role.USER)
    raw, token_hash = "race-token-" + "x" * 20, hash_token("race-token-" + "x" * 20)
    Invitation.all_orgs.filter(pk=invitation.pk).update(token_hash=token_hash)
    barrier = threading.Barrier(2)
    outcomes: list[object] = []
    lock = threading.Lock()

    def attempt(name: str) -> None:
        try:
            barrier.wait(timeout=30)
            user, _, _ = services.invitation_accept(token=raw, name=name, password=NEW_PASSWORD)
            outcome: object = user.pk
        except ApplicationError as exc:
            outcome = exc.code
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    # when both accept at the same moment
    threads = [threading.Thread(target=attempt, args=(name,)) for name in ("First", "Second")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then one user exists, and the other attempt was told the link is used
    assert sorted(outcomes, key=str) == sorted(
        [*User.objects.filter(email="race@acme.example").values_list("pk", flat=True), "invitation_used"], key=str
    )
    assert User.objects.filter(email="race@acme.example").count() == 1
    assert Invitation.all_orgs.get(pk=invitation.pk).status == Invitation.Status.ACCEPTED
