# Two commands: `make run` and `make test`. Everything they need is installed here.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint setup db bench browser postgres fonts libreoffice clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.app-installed: requirements.txt $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt requirements.txt $(VENV)/.app-installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

setup: $(VENV)/.app-installed

db: setup
	$(BIN)/python -m cluster setup

run: db fonts
	$(BIN)/streamlit run server.py --server.address 127.0.0.1 --server.port $(PORT)

browser:
	@bash scripts/ensure_chromium.sh

postgres:
	@bash scripts/ensure_postgres.sh

# DejaVu Sans, embedded in every PDF so every name prints (Debian's fonts-dejavu-core).
fonts:
	@bash scripts/ensure_fonts.sh

# LibreOffice Calc and Writer: the tests open every export in it, as a finance office would.
libreoffice:
	@bash scripts/ensure_libreoffice.sh

# ruff and mypy first: a finding fails `make test` before the slow tests start.
lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .
	$(BIN)/mypy

test: lint browser postgres fonts libreoffice
	$(BIN)/python -m pytest

bench: $(VENV)/.dev-installed browser
	$(BIN)/python -m bench.optimiser
	$(BIN)/python -m bench.census_import
	$(BIN)/python -m bench.papers
	$(BIN)/python -m bench.load
	$(BIN)/python -m bench.browsers
	$(BIN)/python -m bench.disclosure

clean:
	rm -rf $(VENV) data/cluster.db data/cluster.db-* .pytest_cache .hypothesis
