"""The fast list path (rows from columns) answers exactly what the serializer answers."""

from __future__ import annotations

import pytest

from crm.core.scoping import org_scope
from crm.records import api as records_api
from crm.records.registry import registered
from crm.records.rows import row_plan
from crm.records.testing import collect_contract_cases

CASES = collect_contract_cases()


def _list(api, path):
    response = api.get(path)
    assert response.status_code == 200, response.content
    return response.content


@pytest.mark.parametrize("case", CASES, ids=[case.object for case in CASES])
def test_list_fast_path_matches_the_serializer_byte_for_byte(case, org, user, api, monkeypatch):
    with org_scope(org.pk):
        for _ in range(3):
            case.make_record(org, user)
    path = f"/api/v1/{registered()[case.object].api_path}"
    variants = [path, f"{path}?cursor=", f"{path}?page_size=2", f"{path}?ordering=-created_at"]
    fast = [_list(api, p) for p in variants]
    monkeypatch.setattr(records_api, "row_plan", lambda *args, **kwargs: None)
    slow = [_list(api, p) for p in variants]
    assert fast == slow


def test_contacts_list_uses_the_fast_path(org, user, api, monkeypatch):
    from crm.accounts.api.serializers import ContactSerializer
    from crm.accounts.models import Contact

    with org_scope(org.pk):
        plan = row_plan(ContactSerializer, Contact.objects.all())
    assert plan is not None
    assert "account__name" in plan.paths
    assert "owner__name" in plan.paths


def test_a_method_field_without_a_row_version_keeps_the_serializer():
    from rest_framework import serializers

    from crm.accounts.models import Account

    class WithMethod(serializers.ModelSerializer):
        shout = serializers.SerializerMethodField()

        class Meta:
            model = Account
            fields = ["id", "name", "shout"]

        def get_shout(self, obj):
            return obj.name.upper()

    assert row_plan(WithMethod, Account.all_orgs.all()) is None


@pytest.mark.parametrize(
    ("value", "places"),
    [("12.30", 2), ("1.5", 2), ("7", 2), ("0.125", 2), ("-0.00", 2), ("1234567.891", 3), ("5.00", 0)],
)
def test_decimal_values_are_written_as_the_field_writes_them(value, places):
    from decimal import Decimal

    from rest_framework import serializers

    from crm.records.rows import _converter

    field = serializers.DecimalField(max_digits=20, decimal_places=places)
    assert _converter(field)(Decimal(value)) == field.to_representation(Decimal(value))
