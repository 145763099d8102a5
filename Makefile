# Nigehban — the two set-up commands (see README):
#   make run    set up, create the SQLite database, load demo data, serve on 127.0.0.1:8000
#   make test   set up (incl. PostgreSQL from Debian packages) and run the quality gate
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test check lint format typecheck unit bench audit-names clean

$(STAMP): pyproject.toml requirements.lock setup.py src/nigehban/stance/e5c/e5.c src/nigehban/text/_fastnorm.c src/nigehban/stance/_fastfeat.c src/nigehban/groups/_keyfilter.c
	scripts/setup.sh
	touch $(STAMP)

run: $(STAMP)
	scripts/run.sh

test: $(STAMP)
	scripts/test.sh

# The quality gate without PostgreSQL set-up (PostgreSQL tests run when
# NIGEHBAN_TEST_POSTGRES_URL is set).
check: lint typecheck unit

lint: $(STAMP)
	$(BIN)/ruff format --check src tests bench
	$(BIN)/ruff check src tests bench

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

typecheck: $(STAMP)
	$(BIN)/mypy
	$(BIN)/mypy tests bench

unit: $(STAMP)
	$(BIN)/pytest

bench: $(STAMP)
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/groups.py
	$(BIN)/python bench/classify.py
	$(BIN)/python bench/match.py
	$(BIN)/python bench/scan.py
	$(BIN)/python bench/escalation.py

audit-names: $(STAMP)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements-audit.txt
	$(BIN)/python bench/group_name_frequency.py

clean:
	rm -rf $(VENV) .pg .mypy_cache .ruff_cache .pytest_cache
