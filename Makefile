# The two commands that matter on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PIP_ENV := PIP_DISABLE_PIP_VERSION_CHECK=1
HOST ?= 127.0.0.1
PORT ?= 8000
# The address printed on the demo's PDFs and in its e-mailed links: this server's own.
SITE_URL ?= http://$(HOST):$(PORT)
# Tests run on the machine's PostgreSQL and Redis unless told otherwise.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/thidua
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: run demo-reset test install install-dev lint messages bench clean

# Two stamps: running needs requirements.txt only; the tests add requirements-dev.txt. The system
# packages are checked first, so a missing one is named instead of failing inside pip.
$(VENV)/.installed-run: requirements.txt
	@scripts/check-system.sh $(PYTHON)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP_ENV) $(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed-run requirements-dev.txt
	$(PIP_ENV) $(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed-run

install-dev: $(VENV)/.installed-dev

run: install
	$(PY) manage.py migrate --noinput
	SITE_URL=$(SITE_URL) $(PY) manage.py seed_demo
	@echo "Cổng thi đua: http://$(HOST):$(PORT)/"
	SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(HOST):$(PORT)

# The demo as new: its SQLite database and files deleted and seeded again (the venv stays). The embedded
# default only: a DATABASE_URL in the environment is refused rather than left half reset.
demo-reset: install
	@test -z "$$DATABASE_URL" || { echo "demo-reset resets the embedded SQLite demo; unset DATABASE_URL." >&2; exit 1; }
	rm -rf var/thidua.sqlite3 var/media
	$(PY) manage.py migrate --noinput
	SITE_URL=$(SITE_URL) $(PY) manage.py seed_demo

test: install-dev
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(VENV)/bin/pytest
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Re-extract the English source strings into locale/vi and compile them (needs GNU gettext).
messages: install
	@command -v msgfmt >/dev/null || { echo "Missing system package: gettext (sudo apt-get install gettext)" >&2; exit 1; }
	$(PY) manage.py makemessages -l vi --no-obsolete --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages -l vi --ignore=.venv

clean:
	rm -rf $(VENV) var
