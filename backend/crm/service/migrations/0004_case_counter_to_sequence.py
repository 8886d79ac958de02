"""Copy the case number counters into the shared per-organization sequences (key "case")."""

from django.db import migrations


def forwards(apps, schema_editor):
    CaseNumberCounter = apps.get_model("service", "CaseNumberCounter")
    Sequence = apps.get_model("records", "Sequence")
    for counter in CaseNumberCounter.objects.all().order_by("id"):
        sequence, created = Sequence.all_orgs.get_or_create(
            organization_id=counter.organization_id, key="case", defaults={"last_value": counter.last_value}
        )
        if not created and sequence.last_value < counter.last_value:
            sequence.last_value = counter.last_value
            sequence.save(update_fields=["last_value"])


def backwards(apps, schema_editor):
    CaseNumberCounter = apps.get_model("service", "CaseNumberCounter")
    Sequence = apps.get_model("records", "Sequence")
    for sequence in Sequence.all_orgs.filter(key="case").order_by("id"):
        CaseNumberCounter.objects.update_or_create(
            organization_id=sequence.organization_id, defaults={"last_value": sequence.last_value}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("service", "0003_newest_first_index"),
        ("records", "0003_orgowned_sequence"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
