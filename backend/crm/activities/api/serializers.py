from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from rest_framework import serializers

from crm.records.api import BIGINT_RANGE, RecordSerializer, ScopedRelatedField, scoped_queryset

from ..links import WHAT_TYPES, WHO_TYPES, attach_names, attach_names_to_rows, model_for, normalize_type
from ..models import Activity

LINKS = {"what": WHAT_TYPES, "who": WHO_TYPES}


class ActiveUserField(ScopedRelatedField):
    """A user of the caller's organization who can still sign in."""

    def get_queryset(self) -> QuerySet:
        return scoped_queryset(self.related_model).filter(is_active=True)


class NamesMixin(serializers.Serializer):
    what_name = serializers.SerializerMethodField()
    who_name = serializers.SerializerMethodField()

    # The list's fast read path (crm/records/rows.py) fills the names once per page.
    row_fields: ClassVar[dict[str, tuple[tuple[str, ...], Any]]] = {
        "what_name": ((), lambda: None),
        "who_name": ((), lambda: None),
    }

    @classmethod
    def complete_rows(cls, rows: list[dict[str, Any]]) -> None:
        attach_names_to_rows(rows)

    def _names(self, obj: Activity) -> Activity:
        if not hasattr(obj, "what_name"):
            attach_names([obj])
        return obj

    def get_what_name(self, obj: Activity) -> str | None:
        return self._names(obj).what_name

    def get_who_name(self, obj: Activity) -> str | None:
        return self._names(obj).who_name


ACTIVITY_FIELDS = [
    "type",
    "subject",
    "description",
    "status",
    "priority",
    "due_date",
    "start_time",
    "end_time",
    "is_all_day_event",
    "location",
    "assigned_to_id",
    "assigned_to_name",
    "what_type",
    "what_id",
    "what_name",
    "who_type",
    "who_id",
    "who_name",
    "completed_at",
]


def _type_field(allowed: tuple[str, ...]) -> serializers.CharField:
    return serializers.CharField(
        required=False, allow_blank=True, allow_null=True, max_length=20, help_text=f"One of: {', '.join(allowed)}."
    )


def _id_field() -> serializers.IntegerField:
    return serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=BIGINT_RANGE[1])


class ActivitySerializer(NamesMixin, RecordSerializer):
    type = serializers.ChoiceField(choices=Activity.Type.choices)
    status = serializers.ChoiceField(
        choices=Activity.Status.choices,
        required=False,
        allow_blank=True,
        help_text="Required for tasks (defaults to Not Started).",
    )
    assigned_to_id = ActiveUserField(
        "identity.User", source="assigned_to", required=False, allow_null=False, help_text="Defaults to you."
    )
    assigned_to_name = serializers.CharField(source="assigned_to.name", read_only=True)
    what_type = _type_field(WHAT_TYPES)
    what_id = _id_field()
    who_type = _type_field(WHO_TYPES)
    who_id = _id_field()
    completed_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Activity
        fields = [*RecordSerializer.record_fields, *ACTIVITY_FIELDS]

    def validate_what_type(self, value: str | None) -> str:
        return self._valid_type(value, WHAT_TYPES)

    def validate_who_type(self, value: str | None) -> str:
        return self._valid_type(value, WHO_TYPES)

    def _valid_type(self, value: str | None, allowed: tuple[str, ...]) -> str:
        label = normalize_type(value, allowed)
        if label is None:
            raise serializers.ValidationError(f"Use one of: {', '.join(allowed)}.")
        return label

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        instance: Activity | None = self.instance
        errors: dict[str, list[str]] = {}

        def current(name: str, default: Any = None) -> Any:
            if name in attrs:
                return attrs[name]
            return getattr(instance, name) if instance is not None else default

        kind = current("type")
        if instance is not None and "type" in attrs and attrs["type"] != instance.type:
            errors["type"] = ["The type of an activity cannot change; create a new one."]
        if kind == Activity.Type.TASK and "status" in attrs and not attrs["status"]:
            errors["status"] = ["A task needs a status."]
        start, end = current("start_time"), current("end_time")
        if kind == Activity.Type.EVENT:
            if start is None:
                errors["start_time"] = ["An event needs a start."]
            if end is None:
                errors["end_time"] = ["An event needs an end."]
        if start is not None and end is not None and end <= start:
            errors["end_time"] = ["The end must be after the start."]
        for prefix, allowed in LINKS.items():
            self._validate_link(attrs, prefix, allowed, errors)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def _validate_link(
        self, attrs: dict[str, Any], prefix: str, allowed: tuple[str, ...], errors: dict[str, list[str]]
    ) -> None:
        type_key, id_key = f"{prefix}_type", f"{prefix}_id"
        if type_key not in attrs and id_key not in attrs:
            return
        instance: Activity | None = self.instance
        label = attrs[type_key] if type_key in attrs else getattr(instance, type_key, "")
        record_id = attrs[id_key] if id_key in attrs else getattr(instance, id_key, None)
        if not label and record_id is None:
            attrs[type_key], attrs[id_key] = "", None
            return
        if not label:
            errors[type_key] = [f"Give the type of the record: one of {', '.join(allowed)}."]
            return
        if record_id is None:
            errors[id_key] = ["Give the id of the record."]
            return
        model = model_for(label)
        if model is None:
            errors[type_key] = [f"{label} records are not available."]
        elif not model.objects.filter(pk=record_id).exists():
            errors[id_key] = [f"No {label} with id {record_id} exists."]
        attrs[type_key], attrs[id_key] = label, record_id


class ActivityRowSerializer(NamesMixin, serializers.ModelSerializer):
    """One activity in a record's timeline."""

    assigned_to_id = serializers.IntegerField(read_only=True)
    assigned_to_name = serializers.CharField(source="assigned_to.name", read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "type",
            "subject",
            "status",
            "priority",
            "due_date",
            "start_time",
            "end_time",
            "is_all_day_event",
            "location",
            "assigned_to_id",
            "assigned_to_name",
            "what_type",
            "what_id",
            "what_name",
            "who_type",
            "who_id",
            "who_name",
            "completed_at",
            "created_at",
            "version",
        ]
