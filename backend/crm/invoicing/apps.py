from django.apps import AppConfig


class InvoicingConfig(AppConfig):
    name = "crm.invoicing"
    label = "invoicing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import (
            objects,  # noqa: F401  registers the UI metadata
            signals,  # noqa: F401  keeps synced quotes in step with their opportunity
        )
