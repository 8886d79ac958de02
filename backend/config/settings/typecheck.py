"""Settings the type checker loads (django-stubs' plugin builds its model types from the app registry).

django_celery_beat ships no type information, and with its models in the registry the plugin types the
organization-owned models' ``all_orgs`` manager as returning the abstract base; nothing but the type
check reads this module.
"""

from .test import *  # noqa: F403
from .test import INSTALLED_APPS

INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "django_celery_beat"]
