#!/usr/bin/env bash
# The README's preview command for editors: set up, then serve the archive on http://127.0.0.1:8000/ and rebuild it
# on every save (MkDocs' live reload). Not strict: a notice with errors does not stop the preview (the hooks treat
# any `mkdocs serve` so, since a strict one would stop answering until the error is fixed); every page shows the
# validator's path:line messages at its top, and the terminal prints them, until the file is fixed and saved.
# Dirty: a save rebuilds the saved page (and the index pages and site files, from the per-notice cache), not every
# page, so the edit shows within seconds.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup.sh
VENV="${VENV:-.venv}"
export NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true
exec "$VENV/bin/mkdocs" serve --no-strict --dirty --dev-addr "127.0.0.1:${PORT:-8000}" "$@"
