from __future__ import annotations

from typing import Any

from rest_framework import serializers

from crm.records.api import ScopedRelatedField

from ..models import Access, RecordShare
from ..rules import OBJECTS


class SharingDefaultsSerializer(serializers.Serializer[Any]):
    """Every object's organization-wide default; a PUT may name only the objects it changes."""

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {key: serializers.ChoiceField(choices=Access.choices, required=False) for key, _ in OBJECTS.values()}


class RecordShareSerializer(serializers.ModelSerializer[RecordShare]):
    user_id = ScopedRelatedField("identity.User", source="user")
    user_name = serializers.CharField(source="user.name", read_only=True)
    user_email = serializers.CharField(source="user.email", read_only=True)
    access = serializers.ChoiceField(choices=RecordShare.Level.choices)
    created_by_id = serializers.IntegerField(read_only=True)

    class Meta:
        model = RecordShare
        fields = ["id", "user_id", "user_name", "user_email", "access", "created_by_id", "created_at"]
        read_only_fields = ["created_at"]
