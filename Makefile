# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Tools the tests run as programs, kept out of the project's environment: py-wacz (`wacz validate`
# checks the WACZ that `frontline export` writes) brings rich, which breaks Datasette's error pages.
TOOLS := .venv-tools
DB ?= data/frontline.db
PORT ?= 8001

.PHONY: install tools run import serve test clean

$(BIN)/frontline: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/frontline

$(TOOLS)/bin/wacz:
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet 'wacz>=0.6,<0.7'
	touch $@

tools: $(TOOLS)/bin/wacz

import: install
	$(BIN)/frontline import --db $(DB) seeds/

run: import
	$(BIN)/frontline serve --db $(DB) --port $(PORT)

test: install tools
	$(BIN)/pytest

clean:
	rm -rf $(VENV) $(TOOLS) data *.egg-info
