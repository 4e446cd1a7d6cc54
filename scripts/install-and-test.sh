#!/usr/bin/env bash
# Install everything the tests need on a fresh Debian machine with Python 3.11,
# then run the whole suite (SQLite + a throwaway PostgreSQL + real Chromium).
# Extra arguments go to pytest, e.g. `bash scripts/install-and-test.sh -x -k cycles`.
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends \
    postgresql chromium libreoffice-calc fonts-dejavu-core fonts-liberation
python3 -m pip install -q --disable-pip-version-check -e '.[test]'
# pytest exits 5 when it collected no test: set -e makes that a failure too.
python3 -m pytest "$@"
