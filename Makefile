# Two commands do all the set-up on a fresh machine:
#   make run   - install, migrate, load demo data, start every process of the Procfile (web on :8000)
#   make test  - install what the tests need and run every test (lint, SQLite, PostgreSQL)
# and `make bench` prints the benchmark table (bench/README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# With Pushpin installed, `make run` serves the site through it on PORT (live seat maps by push),
# gunicorn on WEB_PORT behind it, and the relay publishes to Pushpin's control port.
PUSHPIN := $(shell command -v pushpin 2>/dev/null)
WEB_PORT ?= $(shell echo $$(($(PORT) + 1)))
PUSHPIN_CONTROL_PORT ?= 5561

.PHONY: run test test-repeat bench bench-live lint pytest-sqlite pytest-postgres frontend-check clean

FRONTEND_SOURCES := $(shell find frontend/src -type f) frontend/index.html frontend/vite.config.ts \
	frontend/tsconfig.json frontend/package.json $(shell find frontend/public -type f)

$(VENV)/.run-deps: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev-deps: $(VENV)/.run-deps requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	touch $@

# The React app is rebuilt only when it is missing or older than its sources; each file is also
# stored gzip- and brotli-compressed beside it, for WhiteNoise to send to browsers that accept them.
frontend/dist/index.html: frontend/node_modules/.installed $(VENV)/.run-deps $(FRONTEND_SOURCES)
	cd frontend && npm run build --silent
	$(PY) -m whitenoise.compress --quiet frontend/dist

run: export DJANGO_DEBUG ?= 1
run: export SITE_URL ?= http://localhost:$(PORT)
run: $(VENV)/.run-deps frontend/dist/index.html
	$(PY) manage.py migrate --noinput
	$(PY) manage.py populate_events
	$(PY) manage.py ensure_staff_user
ifneq ($(PUSHPIN),)
	@echo "Serving http://localhost:$(PORT)/ through Pushpin (live seat maps by push; gunicorn on :$(WEB_PORT))."
	@echo "Admin at /admin/, API at /api/, e-mail printed below. Ctrl+C stops."
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" GUNICORN_BIND=127.0.0.1:$(WEB_PORT) WEB_CONCURRENCY=$${WEB_CONCURRENCY:-2} \
	  PUSH_URL=http://127.0.0.1:$(PUSHPIN_CONTROL_PORT) PUSHPIN_PORT=$(PORT) \
	  PUSHPIN_CONTROL_PORT=$(PUSHPIN_CONTROL_PORT) PUSHPIN_ROUTE=127.0.0.1:$(WEB_PORT) \
	  $(VENV)/bin/honcho start --port $(PORT)
else
	@echo "Pushpin is not installed, so seat maps poll the change feed every 5 s instead of getting"
	@echo "changes pushed: apt-get install pushpin (Debian, Ubuntu; see README, Live seat maps)."
	@echo "Serving http://localhost:$(PORT)/ (admin at /admin/, API at /api/, e-mail printed below). Ctrl+C stops."
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" GUNICORN_BIND=127.0.0.1:$(PORT) WEB_CONCURRENCY=$${WEB_CONCURRENCY:-2} \
	  $(VENV)/bin/honcho start --port $(PORT) web scheduler mailer waitingroom
endif

lint: $(VENV)/.dev-deps
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

pytest-sqlite: $(VENV)/.dev-deps frontend/dist/index.html
	env -u DATABASE_URL $(PY) -m pytest

pytest-postgres: $(VENV)/.dev-deps frontend/dist/index.html
	$(PY) tools/with_postgres.py $(PY) -m pytest

frontend-check: frontend/node_modules/.installed
	cd frontend && npm run --silent typecheck && npm run --silent lint && npm test --silent

test: lint frontend-check pytest-sqlite pytest-postgres

# Each suite N times in a row, stopping at the first failure: a test that fails at random shows up
# here before it blocks a landing. `make test-repeat N=20 SUITES=frontend` runs one suite.
N ?= 10
SUITES ?= frontend sqlite postgres
test-repeat: $(VENV)/.dev-deps frontend/node_modules/.installed frontend/dist/index.html
	@for suite in $(SUITES); do \
	  case $$suite in \
	    frontend) run="cd frontend && npx vitest run --silent" ;; \
	    sqlite) run="env -u DATABASE_URL $(PY) -m pytest -q -p no:cacheprovider" ;; \
	    postgres) run="$(PY) tools/with_postgres.py $(PY) -m pytest -q -p no:cacheprovider" ;; \
	    *) echo "unknown suite $$suite (frontend, sqlite, postgres)"; exit 2 ;; \
	  esac; \
	  for i in $$(seq $(N)); do \
	    (eval "$$run") > .test-repeat.log 2>&1 || { tail -40 .test-repeat.log; echo "$$suite: run $$i of $(N) FAILED"; exit 1; }; \
	    echo "$$suite: run $$i of $(N) passed"; \
	  done; \
	done; rm -f .test-repeat.log

# Throughput, contention and scale on gunicorn + PostgreSQL, driven by wrk (apt-get install wrk).
# `make bench BENCH_ARGS="--nodes 2"` also runs checkout through two nodes on PgBouncer and Redis.
bench: $(VENV)/.dev-deps
	$(PY) bench/run.py $(BENCH_ARGS)

# Live seat maps (issue 23): 10,000 SSE streams through Pushpin against the same maps polling
# (bench/README.md, "Issue 23"); needs pushpin. `make bench-live LIVE_ARGS="--streams 2000"`.
bench-live: $(VENV)/.dev-deps
	$(PY) bench/live_streams.py $(LIVE_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles frontend/dist frontend/node_modules
