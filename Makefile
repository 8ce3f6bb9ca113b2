# The two commands that matter on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# XStatic-Bootstrap's source package still needs setuptools' pkg_resources to build.
PIP_ENV := PIP_CONSTRAINT=build-constraints.txt PIP_BUILD_CONSTRAINT=build-constraints.txt PIP_DISABLE_PIP_VERSION_CHECK=1
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests run on the machine's PostgreSQL and Redis unless told otherwise.
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/thidua
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15

.PHONY: run test install lint messages bench clean

$(VENV)/.installed: requirements.txt requirements-dev.txt build-constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP_ENV) $(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Cổng thi đua: http://$(HOST):$(PORT)/"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) $(VENV)/bin/pytest
	$(VENV)/bin/ruff check .
	$(PY) manage.py makemigrations --check --dry-run

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Re-extract the English source strings into locale/vi and compile them (needs GNU gettext).
messages: install
	$(PY) manage.py makemessages -l vi --no-obsolete --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages -l vi --ignore=.venv

clean:
	rm -rf $(VENV) var
