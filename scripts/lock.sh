#!/usr/bin/env bash
# Refresh requirements.lock: resolve pyproject.toml's dependencies (runtime, test and dev)
# afresh in a throwaway virtual environment and pin every package it installed.
# Run it after changing a dependency in pyproject.toml, run the tests, commit both files.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=$(mktemp -d)/venv
python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip setuptools
"$venv/bin/python" -m pip install -q --disable-pip-version-check '.[test,dev]'
{
  echo "# Every Python package the service, its tests and its checks use, at the version CI tested."
  echo "# Made by scripts/lock.sh from pyproject.toml; installed by scripts/install-and-test.sh."
  # The project itself is installed from the working tree (editable), never from the lock.
  "$venv/bin/python" -m pip freeze --all --exclude-editable --exclude inti-cities --exclude pip
} > requirements.lock
rm -rf "$(dirname "$venv")"
echo "requirements.lock: $(grep -vc '^#' requirements.lock) packages"
