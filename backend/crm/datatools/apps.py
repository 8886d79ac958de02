from django.apps import AppConfig


class DatatoolsConfig(AppConfig):
    name = "crm.datatools"
    label = "datatools"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import tasks  # noqa: F401  registers the import job
