"""Operator commands: create further organizations, first-start bootstrap, demo data."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from crm.accounts.models import Account, Contact
from crm.core.scoping import org_scope
from crm.identity.models import Organization, User


def run(*args, **kwargs) -> str:
    out = StringIO()
    call_command(*args, stdout=out, **kwargs)
    return out.getvalue()


def test_create_organization_with_owner(db):
    output = run("create_organization", "--name", "Other Agency", "--admin-email", "Boss@Other.example")
    org = Organization.objects.get(name="Other Agency")
    owner = User.objects.get(email="boss@other.example")
    assert owner.organization == org
    assert owner.role == "owner"
    assert "Password:" in output
    password = output.split("Password:")[1].strip()
    assert owner.check_password(password)


def test_create_organization_refuses_a_weak_password(db):
    with pytest.raises(CommandError):
        run("create_organization", "--name", "Y", "--admin-email", "y@y.example", "--admin-password", "123")
    assert not Organization.objects.filter(name="Y").exists()


def test_create_organization_with_an_email_already_used_in_another_organization(db, user):
    """Emails are unique per organization: the same person may own a second agency."""
    output = run("create_organization", "--name", "X", "--admin-email", user.email)
    owner = User.objects.get(organization__name="X")
    assert owner.email == user.email
    assert owner.check_password(output.split("Password:")[1].strip())
    assert User.objects.filter(email=user.email).count() == 2


def test_bootstrap_creates_demo_org_once_and_prints_login(db, monkeypatch):
    monkeypatch.setenv("CRM_ADMIN_PASSWORD", "Sturdy-Demo-Passphrase-1")
    monkeypatch.delenv("CRM_ADMIN_EMAIL", raising=False)
    first = run("bootstrap", "--demo-data")
    assert "http://127.0.0.1:" in first
    assert "admin@example.com" in first
    assert "Sturdy-Demo-Passphrase-1" in first
    admin = User.objects.get(email="admin@example.com")
    assert admin.check_password("Sturdy-Demo-Passphrase-1")
    with org_scope(admin.organization_id):
        assert Account.objects.count() >= 10
        assert Contact.objects.count() >= 20
    second = run("bootstrap", "--demo-data")
    assert "Sturdy-Demo-Passphrase-1" not in second
    assert Organization.objects.count() == 1


def test_bootstrap_generates_a_password_when_none_is_given(db, monkeypatch):
    monkeypatch.delenv("CRM_ADMIN_PASSWORD", raising=False)
    monkeypatch.setenv("CRM_ADMIN_EMAIL", "boss@agency.example")
    output = run("bootstrap")
    password = output.split("with password:")[1].split()[0]
    assert User.objects.get(email="boss@agency.example").check_password(password)
    assert "shown only once" in output


def test_seed_demo_fills_only_the_chosen_organization(db, admin, other_user):
    run("seed_demo", "--organization", str(admin.organization_id))
    assert Account.all_orgs.filter(organization=admin.organization).count() >= 10
    assert not Account.all_orgs.filter(organization=other_user.organization).exists()
