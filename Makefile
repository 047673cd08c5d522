# Two commands for a bare machine with Python 3.11+ and a C compiler:
#   make run    install, migrate, load demo data, start web + worker + beat (embedded PostgreSQL and Redis)
#   make test   run the whole test suite (embedded servers unless DATABASE_URL / REDIS_URL are set)
# Options: PORT=8000 (make run), VAR_DIR=var (embedded data), DEMO_PASSWORD=..., PYTEST_ARGS="..." (make test).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
LOCK_HASH := $(shell sha1sum requirements.lock | cut -c1-12)
STAMP := $(VENV)/.installed-$(LOCK_HASH)

.PHONY: install run test lint lock messages smoke ci bench-seed bench

define SYNC_VENV
import re, subprocess, sys
from importlib.metadata import distributions
norm = lambda name: re.sub(r"[-_.]+", "-", name).lower()
locked = {norm(n) for n in re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==", open("requirements.lock").read(), re.M)}
extra = sorted({norm(d.metadata["Name"]) for d in distributions()} - locked - {"pip", "setuptools", "wheel"})
if extra:
    print("removing packages the lock no longer lists:", " ".join(extra))
    subprocess.check_call([sys.executable, "-m", "pip", "uninstall", "--yes", "--quiet", *extra])
endef
export SYNC_VENV

install: $(STAMP)

# The stamp's name carries the lock's content hash: a changed lock reinstalls, a touched one does not.
$(STAMP):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed: make PYTHON=python3.11 ...")'
	$(PYTHON) -m venv $(VENV)
	@# Remove what the lock no longer lists first (a replaced package may own the same files).
	@$(PY) -c "$$SYNC_VENV"
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	@# --no-deps: the lock is complete, so pip must not resolve extras afresh against newer releases
	@# (pip 23.2 does, and then refuses its own unpinned pick); pip check proves nothing is missing.
	$(VENV)/bin/pip check --disable-pip-version-check
	rm -f $(VENV)/.installed-*
	touch $@

run: install
	$(PY) scripts/embedded.py run --port $(PORT)

test: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) scripts/embedded.py exec -- $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .

# `make run` started, checked (login page, Celery round trip) and stopped with Ctrl-C.
smoke: install
	bash scripts/smoke_run.sh

# Everything CI runs (.ci/run).
ci:
	bash .ci/run

# Benchmarks (README "Performance"): the commands of the `benchmarks` app, installed only by the
# benchmark and test settings. Use a database of its own (DATABASE_URL, REDIS_URL); options pass through
# SEED_ARGS="--cases 20000 --municipalities 12 --users 400" and BENCH_ARGS="--runs 10".
BENCH := DJANGO_SETTINGS_MODULE=config.settings.bench $(PY) manage.py

bench-seed: install
	$(BENCH) migrate
	$(BENCH) seed_scale $(SEED_ARGS)

bench: install
	$(BENCH) run_benchmarks $(BENCH_ARGS)

# Regenerate the lock file after changing pyproject.toml (needs network access to the package index).
lock:
	$(VENV)/bin/pip install --quiet uv && $(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock

# Extract and compile translations (needs GNU gettext).
messages: install
	$(PY) scripts/messages.py
