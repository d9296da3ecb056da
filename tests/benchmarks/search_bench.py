"""Benchmark: this archive's search (Pagefind in Vietnamese index form) against Material's built-in search.

Builds synthetic archives (tests/benchmarks/synthetic.py) of each size twice — our config, and plain Material with
its search plugin — then, in Debian's Chromium on 127.0.0.1, types queries into each site's real search box and
reports: compressed bytes of search assets transferred before the first result, time from the last keystroke to
the first result (cold: nothing cached), index size on disk and build time.

    .venv/bin/python -m tests.benchmarks.search_bench 1000 10000      # sizes; add --keep DIR to keep the sites

Not collected by pytest; figures go in the report, never in timed tests.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from tests.benchmarks import synthetic
from tests.benchmarks.synthetic import generate
from tests.conftest import BIN, CHROMIUM, serve

QUERIES = ["giai phong mat bang", "kinh te dem", "đèn chiếu sáng"]
NOTICE = "ubnd-thu-nghiem/{year}/1-tb-ubnd/"


def build(root: Path) -> float:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    start = time.perf_counter()
    proc = subprocess.run([str(BIN / "mkdocs"), "build", "-q", "-f", str(root / "mkdocs.yml"), "--site-dir",
                           str(root / "site")], capture_output=True, text=True, env=env, cwd=root)
    if proc.returncode != 0:
        sys.exit(proc.stdout + proc.stderr)
    return time.perf_counter() - start


def plain_material(root: Path) -> None:
    """The baseline: Material with its built-in search plugin, none of our theme, hooks or scripts."""
    path = root / "mkdocs.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["plugins"] = ["search"]
    for key in ("extra_javascript", "extra_css", "not_in_nav", "strict"):
        config.pop(key, None)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def dir_size(path: Path) -> tuple[int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files)


def wire_size(body: bytes) -> int:
    """What gzip transfer encoding would send (Pagefind's index files are already gzip)."""
    return len(body) if body[:2] == b"\x1f\x8b" else len(gzip.compress(body, 6))


def measure(browser, url: str, query: str, engine: str) -> dict:
    context = browser.new_context()  # cold: no cache
    page = context.new_page()
    sizes: dict[str, int] = {}
    done = {"flag": False}

    def on_response(resp) -> None:
        if done["flag"]:
            return
        u = resp.url
        search_asset = ("pagefind/" in u or "javascripts/search" in u or "stylesheets/search" in u
                        if engine == "ours" else "search" in u)
        if search_asset:
            with contextlib.suppress(Exception):  # a response without a body (redirect) costs nothing here
                sizes[u] = wire_size(resp.body())

    page.on("response", on_response)
    start = time.perf_counter()
    page.goto(url, wait_until="load")
    if engine == "ours":
        box, result = "#vn-search-input", ".vn-search__result a"
    else:
        box, result = "input.md-search__input", ".md-search-result__item"
    page.click(box)
    page.evaluate("""([sel, q]) => { window.__bench = {}; const box = document.querySelector(BOX);
      document.addEventListener('keydown', () => { window.__bench.last = performance.now(); }, true);
      new MutationObserver(() => { if (document.querySelector(sel) && !window.__bench.first
          && box.value === q) window.__bench.first = performance.now(); })
        .observe(document.body, {childList: true, subtree: true}); }""".replace("BOX", repr(box)), [result, query])
    page.locator(box).press_sequentially(query, delay=40)
    page.wait_for_function("() => window.__bench.first !== undefined", timeout=600_000, polling=10)
    done["flag"] = True
    bench = page.evaluate("() => window.__bench")
    total = time.perf_counter() - start
    context.close()
    kinds: dict[str, int] = {}
    for u, size in sizes.items():
        kind = next((k for k in ("pf_index", "pf_fragment", "pf_meta", "pf_filter", "wasm", "search_index", ".js",
                                 ".css") if k in u), "other")
        kinds[kind] = kinds.get(kind, 0) + size
    return {"bytes": sum(sizes.values()), "requests": len(sizes), "kinds": kinds, "keystroke_ms": bench["first"] - bench["last"],
            "load_to_result_s": total}


def run(n: int, keep: Path | None, reuse: bool = False) -> None:
    from playwright.sync_api import sync_playwright

    work = keep or Path(tempfile.mkdtemp(prefix=f"search-bench-{n}-"))
    ours, plain = work / "ours", work / "material"
    if reuse and (ours / "site").exists() and (plain / "site").exists():
        t_ours = t_plain = float("nan")  # built by an earlier run
    else:
        for root in (ours, plain):
            if root.exists():
                shutil.rmtree(root)
        generate(ours, n)
        generate(plain, n, plain=True)
        plain_material(plain)
        t_ours, t_plain = build(ours), build(plain)
    pf_files, pf_bytes = dir_size(ours / "site" / "pagefind")
    mat_index = plain / "site" / "search" / "search_index.json"
    year = sorted(p.name for p in (ours / "site" / "ubnd-thu-nghiem").iterdir())[-1]
    notice = NOTICE.format(year=year)
    plain_notice = next(p for p in (plain / "site" / "ubnd-thu-nghiem").rglob("index.html")).parent
    print(f"\n== {n} notices ==")
    print(f"build: ours {t_ours:.1f} s (MkDocs + Pagefind), Material {t_plain:.1f} s")
    print(f"index: ours {pf_bytes / 1e6:.1f} MB in {pf_files} files; Material search_index.json "
          f"{mat_index.stat().st_size / 1e6:.1f} MB ({wire_size(mat_index.read_bytes()) / 1e6:.2f} MB gzip)")
    url_ours, stop_ours = serve(ours / "site")
    url_plain, stop_plain = serve(plain / "site")
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for q in QUERIES:
                a = measure(browser, url_ours + notice, q, "ours")
                b = measure(browser, url_plain + plain_notice.relative_to(plain / "site").as_posix() + "/", q,
                            "material")
                print("   ours by kind (KB): " + ", ".join(f"{k} {v / 1024:.0f}" for k, v in a["kinds"].items()))
                print(f"{q!r}: ours {a['bytes'] / 1024:.0f} KB in {a['requests']} requests, "
                      f"{a['keystroke_ms']:.0f} ms after last keystroke ({a['load_to_result_s']:.1f} s from load) | "
                      f"Material {b['bytes'] / 1024:.0f} KB in {b['requests']} requests, "
                      f"{b['keystroke_ms']:.0f} ms after last keystroke ({b['load_to_result_s']:.1f} s from load)")
            browser.close()
    finally:
        stop_ours()
        stop_plain()
    if keep is None:
        shutil.rmtree(work)


def main() -> None:
    if os.environ.get("SHARED_DIR"):  # the shared material when the checkout is not beside it (a git worktree)
        synthetic.SHARED = Path(os.environ["SHARED_DIR"])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--keep", type=Path, help="build into this directory and keep it")
    parser.add_argument("--reuse", action="store_true", help="with --keep: measure the sites already built there")
    args = parser.parse_args()
    for n in args.sizes:
        run(n, args.keep / str(n) if args.keep else None, args.reuse)


if __name__ == "__main__":
    main()
