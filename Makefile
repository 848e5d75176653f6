# infocenter — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
export FLASK_APP := wsgi

.PHONY: run test bench load install db lint clean-venv

# Reinstall only when the package metadata changes.
$(BIN)/.installed: setup.cfg pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "ต้องมี Python 3.11 (need $(PYTHON) on PATH, or: make PYTHON=python3 ...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres]'
	touch $@

install: $(BIN)/.installed

db: install
	$(BIN)/flask db upgrade

run: db
	$(BIN)/flask demo ensure
	@echo "ศูนย์ข้อมูลข่าวสาร: http://127.0.0.1:$(PORT)/  (ข้อมูลตัวอย่าง / demo data — remove with: $(BIN)/flask demo clear)"
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install
	$(BIN)/python -m pytest tests/perf -p no:cacheprovider -s -o addopts="" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check infocenter tests

clean-venv:
	rm -rf $(VENV)
