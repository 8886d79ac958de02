# The two commands that matter: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := cd backend && ../$(BIN)/python manage.py
PG_URL ?= postgres://postgres@127.0.0.1:5432/crm

.PHONY: run test venv deps test-deps frontend lint test-sqlite test-postgres test-frontend test-e2e migrate bench clean messages

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
## next to the server, the backup scheduler (BACKUP_INTERVAL_HOURS, default 24; BACKUP_KEEP, default 14)
run: deps frontend migrate
	$(MANAGE) collectstatic --noinput -v0
	$(MANAGE) bootstrap --demo-data
	cd backend && { ../$(BIN)/python manage.py run_scheduler & scheduler=$$!; \
		../$(BIN)/gunicorn config.wsgi:application --bind 127.0.0.1:$(PORT) \
			--workers 2 --threads 4 --log-level warning & server=$$!; \
		trap 'kill -TERM $$server $$scheduler 2>/dev/null' INT TERM; \
		wait $$server; status=$$?; kill -TERM $$scheduler 2>/dev/null; wait; exit $$status; }

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
	cd frontend && { [ -d node_modules ] || npm ci --no-audit --no-fund --loglevel=error; } && npm run build && npx playwright test

## make test: lint, then the whole suite on SQLite and on PostgreSQL, then the web UI tests
test: lint test-sqlite test-postgres test-frontend test-e2e

## make bench: seed a large PostgreSQL dataset once, then measure (see bench/README.md)
bench: deps
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get install -y -q wrk >/dev/null; } \
		|| echo "wrk is not installed: the throughput test uses the slower Python load generator."
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## make messages: extract the server's translatable strings, merge them into the Bulgarian catalog, compile it
messages: deps
	$(BIN)/pybabel extract -k _ -k gettext -k gettext_lazy --no-location \
		--ignore-dirs="tests migrations" -o backend/locale/django.pot backend/crm backend/config
	$(BIN)/pybabel update -i backend/locale/django.pot -d backend/locale -D django -l bg --no-fuzzy-matching
	$(BIN)/pybabel compile -d backend/locale -D django -l bg

clean:
	rm -rf $(VENV) var frontend/node_modules frontend/dist
