"""Copy the order and contract counters into the shared per-organization sequences."""

from django.db import migrations


def forwards(apps, schema_editor):
    NumberCounter = apps.get_model("billing", "NumberCounter")
    Sequence = apps.get_model("records", "Sequence")
    for counter in NumberCounter.objects.all().order_by("id"):
        # The sequence row may exist already if the new code ran first: keep the higher value.
        sequence, created = Sequence.all_orgs.get_or_create(
            organization_id=counter.organization_id, key=counter.kind, defaults={"last_value": counter.last_value}
        )
        if not created and sequence.last_value < counter.last_value:
            sequence.last_value = counter.last_value
            sequence.save(update_fields=["last_value"])


def backwards(apps, schema_editor):
    NumberCounter = apps.get_model("billing", "NumberCounter")
    Sequence = apps.get_model("records", "Sequence")
    for sequence in Sequence.all_orgs.filter(key__in=["order", "contract"]).order_by("id"):
        NumberCounter.objects.update_or_create(
            organization_id=sequence.organization_id, kind=sequence.key, defaults={"last_value": sequence.last_value}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0004_payment_is_overpayment"),
        ("records", "0003_orgowned_sequence"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
