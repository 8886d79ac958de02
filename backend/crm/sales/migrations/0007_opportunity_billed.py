from django.db import migrations, models


def mark_billed(apps, schema_editor):
    """Opportunities that already have an order or a contract are billed."""
    Opportunity = apps.get_model("sales", "Opportunity")
    for model_name, number in (("Order", "order_number"), ("Contract", "contract_number")):
        model = apps.get_model("billing", model_name)
        rows = model._base_manager.filter(opportunity__isnull=False).order_by("created_at", "id")
        for opportunity_id, value, created_at in rows.values_list("opportunity_id", number, "created_at"):
            Opportunity._base_manager.filter(pk=opportunity_id, billed_at__isnull=True).update(
                billed_at=created_at, billed_by=value
            )


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0006_default_stages_for_existing_organizations"),
        ("billing", "0004_payment_is_overpayment"),
    ]

    operations = [
        migrations.AddField(
            model_name="opportunity",
            name="billed_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="opportunity",
            name="billed_by",
            field=models.CharField(blank=True, default="", editable=False, max_length=20),
        ),
        migrations.RunPython(mark_billed, migrations.RunPython.noop),
    ]
