# promo-packet: every install step lives here, so a fresh clone needs only `make`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: packet install test fuzz lint dist bench clean system-pdf system-browser

# Set up, then build the example packet (site/ and its PDF).
packet: system-pdf install
	$(BIN)/mkdocs build --strict

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Set up, then run the linters, the package check and the whole test suite (browser tests
# need chromium).
test: system-pdf system-browser lint dist
	$(BIN)/pytest

# Property tests with thousands of generated inputs (a few hundred run in `make test`).
fuzz: install
	PROMO_FUZZ=1 $(BIN)/pytest tests/reading/test_fuzz.py

# System packages, installed with apt-get when missing and we are root on Debian;
# elsewhere the same names tell you what to install.
PDF_PACKAGES = libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
APT_INSTALL = DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends

# HarfBuzz subset is optional (without it WeasyPrint only warns); Pango and a font are not.
PDF_NEEDED = ldconfig -p | grep -q libpangoft2-1.0 && fc-list | grep -qi dejavu

system-pdf:
	@if ! { $(PDF_NEEDED); } || ! ldconfig -p | grep -q libharfbuzz-subset; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && $(APT_INSTALL) $(PDF_PACKAGES) >/dev/null; \
	  elif ! { $(PDF_NEEDED); }; then \
	    echo "WeasyPrint needs Pango and the DejaVu fonts: install $(PDF_PACKAGES)"; exit 1; \
	  fi; \
	fi

system-browser:
	@if ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && $(APT_INSTALL) chromium >/dev/null; \
	  else echo "note: no chromium, so the browser tests are skipped (install Debian's chromium)"; fi; \
	fi

# Time the build against plain MkDocs and Material's blog plugin (several minutes; not a test).
bench: system-pdf install
	$(BIN)/python bench/run.py

lint: install
	$(BIN)/ruff check plugins tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

# Build the sdist and the wheel into a temporary folder and check them as PyPI would.
dist: install
	@out=$$(mktemp -d) && trap 'rm -rf "$$out" build' EXIT && \
	$(BIN)/python -m build --sdist --wheel --outdir "$$out" . >/dev/null && \
	$(BIN)/twine check --strict "$$out"/*

clean:
	rm -rf site build dist .pytest_cache
