#!/usr/bin/env bash
# Set up everything the project needs on a fresh Debian machine: a virtualenv with the package and, with --test,
# the test tools and Debian's Chromium (Playwright drives /usr/bin/chromium; it cannot download browsers here).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install --quiet --upgrade pip >/dev/null 2>&1 || true
if [ "${1:-}" = "--test" ]; then
  "$VENV/bin/python" -m pip install --quiet -e '.[test]'
  if [ ! -x /usr/bin/chromium ]; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
  fi
  # axe-core for the accessibility tests, pinned by package-lock.json (npm registry; nothing fetched at test time).
  if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  fi
else
  "$VENV/bin/python" -m pip install --quiet -e .
fi
