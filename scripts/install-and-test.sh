#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine with Python 3.11, then run
# the checks (ruff, mypy) and the whole suite (SQLite + a throwaway PostgreSQL + real Chromium).
# Python packages come only from requirements.lock, into the virtual environment .venv
# (INTI_VENV to put it elsewhere), so that everyone gets exactly what CI tested.
# Extra arguments go to pytest, e.g. `bash scripts/install-and-test.sh -x -k cycles`.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends \
    postgresql chromium libreoffice-calc libreoffice-writer fonts-dejavu-core fonts-liberation \
    libpango-1.0-0 libpangoft2-1.0-0
venv="${INTI_VENV:-.venv}"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
py="$venv/bin/python"
"$py" -m pip install -q --disable-pip-version-check -r requirements.lock
"$py" -m pip install -q --disable-pip-version-check --no-deps --no-build-isolation -e .
# Lint (ruff, with import order and the bug-finding rules) and types (mypy), then the suite;
# pytest exits 5 when it collected no test: set -e makes that a failure too.
"$venv/bin/ruff" check app benchmark
"$venv/bin/mypy"
"$py" -m pytest "$@"
