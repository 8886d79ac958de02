from __future__ import annotations

import json
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from ..models import Changeset, Import
from ..services import import_progress


class ImportUploadSerializer(serializers.Serializer[Any]):
    file = serializers.FileField(
        help_text="A CSV (UTF-8 or Windows-1251) or XLSX file; the first line names the columns."
    )
    object = serializers.CharField(max_length=40, help_text="The object to import into, e.g. contact.")


class ImportCreateSerializer(ImportUploadSerializer):
    mapping = serializers.CharField(help_text='JSON: column header -> field name, e.g. {"E-mail": "email"}.')
    mode = serializers.ChoiceField(choices=Import.Mode.choices, default=Import.Mode.CREATE)
    commit = serializers.ChoiceField(choices=Import.Commit.choices, default=Import.Commit.ALL_OR_NOTHING)
    dry_run = serializers.BooleanField(default=False)

    def validate_mapping(self, value: str) -> dict[str, str]:
        try:
            mapping = json.loads(value)
        except ValueError:
            raise serializers.ValidationError(_("Give the mapping as a JSON object.")) from None
        if not isinstance(mapping, dict) or not all(
            isinstance(key, str) and isinstance(item, str) for key, item in mapping.items()
        ):
            raise serializers.ValidationError(_("Give the mapping as a JSON object of column names to field names."))
        return mapping


class ImportFieldSerializer(serializers.Serializer[Any]):
    name = serializers.CharField()
    label = serializers.CharField()
    required = serializers.BooleanField()


class ImportPreviewSerializer(serializers.Serializer[Any]):
    object = serializers.CharField()
    format = serializers.CharField()
    encoding = serializers.CharField()
    delimiter = serializers.CharField()
    headers = serializers.ListField(child=serializers.CharField())
    rows = serializers.ListField(child=serializers.ListField(child=serializers.CharField()))
    total_rows = serializers.IntegerField()
    fields = ImportFieldSerializer(many=True)
    suggested_mapping = serializers.DictField(child=serializers.CharField())
    natural_keys = serializers.ListField(child=serializers.CharField())


class ImportErrorSerializer(serializers.Serializer[Any]):
    row = serializers.IntegerField()
    column = serializers.CharField()
    value = serializers.CharField()
    message = serializers.CharField()


MAX_LISTED_ERRORS = 200


class ImportSerializer(serializers.ModelSerializer[Import]):
    progress = serializers.SerializerMethodField(help_text="Rows processed so far")
    created_by_name = serializers.CharField(source="created_by.name", read_only=True)

    class Meta:
        model = Import
        fields = [
            "id",
            "object",
            "file_name",
            "file_format",
            "encoding",
            "delimiter",
            "mapping",
            "mode",
            "commit",
            "dry_run",
            "status",
            "total_rows",
            "processed_rows",
            "progress",
            "created_count",
            "updated_count",
            "error_count",
            "message",
            "changeset",
            "created_by",
            "created_by_name",
            "created_at",
            "finished_at",
        ]
        read_only_fields = fields

    def get_progress(self, obj: Import) -> int:
        return import_progress(obj)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # ``errors`` cannot be declared on the class (a serializer's own ``errors`` is its validation
        # result): it is added to the fields here, the first MAX_LISTED_ERRORS row errors.
        fields = super().get_fields()
        fields["errors"] = ImportErrorListField(
            child=ImportErrorSerializer(),
            read_only=True,
            help_text="The first 200 row errors; the error report has them all.",
        )
        return fields


class ImportErrorListField(serializers.ListField):
    def to_representation(self, data: Any) -> list[Any]:
        return super().to_representation(list(data)[:MAX_LISTED_ERRORS])


class ChangesetSerializer(serializers.ModelSerializer[Changeset]):
    created_by_name = serializers.CharField(source="created_by.name", read_only=True)
    row_count = serializers.SerializerMethodField()

    class Meta:
        model = Changeset
        fields = [
            "id",
            "kind",
            "object",
            "label",
            "created_by",
            "created_by_name",
            "created_at",
            "reverted_at",
            "reverted_by",
            "revert_report",
            "row_count",
        ]
        read_only_fields = fields

    def get_row_count(self, obj: Changeset) -> int:
        total = getattr(obj, "row_total", None)
        return total if total is not None else obj.rows.count()
