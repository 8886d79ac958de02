"""GET/PATCH /api/v1/organization: every member reads the settings, administrators change them."""

from __future__ import annotations

import pytest

from crm.audit.models import AuditEvent
from crm.identity.models import Organization

URL = "/api/v1/organization"

pytestmark = pytest.mark.django_db


def test_members_read_their_own_organization(api, org, other_org):
    response = api.get(URL)
    assert response.status_code == 200
    assert response.data == {
        "id": org.pk,
        "name": "Acme Agency",
        "currency": "EUR",
        "allow_fulfill_before_payment": False,
        "version": 1,
    }


def test_an_admin_changes_a_setting_with_the_version_read(admin_api, admin, org, other_org):
    response = admin_api.patch(URL, {"allow_fulfill_before_payment": True, "version": 1}, format="json")
    assert response.status_code == 200, response.data
    assert (response.data["allow_fulfill_before_payment"], response.data["version"]) == (True, 2)
    org.refresh_from_db()
    other_org.refresh_from_db()
    assert (org.allow_fulfill_before_payment, other_org.allow_fulfill_before_payment) == (True, False)
    event = AuditEvent.all_orgs.get(object_type="identity.organization", object_id=org.pk)
    assert (event.organization_id, event.actor_id, event.changes) == (
        org.pk,
        admin.pk,
        {"allow_fulfill_before_payment": [False, True]},
    )


def test_a_stale_version_is_a_conflict_and_changes_nothing(admin_api, org):
    assert admin_api.patch(URL, {"name": "Acme Studio", "version": 1}, format="json").status_code == 200
    stale = admin_api.patch(URL, {"allow_fulfill_before_payment": True, "version": 1}, format="json")
    assert (stale.status_code, stale.data["code"], stale.data["current_version"]) == (409, "version_conflict", 2)
    org.refresh_from_db()
    assert (org.name, org.allow_fulfill_before_payment) == ("Acme Studio", False)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"allow_fulfill_before_payment": "sometimes", "version": 1}, "allow_fulfill_before_payment"),
        ({"name": "", "version": 1}, "name"),
        ({"name": "x" * 201, "version": 1}, "name"),
        ({"allow_fulfill_before_payment": True}, "version"),
        ({"allow_fulfill_before_payment": True, "version": "one"}, "version"),
    ],
)
def test_bad_input_is_a_field_error(admin_api, org, body, field):
    response = admin_api.patch(URL, body, format="json")
    assert response.status_code == 400
    assert field in response.data["errors"]
    assert Organization.objects.get(pk=org.pk).version == 1


def test_users_cannot_change_settings_and_strangers_cannot_read(api, anon, org):
    refused = api.patch(URL, {"allow_fulfill_before_payment": True, "version": 1}, format="json")
    assert refused.status_code == 403
    assert anon.get(URL).status_code == 401
    assert Organization.objects.get(pk=org.pk).allow_fulfill_before_payment is False


def test_currency_is_read_only(admin_api, org):
    response = admin_api.patch(URL, {"currency": "USD", "version": 1}, format="json")
    assert response.status_code == 200
    assert Organization.objects.get(pk=org.pk).currency == "EUR"
