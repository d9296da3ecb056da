#!/usr/bin/env bash
# Set up everything the project needs on a fresh Debian machine: a virtualenv with the package and, with --test,
# the test tools, Debian's Chromium (Playwright drives /usr/bin/chromium; it cannot download browsers here) and
# axe-core from the npm registry. Debian packages that are missing (python3-venv, chromium, npm) are installed.
# Python packages come from the hashed lock files (requirements.txt, requirements-test.txt; .ci/lock.sh writes them):
# the same versions on every machine, and pip refuses any file whose hash differs.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"

apt_install() {
  local sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" 2>/dev/null || { rm -rf "$VENV"; apt_install python3-venv; python3 -m venv "$VENV"; }
fi
install_locked() {
  "$VENV/bin/python" -m pip install --quiet --require-hashes -r "$1"
  # The project itself (its dependencies are all in the lock; setuptools too, so nothing unlocked is fetched).
  "$VENV/bin/python" -m pip install --quiet --no-deps --no-build-isolation -e .
}
if [ "${1:-}" = "--test" ]; then
  install_locked requirements-test.txt
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  command -v npm >/dev/null || missing+=(npm)
  # Times' metrics for the print layout test (print.css asks for Times New Roman, then Liberation Serif): with only
  # DejaVu Serif, wider, the issuer's two lines wrap differently and tests/test_print.py fails.
  [ -f /usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf ] || missing+=(fonts-liberation2)
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
  # axe-core for the accessibility tests, pinned by package-lock.json (nothing is fetched at test time).
  if [ ! -f node_modules/axe-core/axe.min.js ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
  fi
else
  install_locked requirements.txt
fi
