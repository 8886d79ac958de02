"""Settings shared by every environment; everything that differs comes from the environment."""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config.secret_key import load_or_create_secret_key

BACKEND_DIR = Path(__file__).resolve().parents[2]
REPO_DIR = BACKEND_DIR.parent
VAR_DIR = Path(os.environ.get("CRM_VAR_DIR", REPO_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
CRM_ENV = os.environ.get("CRM_ENV", "development")

# The key earlier versions fell back to. It is public, so production refuses it.
INSECURE_DEFAULT_SECRET_KEY = "insecure-development-key-do-not-use-in-production"  # noqa: S105
# SECRET_KEY from the environment; elsewhere than production a random key generated on first
# start into the data directory (var/secret_key, mode 0600) and reused afterwards.
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY and CRM_ENV != "production":
    SECRET_KEY = load_or_create_secret_key(VAR_DIR / "secret_key")
if CRM_ENV == "production" and (not SECRET_KEY or SECRET_KEY == INSECURE_DEFAULT_SECRET_KEY or DEBUG):
    raise ImproperlyConfigured("Production needs SECRET_KEY from the environment and DEBUG off.")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CRM_BASE_URL = os.environ.get("CRM_BASE_URL", f"http://127.0.0.1:{os.environ.get('PORT', '8000')}")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crm.audit",
    "crm.records",
    "crm.identity",
    "crm.accounts",
    "crm.sales",
    "crm.billing",
    "crm.service",
    "crm.activities",
    "crm.operations",
    "crm.sharing",
    "crm.dashboard",
    "crm.seeding",
    "crm.invoicing",
    "crm.marketing",
    "crm.stripe_gateway",
    "crm.saas",
    "crm.collections",
    "crm.datatools",
]

MIDDLEWARE = [
    "crm.core.security.TrustedProxyMiddleware",
    "crm.operations.metrics.MetricsMiddleware",
    "crm.records.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "crm.core.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Server messages in the language the request asks for (Accept-Language); a signed-in user's
    # own language wins (crm.identity.authentication).
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
APPEND_SLASH = False

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'crm.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers work while one writer commits; IMMEDIATE avoids lock upgrades mid-transaction.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"].startswith("django.db.backends.postgresql"):
    # JIT compilation pays off for long analytical queries only; for short requests whose cost
    # estimate crosses the threshold it added up to a second of compile time. The working set
    # is in memory or on SSDs, where a random read costs little more than a sequential one:
    # at PostgreSQL's default (4) the planner scanned 200,000 opportunities for the pipeline
    # totals instead of reading the covering index.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off -c random_page_cost=1.1"
    # Connection pooling (psycopg's pool, one per process) when DB_POOL_MAX is set; persistent
    # connections (DB_CONN_MAX_AGE) otherwise. PgBouncer in front of PostgreSQL is the alternative.
    if int(os.environ.get("DB_POOL_MAX") or "0") > 0:
        DATABASES["default"]["OPTIONS"]["pool"] = {
            "min_size": int(os.environ.get("DB_POOL_MIN") or "1"),
            "max_size": int(os.environ["DB_POOL_MAX"]),
            "timeout": float(os.environ.get("DB_POOL_TIMEOUT") or "10"),
        }
        DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# A list counts at most this many rows ("2,000+ items"); page further with ?cursor=.
LIST_COUNT_CAP = int(os.environ.get("LIST_COUNT_CAP", "2000"))

AUTH_USER_MODEL = "identity.User"
# Emails are unique per organization, not globally (crm.identity.models.User), so sign-in goes
# through our own backend; with a non-default backend Django's USERNAME_FIELD uniqueness check
# becomes the warning auth.W004, silenced because the uniqueness is per organization on purpose.
AUTHENTICATION_BACKENDS = ["crm.identity.backends.EmailPasswordBackend"]
SILENCED_SYSTEM_CHECKS = ["auth.W004"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("email", "name")},
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PASSWORD_RESET_TIMEOUT", str(3 * 24 * 3600)))
# How long an invitation's link works; a resend starts the time again.
INVITATION_TTL_DAYS = int(os.environ.get("INVITATION_TTL_DAYS", "7"))

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    # A table in the app's own database: shared by every worker process, nothing else to run.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "crm_cache"}}

LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
FRONTEND_DIST = REPO_DIR / "frontend" / "dist"
STATICFILES_DIRS = [FRONTEND_DIST] if FRONTEND_DIST.is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Mail: console unless an SMTP host is configured.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
    EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
else:
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
    # Where the file-based backend (EMAIL_BACKEND=django.core.mail.backends.filebased.EmailBackend) writes.
    EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "CRM <no-reply@localhost>")

# Security headers and cookies.
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed (IPs or CIDRs); nobody else's are.
# This replaces SECURE_PROXY_SSL_HEADER: see crm.core.security.
try:
    TRUSTED_PROXIES = [str(ipaddress.ip_network(entry, strict=False)) for entry in env_list("TRUSTED_PROXIES")]
except ValueError as exc:
    raise ImproperlyConfigured(f"TRUSTED_PROXIES: {exc}") from exc
COOKIE_SECURE = env_bool("COOKIE_SECURE", CRM_ENV == "production")
CSRF_COOKIE_SECURE = COOKIE_SECURE
SESSION_COOKIE_SECURE = COOKIE_SECURE
CSRF_COOKIE_SAMESITE = "Lax"
# Sent only on HTTPS responses (request.is_secure()), so plain-HTTP development is unaffected.
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# Authentication tokens.
AUTH_COOKIE_NAME = "crm_token"
AUTH_TOKEN_TTL_HOURS = int(os.environ.get("AUTH_TOKEN_TTL_HOURS", "336"))
# Default lifetime of a personal API token; a token that never expires must be asked for.
PERSONAL_TOKEN_TTL_DAYS = int(os.environ.get("PERSONAL_TOKEN_TTL_DAYS", "90"))
LOGIN_MAX_FAILURES = int(os.environ.get("LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCKOUT_MINUTES = int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15"))

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["crm.identity.authentication.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["crm.records.parsers.JSONBodyParser"],
    "DEFAULT_SCHEMA_CLASS": "crm.records.schema.RecordAutoSchema",
    "DEFAULT_PAGINATION_CLASS": "crm.records.listing.pagination.RecordPagination",
    "DEFAULT_FILTER_BACKENDS": [
        "crm.records.listing.filters.RecordFilterBackend",
        "crm.records.listing.search.RecordSearchFilter",
        "crm.records.listing.ordering.AliasOrderingFilter",
    ],
    "EXCEPTION_HANDLER": "crm.core.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {
        "login_client": os.environ.get("LOGIN_RATE_CLIENT", "20/min"),
        "login_account": os.environ.get("LOGIN_RATE_ACCOUNT", "10/min"),
        "password_reset": "5/hour",
        "password_set": "20/hour",
        "invitation_check": "60/hour",
        "invitation_accept": "20/hour",
        "saas_signup": os.environ.get("SAAS_SIGNUP_RATE", "10/hour"),
    },
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "COERCE_DECIMAL_TO_STRING": True,
    "DATETIME_FORMAT": "iso-8601",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "CRM API",
    "DESCRIPTION": (
        "REST API of the CRM. Authenticate with `POST /api/v1/auth/login`, then send "
        "`Authorization: Bearer <token>`. Updates carry the record's `version`; a stale version answers 409."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v[0-9]",
    "ENUM_NAME_OVERRIDES": {
        "AccountTypeEnum": "crm.accounts.models.Account.Type",
        "CaseStatusEnum": "crm.service.models.Case.Status",
        "CasePriorityEnum": "crm.service.models.Case.Priority",
        "ActivityTypeEnum": "crm.activities.models.Activity.Type",
        "ActivityStatusEnum": "crm.activities.models.Activity.Status",
        "ActivityPriorityEnum": "crm.activities.models.Activity.Priority",
        "LeadStatusEnum": "crm.sales.models.Lead.Status",
        "ContactRoleEnum": "crm.sales.models.OpportunityContactRole.Role",
        "UserRoleEnum": "crm.identity.models.Role",
        "OrderStatusEnum": "crm.billing.models.Order.Status",
        "ContractStatusEnum": "crm.billing.models.Contract.Status",
        "PaymentStatusEnum": "crm.billing.models.Payment.Status",
        "QuoteStatusEnum": "crm.invoicing.models.Quote.Status",
        "InvoiceStatusEnum": "crm.invoicing.models.Invoice.Status",
        "InvoiceKindEnum": "crm.invoicing.models.Invoice.Kind",
        "TaxCategoryEnum": "crm.invoicing.models.TaxCategory",
        "DocumentTypeEnum": "crm.invoicing.models.DocumentTemplate.DocType",
    },
    "APPEND_COMPONENTS": {
        "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
    },
    "SECURITY": [{"bearerAuth": []}],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "crm.records.schema.strip_trailing_slashes",
        "crm.records.schema.record_tags",
    ],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        }
    },
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}

# Background jobs (crm.jobs) on Celery. With REDIS_URL, Redis is the broker; without it, kombu's
# filesystem transport keeps the queue in files under var/broker: nothing to install or run, and
# worker and beat work the same (see README, "Background jobs").
INSTALLED_APPS += ["django_celery_beat", "crm.jobs", "crm.automation"]
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or REDIS_URL or "filesystem://localhost//"
if CELERY_BROKER_URL.startswith("filesystem://"):
    _BROKER_DIR = VAR_DIR / "broker"
    for _folder in ("queue", "processed", "control"):
        (_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_BROKER_DIR / "queue"),
        "data_folder_out": str(_BROKER_DIR / "queue"),
        "processed_folder": str(_BROKER_DIR / "processed"),
        "control_folder": str(_BROKER_DIR / "control"),
        "store_processed": False,
    }
else:
    # A message not acknowledged within this time is delivered again (acks_late: after the job ran).
    # Workers look for such messages every CELERY_RESTORE_INTERVAL seconds.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": int(os.environ.get("CELERY_VISIBILITY_TIMEOUT", "3600")),
        "unacked_restore_interval": int(os.environ.get("CELERY_RESTORE_INTERVAL", "60")),
        "unacked_restore_throttle": 1,
    }
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# A job left queued or running this long is sent again by the sweeper (a lost message, a killed worker).
JOBS_STUCK_SECONDS = int(os.environ.get("JOBS_STUCK_SECONDS", "900"))
BACKUP_INTERVAL_HOURS = float(os.environ.get("BACKUP_INTERVAL_HOURS", "24"))
BACKUP_KEEP = int(os.environ.get("BACKUP_KEEP", "14"))
# The periodic schedules; the database scheduler (django-celery-beat) stores them at start.
CELERY_BEAT_SCHEDULE = {
    "jobs-sweep": {"task": "jobs.sweep", "schedule": float(os.environ.get("JOBS_SWEEP_SECONDS", "60"))},
    "backup-check": {"task": "operations.backup_check", "schedule": 15 * 60.0},
    # Retainer invoices: hourly check, one billing job per organization and day.
    "retainer-billing": {"task": "invoicing.billing_check", "schedule": 60 * 60.0},
    # Webhook retries and workflow waits whose time has come.
    "automation-due": {"task": "automation.due", "schedule": float(os.environ.get("AUTOMATION_DUE_SECONDS", "5"))},
    # "N days before / after a date" workflows: checked hourly, one job per workflow and day.
    "automation-dates": {"task": "automation.dates", "schedule": 60 * 60.0},
    # Payment reminders: hourly check, one reminder job per organization and day.
    "payment-reminders": {"task": "collections.reminders_check", "schedule": 60 * 60.0},
}

# /metrics (Prometheus): from loopback without a proxy in between, or with "Authorization: Bearer METRICS_TOKEN".
METRICS_TOKEN = os.environ.get("METRICS_TOKEN", "")
# The app instance's name, sent as X-CRM-Instance on every response (which instance behind the balancer answered).
CRM_INSTANCE = os.environ.get("CRM_INSTANCE", "")
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"]["JobStateEnum"] = "crm.jobs.models.Job.State"
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"].update(
    {
        "ImportModeEnum": "crm.datatools.models.Import.Mode",
        "ImportCommitEnum": "crm.datatools.models.Import.Commit",
        "ImportStatusEnum": "crm.datatools.models.Import.Status",
    }
)
# A team's settings: the languages the server speaks, uploaded files, invitations, password mail.
LANGUAGES = [("en", "English"), ("bg", "Български")]
LOCALE_PATHS = [BACKEND_DIR / "locale"]
# Uploads (the organization's logo) live here and are served only through the API, to members.
MEDIA_ROOT = VAR_DIR / "media"
ORGANIZATION_LOGO_MAX_BYTES = int(os.environ.get("ORGANIZATION_LOGO_MAX_BYTES", str(1024 * 1024)))
# Password-reset mail is sent from a background thread, so the answer's timing reveals nothing.
MAIL_IN_BACKGROUND = env_bool("MAIL_IN_BACKGROUND", True)

# Automation (crm.automation): web-to-lead forms.
WEB_FORM_MAX_BYTES = int(os.environ.get("WEB_FORM_MAX_BYTES", "16384"))
# Public submissions per client address and form.
WEB_FORM_RATE = os.environ.get("WEB_FORM_RATE", "20/min")
# Outbound webhooks: private, loopback and reserved addresses are refused (SSRF) unless this is on.
WEBHOOK_ALLOW_PRIVATE_ADDRESSES = os.environ.get("WEBHOOK_ALLOW_PRIVATE_ADDRESSES", "").lower() in ("1", "true", "yes")
WEBHOOK_TIMEOUT_SECONDS = float(os.environ.get("WEBHOOK_TIMEOUT_SECONDS", "10"))
WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("WEBHOOK_MAX_ATTEMPTS", "6"))
WEBHOOK_RETRY_BASE_SECONDS = float(os.environ.get("WEBHOOK_RETRY_BASE_SECONDS", "30"))
WEBHOOK_RETRY_MAX_SECONDS = float(os.environ.get("WEBHOOK_RETRY_MAX_SECONDS", "21600"))
# Failed attempts in a row after which an endpoint is switched off (and its administrators told).
WEBHOOK_DISABLE_AFTER = int(os.environ.get("WEBHOOK_DISABLE_AFTER", "10"))
# Workflows: a chain of workflow-caused updates stops at this depth (loop protection).
WORKFLOW_MAX_DEPTH = int(os.environ.get("WORKFLOW_MAX_DEPTH", "5"))
# The queue automation jobs go to (empty: the default queue every worker reads). The browser tests
# run a worker for this queue only, so that workflows run while other jobs stay queued.
AUTOMATION_QUEUE = os.environ.get("AUTOMATION_QUEUE", "")
# The same for the marketing jobs (delivering sends): the browser tests read the mail a send delivers.
MARKETING_QUEUE = os.environ.get("MARKETING_QUEUE", "")
# Imports (crm.datatools) on a queue of their own when set, e.g. for workers sized for large files.
IMPORTS_QUEUE = os.environ.get("IMPORTS_QUEUE", "")
CELERY_TASK_ROUTES: dict[str, dict[str, str]] = {
    **({"automation.*": {"queue": AUTOMATION_QUEUE}} if AUTOMATION_QUEUE else {}),
    **({"marketing.*": {"queue": MARKETING_QUEUE}} if MARKETING_QUEUE else {}),
    **({"datatools.*": {"queue": IMPORTS_QUEUE}} if IMPORTS_QUEUE else {}),
}
# --- Stripe: payment links for invoices and the signed webhook (crm.stripe_gateway) -------------------
# Without STRIPE_SECRET_KEY the payment-link endpoint answers 409 stripe_not_configured.
STRIPE_SECRET_KEY = os.environ.get("STRIPE_SECRET_KEY", "")
STRIPE_WEBHOOK_SECRET = os.environ.get("STRIPE_WEBHOOK_SECRET", "")
# Where the Stripe library sends its requests (a local stand-in in tests).
STRIPE_API_BASE = os.environ.get("STRIPE_API_BASE", "https://api.stripe.com")
STRIPE_MAX_NETWORK_RETRIES = int(os.environ.get("STRIPE_MAX_NETWORK_RETRIES", "2"))
# A signed event older than this is refused (replayed deliveries).
STRIPE_WEBHOOK_TOLERANCE_SECONDS = int(os.environ.get("STRIPE_WEBHOOK_TOLERANCE_SECONDS", "300"))
# Where Stripe Checkout sends the payer back; the CRM's own address by default.
STRIPE_CHECKOUT_RETURN_URL = os.environ.get("STRIPE_CHECKOUT_RETURN_URL", "")

# --- SaaS mode (crm.saas): public sign-up, plans and their limits, Stripe subscriptions ---------------
# Off by default: the SaaS routes answer 404 and no limit applies.
SAAS_MODE = env_bool("SAAS_MODE", False)
# The plans, first the one every new organization starts on. seats: active users; record_limit:
# records of each object (accounts, contacts, ...); None: no limit. A plan without a Stripe price id
# cannot be bought through Checkout. Shrinking a plan never removes data: only new users and records
# beyond the limit are refused.
SAAS_PLANS = [
    {"code": "free", "name": "Free", "seats": 3, "record_limit": 1000, "features": [], "monthly_price": "0"},
    {
        "code": "team",
        "name": "Team",
        "seats": 10,
        "record_limit": 50000,
        "features": ["ai"],
        "price_id": os.environ.get("STRIPE_PRICE_TEAM", ""),
        "monthly_price": os.environ.get("SAAS_PRICE_TEAM_LABEL", "29 EUR / user"),
    },
    {
        "code": "business",
        "name": "Business",
        "seats": None,
        "record_limit": None,
        "features": ["ai", "marketing"],
        "price_id": os.environ.get("STRIPE_PRICE_BUSINESS", ""),
        "monthly_price": os.environ.get("SAAS_PRICE_BUSINESS_LABEL", "59 EUR / user"),
    },
]
# Marketing email sends: the per-organization rate (one token bucket in Redis, shared by all
# workers, or in the database without Redis), the tracking links' base address and signing salt.
MARKETING_RATE_PER_MINUTE = int(os.environ.get("MARKETING_RATE_PER_MINUTE", "600"))
MARKETING_RATE_REDIS_URL = os.environ.get("MARKETING_RATE_REDIS_URL", REDIS_URL)
MARKETING_PUBLIC_URL = os.environ.get("MARKETING_PUBLIC_URL", "") or CRM_BASE_URL
MARKETING_FROM_EMAIL = os.environ.get("MARKETING_FROM_EMAIL", "marketing@localhost")
# A delivery run stops after this many seconds and the next one (beat, every minute) continues.
MARKETING_RUN_SECONDS = float(os.environ.get("MARKETING_RUN_SECONDS", "50"))
# A row left in "sending" longer than this belonged to a worker that died: it becomes "unknown".
MARKETING_STUCK_SECONDS = float(os.environ.get("MARKETING_STUCK_SECONDS", "120"))
CELERY_BEAT_SCHEDULE["marketing-tick"] = {"task": "marketing.tick", "schedule": 60.0}
# Bounce notifications (DSNs or a provider relay) authenticate with this bearer token.
MARKETING_HOOK_TOKEN = os.environ.get("MARKETING_HOOK_TOKEN", "")

# Imports: the largest file accepted, and the most an XLSX workbook may unpack to (zip bombs).
IMPORT_MAX_BYTES = int(os.environ.get("IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
IMPORT_MAX_UNCOMPRESSED_BYTES = int(os.environ.get("IMPORT_MAX_UNCOMPRESSED_BYTES", str(500 * 1024 * 1024)))
