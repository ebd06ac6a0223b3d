# coprod: `make run` serves the demo organisation; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# Test processes (pytest-xdist): one per core, at most 4; TEST_WORKERS=0 runs in this process.
TEST_WORKERS ?= auto

.PHONY: run test drills loadtest install install-dev migrate demo worker lint check browser-deps clean backup restore \
	messages translations

$(BIN)/python:
	bin/system-packages
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

# Installing also compiles the translations, so `make run` and `make test` speak every language.
install: $(VENV)/.installed translations

install-dev: $(VENV)/.installed-dev translations

## The languages coprod ships besides English: settings.LANGUAGES less "en-gb" (the catalogue
## test, tests/test_translations.py, checks the two agree).
TRANSLATED_LANGUAGES := cy pl

## Gather every string to translate into locale/<language>/LC_MESSAGES/django.po, for each
## language coprod ships: new strings come in untranslated, changed ones marked fuzzy.
messages: $(VENV)/.installed
	bin/system-packages
	$(BIN)/python manage.py makemessages $(addprefix -l ,$(TRANSLATED_LANGUAGES)) \
		--ignore=.venv --ignore=staticfiles --ignore=media --ignore=node_modules --ignore=tests

## Compile the translations into locale/<language>/LC_MESSAGES/django.mo (never committed).
translations: $(VENV)/.installed
	bin/system-packages
	bin/translations $(BIN)/python

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py seed_demo

## Serve the demo organisation on http://127.0.0.1:8000 (SQLite, in-process tasks, console e-mail).
run: demo
	@echo "Serving on http://$(HOST)/  (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver $(HOST)

## Run the whole test suite (SQLite by default; honours DATABASE_URL and REDIS_URL), after checking
## that no model change lacks a migration, that imports keep to the layers (import-linter contracts
## in pyproject.toml) and that bandit finds nothing of medium severity or above.
test: install-dev
	bin/system-packages test
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/lint-imports
	$(BIN)/bandit -c pyproject.toml -r . -ll --quiet
	$(BIN)/pytest -n $(TEST_WORKERS) --maxprocesses 4 $(PYTEST_ARGS)

## Load test: gunicorn with production settings (DEBUG off, collectstatic) against PostgreSQL holding
## 10,000 partners (seed_scale, built once and kept), driven by locust on 127.0.0.1 for LOADTEST_TIME
## (60s) with LOADTEST_USERS (4 per core). Prints requests per second, p50/p95/p99, errors and 5xx.
loadtest: install
	$(BIN)/pip install --quiet -c constraints.txt -e '.[loadtest]'
	bin/loadtest

## Fault drills: kill a Celery worker mid-report, stop Redis, restart PostgreSQL under gunicorn
## (own throw-away Redis and PostgreSQL cluster; a fresh database on DATABASE_URL's server if set).
## DRILLS="a c" runs some of them.
drills: install
	bin/system-packages drills
	$(BIN)/python bin/drills $(DRILLS)

## A Celery worker for the production-like setup (needs REDIS_URL).
worker: install
	$(BIN)/celery -A coprod worker --loglevel=INFO

## Back up the database and every uploaded file to backups/coprod-backup-YYYYMMDD-HHMMSS.tar.gz
## (BACKUP_DIR=... for another folder). Uses DATABASE_URL and the file storage settings.
BACKUP_DIR ?= backups
backup: install
	$(BIN)/python manage.py backup --to $(BACKUP_DIR)

## Restore BACKUP=backups/coprod-backup-....tar.gz into the fresh, empty database DATABASE_URL
## names (create it first) and the file storage, then check every table and file against it.
restore: install
	@test -n "$(BACKUP)" || { echo "Say which backup: make restore BACKUP=backups/coprod-backup-....tar.gz"; exit 2; }
	$(BIN)/python manage.py restore $(BACKUP)

lint: install-dev
	$(BIN)/ruff check .

## Debian's Chromium, for the browser and accessibility tests.
browser-deps:
	bin/system-packages browser

clean:
	rm -rf $(VENV) .pytest_cache staticfiles
