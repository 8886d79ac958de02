"""The Celery application: Redis as the broker when REDIS_URL is set, else a folder under var/.

Workers: ``celery -A config worker``; the one scheduler: ``celery -A config beat`` (or
``worker --beat`` on a single machine). Configuration is read from Django settings (CELERY_*).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

app = Celery("crm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
