# nkteach — every install step lives here (README Quick start: `make lab`, `make test`).
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# Bytecode is compiled at install: with PYTHONDONTWRITEBYTECODE=1 set machine-wide a venv
# without .pyc files imports the stack several times slower.
PIP := env -u PYTHONDONTWRITEBYTECODE $(PY) -m pip --disable-pip-version-check -q
STAMP := $(VENV)/.nkteach-installed

.PHONY: help setup lab test data bench browser-deps clean

help:
	@echo "make lab    - set up and open the lessons in JupyterLab"
	@echo "make test   - set up and run the whole test suite"
	@echo "make data   - rebuild data/ from ../shared/sources"
	@echo "make bench  - run the benchmarks, write bench/results.json"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(STAMP): $(PY) pyproject.toml
	$(PIP) install -e '.[test]'
	env -u PYTHONDONTWRITEBYTECODE $(PY) -m compileall -q -j 0 $(VENV)/lib > /dev/null || true
	touch $(STAMP)

setup: $(STAMP)

lab: setup
	$(VENV)/bin/jupyter lab lessons/

data: setup
	$(PY) scripts/build_data.py

test: setup browser-deps
	$(VENV)/bin/pytest

# Headless Debian Chromium plus pinned offline copies of folium's CDN assets (tests/support/browser.py).
browser-deps:
	@test -x /usr/bin/chromium || apt-get install -y chromium
	@test -d tests/browser/node_modules || npm ci --prefix tests/browser --ignore-scripts --no-audit --no-fund

clean:
	rm -rf $(VENV) build dist *.egg-info test-artifacts
