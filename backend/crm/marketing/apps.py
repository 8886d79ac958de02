from django.apps import AppConfig


class MarketingConfig(AppConfig):
    name = "crm.marketing"
    label = "marketing"
    verbose_name = "Marketing"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import (
            objects,  # noqa: F401  registers the UI metadata
            tasks,  # noqa: F401  registers the jobs (delivery runs in the test process too)
        )
