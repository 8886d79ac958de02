"""Indexes for global search: newest orders and contracts first, trigram search on their numbers."""

from django.db import migrations, models

from crm.records.migration_ops import trigram_indexes

# ?search= on orders, payments and contracts, and global search (PostgreSQL only).
TRIGRAM_INDEXES = {
    "order_number_trgm": ("billing_order", "order_number"),
    "contract_number_trgm": ("billing_contract", "contract_number"),
    "payment_transaction_trgm": ("billing_payment", "transaction_id"),
}


class Migration(migrations.Migration):
    dependencies = [("billing", "0002_payment_retainer_covering_index")]

    operations = [
        migrations.AddIndex(
            model_name="contract",
            index=models.Index(fields=["organization", "-created_at"], name="contract_org_created"),
        ),
        migrations.AddIndex(
            model_name="order",
            index=models.Index(fields=["organization", "-created_at"], name="order_org_created"),
        ),
        trigram_indexes(TRIGRAM_INDEXES),
    ]
