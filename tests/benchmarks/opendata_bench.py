"""Cost of the open data, feeds and calendars on a synthetic archive (not collected by pytest).

    python -m tests.benchmarks.opendata_bench 1000 5000     # prints seconds, peak memory and bytes per N
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from notice_archive.export import export_files
from notice_archive.feeds import feed_files
from notice_archive.site import Site

from . import synthetic

ROOT = Path(__file__).resolve().parents[2]


def measure(n: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = synthetic.generate(Path(tmp), n)
        site = Site.load(str(root / "notices"))
        env = Environment(loader=FileSystemLoader(str(ROOT / "theme")))
        out = {"notices": len(site.archive.notices)}
        for name, run in (
            ("export", lambda: export_files(site.archive.notices, site.registry, "https://example.vn/")),
            ("feeds", lambda: feed_files(env, site.archive.notices, site.groups, site.registry, "Kho",
                                         "https://example.vn/")),
        ):
            tracemalloc.start()
            start = time.perf_counter()
            files = run()
            seconds = time.perf_counter() - start
            peak = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
            out[name] = {"seconds": round(seconds, 2), "peak_mib": round(peak / 2**20, 1), "files": len(files),
                         "mib": round(sum(len(t.encode()) for t in files.values()) / 2**20, 1)}
        return out


if __name__ == "__main__":
    for arg in sys.argv[1:] or ["1000"]:
        print(arg, measure(int(arg)))
