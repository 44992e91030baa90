# Bank Danych o Mieście — developer commands. Run as root on a Debian machine.
#   make run          install everything, start all services and the portal (Ctrl-C stops)
#   make test         install what the tests need, start the services, run the suite
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.bdom-installed
ADMIN ?= $(or $(BDOM_ADMIN_USER),admin)
PYTEST_ARGS ?=
# pytest-xdist workers, each on its own databases (tests/conftest.py); at most 15
TEST_WORKERS ?= 2
N ?= 1000
BROWSER := tests/browser

.PHONY: help install run up down admin-token services services-stop test test-db compose browser screenshots lint i18n requirements bench clean

help:  ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): requirements.txt setup.py pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel
	$(BIN)/pip install -q -r requirements.txt
	$(BIN)/pip install -q --no-deps -e .
	touch $@

install: $(STAMP)  ## create .venv with the pinned dependencies and this package

services: install  ## start PostgreSQL, Redis and Solr (installing them when missing)
	docker/dev/services.sh start

services-stop:  ## stop the services that `make services` started
	docker/dev/services.sh stop

run: install  ## the portal at http://127.0.0.1:5000 in the foreground (Ctrl-C stops all)
	$(BIN)/python docker/dev/portal.py run

up: install  ## the same in the background; returns once the portal answers
	$(BIN)/python docker/dev/portal.py up

down:  ## stop what `make up` started
	$(BIN)/python docker/dev/portal.py down

admin-token: install  ## print a fresh API token of the local sysadmin
	@$(BIN)/ckan -c .data/ckan.ini bdom api-token $(ADMIN) make-admin-token 2>/dev/null | tail -n1

test-db: services  ## the test databases: one set per pytest worker
	docker/dev/initdb.sh test.ini bdom_test bdom_datastore_test
	for n in $$(seq 1 $$(( $(TEST_WORKERS) - 1 ))); do \
	  docker/dev/initdb.sh test.ini bdom_test_gw$$n bdom_datastore_test_gw$$n; done

compose:  ## make `docker compose` available (built once from its Go module)
	docker/dev/compose-plugin.sh

# the browser tests: Debian's Chromium driven by playwright-core (no browser download)
browser:  ## install Chromium and the npm packages of the browser tests (tests/browser)
	@test -x /usr/bin/chromium || { echo "installing chromium"; apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)' 2>/dev/null || \
	  { echo "the browser tests need Node.js 20 or newer (node, npm)"; exit 1; }
	@$(MAKE) -s $(BROWSER)/node_modules/.bdom-installed

$(BROWSER)/node_modules/.bdom-installed: $(BROWSER)/package-lock.json
	cd $(BROWSER) && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	touch $@

screenshots:  ## copy the screenshots the browser tests took into docs/screenshots
	@test -n "$$(ls .data/screenshots/*.png 2>/dev/null)" || \
	  { echo "no screenshots yet: run make test (or pytest tests/test_browser.py) first"; exit 1; }
	mkdir -p docs/screenshots && cp .data/screenshots/*.png docs/screenshots/

test: test-db compose browser  ## run the whole suite against real PostgreSQL, Redis and Solr
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: install  ## ruff
	$(BIN)/ruff check ckanext schemas harvesters tests docker/dev docker/ckan
	$(BIN)/ruff format --check ckanext schemas harvesters tests docker/dev docker/ckan

i18n: install  ## extract messages and compile the Polish and English catalogues
	$(BIN)/python setup.py -q extract_messages -o ckanext/bdom/i18n/ckanext-bdom.pot \
	  --no-location --sort-output --msgid-bugs-address=bdom@example.invalid
	for lang in pl en; do \
	  $(BIN)/python setup.py -q update_catalog -l $$lang -i ckanext/bdom/i18n/ckanext-bdom.pot \
	    -d ckanext/bdom/i18n -D ckanext-bdom --no-fuzzy-matching; done
	$(BIN)/python setup.py -q compile_catalog -d ckanext/bdom/i18n -D ckanext-bdom

requirements:  ## re-freeze requirements.txt from requirements.in
	$(BIN)/pip install -q -r requirements.in
	{ echo '# Frozen from requirements.in by `make requirements`; do not edit by hand.'; \
	  $(BIN)/pip freeze --exclude-editable | grep -v '^ckanext-bdom'; } > requirements.txt

bench: test-db  ## BDoM vs stock CKAN timings (N=1000 datasets), home and search pages with page weight, BDL harvester requests, ISO 37120 computation; writes docs/benchmarks.md
	$(BIN)/python -m tests.bench.run --n $(N)
	$(BIN)/python -m tests.bench.pages --n $(N) --write
	$(BIN)/python -m tests.bench.danegovpl --n $(N) --write
	$(BIN)/python -m tests.bench.bdl --write
	$(BIN)/python -m tests.bench.indicators
	$(BIN)/python -m tests.bench.collect --write

clean:  ## remove the virtualenv and all local data (databases are kept)
	rm -rf $(VENV) .data .solr build dist *.egg-info
