#!/usr/bin/env bash
# Starts the backend on a fresh temporary SQLite database with the built UI, for the browser tests.
set -euo pipefail
PORT="${E2E_PORT:-8765}"
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
WORK="$(mktemp -d -t crm-e2e-XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
export DATABASE_URL="sqlite:///$WORK/e2e.sqlite3"
export CRM_VAR_DIR="$WORK/var"
export CRM_ADMIN_PASSWORD="${E2E_ADMIN_PASSWORD:-E2e-Pass-2024!}"
export LOGIN_MAX_FAILURES=50
# Every journey signs in; the login rate limits are tested by the API suite, not here.
export LOGIN_RATE_CLIENT=1000/min
export LOGIN_RATE_ACCOUNT=1000/min
export DEBUG=0
export LOG_LEVEL=WARNING
# Mail goes to files a journey can read (a welcome mail's set-password link).
export EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend"
export EMAIL_FILE_PATH="${E2E_MAIL_DIR:-$WORK/mail}"
PY="$ROOT/.venv/bin/python"
cd "$ROOT/backend"
# A local stand-in for Stripe's API (Checkout sessions for the payment-link journey); it stops with the server.
STRIPE_PORT="$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
"$PY" -m crm.stripe_gateway.testing --port "$STRIPE_PORT" &
export STRIPE_API_BASE="http://127.0.0.1:$STRIPE_PORT"
export STRIPE_SECRET_KEY="sk_test_e2e"
export STRIPE_WEBHOOK_SECRET="whsec_test_e2e"
export SAAS_MODE="${E2E_SAAS_MODE:-0}"
# The paid plans' Stripe prices (the stand-in accepts any id): the upgrade journey opens Checkout.
export STRIPE_PRICE_TEAM="${STRIPE_PRICE_TEAM:-price_team_e2e}"
export STRIPE_PRICE_BUSINESS="${STRIPE_PRICE_BUSINESS:-price_business_e2e}"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py collectstatic --noinput -v0
"$PY" manage.py bootstrap --demo-data >/dev/null
# A failed background job for Setup › Jobs (jobs.spec.ts): the probe job, asked to fail, run here.
"$PY" manage.py job_probe --fail --inline --organization "${CRM_ORG_NAME:-Demo Agency}" --timeout 5 >/dev/null
# A worker for the automation queue only (workflows, webhooks): the journeys see workflows run,
# while every other job stays queued as the jobs journey expects. It belongs to this process group,
# which the test runner ends.
export AUTOMATION_QUEUE=automation-e2e
# ... and imports (the imports journey follows an import's progress to its end).
export IMPORTS_QUEUE=imports-e2e
# The webhooks journey points a webhook at a closed local port to see failed attempts logged.
export WEBHOOK_ALLOW_PRIVATE_ADDRESSES=1
# The same worker delivers marketing sends, whose tracked links point back at this server.
export MARKETING_QUEUE=marketing-e2e
export MARKETING_PUBLIC_URL="http://127.0.0.1:$PORT"
"$ROOT/.venv/bin/celery" -A config worker -Q "$AUTOMATION_QUEUE,$MARKETING_QUEUE,$IMPORTS_QUEUE" --concurrency 1 --pool solo --loglevel warning &
exec "$PY" manage.py runserver "127.0.0.1:$PORT" --noreload
