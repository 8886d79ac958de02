from __future__ import annotations

from typing import Any, ClassVar

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import serializers

from crm.records.api import BIGINT_RANGE, RecordSerializer, ScopedRelatedField, scoped_queryset
from crm.records.registry import ObjectFields, declare

from ..links import WHAT_TYPES, WHO_TYPES, attach_names, attach_names_to_rows, link_name, normalize_type
from ..models import Activity


class ActiveUserField(ScopedRelatedField):
    """A user of the caller's organization who can still sign in."""

    def get_queryset(self) -> QuerySet:
        return scoped_queryset(self.related_model).filter(is_active=True)


class NamesMixin(serializers.Serializer):
    what_name = serializers.SerializerMethodField()
    who_name = serializers.SerializerMethodField()

    def _names(self, obj: Activity) -> Activity:
        if not hasattr(obj, "what_name"):
            attach_names([obj])
        return obj

    def get_what_name(self, obj: Activity) -> str | None:
        return self._names(obj).what_name

    def get_who_name(self, obj: Activity) -> str | None:
        return self._names(obj).who_name


# The activity's fields, declared once: the serializers' fields, the /meta/objects field definitions
# and the web form (objects.py) are derived from these. The record page shows them in this order;
# the form asks for them in its own.
ACTIVITY_FIELDS = ObjectFields(
    Activity,
    declare("type"),
    declare("subject"),
    declare("description", label="Comments"),
    declare("status"),
    declare("priority"),
    declare("due_date", label="Due Date"),
    declare("start_time", label="Start"),
    declare("end_time", label="End"),
    declare("is_all_day_event", label="All-Day Event"),
    declare("location"),
    declare("assigned_to_id", label="Assigned To", lookup="user"),
    declare("what_type", label="Related To Type"),
    declare("what_id", label="Related To", type="lookup", display="what_name"),
    declare("who_type", label="Name Type"),
    declare("who_id", label="Name", type="lookup", display="who_name"),
    declare("completed_at", label="Completed At", readonly=True),
    declare("owner_id", label="Created For", lookup="user"),
    form_order=(
        "type",
        "subject",
        "assigned_to_id",
        "what_type",
        "what_id",
        "who_type",
        "who_id",
        "due_date",
        "status",
        "priority",
        "start_time",
        "end_time",
        "is_all_day_event",
        "location",
        "description",
    ),
)


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
        fields = ACTIVITY_FIELDS.serializer_fields(RecordSerializer.record_fields)

    # The list's fast read path (crm/records/rows.py) fills the names once per page.
    row_fields: ClassVar[dict[str, tuple[tuple[str, ...], Any]]] = {
        "what_name": ((), lambda: None),
        "who_name": ((), lambda: None),
    }

    @classmethod
    def complete_rows(cls, rows: list[dict[str, Any]]) -> None:
        attach_names_to_rows(rows)

    def validate_what_type(self, value: str | None) -> str:
        return self._valid_type(value, WHAT_TYPES)

    def validate_who_type(self, value: str | None) -> str:
        return self._valid_type(value, WHO_TYPES)

    def _valid_type(self, value: str | None, allowed: tuple[str, ...]) -> str:
        label = normalize_type(value, allowed)
        if label is None:
            raise serializers.ValidationError(_("Use one of: %(choices)s.") % {"choices": ", ".join(allowed)})
        return label


class ActivityRowSerializer(NamesMixin, serializers.ModelSerializer):
    """One activity in a record's timeline."""

    assigned_to_id = serializers.IntegerField(read_only=True)
    assigned_to_name = serializers.CharField(source="assigned_to.name", read_only=True)

    # From the columns (crm/records/rows.py), the names come with the rows of ``timeline_rows``
    # (``with_link_names``): no query of their own.
    row_fields: ClassVar[dict[str, tuple[tuple[str, ...], Any]]] = {
        "what_name": (("what_type", "what_link"), link_name),
        "who_name": (("who_type", "who_link"), link_name),
    }

    class Meta:
        model = Activity
        # The list's fields without the long description, plus what a timeline row needs.
        fields = [
            "id",
            *(
                name
                for name in ACTIVITY_FIELDS.serializer_fields()
                if name not in ("description", "owner_id", "owner_name")
            ),
            "created_at",
            "version",
        ]
