"""Benchmark: this archive's search (our sharded index) against Material's built-in search, in the same run.

Builds synthetic archives (tests/benchmarks/synthetic.py) of each size twice — our config, and plain Material with
its search plugin — then, in Debian's Chromium on 127.0.0.1, opens a notice page cold (empty cache), types each
query into the site's real search box (40 ms between keys) and reports:

- bytes transferred before the first result: gzip size (level 6, as a static host serves them) of every response
  from the page load to the first result, split into search (our scripts, manifest, shards, result data; Material's
  search_index.json, worker and lunr) and the page itself (HTML, theme CSS/JS, fonts);
- time from the last keystroke to the first result of the full query (Material capped at --cap seconds), on a
  phone's network by default (Chromium's own throttling over CDP, Network.emulateNetworkConditions: 150 ms round
  trip, 1.6 Mbps down, 750 kbps up; --network none for the loopback as it is);
- requests: before the first result (search's and the page's), and all that the query caused (display data of the
  first page, tails fetched for the count) once the page is quiet;
- index size on disk (files, bytes, gzip bytes) and build time (whole MkDocs build; ours also the index alone).

    SHARED_DIR=/work/shared .venv/bin/python -m tests.benchmarks.search_bench 1000 10000   # --keep DIR keeps sites
    .venv/bin/python -m tests.benchmarks.search_bench 1000 --no-material --network phone

Not collected by pytest; figures go in the report, never in timed tests.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from tests.benchmarks import synthetic
from tests.benchmarks.synthetic import generate
from tests.conftest import BIN, CHROMIUM, ROOT

QUERIES = ["giai phong mat bang", "đèn chiếu sáng", "thanh pho", "kinh te dem", "5/TB-UBND", "gpmb"]
# Chromium's throttling: latency is the added round trip (ms), throughputs in bytes per second.
NETWORKS = {"phone": {"offline": False, "latency": 150, "downloadThroughput": 1_600_000 / 8,
                      "uploadThroughput": 750_000 / 8},
            "none": None}
NOTICE = "ubnd-thu-nghiem/{year}/1-tb-ubnd/"
OURS = {"box": "#vn-search-input", "result": ".vn-search__result a",
        # the first result is the full query's (not a half-typed one's)
        "ready": "(q) => { const a = document.querySelector('.vn-search__result a');"
                 " return a && new URL(a.href).searchParams.get('tim') === q; }"}
MATERIAL = {"box": "input.md-search__input", "result": ".md-search-result__item",
            "ready": "(q) => document.querySelector('.md-search-result__item') !== null"}


def build(root: Path) -> tuple[float, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    start = time.perf_counter()
    proc = subprocess.run([str(BIN / "mkdocs"), "build", "-f", str(root / "mkdocs.yml"), "--site-dir",
                           str(root / "site")], capture_output=True, text=True, env=env, cwd=root)
    if proc.returncode != 0:
        sys.exit(proc.stdout + proc.stderr)
    return time.perf_counter() - start, proc.stdout + proc.stderr


def plain_material(root: Path) -> None:
    """The baseline: Material with its built-in search plugin, none of our theme, hooks or scripts."""
    path = root / "mkdocs.yml"
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    config["plugins"] = ["search"]
    for key in ("extra_javascript", "extra_css", "not_in_nav", "strict"):
        config.pop(key, None)
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


def dir_size(path: Path) -> tuple[int, int, int]:
    files = [p for p in path.rglob("*") if p.is_file()]
    return len(files), sum(p.stat().st_size for p in files), sum(wire_size(p.read_bytes()) for p in files)


def wire_size(body: bytes) -> int:
    """What gzip transfer encoding would send (already-compressed bodies as they are)."""
    return len(body) if body[:2] == b"\x1f\x8b" else len(gzip.compress(body, 6))


def serve(directory: Path):
    """A static server in its own process (not sharing this process's interpreter lock with Playwright)."""
    import socket
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1", "--directory",
                             str(directory)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)

    def stop() -> None:
        proc.terminate()
        proc.wait()

    return url, stop


def is_search(url: str, engine: str) -> bool:
    if engine == "ours":
        return "/tim-kiem/" in url or "javascripts/search" in url or "stylesheets/search" in url
    return "search" in url  # search_index.json, the search worker (with lunr)


def measure(browser, url: str, query: str, engine: str, cap: float, network: dict | None = None) -> dict:
    sel = OURS if engine == "ours" else MATERIAL
    context = browser.new_context()  # cold: no cache
    page = context.new_page()
    if network:
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.emulateNetworkConditions", network)
    responses: list = []  # bodies are read after the timing, so reading them does not slow what is timed
    later: list = []  # what the query still fetched after its first result
    done = {"flag": False}

    def on_response(resp) -> None:
        (later if done["flag"] else responses).append(resp)

    context.on("response", on_response)  # the context sees the search worker's requests too
    start = time.perf_counter()
    page.goto(url, wait_until="load")
    page.click(sel["box"])
    page.evaluate("""([box, ready, q]) => { window.__bench = {}; const isReady = eval(ready);
      document.addEventListener('keydown', () => { window.__bench.last = performance.now(); }, true);
      new MutationObserver(() => { if (!window.__bench.first && document.querySelector(box).value === q
          && isReady(q)) window.__bench.first = performance.now(); })
        .observe(document.body, {childList: true, subtree: true, attributes: true}); }""",
                  [sel["box"], sel["ready"], query])
    page.locator(sel["box"]).press_sequentially(query, delay=40)
    typed = time.perf_counter()
    try:
        page.wait_for_function("() => window.__bench.first !== undefined", timeout=cap * 1000, polling=5)
        bench = page.evaluate("() => window.__bench")
        ms = bench["first"] - bench["last"]
    except Exception:  # playwright's TimeoutError
        ms = None
    done["flag"] = True
    total = time.perf_counter() - start
    waited = time.perf_counter() - typed
    with contextlib.suppress(Exception):
        page.wait_for_load_state("networkidle", timeout=cap * 1000)
    sizes: dict[str, int] = {}
    for resp in responses:
        with contextlib.suppress(Exception):  # a response without a body (redirect) costs nothing here
            sizes[resp.url] = wire_size(resp.body())
    context.close()
    search = sum(v for u, v in sizes.items() if is_search(u, engine))
    after = [r.url for r in later if is_search(r.url, engine)]
    return {"search": search, "page": sum(sizes.values()) - search, "requests": len(sizes), "ms": ms,
            "load_to_result_s": total, "waited_s": waited,
            "search_requests": sum(1 for u in sizes if is_search(u, engine)), "after_requests": len(after)}


def fmt(m: dict, cap: float) -> str:
    when = f"{m['ms']:.0f} ms" if m["ms"] is not None else f"> {cap:.0f} s (no result)"
    return (f"search {m['search'] / 1024:.0f} KB ({m['search_requests']} req, then {m['after_requests']} more) + "
            f"page {m['page'] / 1024:.0f} KB ({m['requests'] - m['search_requests']} req), {when} after last keystroke")


def run(n: int, keep: Path | None, reuse: bool, cap: float, material: bool = True, network: str = "phone") -> None:
    from playwright.sync_api import sync_playwright

    work = keep or Path(tempfile.mkdtemp(prefix=f"search-bench-{n}-"))
    ours, plain = work / "ours", work / "material"
    t_index = float("nan")
    if reuse and (ours / "site").exists() and ((plain / "site").exists() or not material):
        t_ours = t_plain = float("nan")  # built by an earlier run
    else:
        for root in (ours, plain):
            if root.exists():
                shutil.rmtree(root)
        generate(ours, n)
        shutil.copy(ROOT / "notices" / "_registry" / "glossary.yml", ours / "notices" / "_registry" / "glossary.yml")
        t_ours, log = build(ours)
        if m := re.search(r"tìm kiếm: .* trong ([\d.]+) s", log):
            t_index = float(m.group(1))
        t_plain = float("nan")
        if material:
            generate(plain, n, plain=True)
            plain_material(plain)
            t_plain, _ = build(plain)
    files, raw, gz = dir_size(ours / "site" / "tim-kiem")
    material = material and (plain / "site").exists()
    year = sorted(p.name for p in (ours / "site" / "ubnd-thu-nghiem").iterdir())[-1]
    notice = NOTICE.format(year=year)
    print(f"\n== {n} notices, network: {network} ==")
    print(f"build: ours {t_ours:.0f} s (index {t_index:.1f} s of it), Material {t_plain:.0f} s")
    print(f"index: ours {files} files, {raw / 1e6:.1f} MB ({gz / 1e6:.1f} MB gzip)")
    url_ours, stop_ours = serve(ours / "site")
    stops = [stop_ours]
    if material:
        mat_index = plain / "site" / "search" / "search_index.json"
        print(f"Material search_index.json 1 file, {mat_index.stat().st_size / 1e6:.1f} MB "
              f"({wire_size(mat_index.read_bytes()) / 1e6:.2f} MB gzip)")
        plain_notice = next(p for p in (plain / "site" / "ubnd-thu-nghiem").rglob("index.html")).parent
        url_plain, stop_plain = serve(plain / "site")
        stops.append(stop_plain)
    conditions = NETWORKS[network]
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            material_done = not material
            for q in QUERIES:
                a = measure(browser, url_ours + notice, q, "ours", cap, conditions)
                line = f"{q!r}: ours {fmt(a, cap)}"
                if not material_done:  # Material's cost is the same for every query: measured once
                    b = measure(browser, url_plain + plain_notice.relative_to(plain / "site").as_posix() + "/", q,
                                "material", cap, conditions)
                    line += f" | Material {fmt(b, cap)}"
                    material_done = True
                print(line, flush=True)
            browser.close()
    finally:
        for stop in stops:
            stop()
    if keep is None:
        shutil.rmtree(work)


def main() -> None:
    if os.environ.get("SHARED_DIR"):  # the shared material when the checkout is not beside it (a git worktree)
        synthetic.SHARED = Path(os.environ["SHARED_DIR"])
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 10000])
    parser.add_argument("--keep", type=Path, help="build into this directory and keep it")
    parser.add_argument("--reuse", action="store_true", help="with --keep: measure the sites already built there")
    parser.add_argument("--cap", type=float, default=60, help="seconds to wait for a result (Material at 10,000)")
    parser.add_argument("--no-material", dest="material", action="store_false", help="skip Material's baseline")
    parser.add_argument("--network", choices=sorted(NETWORKS), default="phone", help="throttling (default: phone)")
    args = parser.parse_args()
    for n in args.sizes:
        run(n, args.keep / str(n) if args.keep else None, args.reuse, args.cap, args.material, args.network)


if __name__ == "__main__":
    main()
