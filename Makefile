# Two commands for a newcomer: `make site` builds the site into site/, `make test` runs
# every test. Both create .venv on first use: `make site` from requirements.txt (what an
# editor needs), `make test` adds requirements-dev.txt and installs the tools the tests need.
# Another Python: `make PYTHON=python3.13 site` (the venv is remade when the Python changes).

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --quiet --disable-pip-version-check
SITE_STAMP := $(VENV)/.site-installed
DEV_STAMP := $(VENV)/.dev-installed
# Extra pytest arguments, e.g. `make test PYTEST_ARGS="tests/test_units.py -x"`.
PYTEST_ARGS ?=

.PHONY: site test provision check serve lint bench expected lock clean editor-bundle FORCE

# The venv, remade whenever it is not of the Python asked for.
$(VENV)/.python: FORCE
	@want="$$($(PYTHON) -c 'import sys; print(sys.executable, sys.version)')" || exit 1; \
	if [ "$$(cat $@ 2>/dev/null)" != "$$want" ]; then \
		rm -rf $(VENV) && $(PYTHON) -m venv $(VENV) && echo "$$want" > $@; fi

# Hash-checked: every file pip downloads must be the one the lock names. The editable
# install builds in pip's isolated environment (a current setuptools, per pyproject.toml).
$(SITE_STAMP): $(VENV)/.python requirements.txt pyproject.toml
	$(PIP) --require-hashes -r requirements.txt
	$(PIP) --no-deps -e .
	touch $@

$(DEV_STAMP): $(SITE_STAMP) requirements-dev.txt
	$(PIP) --require-hashes -r requirements-dev.txt
	touch $@

site: $(SITE_STAMP)
	$(PY) -m generator build

# Chromium, nginx, the CJK font and node/npm through apt where missing (as root or with
# passwordless sudo), axe-core through `npm ci`; else one line naming the command, and stop,
# before anything is installed into the venv (tests/tools.py needs only the standard library).
provision:
	$(PYTHON) -m tests.tools

test: provision $(DEV_STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

check: $(SITE_STAMP)
	$(PY) -m generator check

serve: $(SITE_STAMP)
	$(PY) -m generator serve

lint: $(DEV_STAMP)
	$(PY) -m ruff check generator tests benchmarks
	$(PY) -m ruff format --check generator tests benchmarks
	$(PY) -m mypy

# Regenerate the expected-output files of tests/expected/ after an intended change;
# `git diff tests/expected` then shows what changed.
expected: $(DEV_STAMP)
	$(PY) -m tests.regenerate

bench: $(DEV_STAMP)
	$(PY) benchmarks/run.py --n 1000 5000

# Both locks from their .in files, resolved by uv for every supported Python (3.11.5 up) and
# platform, every file hashed. Versions already locked are kept unless an .in file asks for
# another; `make lock UPGRADE=--upgrade` takes the newest that fit.
UV_VERSION := 0.13.9
LOCK := .lockenv/bin/uv pip compile --quiet --universal --python-version 3.11.5 --generate-hashes \
	--custom-compile-command "make lock" $(UPGRADE)
lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/python -m pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(LOCK) requirements.in -o requirements.txt
	$(LOCK) requirements-dev.in -o requirements-dev.txt
	rm -rf .lockenv

# The web editor (Decap CMS, and markdown-it for its preview) is committed under site_src/admin/,
# so `make site` needs no npm. After changing a version in package.json: `make editor-bundle`. Its source map is
# dropped, and the one address it would fetch from another host (Netlify's API, used only by
# the git-gateway backend this site never configures) made local.
editor-bundle:
	npm ci --no-audit --no-fund --loglevel=error
	sed -e '/^\/\/# sourceMappingURL=/d' -e 's#fetch(`https://api.netlify.com/api/v1/sites/#fetch(`/netlify-api-unused/#' \
		node_modules/decap-cms/dist/decap-cms.js > site_src/admin/decap-cms.js
	cp node_modules/decap-cms/dist/decap-cms.js.LICENSE.txt site_src/admin/decap-cms.js.LICENSE.txt
	sed -e '/^\/\/# sourceMappingURL=/d' node_modules/markdown-it/dist/browser/markdown-it.umd.min.js \
		> site_src/admin/markdown-it.min.js
	for p in markdown-it markdown-it/node_modules/mdurl entities linkify-it uc.micro punycode.js; do \
		printf '%s %s\n\n' "$$p" "$$(node -p "require('./node_modules/$$p/package.json').version")"; \
		cat node_modules/$$p/LICENSE*; printf '\n\n'; done > site_src/admin/markdown-it.min.js.LICENSE.txt

clean:
	rm -rf site .site.* $(VENV)
