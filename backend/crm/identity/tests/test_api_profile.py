"""The signed-in user's profile: name, language, time zone (optimistic locking), password change
that ends the other sessions, and signing out everywhere."""

from __future__ import annotations

import pytest
from conftest import PASSWORD, client_for
from rest_framework.test import APIClient

from crm.audit.models import AuditEvent
from crm.identity.models import AuthToken, User

ME = "/api/v1/auth/me"
CHANGE = "/api/v1/auth/password/change"
EVERYWHERE = "/api/v1/auth/sign-out-everywhere"

pytestmark = pytest.mark.django_db


def test_the_profile_shows_the_time_zone_in_effect(api, user):
    me = api.get(ME).data
    assert (me["language"], me["time_zone"], me["effective_time_zone"], me["version"]) == ("en", "", "Europe/Sofia", 1)


def test_a_user_changes_name_language_and_time_zone(api, user):
    body = {"name": "Sam Sample", "language": "bg", "time_zone": "America/New_York", "version": 1}
    response = api.patch(ME, body, format="json")
    assert response.status_code == 200, response.data
    assert (response.data["name"], response.data["language"], response.data["effective_time_zone"]) == (
        "Sam Sample",
        "bg",
        "America/New_York",
    )
    user.refresh_from_db()
    assert (user.language, user.version) == ("bg", 2)
    event = AuditEvent.all_orgs.get(object_type="identity.user", object_id=user.pk)
    assert event.changes["language"] == ["en", "bg"]


def test_role_and_email_are_not_the_users_to_change(api, user):
    response = api.patch(ME, {"role": "owner", "email": "x@example.com", "version": 1}, format="json")
    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.role, user.email, user.version) == ("user", "sam@acme.example", 1)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"language": "de", "version": 1}, "language"),
        ({"time_zone": "Nowhere/City", "version": 1}, "time_zone"),
        ({"name": "   ", "version": 1}, "name"),
        ({"name": "Sam"}, "version"),
    ],
)
def test_bad_profile_values_are_field_errors(api, user, body, field):
    response = api.patch(ME, body, format="json")
    assert response.status_code == 400
    assert field in response.data["errors"]
    assert User.objects.get(pk=user.pk).version == 1


def test_a_stale_version_is_a_conflict(api, user):
    assert api.patch(ME, {"name": "First", "version": 1}, format="json").status_code == 200
    stale = api.patch(ME, {"name": "Second", "version": 1}, format="json")
    assert (stale.status_code, stale.data["code"]) == (409, "version_conflict")
    assert User.objects.get(pk=user.pk).name == "First"


def test_changing_the_password_needs_the_current_one_and_ends_the_other_sessions(user):
    this = client_for(user)
    other = client_for(user)
    _, personal = AuthToken.issue(user=user, kind=AuthToken.Kind.PERSONAL, name="script")
    wrong = this.post(CHANGE, {"current_password": "nope", "new_password": "Brand-New-Passphrase-7"}, format="json")
    assert (wrong.status_code, list(wrong.data["errors"])) == (400, ["current_password"])
    weak = this.post(CHANGE, {"current_password": PASSWORD, "new_password": "123"}, format="json")
    assert (weak.status_code, list(weak.data["errors"])) == (400, ["password"])
    done = this.post(CHANGE, {"current_password": PASSWORD, "new_password": "Brand-New-Passphrase-7"}, format="json")
    assert done.status_code == 204
    assert this.get(ME).status_code == 200
    assert other.get(ME).status_code == 401
    script = APIClient()
    script.credentials(HTTP_AUTHORIZATION=f"Bearer {personal}")
    assert script.get(ME).status_code == 401
    user.refresh_from_db()
    assert user.check_password("Brand-New-Passphrase-7")
    assert AuditEvent.all_orgs.filter(object_id=user.pk, name="user.password_change").exists()


def test_sign_out_everywhere_ends_every_session_but_keeps_api_tokens(user):
    one, two = client_for(user), client_for(user)
    _, personal = AuthToken.issue(user=user, kind=AuthToken.Kind.PERSONAL, name="script")
    assert one.post(EVERYWHERE).status_code == 204
    assert one.get(ME).status_code == 401
    assert two.get(ME).status_code == 401
    script = APIClient()
    script.credentials(HTTP_AUTHORIZATION=f"Bearer {personal}")
    assert script.get(ME).status_code == 200


def test_strangers_get_401(anon):
    assert anon.patch(ME, {"name": "x", "version": 1}, format="json").status_code == 401
    assert anon.post(CHANGE, {}, format="json").status_code == 401
    assert anon.post(EVERYWHERE).status_code == 401
