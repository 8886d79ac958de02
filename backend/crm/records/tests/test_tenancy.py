"""Every table that carries an organization is scoped by the same fail-closed manager."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.exceptions import FieldDoesNotExist

from crm.core.scoping import OrganizationScopeError, org_scope
from crm.records.models import OrgOwned, OrgScopedManager, Sequence

# Tables with an organization column whose application manager is deliberately not scoped.
UNSCOPED = {
    # Sign-in looks a user up by email before any organization is known (authentication, password
    # reset, lockout); views list an organization's users through the signed-in user's organization.
    "identity.user": "looked up before an organization is known",
    # Workers claim jobs by id across organizations (and system jobs such as backups have none);
    # the Jobs API lists and retries only the signed-in organization's jobs.
    "jobs.job": "claimed by workers across organizations",
}


def organization_models() -> list[type]:
    found = []
    for model in apps.get_models():
        try:
            model._meta.get_field("organization")
        except FieldDoesNotExist:
            continue
        found.append(model)
    return found


def test_the_enumeration_finds_the_organization_tables():
    labels = {model._meta.label_lower for model in organization_models()}
    assert {
        "accounts.account",
        "sales.opportunitylineitem",
        "sales.opportunitycontactrole",
        "sales.opportunitystage",
        "billing.orderlineitem",
        "billing.contractlineitem",
        "audit.auditevent",
        "records.sequence",
        "identity.user",
    } <= labels


def test_the_only_unscoped_organization_tables_are_the_listed_exceptions():
    unscoped = {
        model._meta.label_lower
        for model in organization_models()
        if not isinstance(getattr(model, "objects", None), OrgScopedManager)
    }
    assert unscoped == set(UNSCOPED)


@pytest.mark.parametrize(
    "model",
    [model for model in organization_models() if model._meta.label_lower not in UNSCOPED],
    ids=lambda model: model._meta.label_lower,
)
def test_every_organization_table_is_scoped_and_fails_closed(model, org):
    label = model._meta.label_lower

    # The manager application code uses is the organization-scoped one, declared once.
    assert issubclass(model, OrgOwned), f"{label} does not inherit OrgOwned"
    assert isinstance(model.objects, OrgScopedManager), f"{label}.objects is not organization-scoped"
    # The unscoped manager is there under its own name, and Django internals use it.
    assert not isinstance(model.all_orgs, OrgScopedManager)
    assert model._default_manager.name == "all_orgs"
    assert model._base_manager.name == "all_orgs"

    # With no organization in scope, every use of ``objects`` raises instead of reading all rows.
    with pytest.raises(OrganizationScopeError):
        model.objects.all()
    with pytest.raises(OrganizationScopeError):
        model.objects.filter(pk=1).exists()
    with pytest.raises(OrganizationScopeError):
        model.objects.count()

    # In scope, the query is narrowed to that organization.
    with org_scope(org.pk):
        where = str(model.objects.all().query)
    assert f'"{model._meta.db_table}"."organization_id" = {org.pk}' in where


def test_rows_created_through_objects_belong_to_the_organization_in_scope(org, other_org):
    # given the organization in scope
    with org_scope(org.pk):
        # when rows are created without naming an organization
        created = Sequence.objects.create(key="a")
        Sequence.objects.bulk_create([Sequence(key="b")])
        saved = Sequence(key="c")
        saved.save()
        # then they are the organization's
        assert set(Sequence.objects.values_list("key", flat=True)) == {"a", "b", "c"}
        assert created.organization_id == saved.organization_id == org.pk
        # and a row of another organization is refused
        with pytest.raises(OrganizationScopeError):
            Sequence.objects.create(key="d", organization_id=other_org.pk)
        with pytest.raises(OrganizationScopeError):
            Sequence.objects.bulk_create([Sequence(key="e", organization_id=other_org.pk)])
    with org_scope(other_org.pk):
        assert not Sequence.objects.exists()
    # Without an organization in scope, a new row without one is refused too.
    with pytest.raises(OrganizationScopeError):
        Sequence(key="f").save()
    assert Sequence.all_orgs.count() == 3
