"""Production settings: base plus the checks that refuse an unsafe start."""

import os

from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("CRM_ENV", "production")

from .base import *  # noqa: F403
from .base import DEBUG, INSECURE_DEFAULT_SECRET_KEY, SECRET_KEY

if not SECRET_KEY or SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY or DEBUG:
    raise ImproperlyConfigured("Production needs SECRET_KEY from the environment and DEBUG off.")

# Outbound webhooks never reach private, loopback or reserved addresses in production (SSRF).
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = False
