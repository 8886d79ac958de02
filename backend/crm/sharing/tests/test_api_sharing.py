"""Sharing defaults, record shares and managers: the API, the rule's edges, audit and query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import client_for, make_user

from crm.accounts.tests.factories import AccountFactory, ContactFactory
from crm.audit.models import AuditEvent
from crm.billing.tests.factories import PaymentFactory
from crm.core.scoping import org_scope
from crm.identity.models import Role, User
from crm.records.testing import count_queries
from crm.sales.tests.factories import OpportunityFactory, OpportunityLineItemFactory
from crm.sharing.models import Access, RecordShare, SharingDefault
from crm.sharing.tests.factories import set_default, share_record

SHARING = "/api/v1/organization/sharing"


@pytest.fixture
def seller(org) -> User:
    return make_user(org, Role.USER, name="Seller")


@pytest.fixture
def peer(org) -> User:
    return make_user(org, Role.USER, name="Peer")


# --- organization-wide defaults ------------------------------------------------------------------


def test_defaults_start_public_read_write_and_admins_change_them(admin_api, org, admin):
    body = admin_api.get(SHARING).data
    assert body["Opportunity"] == body["Account"] == Access.PUBLIC_READ_WRITE
    assert set(body) == {
        "Account",
        "Contact",
        "Lead",
        "Opportunity",
        "Order",
        "Contract",
        "Case",
        "Activity",
        "Invoice",
    }
    response = admin_api.put(SHARING, {"Opportunity": "Private", "Account": "PublicReadOnly"}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["Opportunity"] == "Private"
    assert response.data["Account"] == "PublicReadOnly"
    assert response.data["Contact"] == "PublicReadWrite"
    event = AuditEvent.all_orgs.get(name="sharing_defaults")
    assert event.actor_id == admin.pk
    assert event.changes == {
        "Opportunity": ["PublicReadWrite", "Private"],
        "Account": ["PublicReadWrite", "PublicReadOnly"],
    }


def test_defaults_refuse_unknown_objects_and_levels_and_change_nothing(admin_api, org):
    response = admin_api.put(SHARING, {"Opportunity": "Secret", "Widget": "Private"}, format="json")
    assert response.status_code == 400
    assert set(response.data["errors"]) >= {"Opportunity"}
    response = admin_api.put(SHARING, {"Widget": "Private", "Account": "Private"}, format="json")
    assert response.status_code == 400
    assert "Widget" in response.data["errors"]
    assert not SharingDefault.all_orgs.exists()
    assert admin_api.put(SHARING, ["Private"], format="json").status_code == 400


def test_only_admins_read_or_change_defaults(api, anon):
    assert api.get(SHARING).status_code == 403
    assert api.put(SHARING, {"Opportunity": "Private"}, format="json").status_code == 403
    assert anon.get(SHARING).status_code == 401
    assert not SharingDefault.all_orgs.exists()


def test_defaults_are_per_organization(admin_api, other_api, org, other_org):
    admin_api.put(SHARING, {"Opportunity": "Private"}, format="json")
    assert other_api.get(SHARING).data["Opportunity"] == "PublicReadWrite"


# --- the rule ------------------------------------------------------------------------------------


def test_private_shows_own_records_and_those_below_in_the_chain(org, seller, peer):
    boss = make_user(org, Role.MANAGER, name="Boss")
    chief = make_user(org, Role.USER, name="Chief")
    User.objects.filter(pk=seller.pk).update(manager=boss)
    User.objects.filter(pk=boss.pk).update(manager=chief)
    mine = OpportunityFactory(owner=seller)
    bosses = OpportunityFactory(owner=boss)
    set_default(org.pk, "opportunity")

    def visible(user: User) -> set[int]:
        return {row["id"] for row in client_for(user).get("/api/v1/opportunities").data["results"]}

    assert visible(seller) == {mine.pk}
    assert visible(boss) == {mine.pk, bosses.pk}
    assert visible(chief) == {mine.pk, bosses.pk}
    assert visible(peer) == set()
    assert client_for(peer).get(f"/api/v1/opportunities/{mine.pk}").status_code == 404
    # history and child rows follow the record
    assert client_for(peer).get(f"/api/v1/opportunities/{mine.pk}/history").status_code == 404
    assert client_for(peer).get(f"/api/v1/opportunities/{mine.pk}/line_items").status_code == 404


def test_a_share_grants_read_or_edit(org, seller, peer):
    deal = OpportunityFactory(owner=seller)
    set_default(org.pk, "opportunity")
    client = client_for(peer)
    share = share_record(deal, peer, RecordShare.Level.READ)
    assert client.get(f"/api/v1/opportunities/{deal.pk}").status_code == 200
    response = client.patch(f"/api/v1/opportunities/{deal.pk}", {"name": "Mine now", "version": 1}, format="json")
    assert response.status_code == 403
    assert response.data["code"] == "read_only_record"
    RecordShare.all_orgs.filter(pk=share.pk).update(access=RecordShare.Level.EDIT)
    response = client.patch(f"/api/v1/opportunities/{deal.pk}", {"name": "Shared edit", "version": 1}, format="json")
    assert response.status_code == 200, response.data


def test_public_read_only_lets_everybody_read_and_only_the_chain_edit(org, seller, peer):
    account = AccountFactory(owner=seller)
    set_default(org.pk, "account", Access.PUBLIC_READ_ONLY)
    client = client_for(peer)
    assert client.get(f"/api/v1/accounts/{account.pk}").status_code == 200
    assert (
        client.patch(f"/api/v1/accounts/{account.pk}", {"phone": "1", "version": 1}, format="json").status_code == 403
    )
    account.refresh_from_db()
    assert account.version == 1
    assert (
        client_for(seller)
        .patch(f"/api/v1/accounts/{account.pk}", {"phone": "1", "version": 1}, format="json")
        .status_code
        == 200
    )
    # linking a new contact to a readable account is fine
    response = client.post(
        "/api/v1/contacts", {"first_name": "Jo", "last_name": "Doe", "account_id": account.pk}, format="json"
    )
    assert response.status_code == 201, response.data


def test_linking_to_a_record_you_cannot_read_is_a_field_error(org, seller, peer):
    account = AccountFactory(owner=seller)
    set_default(org.pk, "account")
    response = client_for(peer).post(
        "/api/v1/contacts", {"first_name": "Jo", "last_name": "Doe", "account_id": account.pk}, format="json"
    )
    assert response.status_code == 400
    assert "account_id" in response.data["errors"]


def test_embeds_search_and_children_follow_the_rule(org, seller, peer):
    # given a public account with a private contact and a private deal of the seller's
    account = AccountFactory(owner=peer, name="Openfield Ltd")
    ContactFactory(owner=seller, account=account, last_name="Hiddenperson")
    deal = OpportunityFactory(owner=seller, account=account, name="Hiddendeal")
    OpportunityLineItemFactory(opportunity=deal)
    PaymentFactory(owner=seller)
    for name in ("contact", "opportunity", "order"):
        set_default(org.pk, name)
    client = client_for(peer)
    detail = client.get(f"/api/v1/accounts/{account.pk}").data
    assert detail["opportunities"] == []
    assert detail.get("active_contacts", detail.get("contacts")) == []
    assert client.get("/api/v1/search", {"q": "Hidden"}).data["results"] == []
    assert client.get("/api/v1/payments").data["results"] == []
    assert client_for(seller).get("/api/v1/payments").data["count"] == 1
    assert len(client_for(seller).get("/api/v1/search", {"q": "Hidden"}).data["results"]) == 2


def test_admins_and_owners_see_everything(org, seller, admin, owner):
    deal = OpportunityFactory(owner=seller)
    set_default(org.pk, "opportunity")
    for user in (admin, owner):
        assert client_for(user).get(f"/api/v1/opportunities/{deal.pk}").status_code == 200


def test_jobs_and_commands_without_a_user_see_every_record(org, seller):
    deal = OpportunityFactory(owner=seller)
    set_default(org.pk, "opportunity")
    from crm.sales.models import Opportunity

    with org_scope(org.pk):
        assert list(Opportunity.objects.values_list("pk", flat=True)) == [deal.pk]


# --- shares of one record ------------------------------------------------------------------------


def shares_url(deal, share_id=None) -> str:
    return f"/api/v1/opportunities/{deal.pk}/shares" + (f"/{share_id}" if share_id else "")


def test_the_owner_shares_lists_changes_and_removes(org, seller, peer):
    deal = OpportunityFactory(owner=seller)
    set_default(org.pk, "opportunity")
    client = client_for(seller)
    response = client.post(shares_url(deal), {"user_id": peer.pk, "access": "Read"}, format="json")
    assert response.status_code == 201, response.data
    assert response.data["user_name"] == "Peer"
    share_id = response.data["id"]
    again = client.post(shares_url(deal), {"user_id": peer.pk, "access": "Edit"}, format="json")
    assert again.status_code == 200
    assert again.data["id"] == share_id
    assert [row["access"] for row in client.get(shares_url(deal)).data] == ["Edit"]
    assert client_for(peer).get(f"/api/v1/opportunities/{deal.pk}").status_code == 200
    assert client.delete(shares_url(deal, share_id)).status_code == 204
    assert client_for(peer).get(f"/api/v1/opportunities/{deal.pk}").status_code == 404
    history = [(e["name"], e["changes"]) for e in client.get(f"/api/v1/opportunities/{deal.pk}/history").data]
    assert [name for name, _ in history[:3]] == ["share_removed", "share_changed", "share_added"]
    assert history[2][1] == {"shared_with": [None, peer.pk], "access": [None, "Read"]}


def test_share_input_is_checked(org, seller, peer, other_user):
    deal = OpportunityFactory(owner=seller)
    client = client_for(seller)
    assert client.post(shares_url(deal), {"user_id": seller.pk, "access": "Read"}, format="json").data[
        "errors"
    ].keys() == {"user_id"}
    response = client.post(shares_url(deal), {"user_id": other_user.pk, "access": "Read"}, format="json")
    assert response.status_code == 400
    assert "user_id" in response.data["errors"]
    response = client.post(shares_url(deal), {"user_id": peer.pk, "access": "Owner"}, format="json")
    assert response.status_code == 400
    assert "access" in response.data["errors"]
    assert client.delete(shares_url(deal, 999999)).status_code == 404
    assert not RecordShare.all_orgs.exists()


def test_only_the_chain_and_admins_manage_shares(org, seller, peer, admin, other_api):
    deal = OpportunityFactory(owner=seller)
    share_record(deal, peer, RecordShare.Level.EDIT)
    # an editor may change the record but not share it further
    response = client_for(peer).post(shares_url(deal), {"user_id": admin.pk, "access": "Read"}, format="json")
    assert response.status_code == 403
    assert client_for(admin).get(shares_url(deal)).status_code == 200
    assert other_api.get(shares_url(deal)).status_code == 404


# --- managers ------------------------------------------------------------------------------------


def test_admins_set_a_manager_and_cycles_are_refused(admin_api, org, seller):
    boss = make_user(org, Role.MANAGER, name="Boss")
    response = admin_api.patch(f"/api/v1/admin/users/{seller.pk}", {"manager_id": boss.pk, "version": 1}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["manager_id"] == boss.pk
    response = admin_api.patch(f"/api/v1/admin/users/{boss.pk}", {"manager_id": seller.pk, "version": 1}, format="json")
    assert response.status_code == 400
    assert response.data["code"] == "manager_cycle"
    assert "manager_id" in response.data["errors"]
    response = admin_api.patch(f"/api/v1/admin/users/{boss.pk}", {"manager_id": boss.pk, "version": 1}, format="json")
    assert response.status_code == 400
    boss.refresh_from_db()
    assert boss.manager_id is None
    response = admin_api.patch(f"/api/v1/admin/users/{seller.pk}", {"manager_id": None, "version": 2}, format="json")
    assert response.status_code == 200
    assert response.data["manager_id"] is None


def test_a_manager_of_another_organization_is_refused(admin_api, seller, other_user):
    response = admin_api.patch(
        f"/api/v1/admin/users/{seller.pk}", {"manager_id": other_user.pk, "version": 1}, format="json"
    )
    assert response.status_code == 400
    assert "manager_id" in response.data["errors"]


def test_a_new_user_may_have_a_manager(admin_api, org, seller):
    response = admin_api.post(
        "/api/v1/admin/users",
        {"name": "New", "email": "new@acme.example", "role": "user", "manager_id": seller.pk},
        format="json",
    )
    assert response.status_code == 201, response.data
    assert response.data["manager_id"] == seller.pk


# --- queries -------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["opportunities", "accounts", "contacts"])
def test_private_lists_and_details_cost_a_fixed_number_of_queries(org, seller, path):
    boss = make_user(org, Role.MANAGER)
    User.objects.filter(pk=seller.pk).update(manager=boss)
    for name in ("opportunity", "account", "contact"):
        set_default(org.pk, name)
    factory = {"opportunities": OpportunityFactory, "accounts": AccountFactory, "contacts": ContactFactory}[path]
    first = factory(owner=seller)
    client = client_for(boss)
    client.get(f"/api/v1/{path}")
    with count_queries() as one:
        assert client.get(f"/api/v1/{path}").data["count"] == 1
    with count_queries() as detail_one:
        assert client.get(f"/api/v1/{path}/{first.pk}").status_code == 200
    for _ in range(15):
        record = factory(owner=seller)
        share_record(record, make_user(org, Role.USER))
    with count_queries() as many:
        assert client.get(f"/api/v1/{path}").data["count"] == 16
    with count_queries() as detail_many:
        assert client.get(f"/api/v1/{path}/{record.pk}").status_code == 200
    assert one.count == many.count <= 4, [q["sql"] for q in many.captured_queries]
    assert detail_one.count == detail_many.count


def test_a_share_makes_a_record_visible_at_the_same_cost(org, seller, peer):
    deal = OpportunityFactory(owner=seller, amount=Decimal("5.00"))
    set_default(org.pk, "opportunity")
    client = client_for(peer)
    client.get("/api/v1/opportunities")
    with count_queries() as before:
        assert client.get("/api/v1/opportunities").data["count"] == 0
    share_record(deal, peer)
    with count_queries() as after:
        assert client.get("/api/v1/opportunities").data["count"] == 1
    assert before.count == after.count
