#!/usr/bin/env bash
# The README's site command: set up, build the real archive strictly, and serve it on http://127.0.0.1:8000/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash .ci/setup.sh
VENV="${VENV:-.venv}"
export NO_MKDOCS_2_WARNING=1 DISABLE_MKDOCS_2_WARNING=true
export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || echo 0)}"
"$VENV/bin/mkdocs" build --strict --clean
echo "Trang đã dựng trong site/; đang phục vụ tại http://127.0.0.1:${PORT:-8000}/ (Ctrl+C để dừng)"
exec "$VENV/bin/python" -m http.server --bind 127.0.0.1 --directory site "${PORT:-8000}"
