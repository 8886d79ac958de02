# The two commands that matter: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := cd backend && ../$(BIN)/python manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/crm

.PHONY: run test venv deps test-deps frontend lint test-sqlite test-postgres test-frontend test-e2e migrate bench clean \
	cluster test-topology audit bench-jobs bench-workflows bench-marketing bench-tags messages

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

deps: $(BIN)/python
	$(BIN)/pip install -q -r requirements/lock.txt

test-deps: $(BIN)/python
	$(BIN)/pip install -q -r requirements/test-lock.txt

frontend:
	@if [ -f frontend/package.json ]; then cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run build; fi

migrate: deps
	$(MANAGE) migrate --noinput -v0

## make run: install, migrate, create the demo organization (first start), serve on http://127.0.0.1:$(PORT)
## next to the server, one Celery worker with the embedded beat: background jobs and scheduled backups
## (BACKUP_INTERVAL_HOURS, default 24; BACKUP_KEEP, default 14); without REDIS_URL the queue is under var/broker
run: deps frontend migrate
	$(MANAGE) collectstatic --noinput -v0
	$(MANAGE) bootstrap --demo-data
	cd backend && { ../$(BIN)/celery -A config worker --beat --concurrency 2 --loglevel warning & worker=$$!; \
		../$(BIN)/gunicorn config.wsgi:application --bind 127.0.0.1:$(PORT) \
			--workers 2 --threads 4 --log-level warning & server=$$!; \
		trap 'kill -TERM $$server $$worker 2>/dev/null' INT TERM; \
		wait $$server; status=$$?; kill -TERM $$worker 2>/dev/null; \
		for _ in $$(seq 60); do kill -0 $$worker 2>/dev/null || break; sleep 0.5; done; \
		kill -KILL $$worker 2>/dev/null; wait; exit $$status; }

lint: test-deps
	$(BIN)/ruff check backend
	$(BIN)/ruff format --check backend
	$(MANAGE) makemigrations --check --dry-run -v0 --settings=config.settings.test
	cd backend && DATABASE_URL= ../$(BIN)/mypy
	cd backend && ../$(BIN)/lint-imports --config ../pyproject.toml --no-cache --no-logo

test-sqlite: test-deps
	DATABASE_URL= $(BIN)/python -m pytest -q -n 2

test-postgres: test-deps
	DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -q -n 2

## web UI: install exactly the locked packages, type-check, check file names, run the component tests
test-frontend: deps
	cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run check-api-types && npx tsc --noEmit && npm run lint && npx prettier --check . && npx vitest run

## browser journeys: build the UI, then Playwright (Debian's Chromium) against a fresh temporary database
test-e2e: deps
	cd frontend && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run build && npx playwright test && npx playwright test -c playwright.saas.config.ts

## make test: lint, then the whole suite on SQLite and on PostgreSQL, then the web UI tests
test: lint test-sqlite test-postgres test-frontend test-e2e test-topology

## make bench: seed a large PostgreSQL dataset once, then measure (see bench/README.md)
bench: deps
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q wrk >/dev/null; } \
		|| echo "wrk is not installed: the throughput test uses the slower Python load generator."
	$(BIN)/python bench/run.py $(BENCH_ARGS)


## make cluster: the production topology without containers: nginx on 127.0.0.1:$(CLUSTER_PORT) (8080) in front of
## gunicorn on 127.0.0.1:8001 and :8002, one Celery worker, one beat, on PostgreSQL ($(PG_URL)) and Redis; Ctrl-C stops all
CLUSTER_PORT ?= 8080
REDIS_URL ?= redis://127.0.0.1:6379/0
cluster: deps frontend
	CLUSTER_PORT=$(CLUSTER_PORT) DATABASE_URL=$(PG_URL) REDIS_URL=$(REDIS_URL) bash deploy/cluster.sh

## make test-topology: kill an app instance under load and a worker mid-job (deploy/tests/test_topology.py, about a minute)
test-topology: test-deps
	@command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { [ "$$(id -u)" = 0 ] && apt-get install -y -q nginx >/dev/null; }
	$(BIN)/python -m pytest -q -s -p no:django deploy/tests/test_topology.py

## make audit: known vulnerabilities in requirements/lock.txt and frontend/package-lock.json (exit 1: fixable
## vulnerabilities; exit 3: an advisory service could not be reached, so nothing was checked there)
audit: test-deps
	$(BIN)/python tools/audit.py

## make bench-jobs: background job throughput (jobs/s) on Redis with one worker
bench-jobs: deps
	$(BIN)/python bench/jobs.py

## make bench-workflows: how soon a workflow's first step runs after its trigger (p95), one worker on Redis
bench-workflows: deps
	$(BIN)/python bench/workflows.py

## make bench-marketing: 10,000 recipients through the local SMTP stand-in with 2 workers sharing the Redis
## token bucket (measured vs configured rate), then the open pixel's p95 (bench/marketing.py)
bench-marketing: deps
	$(BIN)/python bench/marketing.py $(BENCH_ARGS)

## make bench-tags: contact lists filtered by tag at 100,000 contacts (p50/p95 and the query plan), PostgreSQL
bench-tags: deps
	$(BIN)/python bench/tags.py

## make messages: extract the server's translatable strings, merge them into the Bulgarian catalog, compile it
messages: deps
	$(BIN)/pybabel extract -k _ -k gettext -k gettext_lazy --no-location \
		--ignore-dirs="tests migrations" -o backend/locale/django.pot backend/crm backend/config
	$(BIN)/pybabel update -i backend/locale/django.pot -d backend/locale -D django -l bg --no-fuzzy-matching
	$(BIN)/pybabel compile -d backend/locale -D django -l bg

clean:
	rm -rf $(VENV) var frontend/node_modules frontend/dist
