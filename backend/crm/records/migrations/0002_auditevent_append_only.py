from django.db import migrations

from crm.audit import append_only


def forwards(apps, schema_editor):
    append_only.install(schema_editor.connection)


def backwards(apps, schema_editor):
    append_only.uninstall(schema_editor.connection)


class Migration(migrations.Migration):

    dependencies = [
        ("records", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
