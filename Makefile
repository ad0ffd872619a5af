# Stifinder: two commands on a fresh machine.
#   make run    the terminal chat (no token, no server: SQLite under var/)
#   make test   the whole test suite
# Both create .venv with everything on first use; .venv/bin/stifinder is then the CLI.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test check bench rasa-env clean

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $@

# Every gettext domain's catalog (messages, and one per caseworker feature) compiled to .mo.
CATALOGS := $(patsubst %.po,%.mo,$(wildcard dialogs/locale/*/LC_MESSAGES/*.po))

dialogs/locale/%.mo: dialogs/locale/%.po $(STAMP)
	$(BIN)/pybabel compile --input-file $< --output-file $@ --statistics

run: $(STAMP) $(CATALOGS)
	$(BIN)/stifinder chat

test: $(STAMP) $(CATALOGS)
	$(BIN)/stifinder check
	$(BIN)/mypy
	$(BIN)/pytest

bench: $(STAMP) $(CATALOGS)
	$(BIN)/python bench/nlu.py

# Rasa 3.6 needs Python < 3.11, so it lives in its own environment outside the checkout.
rasa-env:
	bash scripts/rasa-env.sh

clean:
	rm -rf $(VENV) var/*.db var/nlu
