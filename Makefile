# The two commands a fresh machine needs: `make run` and `make test`. Both install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
MANAGE := $(BIN)/python manage.py

# Tests run with the production profile (DEBUG off); these values only make it start, and the
# test client and live server speak plain HTTP (DJANGO_HTTPS=0).
TEST_ENV := DJANGO_SECRET_KEY=$${DJANGO_SECRET_KEY:-insecure-test-key-not-for-production} \
	DJANGO_ALLOWED_HOSTS=$${DJANGO_ALLOWED_HOSTS:-testserver,localhost,127.0.0.1} \
	KOSS_ENCRYPTION_KEYS=$${KOSS_ENCRYPTION_KEYS:-aW5zZWN1cmUtdGVzdC1rZXktZm9yLXRlc3RzLW9ubHk=} \
	DJANGO_DEBUG=0 DJANGO_HTTPS=$${DJANGO_HTTPS:-0}

WORKERS ?= 4
# Test processes: one per core (pytest-xdist); TEST_PROCESSES=0 runs the suite in one process.
# Tests are handed out in pytest-django's order, so that on every process the tests that empty
# the database (transactional, browser) come last. They are handed out one by one
# (--maxschedchunk 1; xdist's default sends a quarter of what is left at once): a process never
# holds a queue of slow browser tests while the other has run out of work. Tests that compare
# response times run afterwards in one process, on a quiet machine.
TEST_PROCESSES ?= auto
PYTEST := $(BIN)/pytest -n $(TEST_PROCESSES) --dist load --maxschedchunk 1

.PHONY: help run serve test lint format migrate demo requirements browser validator clean fault-drill bench \
	scale-drill

help:
	@echo "make run           install, migrate, load demo content and serve on http://localhost:$(PORT)"
	@echo "make serve         run as in production: gunicorn, DEBUG off, settings from the environment"
	@echo "make test          install and run the whole test suite (DATABASE_URL selects the database)"
	@echo "make fault-drill   stop PostgreSQL under load and report how the portal copes"
	@echo "make scale-drill   two app instances, a worker, S3 and SMTP servers: the scale-out claims"
	@echo "make bench         large data set, make serve, wrk: req/s and latency per page"
	@echo "make lint          ruff check and format check, bandit"
	@echo "make format        apply ruff's fixes and formatting"
	@echo "make requirements  re-pin requirements*.txt from requirements*.in"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed-runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt -r requirements-dev.txt
	touch $@ $(VENV)/.installed-runtime

# Browser tests drive Debian's Chromium through Playwright; Playwright's own download is not used.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq chromium >/dev/null; }

# The markup test runs the Nu Html Checker (npm package vnu-jar, installed by the test into
# ~/.cache/koss-portal) on Java: Debian's Java runtime and npm when they are missing.
validator:
	@{ command -v java >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; } || { \
		echo "Installing Debian's Java runtime and npm for the markup test"; \
		SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq default-jre-headless npm >/dev/null; }

migrate: $(VENV)/.installed-runtime
	DJANGO_DEBUG=1 $(MANAGE) migrate --noinput

demo: migrate
	DJANGO_DEBUG=1 $(MANAGE) load_demo_content

# Links in the mails the console shows point at this development server.
run: demo
	DJANGO_DEBUG=1 KOSS_BASE_URL=$${KOSS_BASE_URL:-http://localhost:$(PORT)} $(MANAGE) runserver 127.0.0.1:$(PORT)

# Production: DJANGO_SECRET_KEY, KOSS_ENCRYPTION_KEYS, DJANGO_ALLOWED_HOSTS, DATABASE_URL (and the rest, see README)
# come from the environment. Each instance disables gunicorn's control socket, so that several
# instances on one machine do not share one socket path.
serve: $(VENV)/.installed-runtime
	$(MANAGE) migrate --noinput
	$(MANAGE) collectstatic --noinput --verbosity 0
	$(BIN)/gunicorn koss.wsgi:application --bind 127.0.0.1:$(PORT) --workers $(WORKERS) \
		--no-control-socket --timeout 30 --graceful-timeout 10 --access-logfile -

# A large data set in PostgreSQL (DATABASE_URL, default koss_bench), make serve, and wrk.
bench: $(VENV)/.installed-runtime
	@command -v wrk >/dev/null 2>&1 || { SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq wrk >/dev/null; }
	$(BIN)/python scripts/bench.py

fault-drill: $(VENV)/.installed-runtime
	$(BIN)/python scripts/fault_drill.py

# PostgreSQL and Redis as on these machines; the S3 (moto) and SMTP servers come with the
# development requirements and are started by the drill itself.
scale-drill: $(VENV)/.installed-dev
	$(BIN)/python scripts/scale_drill.py

# The whole suite, then the page tests once more with the page and fragment caches on, as in
# production.
CACHED_TESTS := tests/partners/test_views.py tests/partners/test_map.py tests/news/test_views.py \
	tests/news/test_visibility.py tests/advisory_board/test_access.py tests/koss/test_site.py \
	tests/koss/test_search.py tests/koss/test_easy_read.py tests/news/test_events.py

test: $(VENV)/.installed-dev browser validator
	$(TEST_ENV) $(PYTEST) -m "not timing"
	$(TEST_ENV) $(BIN)/pytest -q -m timing
	$(TEST_ENV) KOSS_TEST_CACHES=on $(PYTEST) -q $(CACHED_TESTS)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/bandit -q -r koss partners news advisory_board -x "*/migrations/*"

format: $(VENV)/.installed-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

requirements: $(VENV)/.installed-dev
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements.txt requirements.in
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --output-file requirements-dev.txt requirements-dev.in

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
