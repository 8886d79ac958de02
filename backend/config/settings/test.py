"""Settings for the test suite: same as base, with fast hashing, in-memory cache and mail outbox."""

from .base import *  # noqa: F403
from .base import PASSWORD_HASHERS

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING["root"]["level"] = "WARNING"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file (one per test worker) rather than shared-cache memory: concurrent writers then wait
    # for the lock like they do in production, so the concurrency tests run on SQLite too.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / "test-crm.sqlite3")}

# Jobs run in the test process, at once (the broker is not involved).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_BROKER_URL = "memory://"
MAIL_IN_BACKGROUND = False  # mail lands in the outbox before the answer; the timing test turns it on
# The webhook tests post to a local HTTP server on 127.0.0.1.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
