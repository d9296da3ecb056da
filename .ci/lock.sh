#!/usr/bin/env bash
# Regenerate the hashed lock files from pyproject.toml (run after changing a dependency, and commit the result):
#   requirements.txt       what the site's build needs (.ci/setup.sh, the publishing workflow)
#   requirements-test.txt  that, plus the test tools (.ci/setup.sh --test, the pull-request workflow, .ci/test.sh)
# Every package is pinned with the hashes of its files; setup.sh installs with --require-hashes. --upgrade moves
# every pin to the newest version allowed (otherwise pins already in the files are kept where they still fit).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
[ -x "$VENV/bin/uv" ] || "$VENV/bin/python" -m pip install --quiet "uv>=0.13"
compile() {
  # Linux, Python 3.11.2 (Debian bookworm's, which CI runs: a pin that needs a newer 3.11 would not install there);
  # the hashes of every file of each pinned version.
  "$VENV/bin/uv" pip compile --quiet --generate-hashes --python-version 3.11.2 --python-platform x86_64-manylinux_2_28 \
    --no-header --annotation-style line "$@"
}
compile pyproject.toml .ci/build-requirements.in --output-file requirements.txt "${@}"
compile pyproject.toml .ci/build-requirements.in --extra test --output-file requirements-test.txt "${@}"
echo "requirements.txt, requirements-test.txt: $(grep -c '==' requirements.txt), $(grep -c '==' requirements-test.txt) gói"
