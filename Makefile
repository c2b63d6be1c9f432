# The two commands: `make demo` and `make test`. Both set up everything they need
# on a fresh machine (Python venv, the Maven-built Neo4j) and are safe to re-run.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
NEO4J_BUILT := neo4j-local/target/.built
EXPLORER_BUILT := explorer/dist/index.html
EXPLORER_SOURCES := $(wildcard explorer/src/*) explorer/index.html explorer/build.mjs

.PHONY: install neo4j-build explorer graphiql chromium demo test lint docs clean

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(INSTALLED)

$(NEO4J_BUILT): neo4j-local/pom.xml
	mvn -B -q -f neo4j-local/pom.xml package
	touch $@

neo4j-build: $(NEO4J_BUILT)

# The graph explorer (Node 20, npm): the packages pinned by package-lock.json, bundled
# by esbuild into explorer/dist, which `linkgraph serve` serves at /explore/. No
# install scripts run: esbuild's binary is a package of its own, its script only checks it.
explorer/node_modules/.package-lock.json: explorer/package-lock.json
	cd explorer && npm ci --ignore-scripts --no-audit --no-fund

$(EXPLORER_BUILT): explorer/node_modules/.package-lock.json $(EXPLORER_SOURCES)
	cd explorer && node build.mjs

## explorer: build the browser explorer into explorer/dist
explorer: $(EXPLORER_BUILT)

# GraphiQL for /graphql in a browser: its npm packages, pinned by package-lock.json and
# served by the API from api/graphiql/node_modules (no CDN).
api/graphiql/node_modules/.package-lock.json: api/graphiql/package-lock.json
	cd api/graphiql && npm ci --ignore-scripts --no-audit --no-fund

## graphiql: install GraphiQL's files for the API's /graphql page
graphiql: api/graphiql/node_modules/.package-lock.json

## demo: start the local Neo4j, apply the schema, load and analyse the demo data
demo: install neo4j-build explorer graphiql
	$(BIN)/linkgraph demo

## lint: ruff, mypy (strict) and the layers' import contract (import-linter)
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

## chromium: Debian's headless browser, for the test that renders report.html
chromium:
	@test -x /usr/bin/chromium || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  APT="$$SUDO env DEBIAN_FRONTEND=noninteractive apt-get"; \
	  $$APT install -y --no-install-recommends chromium \
	  || { $$APT update && $$APT install -y --no-install-recommends chromium; }; }

## test: lint, then the whole suite against a real Neo4j of its own (port 7688)
test: install neo4j-build explorer graphiql chromium lint
	$(BIN)/pytest

## docs: regenerate the committed model reference and GraphQL schema
docs: install
	$(BIN)/linkgraph schema docs --out docs/model.md
	$(BIN)/linkgraph graphql-schema --out docs/schema.graphql

clean:
	-$(BIN)/linkgraph neo4j stop
	rm -rf $(VENV) .linkgraph neo4j-local/target explorer/node_modules explorer/dist \
	  api/graphiql/node_modules
