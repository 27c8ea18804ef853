# The two commands of the README: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-$(shell cat pyproject.toml package.json 2>/dev/null | sha1sum | cut -c1-12)
VENDOR := src/kinomost/web/static/vendor

.PHONY: bootstrap run test test-run test-postgres bench lint clean

bootstrap: $(STAMP) $(VENDOR)/.done
	@$(BIN)/kinomost i18n-compile >/dev/null

$(STAMP): pyproject.toml package.json
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@# uv resolves and installs the same packages as pip in ~15 s where pip takes ~3 min (measured
	@# 2026-12-03, warm caches both); pip stays the fallback where uv cannot be had. uv writes no
	@# bytecode unless told (pip does): without it, and with PYTHONDONTWRITEBYTECODE set (as on the
	@# CI machines), every Python process compiled the packages it imported again, ~2 s of CPU for
	@# each `kinomost` a test starts and ~5 s for each pytest worker.
	$(BIN)/python -m pip install --quiet uv && $(BIN)/uv pip install --python $(BIN)/python --quiet --compile-bytecode -e '.[test]' \
	  || { $(BIN)/python -m pip install --quiet --upgrade pip && $(BIN)/python -m pip install --quiet -e '.[test]'; }
	@rm -f $(VENV)/.installed-*; touch $@

$(VENDOR)/.done: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js node_modules/hls.js/dist/hls.min.js node_modules/chart.js/dist/chart.umd.min.js node_modules/qrcode-generator/dist/qrcode.js $(VENDOR)/
	cp node_modules/shaka-player/dist/shaka-player.compiled.js $(VENDOR)/
	touch $@

run: bootstrap
	$(BIN)/kinomost migrate --noinput
	$(BIN)/kinomost demo
	$(BIN)/kinomost demo-cinema
	@# an embedded ingest worker beside the web server; it stops with it
	$(BIN)/kinomost worker -v 0 & trap 'kill $$! 2>/dev/null' EXIT; $(BIN)/kinomost serve

# One pytest-xdist worker per core and one more, each test file kept on one worker (module
# fixtures such as the demo load or the served test server are made once), the files in the order
# tests/conftest.py collects them (the long ones first; --no-loadscope-reorder: xdist's own order
# put them last). The extra worker: a third of the suite's time is spent waiting, not computing
# (browsers, servers starting, streams played in real time: on 2 cores a pass used 666 CPU-s of
# the 1,042 its 521 s offered), and a third worker computes meanwhile. PYTEST_ARGS comes last and
# wins: PYTEST_ARGS=-n0 runs serially.
PYTEST_WORKERS ?= $(shell echo $$(( $$(nproc) + 1 )))
PYTEST_PARALLEL ?= -n $(PYTEST_WORKERS) --dist loadfile --no-loadscope-reorder

test: bootstrap test-run

# The suite alone, without `bootstrap` (which compiles the messages: two at once would write the
# same .mo files). .ci/run bootstraps once, then runs this twice, SQLite then PostgreSQL.
# PYTHONDONTWRITEBYTECODE is cleared for the run: the first process to import a module of src/ or
# tests/ (which pytest rewrites for its asserts) caches it, and the other workers and the servers
# the tests start read the cache instead of compiling the same sources each (__pycache__ is ignored).
test-run:
	PYTHONDONTWRITEBYTECODE= $(BIN)/pytest -q $(PYTEST_PARALLEL) $(PYTEST_ARGS)

# The suite again on PostgreSQL (CI does this after `make test`).
test-postgres: bootstrap
	PYTHONDONTWRITEBYTECODE= KINOMOST_DATABASE_URL=$${KINOMOST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres} $(BIN)/pytest -q $(PYTEST_PARALLEL) $(PYTEST_ARGS)

# ruff (pyflakes, pycodestyle, bugbear; pyproject.toml [tool.ruff]) and the import contracts
# ([tool.importlinter]: the layers of the apps, models read through their owner); the tree is
# formatted by `ruff format`.
lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	PYTHONPATH=src $(BIN)/lint-imports

bench: bootstrap
	$(BIN)/python bench/search.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var
