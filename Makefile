# promo-packet: every install step lives here, so a fresh clone needs only `make`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: packet install test lint clean

# Set up, then build the example packet (site/ and its PDF).
packet: install
	$(BIN)/mkdocs build --strict

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Set up, then run the linters and the whole test suite.
test: lint
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check plugins tests bench
	$(BIN)/mypy

clean:
	rm -rf site .pytest_cache
