"""The object registry: order-independent related lists and a typed /meta/objects answer."""

from __future__ import annotations

from dataclasses import replace

import pytest

from crm.records import registry
from crm.records.registry import ObjectMeta, RelatedListMeta, add_related_list, register, registered


@pytest.fixture
def scratch_registry(monkeypatch):
    monkeypatch.setattr(registry, "_REGISTRY", {})
    monkeypatch.setattr(registry, "_RELATED", {})


def _meta(name: str, related: tuple[RelatedListMeta, ...] = ()) -> ObjectMeta:
    return ObjectMeta(
        name=name,
        label=name.title(),
        label_plural=f"{name.title()}s",
        api_path=f"{name}s",
        icon="standard:account",
        title_field="name",
        fields=(),
        list_columns=("name",),
        related=related,
    )


def test_a_related_list_added_before_its_parent_registers_is_kept(scratch_registry):
    notes = RelatedListMeta(object="note", field="parent_id", label="Notes", columns=("name",), key="notes")
    add_related_list("parent", notes)  # the app adding it loads first
    add_related_list("parent", notes)  # and twice is once
    register(_meta("parent"))
    assert registered()["parent"].related == (notes,)
    assert "missing" not in registered()  # a list for an absent object adds no object


def test_an_objects_own_related_list_wins_over_an_added_one_with_the_same_key(scratch_registry):
    own = RelatedListMeta(object="note", field="parent_id", label="Own notes", columns=("name",), key="notes")
    register(_meta("parent", related=(own,)))
    add_related_list("parent", RelatedListMeta(object="note", field="x", label="Other", columns=(), key="notes"))
    assert registered()["parent"].related == (own,)


def test_meta_objects_answers_every_field_with_a_known_type(api):
    response = api.get("/api/v1/meta/objects")
    assert response.status_code == 200
    objects = {item["name"]: item for item in response.data["objects"]}
    assert set(objects) == set(registered())
    for item in objects.values():
        for field in item["fields"]:
            assert field["type"] in registry.FIELD_TYPES, (item["name"], field["name"])
    # the related lists that other apps add (cases and activities on accounts) are there
    assert {"cases", "activities"} <= {related["key"] for related in objects["account"]["related"]} | {
        related["object"] + "s" for related in objects["account"]["related"]
    }


def test_the_schema_describes_the_metadata(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    components = schema["components"]["schemas"]
    assert {"ObjectMetaList", "ObjectMeta", "FieldMeta", "RelatedListMeta"} <= set(components)
    type_ref = components["FieldMeta"]["properties"]["type"]["$ref"].rsplit("/", 1)[-1]
    assert components[type_ref]["enum"] == list(registry.FIELD_TYPES)


# --- one declaration per object ---------------------------------------------------------------


def _viewset_of(meta: ObjectMeta):
    from django.urls import resolve

    return resolve(f"/api/v1/{meta.api_path}").func.cls


@pytest.mark.parametrize("name", sorted(registered()))
def test_the_metadata_the_form_and_the_serializer_come_from_one_declaration(name):
    meta = registered()[name]
    viewset = _viewset_of(meta)
    detail = (viewset.detail_serializer_class or viewset.serializer_class)().fields
    writable = {key for key, field in viewset.serializer_class().fields.items() if not field.read_only}
    # every field the metadata describes, and the key holding a link's name, is in the API's answer
    for field in meta.fields:
        assert field.name in detail, (name, field.name)
        if field.display:
            assert field.display in detail, (name, field.display)
    # every field of the form is one the API writes, and a read-only field is not in the form
    assert set(meta.form_fields) <= writable, (name, set(meta.form_fields) - writable)
    readonly = {field.name for field in meta.fields if field.readonly}
    assert not readonly & set(meta.form_fields), name


def test_a_declaration_derives_labels_types_and_lists_from_the_model():
    from crm.accounts.models import Account

    fields = registry.ObjectFields(
        Account,
        registry.declare("name", form=True),
        registry.declare("website", form=True, type="url", label="Web"),
        registry.declare("parent_account_id", form=True),
        registry.declare("owner_id", lookup="user"),
        registry.declare("revenue", label="Revenue", type="currency", readonly=True),
        registry.declare("shown_only_in_the_api", meta=False),
    )
    by_name = {field.name: field for field in fields.meta}
    label = str(Account._meta.get_field("name").verbose_name).capitalize()
    assert (by_name["name"].label, by_name["name"].type, by_name["name"].required) == (label, "text", True)
    assert by_name["name"].max_length == Account._meta.get_field("name").max_length
    assert (by_name["website"].label, by_name["website"].type) == ("Web", "url")
    assert (by_name["parent_account_id"].type, by_name["parent_account_id"].lookup) == ("lookup", "account")
    assert by_name["parent_account_id"].display == "parent_account_name"
    assert (by_name["revenue"].type, by_name["revenue"].readonly) == ("currency", True)
    assert "shown_only_in_the_api" not in by_name
    assert fields.form == ("name", "website", "parent_account_id")
    assert fields.serializer_fields(("id", "owner_id", "owner_name")) == [
        "id",
        "owner_id",
        "owner_name",
        "name",
        "website",
        "parent_account_id",
        "revenue",
        "shown_only_in_the_api",
        "parent_account_name",
    ]
    assert "parent_account_name" not in fields.serializer_fields(displays=False)


def test_a_form_order_must_name_the_declared_form_fields():
    from crm.accounts.models import Account

    with pytest.raises(ValueError, match="form_order"):
        registry.ObjectFields(Account, registry.declare("name", form=True), form_order=("phone",))
    reordered = registry.ObjectFields(
        Account, registry.declare("name", form=True), registry.declare("phone", form=True), form_order=("phone", "name")
    )
    assert reordered.form == ("phone", "name")


# --- related lists from the lookups ------------------------------------------------------------


def test_every_lookup_to_an_object_gives_it_a_related_list():
    account = registered()["account"]
    lists = {(item.object, item.field): item for item in account.related}
    # the account's own, the added ones, and those derived from the lookups that point at it
    assert {("contact", "account_id"), ("case", "account_id"), ("activity", "what_id")} <= set(lists)
    assert lists[("opportunity", "account_id")].key == "opportunities"  # rows embedded in the detail
    assert lists[("order", "account_id")].key == "orders"
    assert lists[("contract", "account_id")].key == "contracts"
    assert lists[("payment", "account_id")].key == ""  # rows from GET /payments?account_id=
    assert "account_id" not in lists[("payment", "account_id")].columns  # no column back to the parent
    assert lists[("opportunity", "account_id")].columns == ("name", "stage", "amount", "close_date")
    assert lists[("payment", "account_id")].columns == ("payment_date", "amount", "payment_method", "status")
    # an opportunity lists the orders generated from it
    assert ("order", "opportunity_id") in {(item.object, item.field) for item in registered()["opportunity"].related}


def _lookup(name: str, lookup: str, **overrides):
    return registry.FieldMeta(name=name, label=name, type="lookup", lookup=lookup, **overrides)


def test_a_related_list_needs_a_filter_or_an_embed_and_the_metadata_can_hide_it(scratch_registry):
    register(_meta("parent"))
    child = replace(
        _meta("note"),
        fields=(
            _lookup("parent_id", "parent"),
            _lookup("hidden_parent_id", "parent", related_list=False),
            _lookup("unfiltered_parent_id", "parent"),
            _lookup("owner_id", "user"),  # not a registered object
        ),
        filters=("parent_id", "hidden_parent_id"),
        list_columns=("name", "parent_id"),
    )
    register(child)
    lists = registered()["parent"].related
    assert [(item.object, item.field, item.columns, item.key) for item in lists] == [
        ("note", "parent_id", ("name",), ""),
    ]
    assert registered()["note"].related == ()


def test_the_metadata_says_which_objects_the_api_creates():
    for name, meta in registered().items():
        if "create_from" in meta.extra and _viewset_of(meta).creatable:
            # Created from a parent record through POST (a quote from its opportunity): the list
            # offers no New of its own.
            assert not meta.creatable, name
            continue
        assert meta.creatable is _viewset_of(meta).creatable, name
