from rest_framework import serializers

from ..models import Job


class JobSerializer(serializers.ModelSerializer):
    class Meta:
        model = Job
        fields = [
            "id",
            "task",
            "key",
            "args",
            "state",
            "attempts",
            "last_error",
            "version",
            "created_at",
            "updated_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields
