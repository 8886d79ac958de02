"""Contact rules: must belong to an account of the same organization; list joins the account name."""

from __future__ import annotations

from crm.accounts.models import Contact

from .factories import AccountFactory, ContactFactory

URL = "/api/v1/contacts"


def test_create_requires_names_and_account(api, user):
    response = api.post(URL, {}, format="json")
    assert response.status_code == 400
    assert {"first_name", "last_name", "account_id"} <= set(response.data["errors"])


def test_account_of_another_organization_is_a_field_error(api, other_user):
    foreign = AccountFactory(owner=other_user)
    response = api.post(URL, {"first_name": "Jane", "last_name": "Doe", "account_id": foreign.pk}, format="json")
    assert response.status_code == 400
    assert response.data["errors"]["account_id"] == [f"No account with id {foreign.pk} exists."]
    assert not Contact.all_orgs.exists()


def test_list_includes_account_name(api, user):
    contact = ContactFactory(owner=user, account=AccountFactory(owner=user, name="Globex"))
    row = api.get(URL).data["results"][0]
    assert row["id"] == contact.pk
    assert row["account_name"] == "Globex"
    assert row["name"] == f"{contact.first_name} {contact.last_name}"


def test_search_by_name_email_and_account_name(api, user):
    globex = AccountFactory(owner=user, name="Globex")
    initech = AccountFactory(owner=user, name="Initech")
    ContactFactory(owner=user, account=globex, first_name="Hank", last_name="Scorpio", email="hank@globex.example")
    ContactFactory(owner=user, account=initech, first_name="Peter", last_name="Gibbons", email="peter@initech.example")

    def found(term):
        return [row["last_name"] for row in api.get(URL, {"search": term}).data["results"]]

    assert found("hank scorpio") == ["Scorpio"]
    assert found("peter@initech") == ["Gibbons"]
    assert found("globex") == ["Scorpio"]
    assert found("nobody") == []


def test_sort_by_account_name_and_filter_by_account(api, user):
    b = AccountFactory(owner=user, name="B Corp")
    a = AccountFactory(owner=user, name="A Corp")
    ContactFactory(owner=user, account=b, last_name="One")
    ContactFactory(owner=user, account=a, last_name="Two")
    rows = api.get(URL, {"ordering": "account_name"}).data["results"]
    assert [row["account_name"] for row in rows] == ["A Corp", "B Corp"]
    only_b = api.get(URL, {"account_id": b.pk}).data["results"]
    assert [row["last_name"] for row in only_b] == ["One"]


def test_reports_to_must_be_a_contact_of_the_organization(api, user, other_user):
    boss = ContactFactory(owner=user)
    contact = ContactFactory(owner=user, account=boss.account)
    ok = api.put(f"{URL}/{contact.pk}", {"reports_to_id": boss.pk, "version": 1}, format="json")
    assert ok.status_code == 200
    assert ok.data["reports_to_name"] == str(boss)
    foreign = ContactFactory(owner=other_user)
    bad = api.put(f"{URL}/{contact.pk}", {"reports_to_id": foreign.pk, "version": 2}, format="json")
    assert bad.status_code == 400
    itself = api.put(f"{URL}/{contact.pk}", {"reports_to_id": contact.pk, "version": 2}, format="json")
    assert itself.status_code == 400


def test_invalid_email_is_a_field_error(api, user):
    account = AccountFactory(owner=user)
    response = api.post(
        URL, {"first_name": "A", "last_name": "B", "email": "not-mail", "account_id": account.pk}, format="json"
    )
    assert response.status_code == 400
    assert "email" in response.data["errors"]


def test_moving_contact_to_another_account(api, user):
    contact = ContactFactory(owner=user)
    target = AccountFactory(owner=user, name="New Home")
    response = api.patch(f"{URL}/{contact.pk}", {"account_id": target.pk, "version": 1}, format="json")
    assert response.data["account_name"] == "New Home"
