# Two commands do all set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= data/frontline.db
PORT ?= 8001

.PHONY: install run import serve test clean

$(BIN)/frontline: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/frontline

import: install
	$(BIN)/frontline import --db $(DB) seeds/

run: import
	$(BIN)/frontline serve --db $(DB) --port $(PORT)

test: install
	$(BIN)/pytest

clean:
	rm -rf $(VENV) data *.egg-info
