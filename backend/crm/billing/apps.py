from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "crm.billing"
    label = "billing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import objects  # noqa: F401  registers the UI metadata
