"""Per-object UI metadata, declared in each domain app's ``objects.py`` and served at
``/api/v1/meta/objects``. The web UI builds every list view, record page and form from it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any, cast

from django.core.exceptions import FieldDoesNotExist
from django.db import models

_REGISTRY: dict[str, ObjectMeta] = {}
# Related lists other apps add to an object, kept apart so the order apps register in never matters.
_RELATED: dict[str, list[RelatedListMeta]] = {}


FIELD_TYPES = (
    "text",
    "textarea",
    "email",
    "phone",
    "url",
    "picklist",
    "integer",
    "currency",
    "percent",
    "date",
    "datetime",
    "boolean",
    "lookup",
)


@dataclass(frozen=True)
class FieldMeta:
    name: str
    label: str
    type: str  # one of FIELD_TYPES
    required: bool = False
    readonly: bool = False
    options: tuple[str, ...] = ()
    lookup: str | None = None  # the object a lookup points at
    display: str | None = None  # the response key that holds a lookup's name
    max_length: int | None = None
    help_text: str = ""
    # A lookup to a registered object gives that object a related list of these records; False hides it.
    related_list: bool = True


@dataclass(frozen=True)
class RelatedListMeta:
    object: str
    field: str  # the related object's filter field that points back at this record
    label: str
    columns: tuple[str, ...]
    key: str = ""  # the key of the detail response that embeds the rows, if any


@dataclass(frozen=True)
class ObjectMeta:
    name: str
    label: str
    label_plural: str
    api_path: str
    icon: str
    title_field: str
    fields: tuple[FieldMeta, ...]
    list_columns: tuple[str, ...]
    highlight_fields: tuple[str, ...] = ()
    form_fields: tuple[str, ...] = ()
    filters: tuple[str, ...] = ()
    related: tuple[RelatedListMeta, ...] = ()
    path_field: str | None = None
    default_ordering: str = "-created_at"
    searchable: bool = True
    admin_only_write: bool = False
    can_deactivate: bool = True
    creatable: bool = True  # False: records only come from a business action (orders, contracts, payments)
    extra: dict[str, Any] = field(default_factory=dict)


_TYPE_BY_CLASS: list[tuple[type[models.Field[Any, Any]], str]] = [
    (models.BooleanField, "boolean"),
    (models.DecimalField, "currency"),
    (models.IntegerField, "integer"),
    (models.DateTimeField, "datetime"),
    (models.DateField, "date"),
    (models.EmailField, "email"),
    (models.URLField, "url"),
    (models.TextField, "textarea"),
    (models.ForeignKey, "lookup"),
    (models.CharField, "text"),
]


def field_from_model(model: type[models.Model], name: str, **overrides: Any) -> FieldMeta:
    """Derive a field's metadata from the model field of the same name (or ``<name>_id``)."""
    model_name = name[:-3] if name.endswith("_id") else name
    model_field = model._meta.get_field(model_name)
    if not isinstance(model_field, models.Field):
        raise TypeError(f"{model.__name__}.{model_name} is a reverse relation, not a field.")
    kind = "text"
    for cls, type_name in _TYPE_BY_CLASS:
        if isinstance(model_field, cls):
            kind = type_name
            break
    values: dict[str, Any] = {
        "name": name,
        "label": str(model_field.verbose_name).capitalize() if model_field.verbose_name else name,
        "type": kind,
        "required": not (model_field.blank or model_field.null or model_field.has_default()),
        "max_length": getattr(model_field, "max_length", None) if kind == "text" else None,
        "help_text": str(model_field.help_text or ""),
    }
    if model_field.choices:
        values["type"] = "picklist"
        values["options"] = tuple(str(value) for value, _ in model_field.choices)
    if kind == "lookup":
        related = cast("type[models.Model]", model_field.related_model)  # a foreign key's target
        values["lookup"] = getattr(related, "object_name", related._meta.model_name)
        values["display"] = f"{model_name}_name"
    values.update(overrides)
    return FieldMeta(**values)


@dataclass(frozen=True)
class Declared:
    """One field of an object, declared once (see ``ObjectFields``)."""

    name: str  # the API's name: ``<link>_id`` for a link
    form: bool = False  # a user edits it: writable in the API and shown in the web form
    meta: bool = True  # described in /meta/objects
    overrides: Mapping[str, Any] = field(default_factory=dict)  # FieldMeta values the model cannot give


def declare(name: str, *, form: bool = False, meta: bool = True, **overrides: Any) -> Declared:
    """A field: its label, type, choices, length and required flag come from the model field of the
    same name (``field_from_model``); ``overrides`` set what the model cannot say. A field the model
    does not have (a calculated amount) gives at least ``label`` and ``type``."""
    return Declared(name=name, form=form, meta=meta, overrides=overrides)


class ObjectFields:
    """The one declaration of an object's fields, from which the serializer's fields, the
    ``/meta/objects`` field definitions and the web form are all derived.

    - ``meta``: the FieldMeta of each field (in declaration order, the record page's order);
    - ``form``: the fields a user edits, in the form's order (``form_order`` when it differs, or
      when a service owns the list, as for orders);
    - ``serializer_fields(base)``: ``base`` (the record fields every object shares) followed by
      every declared field and, with ``displays``, the keys that hold the names of its links.
    """

    def __init__(self, model: type[models.Model], *fields: Declared, form_order: Sequence[str] = ()) -> None:
        self.model = model
        self.fields = fields
        self.meta: tuple[FieldMeta, ...] = tuple(self._meta_of(item) for item in fields if item.meta)
        flagged = tuple(item.name for item in fields if item.form)
        if form_order and flagged and sorted(form_order) != sorted(flagged):
            raise ValueError(f"{model.__name__}: form_order {form_order} names other fields than {flagged}.")
        unknown = set(form_order) - {item.name for item in fields}
        if unknown:
            raise ValueError(f"{model.__name__}: form_order names undeclared fields {sorted(unknown)}.")
        self.form: tuple[str, ...] = tuple(form_order) or flagged

    def _meta_of(self, item: Declared) -> FieldMeta:
        model_name = item.name[:-3] if item.name.endswith("_id") else item.name
        try:
            self.model._meta.get_field(model_name)
        except FieldDoesNotExist:
            return FieldMeta(name=item.name, **item.overrides)
        return field_from_model(self.model, item.name, **item.overrides)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(item.name for item in self.fields)

    @property
    def displays(self) -> tuple[str, ...]:
        """The response keys that hold a declared link's name (``account_name``)."""
        return tuple(meta.display for meta in self.meta if meta.display and meta.display not in self.names)

    def serializer_fields(self, base: Sequence[str] = (), *, displays: bool = True) -> list[str]:
        extra = [*self.names, *(self.displays if displays else ())]
        return [*base, *(name for name in extra if name not in base)]


def register(meta: ObjectMeta) -> ObjectMeta:
    _REGISTRY[meta.name] = meta
    return meta


def add_related_list(parent: str, related: RelatedListMeta) -> None:
    """Add a related list to an object another app registers, before or after this call (ignored
    while that app is absent)."""
    extra = _RELATED.setdefault(parent, [])
    if all(item.key != related.key for item in extra):
        extra.append(related)


def registered() -> dict[str, ObjectMeta]:
    """Every registered object with its related lists: its own, those other apps added to it, and
    one for every lookup that points at it (``derived_related_lists``)."""
    derived = derived_related_lists(_REGISTRY)
    out: dict[str, ObjectMeta] = {}
    for name, meta in _REGISTRY.items():
        lists = list(meta.related)
        for item in (*_RELATED.get(name, ()), *derived.get(name, ())):
            if item.key and any(known.key == item.key for known in lists):
                continue
            if any((known.object, known.field) == (item.object, item.field) for known in lists):
                continue
            lists.append(item)
        out[name] = replace(meta, related=tuple(lists)) if len(lists) != len(meta.related) else meta
    return out


RELATED_LIST_COLUMNS = 4


def derived_related_lists(objects: Mapping[str, ObjectMeta]) -> dict[str, list[RelatedListMeta]]:
    """A related list on the parent for every lookup of a registered object to another one.

    The rows come from the parent's detail answer when an embed under the child's ``api_path`` is
    registered for it (the account's ``opportunities``), else from the child's list filtered by the
    lookup, which the child must offer as a filter. A lookup with ``related_list=False`` gives none.
    The columns are the first ``RELATED_LIST_COLUMNS`` of the child's list columns without the lookup
    back to the parent (and, for an embed, those its rows carry): a related list is a narrow card.
    Sorted by label, so the order apps load in never matters.
    """
    from .related import embeds_for

    out: dict[str, list[RelatedListMeta]] = {}
    for child in objects.values():
        for item in child.fields:
            parent = item.lookup
            if item.type != "lookup" or not item.related_list or parent is None or parent not in objects:
                continue
            embed = next((e for e in embeds_for(parent) if e.key == child.api_path), None)
            if embed is None and item.name not in child.filters:
                continue
            columns = tuple(name for name in child.list_columns if name != item.name)
            if embed is not None and embed.serializer is not None:
                carried = embed.serializer().fields
                columns = tuple(name for name in columns if name in carried)
            columns = columns[:RELATED_LIST_COLUMNS]
            out.setdefault(parent, []).append(
                RelatedListMeta(
                    object=child.name,
                    field=item.name,
                    label=child.label_plural,
                    columns=columns,
                    key=embed.key if embed is not None else "",
                )
            )
    for lists in out.values():
        lists.sort(key=lambda related: (related.label, related.field))
    return out


# Picklists whose values belong to the organization (e.g. opportunity stages): object -> field -> loader.
_OPTION_SOURCES: dict[str, dict[str, Callable[[int], tuple[str, ...]]]] = {}


def register_options(object_name: str, field_name: str, loader: Callable[[int], tuple[str, ...]]) -> None:
    """Fill a picklist's options per organization when the metadata is served."""
    _OPTION_SOURCES.setdefault(object_name, {})[field_name] = loader


def as_json(meta: ObjectMeta, organization_id: int | None = None) -> dict[str, Any]:
    data = asdict(meta)
    sources = _OPTION_SOURCES.get(meta.name, {})
    if organization_id is not None and sources:
        for field_data in data["fields"]:
            loader = sources.get(field_data["name"])
            if loader is not None:
                field_data["options"] = list(loader(organization_id))
    return data
