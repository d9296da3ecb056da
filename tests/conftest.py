"""Shared test helpers: tiny archives built with the real MkDocs + Material, and Debian's Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

try:
    from benchmarks.synthetic import read_mkdocs_config
except ImportError:  # imported as tests.conftest, by a benchmark run from the repository root
    from tests.benchmarks.synthetic import read_mkdocs_config

ROOT = Path(__file__).resolve().parent.parent
NOTICES = ROOT / "notices"
SEED = NOTICES / "ubnd-tp-lang-son" / "2020" / "2020-11-10-hop-thuong-ky-thang-11.md"
CHROMIUM = "/usr/bin/chromium"
BIN = Path(sys.executable).parent


MINIMAL_NOTICE = """---
issuer: ubnd-tp-lang-son
number: {number}
status: {status}
date: {date}
place: TP. Lạng Sơn
title: {title}
meeting:
  date: {meeting}
chair:
  name: Nguyễn Văn Hạnh
  title: Chủ tịch UBND thành phố
signer:
  authority: []
  title: CHỦ TỊCH
  name: Nguyễn Văn Hạnh
recipients:
  - "Lưu: VT, VP."
{extra}---

{body}
"""


def minimal_notice(number: str = "123/TB-UBND", date: str = "2020-11-20", meeting: str = "2020-11-19",
                   title: str = "Kết luận thử", status: str = "ban-hanh", extra: str = "",
                   body: str = "Nội dung.") -> str:
    """A small valid notice of the seed's issuer (number on line 3); ``extra`` is YAML added before the closing ---."""
    return MINIMAL_NOTICE.format(number=number, status=status, date=date, title=title, meeting=meeting,
                                 extra=extra, body=body)


@dataclass
class Build:
    returncode: int
    output: str
    site: Path
    root: Path

    def page(self, url: str) -> str:
        return (self.site / url.strip("/") / "index.html").read_text(encoding="utf-8")


def make_archive(tmp: Path, notices: dict[str, str] | None = None, with_seed: bool = True,
                 registry_dir: Path | None = None) -> Path:
    """A tiny archive in tmp: the real registries, the seed (optional) and extra notice files."""
    root = tmp / "archive"
    docs = root / "notices"
    # The permanence manifest is left out: tests that need one write their own.
    shutil.copytree(registry_dir or NOTICES / "_registry", docs / "_registry",
                    ignore=shutil.ignore_patterns("published-urls.txt"))
    if with_seed:
        dest = docs / SEED.relative_to(NOTICES)
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(SEED, dest)
    for rel, text in (notices or {}).items():
        path = docs / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    config = read_mkdocs_config(ROOT / "mkdocs.yml")
    config["docs_dir"] = str(docs)
    config["theme"]["custom_dir"] = str(ROOT / "theme")
    config["hooks"] = [str(ROOT / h) for h in config["hooks"]]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return root


MARKS = "NOTICE_ARCHIVE_TEST_MARKS"  # the running test's markers, for the helpers below to check


@pytest.fixture(autouse=True)
def _test_marks(request, monkeypatch) -> None:
    monkeypatch.setenv(MARKS, " ".join(sorted({m.name for m in request.node.iter_markers()})))
    monkeypatch.setattr(subprocess, "Popen", _MarkedPopen)


class _MarkedPopen(subprocess.Popen):
    """Another program (LibreOffice, pdftotext, git, the CLI or MkDocs in a process of its own) costs from a tenth
    of a second to seconds: a test that starts one is marked, so the fast tier leaves it out."""

    def __init__(self, *args, **kwargs) -> None:
        marks = set(os.environ.get(MARKS, "programs").split())
        if not marks & {"programs", "build", "browser"}:
            pytest.fail(f"{os.environ.get('PYTEST_CURRENT_TEST', 'this test')} starts another program: mark it "
                        "@pytest.mark.programs")
        super().__init__(*args, **kwargs)


def _require_mark(mark: str) -> None:
    """The fast tier (-m "not build and not browser") runs alone in seconds: a test that builds a site or drives
    the browser must say so."""
    if mark not in os.environ.get(MARKS, mark).split():
        pytest.fail(f"{os.environ.get('PYTEST_CURRENT_TEST', 'this test')}: mark it @pytest.mark.{mark}")


def pytest_collection_modifyitems(config, items) -> None:
    """Tests that take the browser, the built real archive or files LibreOffice made as a fixture carry the
    matching marks (a fixture shared by a module or the session starts its programs before a test's own check)."""
    needs = {"browser": {"browser"}, "real_site": {"build"}, "real_site_url": {"build"}, "office_files": {"programs"}}
    unmarked = sorted({f"{item.nodeid} (@pytest.mark.{mark})" for item in items for fixture, marks in needs.items()
                       if fixture in item.fixturenames for mark in marks if item.get_closest_marker(mark) is None})
    if unmarked:
        raise pytest.UsageError("tests without their marks:\n" + "\n".join(unmarked))


def build(root: Path, *args: str, site: Path | None = None, env: dict | None = None) -> Build:
    _require_mark("build")
    site = site or root / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", **(env or {}))
    proc = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "-f", str(root / "mkdocs.yml"),
                           "--site-dir", str(site), *args], capture_output=True, text=True, env=env, cwd=root)
    return Build(proc.returncode, proc.stdout + proc.stderr, site, root)


@pytest.fixture
def tiny_archive(tmp_path: Path):
    def factory(notices: dict[str, str] | None = None, with_seed: bool = True) -> Path:
        return make_archive(tmp_path, notices, with_seed)

    return factory


@pytest.fixture(scope="session")
def browser():
    """Playwright driving Debian's Chromium (never a downloaded browser)."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run .ci/setup.sh --test (it installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


def serve(directory: Path):
    """Serve a built site on 127.0.0.1 (random port) in a thread; returns (base_url, stop)."""
    import functools
    import http.server
    import threading

    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:  # keep test output readable
            pass

    handler = functools.partial(Handler, directory=str(directory))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        httpd.shutdown()
        httpd.server_close()

    return f"http://127.0.0.1:{httpd.server_address[1]}/", stop


@contextmanager
def built_and_served(root: Path):
    """A strict build of the archive at root, served until the block ends: (site folder, base URL)."""
    result = build(root)
    assert result.returncode == 0, result.output
    url, stop = serve(result.site)
    try:
        yield result.site, url
    finally:
        stop()


@pytest.fixture(scope="session")
def issued_site(tmp_path_factory):
    """The seed and an issued notice (test_export.ISSUED), built and served once for the session: the phone and
    accessibility checks read the same pages."""
    from test_export import ISSUED

    with built_and_served(make_archive(tmp_path_factory.mktemp("issued"), ISSUED)) as served:
        yield served


@pytest.fixture(scope="session")
def real_site(tmp_path_factory) -> Path:
    """The real archive, built once per test session with the README's strict build."""
    out = tmp_path_factory.mktemp("real-site")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    proc = subprocess.run([str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(out)], cwd=ROOT,
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return out


@pytest.fixture(scope="session")
def real_site_url(real_site: Path):
    url, stop = serve(real_site)
    yield url
    stop()
