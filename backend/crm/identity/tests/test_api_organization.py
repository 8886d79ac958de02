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
        "legal_name": "",
        "street": "",
        "city": "",
        "postal_code": "",
        "country": "",
        "vat_number": "",
        "registration_number": "",
        "iban": "",
        "bic": "",
        "currency": "EUR",
        "default_language": "en",
        "time_zone": "Europe/Sofia",
        "fiscal_year_start_month": 1,
        "allow_fulfill_before_payment": False,
        "logo_url": None,
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


def test_the_profile_is_validated_and_normalised(admin_api, org):
    body = {
        "legal_name": "Acme Agency EOOD",
        "street": "1 Vitosha Blvd",
        "city": "Sofia",
        "postal_code": "1000",
        "country": "bg",
        "vat_number": "BG 175 074 752",
        "registration_number": "175074752",
        "iban": "bg80 bnbg 9661 1020 3456 78",
        "bic": "bnbgbgsd",
        "currency": "bgn",
        "default_language": "bg",
        "time_zone": "Europe/Berlin",
        "fiscal_year_start_month": 4,
        "version": 1,
    }
    response = admin_api.patch(URL, body, format="json")
    assert response.status_code == 200, response.data
    org.refresh_from_db()
    assert (org.country, org.vat_number, org.iban, org.bic, org.currency) == (
        "BG",
        "BG175074752",
        "BG80BNBG96611020345678",
        "BNBGBGSD",
        "BGN",
    )
    assert (org.default_language, org.time_zone, org.fiscal_year_start_month, org.version) == (
        "bg",
        "Europe/Berlin",
        4,
        2,
    )


def test_seed_clients_patch_bank_details_and_legal_name(admin_api, org):
    body = {"iban": "DE89370400440532013000", "bic": "COBADEFFXXX", "legal_name": "Acme GmbH", "version": 1}
    response = admin_api.patch(URL, body, format="json")
    assert response.status_code == 200, response.data
    assert (response.data["iban"], response.data["bic"], response.data["legal_name"]) == (
        "DE89370400440532013000",
        "COBADEFFXXX",
        "Acme GmbH",
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("vat_number", "BG123"),
        ("iban", "BG80BNBG96611020345679"),
        ("bic", "NOTABIC"),
        ("currency", "XYZ"),
        ("default_language", "de"),
        ("time_zone", "Mars/Olympus"),
        ("fiscal_year_start_month", 13),
        ("country", "XX"),
    ],
)
def test_invalid_profile_values_are_field_errors_and_change_nothing(admin_api, org, field, value):
    response = admin_api.patch(URL, {field: value, "legal_name": "Changed", "version": 1}, format="json")
    assert response.status_code == 400, response.data
    assert list(response.data["errors"]) == [field]
    org.refresh_from_db()
    assert (org.legal_name, org.version) == ("", 1)


def test_every_bad_field_is_reported_at_once(admin_api, org):
    response = admin_api.patch(URL, {"iban": "nope", "bic": "nope", "version": 1}, format="json")
    assert response.status_code == 400
    assert set(response.data["errors"]) == {"iban", "bic"}
