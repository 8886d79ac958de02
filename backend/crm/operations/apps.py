from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "crm.operations"
    label = "operations"
    verbose_name = "Operations: backups and recovery"
