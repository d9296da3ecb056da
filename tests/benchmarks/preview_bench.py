"""The editor's preview, timed as the editor sees it: .ci/preview.sh's `mkdocs serve --no-strict --dirty` on a
synthetic archive; a notice is edited and saved, and the time is taken from the save until the server answers that
notice's address with the edit in it (MkDocs' server answers once the rebuild is done; live reload then shows it).
The hook clock (tests/benchmarks/clock) also gives the time each build spent in the archive's hooks: the first (the
per-notice cache empty: every notice checked and derived, and written to the cache) and each rebuild after a save.

    .venv/bin/python -m tests.benchmarks.preview_bench 1000 --edits 5
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from tests.benchmarks.build_bench import BUILD_DAY, add_hook_clock
from tests.benchmarks.synthetic import generate

BIN = Path(sys.executable).parent


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notices", type=int, nargs="?", default=1000)
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    base = Path(tempfile.mkdtemp(prefix="preview-bench-"))
    root = generate(base / "archive", args.notices, plain=False)
    add_hook_clock(root)
    clock = base / "hook-clock.json"
    port = _port()
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", SOURCE_DATE_EPOCH=BUILD_DAY,
               NOTICE_ARCHIVE_CACHE=str(base / "cache"), HOOK_CLOCK_FILE=str(clock))
    server = subprocess.Popen([str(BIN / "mkdocs"), "serve", "--no-strict", "--dirty", "-f", str(root / "mkdocs.yml"),
                               "--dev-addr", f"127.0.0.1:{port}"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in server.stdout], daemon=True).start()

    def wait_for(text: str) -> str:
        while True:
            line = lines.get(timeout=600)
            if text in line:
                return line

    try:
        start = time.perf_counter()
        wait_for("Serving on")
        first = time.perf_counter() - start
        first_hooks = _hook_seconds(clock)
        notice = min((root / "notices").rglob("tb-*.md"))
        year, name = notice.parent.name, notice.stem
        url = next(u for u in _notice_urls(port) if f"/{year}/" in u and name.split("-")[1].lstrip("0") in u)
        times, builds, hooks = [], [], []
        for k in range(args.edits):
            marker = f"Câu sửa thứ {k} để đo"
            time.sleep(1.5)  # the watcher's quiet time since the last build
            notice.write_text(notice.read_text(encoding="utf-8") + f"\n{marker}.\n", encoding="utf-8")
            saved = time.perf_counter()
            while marker not in urllib.request.urlopen(url, timeout=120).read().decode():
                time.sleep(0.05)
            times.append(time.perf_counter() - saved)
            built = wait_for("Documentation built in")
            builds.append(float(re.search(r"built in ([\d.]+)", built).group(1)))
            hooks.append(_hook_seconds(clock))
        print(json.dumps({"notices": args.notices, "first_build_s": round(first, 1),
                          "save_to_page_s": [round(t, 2) for t in times],
                          "median_save_to_page_s": round(statistics.median(times), 2),
                          "rebuild_s_as_mkdocs_reports": builds,
                          "first_build_in_hooks_s": first_hooks, "rebuild_in_hooks_s": hooks,
                          "median_rebuild_in_hooks_share": round(statistics.median(hooks) / first_hooks, 3)},
                         ensure_ascii=False))
    finally:
        server.terminate()
        server.wait(timeout=30)


def _hook_seconds(clock: Path) -> float:
    """The time the build that just ended spent in the hooks (written at its on_post_build, before MkDocs says
    "Documentation built")."""
    return json.loads(clock.read_text(encoding="utf-8"))["hooks_seconds"]


def _notice_urls(port: int) -> list[str]:
    """Notice addresses from the served site's sitemap."""
    sitemap = urllib.request.urlopen(f"http://127.0.0.1:{port}/sitemap.xml", timeout=60).read().decode()
    return [u.replace(re.match(r"https?://[^/]+", u).group(0), f"http://127.0.0.1:{port}")
            for u in re.findall(r"<loc>([^<]+)</loc>", sitemap)]


if __name__ == "__main__":
    main()
