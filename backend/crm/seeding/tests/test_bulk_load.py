"""``bulk_load``: the columns come from the model; rows give only the values that differ from its defaults."""

from __future__ import annotations

import pytest
from django.utils import timezone

from crm.accounts.models import Account
from crm.audit.models import AuditEvent
from crm.sales.models import Lead
from crm.seeding.scale import bulk_load


def _account(org, user, **values):
    now = timezone.now()
    return {"organization_id": org.pk, "owner_id": user.pk, "created_at": now, "updated_at": now, **values}


def test_bulk_load_fills_the_model_defaults_and_nulls(org, user):
    assert bulk_load(Account, [_account(org, user, name="Acme"), _account(org, user, name="Beta", phone="+1")]) == 2
    acme, beta = Account.all_orgs.filter(organization=org).order_by("id")
    assert (acme.name, acme.phone, acme.website, acme.description) == ("Acme", "", "", "")
    assert acme.is_active is True
    assert acme.version == 1
    assert acme.created_by_id is None and acme.parent_account_id is None
    assert beta.phone == "+1"


def test_bulk_load_takes_a_foreign_key_by_name_and_a_choices_default_as_its_value(org, user):
    now = timezone.now()
    row = {"organization": org.pk, "owner": user.pk, "created_at": now, "updated_at": now}
    bulk_load(Lead, [{**row, "last_name": "Doe", "company": "Doe Ltd"}])
    lead = Lead.all_orgs.get(organization=org)
    assert (lead.owner_id, lead.status, lead.converted_account_id) == (user.pk, "New", None)


def test_bulk_load_refuses_a_key_that_is_not_a_field(org, user):
    with pytest.raises(ValueError, match=r"accounts\.Account has no field 'nmae'"):
        bulk_load(Account, [_account(org, user, nmae="Acme")])
    assert not Account.all_orgs.exists()


def test_bulk_load_refuses_a_missing_required_field(org, user):
    with pytest.raises(ValueError, match=r"accounts\.Account: field 'name' is required"):
        bulk_load(Account, [_account(org, user)])
    # A later row is not checked key by key, but a missing required value still stops the load.
    with pytest.raises(ValueError, match=r"accounts\.Account: field 'name' is required"):
        bulk_load(Account, [_account(org, user, name="Acme"), _account(org, user)])


def test_bulk_load_refuses_a_field_given_twice(org, user):
    with pytest.raises(ValueError, match=r"field 'owner' is given both as owner_id and owner"):
        bulk_load(Account, [_account(org, user, name="Acme", owner=user.pk)])


def test_bulk_load_of_no_rows_writes_nothing():
    assert bulk_load(Account, []) == 0


def test_bulk_load_calls_a_callable_default_for_each_row_and_adapts_it(org):
    now = timezone.now()
    event = {"organization_id": org.pk, "object_type": "Account", "action": "create", "at": now}
    bulk_load(AuditEvent, [{**event, "object_id": 1}, {**event, "object_id": 2, "changes": {"name": ["", "Acme"]}}])
    first, second = AuditEvent.all_orgs.filter(organization=org).order_by("object_id")
    assert (first.changes, first.name, first.actor_id) == ({}, "", None)
    assert second.changes == {"name": ["", "Acme"]}
