"""Store each opportunity's amount (the sum of its lines) and cover the pipeline's totals.

The backfill is one UPDATE with a correlated subquery, so it runs inside the database on
SQLite and PostgreSQL alike. The indexes holding the amount are built after it, so the UPDATE
does not maintain them row by row.
"""

from decimal import Decimal

from django.db import migrations, models
from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce


def backfill_amounts(apps, schema_editor):
    """amount = COALESCE((SELECT SUM(quantity * sale_price) FROM lines WHERE opportunity = id), 0)."""
    opportunity = apps.get_model("sales", "Opportunity")
    line = apps.get_model("sales", "OpportunityLineItem")
    money = DecimalField(max_digits=18, decimal_places=2)
    totals = (
        line._base_manager.filter(opportunity_id=OuterRef("pk"))
        .order_by()
        .values("opportunity_id")
        .annotate(total=Sum(F("quantity") * F("sale_price"), output_field=money))
        .values("total")
    )
    opportunity._base_manager.using(schema_editor.connection.alias).update(
        amount=Coalesce(Subquery(totals, output_field=money), Value(Decimal("0.00")), output_field=money)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("sales", "0002_opportunity_opp_org_stage_close"),
    ]

    operations = [
        migrations.AddField(
            model_name="opportunity",
            name="amount",
            field=models.DecimalField(decimal_places=2, default=Decimal("0.00"), editable=False, max_digits=18),
        ),
        # Reversing drops the column, so there is nothing to undo here.
        migrations.RunPython(backfill_amounts, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(fields=["organization", "is_active", "stage", "amount"], name="opp_org_stage_amount"),
        ),
        # The owner index gains the stage and the amount: same uses, plus "my pipeline"'s totals.
        migrations.RemoveIndex(
            model_name="opportunity",
            name="opp_org_owner",
        ),
        migrations.AddIndex(
            model_name="opportunity",
            index=models.Index(
                fields=["organization", "owner", "is_active", "stage", "amount"], name="opp_org_owner_stage"
            ),
        ),
    ]
