"""The object registry: order-independent related lists and a typed /meta/objects answer."""

from __future__ import annotations

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
