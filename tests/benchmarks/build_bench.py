"""Build benchmark: the archive's hooks against a plain mkdocs-material build of the same Markdown.

    .venv/bin/python -m tests.benchmarks.build_bench 1000 10000

For each size it generates a synthetic archive (tests/benchmarks/synthetic.py) twice — with the hooks, and as plain
Markdown with notices out of the nav and no hooks (the baseline) — and builds, in turn (``--repeat N``: N times
each, keeping each one's fastest), each in a fresh process into an empty site folder: plain; with the hooks, cold
(no per-notice cache); with the hooks and every notice in the per-notice cache a first build filled ("cached").
For each it reports wall time, CPU time (of the build and of the process it starts: site_files.Writing, forked to
write the open data, search index and feeds) and peak memory (max RSS of the largest process; and, sampled from
/proc, of the build with its child), with the ratio to plain measured in the same run: of the fastest builds, and
the median of each build over the plain build just before it (a pair shares the shared machine's conditions).
Then a rebuild after one notice is edited, with the cache a first build filled (as under mkdocs serve): a clean
`mkdocs build` (MkDocs first empties the site folder of the build before) and a dirty one.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

from tests.benchmarks.synthetic import generate

BIN = Path(sys.executable).parent
# The build day (notice_archive.dates): after the synthetic archive's last notice (2024), or every notice would be
# "in the future" and the build would fail.
BUILD_DAY = "1767225600"  # 2026-01-01
CLOCK = Path(__file__).resolve().parent / "clock"  # hook files timing the hooks (clock/__init__.py)


def add_hook_clock(root: Path) -> None:
    """Put the hook clock around the archive's hooks in this benchmark copy's mkdocs.yml."""
    config_path = root / "mkdocs.yml"
    config = yaml.safe_load(config_path.read_text(encoding="utf-8"))
    config["hooks"] = [str(CLOCK / "start.py"), *config["hooks"], str(CLOCK / "stop.py")]
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _tree_rss_kib(pid: int) -> int:
    """Resident memory of a process and its children, from /proc (Linux)."""
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                ppid = int(fh.read().rsplit(b")", 1)[1].split()[1])
            if int(entry) != pid and ppid != pid:
                continue
            with open(f"/proc/{entry}/status", encoding="ascii", errors="replace") as fh:
                total += next((int(line.split()[1]) for line in fh if line.startswith("VmRSS:")), 0)
        except (OSError, ValueError, IndexError):
            continue
    return total


def timed_build(root: Path, cache: str = "off", *extra: str) -> dict:
    """One build in a fresh process; cold unless ``cache`` names a per-notice cache folder (notice_cache);
    ``extra``: more arguments of `mkdocs build` (--dirty)."""
    clock = root / "hook-clock.json"
    clock.unlink(missing_ok=True)
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", SOURCE_DATE_EPOCH=BUILD_DAY,
               NOTICE_ARCHIVE_CACHE=cache, HOOK_CLOCK_FILE=str(clock))
    start = time.perf_counter()
    proc = subprocess.Popen([str(BIN / "mkdocs"), "build", "-q", *extra, "-f", str(root / "mkdocs.yml"),
                             "--site-dir", str(root / "site")], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    peak_tree = [0]
    done = threading.Event()

    def sample() -> None:  # a child process's memory would count too
        while not done.wait(0.2):
            peak_tree[0] = max(peak_tree[0], _tree_rss_kib(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    if os.path.isdir("/proc"):
        sampler.start()
    _pid, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    done.set()
    output = proc.stdout.read().decode() if proc.stdout else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"build of {root} failed:\n{output[-3000:]}")
    pages = sum(1 for _ in (root / "site").rglob("index.html"))
    size = sum(p.stat().st_size for p in (root / "site").rglob("*") if p.is_file())
    # CPU time of the build and of any child it waited for (the kernel adds a reaped child's time to its parent's).
    return {"seconds": round(elapsed, 2), "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 1),
            "peak_mib": round(usage.ru_maxrss / 1024, 1),
            "peak_tree_mib": round(peak_tree[0] / 1024, 1), "pages": pages,
            "site_mib": round(size / 2**20, 1),
            "hooks_seconds": json.loads(clock.read_text())["hooks_seconds"] if clock.exists() else None}


def timed_rebuild(root: Path, cache: Path) -> dict:
    """Rebuilds after one notice was edited, with the cache a first build filled: a clean `mkdocs build` (every file
    written again), and a dirty one into the same site, as the preview does (`mkdocs serve --dirty`)."""
    shutil.rmtree(cache, ignore_errors=True)
    timed_build(root, str(cache))
    notice = min((root / "notices").rglob("tb-*.md"))
    notice.write_text(notice.read_text(encoding="utf-8") + "\nMột câu thêm khi sửa.\n", encoding="utf-8")
    clean = timed_build(root, str(cache))
    notice.write_text(notice.read_text(encoding="utf-8") + "\nMột câu nữa khi sửa.\n", encoding="utf-8")
    clean["dirty"] = timed_build(root, str(cache), "--dirty")
    return clean


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--keep", help="keep the generated archives under this folder")
    parser.add_argument("--repeat", type=int, default=1,
                        help="build each archive this many times, plain and hooks in turn, and keep each one's "
                             "fastest run (a shared machine's noise only ever adds time)")
    args = parser.parse_args()
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="build-bench-"))
    results = []
    for n in args.sizes:
        row: dict = {"notices": n}
        roots = {}
        for kind, plain in (("plain", True), ("hooks", False)):
            roots[kind] = base / f"{kind}-{n}"
            shutil.rmtree(roots[kind], ignore_errors=True)
            generate(roots[kind], n, plain=plain)
            if not plain:
                add_hook_clock(roots[kind])
        # The per-notice cache filled by a first build, for full builds with every notice cached ("cached").
        warm = base / f"warm-{n}"
        shutil.rmtree(warm, ignore_errors=True)
        shutil.rmtree(roots["hooks"] / "site", ignore_errors=True)
        timed_build(roots["hooks"], str(warm))
        runs: dict[str, list[dict]] = {"plain": [], "hooks": [], "cached": []}
        for _ in range(max(1, args.repeat)):
            for kind, root, cache in (("plain", roots["plain"], "off"), ("hooks", roots["hooks"], "off"),
                                      ("cached", roots["hooks"], str(warm))):
                shutil.rmtree(root / "site", ignore_errors=True)
                runs[kind].append(timed_build(root, cache))
        for kind, kind_runs in runs.items():
            row[kind] = min(kind_runs, key=lambda r: r["seconds"])
            row[kind]["runs"] = [r["seconds"] for r in kind_runs]
        row["time_ratio"] = round(row["hooks"]["seconds"] / row["plain"]["seconds"], 2)
        # Each hooks build against the plain build just before it: the VM's speed drifts over minutes, so a pair
        # shares its conditions; the median of the pairs is the steadier figure.
        for kind, key in (("hooks", ""), ("cached", "cached_")):
            pairs = [h["seconds"] / p["seconds"] for p, h in zip(runs["plain"], runs[kind], strict=True)]
            row[f"{key}pair_ratios"] = [round(r, 2) for r in pairs]
            row[f"{key}median_pair_ratio"] = round(statistics.median(pairs), 2)
        row["cached_cpu_ratio"] = round(row["cached"]["cpu_seconds"] / row["plain"]["cpu_seconds"], 2)
        row["memory_ratio"] = round(row["hooks"]["peak_mib"] / row["plain"]["peak_mib"], 2)
        row["cpu_ratio"] = round(row["hooks"]["cpu_seconds"] / row["plain"]["cpu_seconds"], 2)
        row["rebuild"] = timed_rebuild(roots["hooks"], base / f"cache-{n}")
        # The hooks' share of a rebuild after one edit, against a cold build's (the fastest hooks run's).
        row["rebuild_hooks_ratio"] = round(row["rebuild"]["hooks_seconds"] / row["hooks"]["hooks_seconds"], 3)
        row["dirty_hooks_ratio"] = round(row["rebuild"]["dirty"]["hooks_seconds"] / row["hooks"]["hooks_seconds"], 3)
        results.append(row)
        print(json.dumps(row, ensure_ascii=False), flush=True)
    if not args.keep:
        shutil.rmtree(base, ignore_errors=True)
    print("\n| notices | plain build | with hooks | time ratio | median of pairs | CPU time plain / hooks (both "
          "processes) | peak memory plain / hooks (largest process) | memory ratio | all processes, hooks | "
          "hooks' time, cold | every notice cached: time, median of pairs, CPU | rebuild after one edit (time, CPU, hooks' time: share of cold) | dirty rebuild, as the "
          "preview (time, hooks' time: share of cold) |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['notices']:,} | {r['plain']['seconds']} s | {r['hooks']['seconds']} s | {r['time_ratio']}× | "
              f"{r['median_pair_ratio']}× ({', '.join(map(str, r['pair_ratios']))}) | "
              f"{r['plain']['cpu_seconds']} / {r['hooks']['cpu_seconds']} s ({r['cpu_ratio']}×) | "
              f"{r['plain']['peak_mib']} / {r['hooks']['peak_mib']} MiB | {r['memory_ratio']}× | "
              f"{r['hooks']['peak_tree_mib']} MiB | {r['hooks']['hooks_seconds']} s | {r['cached']['seconds']} s, "
              f"{r['cached_median_pair_ratio']}× ({', '.join(map(str, r['cached_pair_ratios']))}), "
              f"{r['cached']['cpu_seconds']} s ({r['cached_cpu_ratio']}×) | {r['rebuild']['seconds']} s, "
              f"{r['rebuild']['cpu_seconds']} s, {r['rebuild']['hooks_seconds']} s: {r['rebuild_hooks_ratio']:.0%} | "
              f"{r['rebuild']['dirty']['seconds']} s, {r['rebuild']['dirty']['hooks_seconds']} s: "
              f"{r['dirty_hooks_ratio']:.0%} |")


if __name__ == "__main__":
    main()
