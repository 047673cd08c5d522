# Two commands for a bare machine with Python 3.11+ and a C compiler:
#   make run    install, migrate, load demo data, start web + worker + beat (embedded PostgreSQL and Redis)
#   make test   run the whole test suite (embedded servers unless DATABASE_URL / REDIS_URL are set)
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
LOCK_HASH := $(shell sha1sum requirements.lock | cut -c1-12)
STAMP := $(VENV)/.installed-$(LOCK_HASH)

.PHONY: install run test lint lock messages

install: $(STAMP)

$(STAMP): requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $@

run: install
	$(PY) scripts/embedded.py run --port $(PORT)

test: install
	$(PY) scripts/embedded.py exec -- $(PY) -m pytest $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .

# Regenerate the lock file after changing pyproject.toml (needs network access to the package index).
lock:
	$(VENV)/bin/pip install --quiet uv && $(VENV)/bin/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements.lock

# Extract and compile translations (needs GNU gettext).
messages: install
	$(PY) scripts/messages.py
