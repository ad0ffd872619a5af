#!/usr/bin/env bash
# Builds the Rasa 3.6.21 environment outside the checkout (`make rasa-env`).
#
# Rasa Open Source 3.6 needs Python < 3.11, so it can never share the bot's .venv. The environment
# goes to $STIFINDER_RASA_ENV (default ~/.cache/stifinder/rasa-3.6.21, about 2.7 GB) and is marked
# complete by a stamp file written last: an environment without the stamp (an interrupted build)
# is completed or rebuilt on the next run, and a complete one returns at once.
#
# Python 3.10 is looked for in $STIFINDER_PYTHON310, then python3.10 on the PATH, then pyenv's
# ${PYENV_ROOT:-/root/.pyenv}/versions/3.10.*. Exit codes: 0 ready, 1 the build failed, 3 no Python 3.10 exists.
set -euo pipefail

RASA_VERSION="3.6.21"
ENV_DIR="${STIFINDER_RASA_ENV:-$HOME/.cache/stifinder/rasa-$RASA_VERSION}"
STAMP="$ENV_DIR/.stifinder-complete"
WANT="rasa==$RASA_VERSION"

say() { echo "rasa-env: $*"; }

is_complete() {
    [[ -f "$STAMP" ]] && [[ "$(head -n 1 "$STAMP")" == "$WANT" ]] && [[ -x "$ENV_DIR/bin/rasa" ]] \
        && "$ENV_DIR/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null
}

if is_complete; then
    say "ready: $ENV_DIR ($WANT)"
    exit 0
fi

# A Python 3.10 that can make a venv with pip (Debian's python3.10 needs python3.10-venv for that).
usable() {
    [[ -n "$1" ]] && "$1" -c 'import sys, venv, ensurepip; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null
}

find_python() {
    local candidate
    if [[ -n "${STIFINDER_PYTHON310:-}" ]]; then
        if usable "$STIFINDER_PYTHON310"; then echo "$STIFINDER_PYTHON310"; return 0; fi
        say "STIFINDER_PYTHON310=$STIFINDER_PYTHON310 is not a Python 3.10 with venv and ensurepip" >&2
    fi
    candidate="$(command -v python3.10 || true)"
    if usable "$candidate"; then echo "$candidate"; return 0; fi
    # Newest patch release first.
    for candidate in $(ls -d "${PYENV_ROOT:-/root/.pyenv}"/versions/3.10.*/bin/python3.10 2>/dev/null | sort -V -r); do
        if usable "$candidate"; then echo "$candidate"; return 0; fi
    done
    return 1
}

if ! PYTHON="$(find_python)"; then
    cat >&2 <<'EOF'
rasa-env: no Python 3.10 found (Rasa 3.6 supports Python 3.8-3.10 only, not the bot's 3.11).
rasa-env: install one, then run `make rasa-env` again, e.g.
rasa-env:   Debian/Ubuntu: apt-get install python3.10 python3.10-venv   (deadsnakes PPA on newer Ubuntu)
rasa-env:   pyenv:         pyenv install 3.10.13
rasa-env: or point STIFINDER_PYTHON310 at a python3.10 executable.
EOF
    exit 3
fi

mkdir -p "$(dirname "$ENV_DIR")"
# Two builds at once (make and the integration test) would corrupt one environment.
exec 9>"$ENV_DIR.lock"
if command -v flock >/dev/null; then
    if ! flock -n 9; then
        say "waiting for another build of $ENV_DIR to finish ..."
        flock 9
    fi
    if is_complete; then say "ready: $ENV_DIR ($WANT)"; exit 0; fi
fi

say "using $("$PYTHON" -c 'import sys; print("Python", sys.version.split()[0])') at $PYTHON"

# Reuse an unfinished environment when its interpreter still works (pip resumes where it stopped);
# otherwise start again. Only ever delete a directory that is a venv, never an arbitrary path.
if [[ -e "$ENV_DIR" ]] && ! "$ENV_DIR/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
    if [[ -f "$ENV_DIR/pyvenv.cfg" ]]; then
        say "removing a broken environment at $ENV_DIR"
        rm -rf "$ENV_DIR"
    else
        say "$ENV_DIR exists and is not a Python 3.10 venv; move it away or set STIFINDER_RASA_ENV" >&2
        exit 1
    fi
fi
if [[ ! -e "$ENV_DIR" ]]; then
    say "creating the venv at $ENV_DIR"
    "$PYTHON" -m venv "$ENV_DIR"
else
    say "completing the unfinished environment at $ENV_DIR"
fi

PIP=("$ENV_DIR/bin/python" -m pip --disable-pip-version-check)
say "upgrading pip"
"${PIP[@]}" install --quiet --upgrade pip
# No separate setuptools step: rasa 3.6.21 itself requires setuptools>=70.3,<70.4 (its METADATA),
# so installing "setuptools<70" first would only be undone here, with a resolver error on the way.
say "installing $WANT (about 2.7 GB with TensorFlow 2.12; this takes several minutes)"
"${PIP[@]}" install --quiet "$WANT"

say "checking the installation"
RASA_TELEMETRY_ENABLED=false "$ENV_DIR/bin/python" -c \
    "import rasa, sys; sys.exit(rasa.__version__ != '$RASA_VERSION')" \
    || { say "rasa does not import as $RASA_VERSION; run again to retry" >&2; exit 1; }

{
    echo "$WANT"
    echo "python $("$ENV_DIR/bin/python" -c 'import sys; print(sys.version.split()[0])')"
    echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ)"
} > "$STAMP"
say "ready: $ENV_DIR ($WANT)"
