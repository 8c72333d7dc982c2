# kotaku: `make run` to try it, `make test` to check it. Needs only Python 3.11 and make.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
MANAGE := $(BIN)/python manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test install install-dev translations messages lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

.env:
	cp .env.example .env

translations: $(VENV)/.runtime .env
	$(MANAGE) compile_translations

## make run: install, migrate, load the demo data, print the logins, serve on 127.0.0.1:8000
run: install translations
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo
	@echo "Open http://$(HOST):$(PORT)/ and log in with one of the users above."
	$(MANAGE) runserver $(HOST):$(PORT)

## make test: install the test tools and run the whole suite (SQLite unless DATABASE_URL is set)
test: install-dev
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make messages: refresh the .po catalogues after changing texts (needs GNU gettext)
messages: install
	$(MANAGE) makemessages --locale id --ignore '.venv/*' --ignore 'staticfiles/*'

## make bench: time the pages, the CSV export and the national region import on the configured
## database (a generated one: manage.py generate_dataset); see docs/performance.md
BENCH_ARGS ?=
bench: install .env
	$(MANAGE) bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
