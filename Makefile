# Two commands for a newcomer: `make site` builds the site into site/, `make test` runs
# every test. Both create .venv from requirements.txt on first use.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site test check serve lint bench expected lock clean editor-bundle

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

# axe-core, which the browser tests inject into pages (package.json, pinned by package-lock.json).
# Without npm the accessibility checks skip locally; CI fails on them.
NODE_STAMP := node_modules/.installed

$(NODE_STAMP): package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $(NODE_STAMP); \
	else echo "npm not found: the browser tests' axe-core checks will skip (CI fails on them)"; fi

# The web editor (Decap CMS) is committed under site_src/admin/, so `make site` needs no npm.
# After changing its version in package.json: `npm install`, then `make editor-bundle`.
# Its source map is dropped, and the one address it would fetch from another host (Netlify's
# API, used only by the git-gateway backend this site never configures) made local.
editor-bundle: $(NODE_STAMP)
	sed -e '/^\/\/# sourceMappingURL=/d' -e 's#fetch(`https://api.netlify.com/api/v1/sites/#fetch(`/netlify-api-unused/#' \
		node_modules/decap-cms/dist/decap-cms.js > site_src/admin/decap-cms.js
	cp node_modules/decap-cms/dist/decap-cms.js.LICENSE.txt site_src/admin/decap-cms.js.LICENSE.txt

site: $(STAMP)
	$(PY) -m generator build

test: $(STAMP) $(NODE_STAMP)
	$(PY) -m pytest

check: $(STAMP)
	$(PY) -m generator check

serve: $(STAMP)
	$(PY) -m generator serve

lint: $(STAMP)
	$(PY) -m ruff check generator tests benchmarks
	$(PY) -m ruff format --check generator tests benchmarks
	$(PY) -m mypy

# Regenerate the expected-output files of tests/expected/ after an intended change;
# `git diff tests/expected` then shows what changed.
expected: $(STAMP)
	$(PY) -m tests.regenerate

bench: $(STAMP)
	$(PY) benchmarks/run.py --n 1000 5000

lock:
	rm -rf .lockenv && $(PYTHON) -m venv .lockenv
	.lockenv/bin/pip install --quiet -r requirements.in
	.lockenv/bin/pip freeze --all --exclude-editable | grep -v "^pip==" > requirements.txt
	rm -rf .lockenv

clean:
	rm -rf site .site.* $(VENV)
