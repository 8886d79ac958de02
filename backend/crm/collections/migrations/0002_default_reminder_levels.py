"""The default reminder levels (3, 14 and 30 days) for the organizations that exist already."""

from django.db import migrations
from django.utils import translation


def seed(apps, schema_editor):
    from crm.collections.services.reminders import _default_levels

    Organization = apps.get_model("identity", "Organization")
    ReminderLevel = apps.get_model("collections", "ReminderLevel")
    have = set(ReminderLevel.all_orgs.values_list("organization_id", flat=True))
    for org in Organization.objects.exclude(pk__in=have):
        with translation.override(org.default_language or "en"):
            ReminderLevel.all_orgs.bulk_create(
                [ReminderLevel(organization_id=org.pk, **values) for values in _default_levels()],
                ignore_conflicts=True,
            )


class Migration(migrations.Migration):
    dependencies = [("collections", "0001_initial"), ("identity", "0007_cache_table")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
