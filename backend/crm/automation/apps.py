from django.apps import AppConfig


class AutomationConfig(AppConfig):
    name = "crm.automation"
    label = "automation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import (
            receivers,  # noqa: F401  turns domain events into webhook deliveries and workflow runs
            tasks,  # noqa: F401  registers the automation jobs
        )
