"""The audit trail moves from ``records`` to its own app below identity.

Only Django's model state moves: the table (``records_auditevent``), its rows, its index and its
append-only triggers (records migration 0002) stay as they are. The content type follows the model,
so permissions on it are kept.
"""

import django.db.models.deletion
import django.db.models.manager
from django.conf import settings
from django.db import migrations, models


def content_type_to_audit(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="audit", model="auditevent").exists():
        ContentType.objects.filter(app_label="records", model="auditevent").update(app_label="audit")


def content_type_to_records(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label="records", model="auditevent").exists():
        ContentType.objects.filter(app_label="audit", model="auditevent").update(app_label="records")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("identity", "0001_initial"),
        ("records", "0003_orgowned_sequence"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("object_type", models.CharField(max_length=64)),
                        ("object_id", models.BigIntegerField()),
                        (
                            "action",
                            models.CharField(
                                choices=[
                                    ("create", "Create"),
                                    ("update", "Update"),
                                    ("deactivate", "Deactivate"),
                                    ("reactivate", "Reactivate"),
                                    ("action", "Action"),
                                ],
                                max_length=16,
                            ),
                        ),
                        ("name", models.CharField(blank=True, default="", max_length=64)),
                        ("changes", models.JSONField(default=dict)),
                        ("at", models.DateTimeField(auto_now_add=True)),
                        (
                            "actor",
                            models.ForeignKey(
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "organization",
                            models.ForeignKey(
                                editable=False,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="identity.organization",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "records_auditevent",
                        "ordering": ["-at", "-id"],
                        "abstract": False,
                        "base_manager_name": "all_orgs",
                        "default_manager_name": "all_orgs",
                        "indexes": [
                            models.Index(
                                fields=["organization", "object_type", "object_id", "-at"],
                                name="records_aud_organiz_ef5331_idx",
                            )
                        ],
                    },
                    managers=[
                        ("all_orgs", django.db.models.manager.Manager()),
                    ],
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_type_to_audit, content_type_to_records, elidable=True),
    ]
