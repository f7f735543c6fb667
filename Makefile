# Spot the Lure. Start with `make book`, then `make test`. `make help` lists the rest.
SHELL := /bin/bash
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
NODE_STAMP := node_modules/.installed
CHROMIUM ?= /usr/bin/chromium
HOST    ?= 127.0.0.1
PORT    ?= 8000
LIVE_PORT ?= 8866
PAPER   ?= a4

.PHONY: help setup book translations test test-fast validate pdf print serve live bench lock clean catalog

help:
	@echo "make book      set up .venv and node_modules from the lock files and build the site (slides too), each language"
	@echo "               into _build/html/<lang> (LANGS=en,sv builds only those)"
	@echo "make translations  extract every message, update each language's PO catalogs, print the share translated"
	@echo "make setup     install .venv and node_modules from the lock files, side by side (book, test, test-fast and bench start with it)"
	@echo "make test      build the book (validating all content first) and run the whole test suite (needs Debian chromium)"
	@echo "make test-fast the unit tier only: no book build, no browser (under a minute)"
	@echo "make validate  check lessons, activities, notebooks and references; prints path:line problems"
	@echo "make pdf       the whole book as _build/pdf/spot-the-lure.pdf (A4: cover, contents, bookmarks, page numbers)"
	@echo "make print     every printable as HTML and PDF in _build/print , a pack per lesson in _build/print/lessons, fact sheets in _build/print/factsheets (PAPER=letter for US Letter)"
	@echo "make serve     serve the built site on http://$(HOST):$(PORT)"
	@echo "make live      the student notebooks in Voila on http://$(HOST):$(LIVE_PORT) (a live kernel)"
	@echo "make bench     measure build speed, page weight and Lighthouse scores beside the stock Jupyter Book (installs Lighthouse, left out by setup)"
	@echo "make catalog   extract every message into spotthelure/locales/spotthelure.pot, update and compile each language"
	@echo "make lock      re-resolve requirements.lock from pyproject.toml (keeps existing pins)"

# The lock names every package and version (pip-compile wrote it). pip installs the installer the lock
# names (uv), and uv installs the rest of the lock, fetching and unpacking packages side by side: just
# those (--no-deps: no resolving; a version is taken from whichever index has it, as pip does), and
# `uv pip check` then proves nothing is missing. Nothing is compiled at install (most modules are
# never imported): the first program to import a module compiles it once, and compiled modules are
# kept (__pycache__) even where the environment says not to write them.
unexport PYTHONDONTWRITEBYTECODE
UV      := $(BIN)/uv pip
UVFLAGS := --quiet --python $(BIN)/python --no-deps

# pip and npm install side by side (each uses one core): the targets below depend on `setup`.
setup:
	@$(MAKE) -q $(STAMP) $(NODE_STAMP) || $(MAKE) --no-print-directory -j2 $(STAMP) $(NODE_STAMP)

# The environment is made without pip: making it with pip copies pip and setuptools in and compiles
# them (about 7 s of one core, before anything else can start), and the lock installs its own
# setuptools. The Python that makes it installs uv into it with its own pip (`pip --python`, pip 22.3
# or later); a Python without such a pip gives the environment a pip of its own (ensurepip) for that.
PIPFLAGS := -qq --disable-pip-version-check --no-compile --no-deps
UV_PIN   := "$$(grep -E '^uv==' requirements.lock)"

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv --without-pip $(VENV)
	$(PY) -m pip --python $(BIN)/python install $(PIPFLAGS) $(UV_PIN) 2>/dev/null \
	  || { $(BIN)/python -m ensurepip --default-pip >/dev/null && $(BIN)/python -m pip install $(PIPFLAGS) $(UV_PIN); }
	$(UV) install $(UVFLAGS) --index-strategy unsafe-best-match -r requirements.lock
	$(UV) install $(UVFLAGS) --no-build-isolation -e .
	$(UV) check --python $(BIN)/python
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

# Lighthouse, which `make bench` alone runs, is an optional dependency in the npm lock: `make setup`
# leaves it and the 170 or so packages it brings out (--omit=optional); `make bench` installs the whole lock.
# npm takes a package it has in its cache without asking the registry first (--prefer-offline): the lock
# names each package's hash, so a cached copy is the one the lock means (about 4 s less on this machine).
NPM_CI := npm ci --no-audit --no-fund --loglevel=error --prefer-offline
LIGHTHOUSE := node_modules/.bin/lighthouse

$(NODE_STAMP): package-lock.json
	$(NPM_CI) --omit=optional
	touch $@

# The book's slides copy reveal.js from node_modules (npm ci installs it from package-lock.json).
book: setup
	$(BIN)/spotthelure build $(if $(LANGS),--lang $(LANGS))
	@echo "Built: $(CURDIR)/_build/html/index.html"

validate: $(STAMP)
	$(BIN)/spotthelure validate

# The tests build the site themselves (tests/conftest.py: afresh, in the background while the unit
# tier runs), so no stale page escapes them. Tiers: `pytest -m unit`, `-m book`, `-m browser`.
# Two test workers (pytest-xdist, one a core on this machine; `make test WORKERS=1` runs them in one
# process). Each test file runs whole in one worker, so a module's fixture is set up once, and the
# files go out in the order tests/conftest.py gives them (what each waits for, the longest first).
WORKERS ?= auto
XDIST = $(if $(filter 1,$(WORKERS)),,-n $(WORKERS) --dist loadfile --no-loadscope-reorder)

# The content is validated by the tests (test_validate) and by the build the tests start, which
# refuses a book with a problem and prints it as path:line.
test: setup
	$(BIN)/python -m pytest -q $(XDIST)

test-fast: setup
	$(BIN)/python -m pytest -q -m unit $(XDIST)

pdf: $(STAMP)
	$(BIN)/spotthelure pdf --chromium $(CHROMIUM)

print: $(STAMP)
	$(BIN)/spotthelure export print --all -o _build/print --pdf --paper $(PAPER) --chromium $(CHROMIUM)

serve: $(STAMP)
	@test -f _build/html/index.html || $(MAKE) book
	@echo "Serving http://$(HOST):$(PORT)/ (Ctrl-C to stop)"
	$(BIN)/python -m http.server --bind $(HOST) --directory _build/html $(PORT)

# Voila with the template in voila/templates/spotthelure: Voila's own pages (the start page and each
# notebook) link icon styles from a CDN; that template leaves them out, so nothing loads from outside.
live: $(STAMP)
	JUPYTER_PATH=$(CURDIR) $(BIN)/python -m spotthelure.live --no-browser --Voila.ip=$(HOST) --port=$(LIVE_PORT) --template=spotthelure notebooks/

bench: setup
	@test -x $(LIGHTHOUSE) || { $(NPM_CI) --include=optional && touch $(NODE_STAMP); }
	$(BIN)/python -m tools.bench

catalog: $(STAMP)
	$(BIN)/spotthelure i18n extract
	$(BIN)/spotthelure i18n update
	$(BIN)/spotthelure i18n compile

translations: $(STAMP)
	$(BIN)/spotthelure i18n translations $(filter-out en,$(subst $(comma), ,$(LANGS)))

comma := ,

lock:
	$(BIN)/uv pip install --quiet --python $(BIN)/python pip-tools
	$(BIN)/pip-compile --quiet --no-header --strip-extras --allow-unsafe --extra test --extra setup -o requirements.lock pyproject.toml

clean:
	rm -rf _build
