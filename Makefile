# infocenter — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
export FLASK_APP := wsgi

.PHONY: run test bench load serve install db lint clean-venv translations

# Reinstall only when the package metadata changes.
$(BIN)/.installed: setup.cfg pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "ต้องมี Python 3.11 (need $(PYTHON) on PATH, or: make PYTHON=python3 ...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,postgres]'
	# KhamYo's abbreviation dictionary only: its own dependencies (torch, a model download) are
	# for choosing between meanings, which search does not do (infocenter/catalogue/lexicon.py).
	$(BIN)/python -m pip install --quiet --no-deps 'khamyo==0.3.0'
	touch $@

# Compiled message catalogues (English); rebuilt when a .po file changes.
PO := $(wildcard infocenter/translations/*/LC_MESSAGES/messages.po)
MO := $(PO:.po=.mo)
%.mo: %.po $(BIN)/.installed
	$(BIN)/pybabel compile --statistics -d infocenter/translations

install: $(BIN)/.installed $(MO)

# Re-extract the Thai source strings and merge them into each catalogue (then translate the .po).
translations: $(BIN)/.installed
	$(BIN)/pybabel -q extract -F babel.cfg -k _l -k add:2 --no-location --sort-output -o infocenter/translations/messages.pot .
	$(BIN)/pybabel -q update -i infocenter/translations/messages.pot -d infocenter/translations --no-fuzzy-matching --ignore-obsolete

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

# 200 searchers + 10 clerks against gunicorn on 127.0.0.1 over 100,000 seeded entries, SQLite then
# PostgreSQL, search ranking cache off then on; exits 1 when a target is missed. LOAD_ARGS="--help".
load: install
	$(BIN)/python tests/load/run_load.py $(LOAD_ARGS)

# Production-style serving (gunicorn.conf.py); put nginx in front (docs/nginx.conf.example).
serve: db
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

lint: install
	$(BIN)/ruff check infocenter tests
	$(BIN)/ruff format --check infocenter tests migrations wsgi.py

clean-venv:
	rm -rf $(VENV)
