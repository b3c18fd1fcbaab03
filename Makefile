# The README's commands. `make run` and `make test` do all the set-up on a fresh machine.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
PYTEST_ARGS ?=
# HISTORY=1: `make run` and `make dev` load the source article's history (16,244 inquiries up to
# 1401/10/25) in place of the demo inquiries, anew at every start; the demo accounts stay.
HISTORY ?=

# The address written into SMS texts and the answers' QR codes: where this server is reached.
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run dev serve backup static test venv migrate demo history worker beat lint format messages ci clean

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $(STAMP)

venv: $(STAMP)

migrate: venv
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

## The demo accounts, then the article's history instead of the demo inquiries (--reset deletes
## every inquiry first, the demo's and any made by hand).
history: demo
	$(PY) manage.py seed_history --reset

## Serve the embedded default (SQLite, eager tasks, SMS to console and var/sms/) on $(HOST):$(PORT),
## as people see it: DEBUG off (the Persian 404 and 500 pages), static files served by WhiteNoise.
run: $(if $(filter 1 yes true,$(HISTORY)),history,demo) static
	@echo "Shahrvand at $(SITE_URL)/  (stop with Ctrl+C)"
	DEBUG=0 SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(HOST):$(PORT)

## The same with DEBUG on, for development: Django's debug pages and static files from the source.
dev: $(if $(filter 1 yes true,$(HISTORY)),history,demo)
	@echo "Shahrvand (development, DEBUG on) at $(SITE_URL)/  (stop with Ctrl+C)"
	DEBUG=1 SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(HOST):$(PORT)

## The real stack on this machine: gunicorn (2 x cores + 1 workers), a Celery worker for the `pdf`
## queue, one for `default,notifications`, and beat (Procfile, run by honcho), with the production
## settings on PostgreSQL and Redis (loopback by default), static files compressed and hashed
## through WhiteNoise. Creates the database and migrates if needed. HTTPS redirects are off: put
## nginx with TLS in front for anything beyond this machine (docs/deploy.md).
SERVE_DB    ?= shahrvand
DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/$(SERVE_DB)
REDIS_URL   ?= redis://127.0.0.1:6379/0
SERVE_ENV = DJANGO_SETTINGS_MODULE=shahrvand.settings.production DATABASE_URL=$(DATABASE_URL) \
	REDIS_URL=$(REDIS_URL) SECRET_KEY="$$(cat var/secret_key)" ALLOWED_HOSTS=$(HOST),localhost \
	SECURE_SSL_REDIRECT=0 SITE_URL=$(SITE_URL) HOST=$(HOST) PORT=$(PORT) VAR_DIR=$(CURDIR)/var \
	WEB_WORKERS=$$(( $$(nproc) * 2 + 1 )) PDF_WORKERS=$$(nproc)
serve: venv
	@mkdir -p var && test -s var/secret_key || (umask 077 && $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key)
	@psql "$(DATABASE_URL)" -Atc "select 1" >/dev/null 2>&1 || createdb -h 127.0.0.1 -U postgres $(SERVE_DB)
	$(SERVE_ENV) $(PY) manage.py migrate --noinput
	$(SERVE_ENV) $(PY) manage.py collectstatic --noinput --verbosity 0
	@echo "Shahrvand (production settings) at $(SITE_URL)/ : gunicorn, a pdf worker, a default worker and beat; PostgreSQL $(DATABASE_URL), Redis $(REDIS_URL). Stop with Ctrl+C."
	$(SERVE_ENV) PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/honcho start

## A backup of the database (pg_dump) and the stored files into a new folder under $(BACKUP_DIR);
## `manage.py restore <folder>` puts one back into an empty database and empty folders.
BACKUP_DIR ?= var/backups
backup: venv
	DATABASE_URL=$(DATABASE_URL) $(PY) manage.py backup $(BACKUP_DIR)

## Gather the static files into var/static/ for WhiteNoise (what a server with DEBUG off serves).
static: venv
	$(PY) manage.py collectstatic --noinput --verbosity 0

## The whole test suite. pytest's "no tests collected" (exit 5) is a failure, never a pass.
test: venv
	@$(PY) -m pytest -n auto --dist loadgroup $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "pytest collected no tests: that is a failure"; exit 1; fi; \
	exit $$rc

## A real Celery worker and scheduler (need CELERY_BROKER_URL or REDIS_URL, and DATABASE_URL).
worker: venv
	$(PY) -m celery -A shahrvand worker -Q default,pdf,notifications --loglevel=INFO

beat: venv
	$(PY) -m celery -A shahrvand beat --loglevel=INFO --schedule=var/celerybeat-schedule

lint: venv
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: venv
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

## Refresh the Persian catalogue after changing strings (needs gettext), then translate and compile.
messages: venv
	$(PY) manage.py makemessages -l fa --no-obsolete --ignore=.venv --ignore=var --ignore=static/vendor
	$(PY) manage.py compilemessages -l fa --ignore=.venv

ci:
	.ci/run

clean:
	rm -rf $(VENV) var
