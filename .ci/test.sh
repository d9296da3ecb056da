#!/usr/bin/env bash
# The README's test command: set up, lint the code and the workflows, validate the real archive, build it strictly,
# run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup.sh --test
VENV="${VENV:-.venv}"
export NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true PYTHONDONTWRITEBYTECODE=1
# Reproducible builds: dates in the output (sitemap) come from the commit, not the clock.
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}"
"$VENV/bin/ruff" check hooks tests
"$VENV/bin/actionlint"  # the GitHub workflows (syntax, expressions, actions too old to run)
"$VENV/bin/notices" validate
"$VENV/bin/mkdocs" build --strict --clean --site-dir "${SITE_DIR:-site}"
"$VENV/bin/pytest" -q -p no:cacheprovider "$@"
