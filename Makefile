# Two commands do everything on a fresh Debian 12 machine, and are safe to rerun:
#   make demo   set up, then run one mail collection on the sandbox and show the result
#   make test   set up, then run the whole test suite
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APT_PACKAGES := chromium dovecot-imapd dovecot-lmtpd fonts-dejavu-core postgresql
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
STAMP := $(VENV)/.installed
PACKAGES := cli config flows page_objects robots

.PHONY: setup bytecode system-packages demo test unit test-semantic lint typecheck bench scenarios clean

setup: system-packages $(STAMP)

# apt only when something is missing: a rerun costs nothing.
system-packages:
	@if ! command -v chromium >/dev/null || ! command -v dovecot >/dev/null \
	    || ! dpkg -s dovecot-lmtpd fonts-dejavu-core postgresql >/dev/null 2>&1; then \
	  echo "Installing Debian packages: $(APT_PACKAGES)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(APT_PACKAGES) >/dev/null; \
	fi

$(STAMP): pyproject.toml
	@[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[dev]'
	$(MAKE) --no-print-directory bytecode
	@touch $@

# The project's own bytecode, as installing a wheel writes it (an editable install does
# not, and with PYTHONDONTWRITEBYTECODE set nothing else does): 0.25 s of every start.
bytecode:
	@$(BIN)/python -m compileall -q $(PACKAGES) >/dev/null

demo: setup
	$(BIN)/python -m sandbox.demo

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

typecheck: setup
	$(BIN)/mypy

test: setup lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q

# The unit tests alone: no server, no browser but small pages (about a minute).
unit: setup
	$(BIN)/python -m pytest -n 2 -q tests/unit

# The end-to-end tests on the cabinets' accessible markup instead of their era's.
test-semantic: setup
	$(BIN)/python -m pytest -n 2 --dist loadgroup -q tests/e2e --cabinet-markup=semantic

# make bench BENCH_CASE=pdf-invoices: a month of 1,000 PDF invoices of about 200 KB
BENCH_CASE ?= mixed
bench: setup bytecode
	$(BIN)/python bench/collect.py --case $(BENCH_CASE) --messages 1000

# Record tests/scenarios again from a fresh sandbox (after an intended page object change).
scenarios: setup
	$(BIN)/python -m sandbox.scenarios

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
