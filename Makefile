# promo-packet: every install step lives here, so a fresh clone needs only `make`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: packet install test fuzz lint dist bench clean guide screenshots system-pdf system-browser \
	system-screenshots

# Set up, then build the example packet (site/ and its PDF).
packet: system-pdf install
	$(BIN)/mkdocs build --strict

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# Set up, then run the linters, the package check, the guide's build and the whole test suite
# (browser tests need chromium). The package is compiled first: the tests start hundreds of
# `promo` and `mkdocs` processes, and where Python may not write its bytecode cache
# (PYTHONDONTWRITEBYTECODE) each would compile every module it imports again.
test: system-pdf system-browser lint dist guide
	$(BIN)/python -m compileall -q -j 0 plugins
	$(BIN)/pytest

# The manual, built from guide/ into guide/site/; --strict turns a broken link into a failure.
guide: install
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet -f guide/mkdocs.yml

# The README's pictures: the example packet's overview in chromium and the PDF's summary page.
# Built without a password and for the sponsor, as a reader of the README would receive it.
SCREENSHOTS := guide/docs/images
CHROMIUM_FLAGS = --headless --no-sandbox --disable-gpu --disable-background-networking \
	--disable-component-update --disable-sync --hide-scrollbars --window-size=1280,900

screenshots: system-pdf system-screenshots install
	@out=$$(mktemp -d) && trap 'rm -rf "$$out"' EXIT && \
	env -u PROMO_PASSWORD PROMO_AUDIENCE=sponsor NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet -d "$$out/site" && \
	chromium $(CHROMIUM_FLAGS) --screenshot="$(CURDIR)/$(SCREENSHOTS)/packet-page.png" \
	  "file://$$out/site/index.html" 2>/dev/null && \
	pdftoppm -png -r 80 -f 2 -l 2 -singlefile "$$out/site/packet.pdf" $(SCREENSHOTS)/pdf-page

# Property tests with thousands of generated inputs: packets, git histories, gh JSON, ticket CSV and
# ladders (a few hundred run in `make test`).
fuzz: install
	PROMO_FUZZ=1 $(BIN)/pytest tests/reading/test_fuzz.py tests/importers/test_fuzz_git.py \
	  tests/importers/test_fuzz_exports.py tests/importers/test_fuzz_ladders.py

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

system-screenshots: system-browser
	@if ! command -v pdftoppm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && $(APT_INSTALL) poppler-utils >/dev/null; \
	  else echo "make screenshots needs pdftoppm: install poppler-utils"; exit 1; fi; \
	fi
	@command -v chromium >/dev/null || { echo "make screenshots needs chromium"; exit 1; }

# Time the build against plain MkDocs and Material's blog plugin (several minutes; not a test).
bench: system-pdf install
	$(BIN)/python bench/run.py

lint: install
	$(BIN)/ruff check plugins tests bench guide
	$(BIN)/mypy
	$(BIN)/lint-imports

# Build the sdist and the wheel into a temporary folder and check them as PyPI would.
dist: install
	@out=$$(mktemp -d) && trap 'rm -rf "$$out" build' EXIT && \
	$(BIN)/python -m build --no-isolation --sdist --wheel --outdir "$$out" . >/dev/null && \
	$(BIN)/twine check --strict "$$out"/*

clean:
	rm -rf site guide/site build dist .pytest_cache
