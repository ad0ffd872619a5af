# Stifinder: two commands on a fresh machine.
#   make run    the terminal chat (no token, no server: SQLite under var/)
#   make test   the whole test suite
# Both create .venv with everything on first use; .venv/bin/stifinder is then the CLI.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test check bench browser rasa-env clean

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

# The web chat's browser tests drive Debian's chromium through Playwright (Playwright's own browser download
# cannot work here). Installed with apt-get when missing (as root); without it the tests fail, saying so.
browser:
	@command -v chromium >/dev/null 2>&1 || { echo "make: installing Debian's chromium for the browser tests"; \
	  export DEBIAN_FRONTEND=noninteractive; apt-get install -y -qq chromium >/dev/null \
	  || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }; } \
	  || { echo "make: the browser tests need Debian's chromium: apt-get install chromium (as root)" >&2; exit 1; }

test: $(STAMP) $(CATALOGS) browser
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
