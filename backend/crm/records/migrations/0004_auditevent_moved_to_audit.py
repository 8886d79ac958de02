"""The audit trail now belongs to the ``audit`` app (its migration 0001): the model leaves this app's
state, and its table, rows and triggers stay where they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
        ("records", "0003_orgowned_sequence"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AuditEvent")],
            database_operations=[],
        ),
    ]
