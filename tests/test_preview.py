"""The editor's preview (.ci/preview.sh: `mkdocs serve --no-strict --dirty`): it never hangs on a notice with errors, shows
the validator's path:line messages on the page and in the terminal, and reloads by itself when a file is saved."""

from __future__ import annotations

import json
import os
import queue
import socket
import subprocess
import threading
import time
import urllib.request

import pytest
from conftest import BIN, minimal_notice

from notice_archive import preview
from notice_archive.problems import Problem

NEW = "ubnd-tp-lang-son/2021/tb-7.md"


def test_problems_are_shown_as_text_never_as_markup():
    problems = [Problem("notices/a<b>.md", 3, "trường 'title': <script>alert(1)</script>", "error", "x"),
                Problem("notices/c.md", 1, "chỉ là khuyến nghị", "advice")]
    html = preview.banner_html(problems)
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<code>notices/a&lt;b&gt;.md:3</code>" in html and "[x]" in html
    assert "khuyến nghị" not in html  # advice stays in the terminal
    assert "Bản xem trước: 1 lỗi" in html
    assert preview.banner_html([Problem("notices/c.md", 1, "…", "advice")]) == ""
    # What every page's script reads (preview.js shows it as text): the errors only, located.
    assert json.loads(preview.report_json(problems))["errors"] == [
        {"where": "notices/a<b>.md:3", "message": "trường 'title': <script>alert(1)</script>", "code": "x"}]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    try:
        return urllib.request.urlopen(url, timeout=30).read().decode()
    except urllib.error.HTTPError as e:  # the 404 page is a page too
        return e.read().decode()


class Served:
    """`mkdocs serve` of an archive on a free port, its output read line by line as it comes."""

    def __init__(self, root, *flags: str):
        self.port = _port()
        self.base = f"http://127.0.0.1:{self.port}/"
        env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
        self.server = subprocess.Popen([str(BIN / "mkdocs"), "serve", *flags, "-f", str(root / "mkdocs.yml"),
                                        "--dev-addr", f"127.0.0.1:{self.port}"], cwd=root, env=env,
                                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put(line) for line in self.server.stdout], daemon=True).start()

    def wait_for_output(self, text: str, seconds: float = 120) -> str:
        deadline, seen = time.monotonic() + seconds, []
        while time.monotonic() < deadline:
            try:
                seen.append(self.lines.get(timeout=1))
            except queue.Empty:
                if self.server.poll() is not None:
                    break
                continue
            if text in seen[-1]:
                return "".join(seen)
        raise AssertionError(f"{text!r} not in the server's output:\n{''.join(seen)}")

    def stop(self) -> None:
        self.server.terminate()
        self.server.wait(timeout=30)


@pytest.mark.build
@pytest.mark.browser
def test_preview_shows_errors_on_the_page_and_reloads_on_save(tiny_archive, browser):
    root = tiny_archive({NEW: minimal_notice(number="07/TB-UBND", date="2021-03-02", meeting="2021-03-01")})
    notice = root / "notices" / NEW
    served = Served(root, "--no-strict", "--dirty")
    wait_for_output, base = served.wait_for_output, served.base
    try:
        wait_for_output("Serving on")
        page = browser.new_page()
        page.goto(base + "ubnd-tp-lang-son/2021/7-tb-ubnd/")
        assert page.locator("h1").first.inner_text().strip()
        assert page.locator(".notice-problems").count() == 0
        # A date in the future: the notice is not published; the open page reloads and shows the messages instead.
        notice.write_text(minimal_notice(number="07/TB-UBND", date="2099-03-02", meeting="2021-03-01"),
                          encoding="utf-8")
        output = wait_for_output("Documentation built")
        assert f"notices/{NEW}:5: trường 'date': ngày ban hành 2099-03-02 ở tương lai" in output  # the terminal
        page.wait_for_selector(".notice-problems", timeout=60_000)  # live reload, nobody pressed F5
        shown = page.locator(".notice-problems").inner_text()
        assert f"notices/{NEW}:5" in shown and "ngày ban hành 2099-03-02 ở tương lai" in shown
        # Every page answers, and says the same, while the error stands: the preview does not hang.
        start = time.monotonic()
        assert f"notices/{NEW}:5" in _get(base) and f"notices/{NEW}:5" in _get(base + "nam/2020/")
        assert time.monotonic() - start < 10
        # An untouched notice, which the dirty rebuild did not rewrite, says it too (preview.js).
        seed = browser.new_page()
        seed.goto(base + "ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/")
        seed.wait_for_selector(".notice-problems", timeout=30_000)
        assert f"notices/{NEW}:5" in seed.locator(".notice-problems").inner_text()
        # Fixed and saved: the messages go and the notice is back, with the edit.
        notice.write_text(minimal_notice(number="07/TB-UBND", date="2021-03-02", meeting="2021-03-01",
                                         title="Kết luận đã sửa"), encoding="utf-8")
        page.wait_for_selector("text=Kết luận đã sửa", timeout=60_000)
        assert page.locator(".notice-problems").count() == 0
        seed.reload()
        seed.wait_for_selector("h1")
        page.wait_for_timeout(500)  # the script's request
        assert seed.locator(".notice-problems").count() == 0
        page.close()
        seed.close()
    finally:
        served.stop()


@pytest.mark.build
def test_a_strict_mkdocs_serve_is_a_preview_too_and_never_hangs(tiny_archive):
    """`mkdocs serve` as it comes (strict: true in mkdocs.yml): MkDocs' live reload holds every request until a
    build passes, so a notice in error would stop the server answering (or end it, at the first build). It serves
    the preview instead: the errors on every page and in the terminal, the notice once it is fixed."""
    bad = minimal_notice(number="07/TB-UBND", date="2099-03-02", meeting="2021-03-01")
    root = tiny_archive({NEW: bad})
    served = Served(root)
    message = f"notices/{NEW}:5: trường 'date': ngày ban hành 2099-03-02 ở tương lai"
    try:
        assert message in served.wait_for_output("Serving on")
        start = time.monotonic()
        home = _get(served.base)
        assert time.monotonic() - start < 10
        assert "notice-problems" in home and f"notices/{NEW}:5" in home
        assert "preview.js" in home  # the script that reads the latest errors on every page
        (root / "notices" / NEW).write_text(
            minimal_notice(number="07/TB-UBND", date="2021-03-02", meeting="2021-03-01", title="Kết luận đã sửa"),
            encoding="utf-8")
        served.wait_for_output("Documentation built")
        page = _get(served.base + "ubnd-tp-lang-son/2021/7-tb-ubnd/")
        assert "Kết luận đã sửa" in page and "notice-problems" not in page
    finally:
        served.stop()


@pytest.mark.build
def test_a_strict_mkdocs_serve_clean_rebuilds_as_a_preview_too(tiny_archive):
    """`mkdocs serve --clean`: MkDocs calls it a build at startup (on_startup), so its first build is strict; its
    rebuilds, after the server started (on_serve), are a preview's: a notice saved with an error never hangs it."""
    good = minimal_notice(number="07/TB-UBND", date="2021-03-02", meeting="2021-03-01")
    root = tiny_archive({NEW: good})
    served = Served(root, "--clean")
    try:
        served.wait_for_output("Serving on")
        (root / "notices" / NEW).write_text(good.replace("date: 2021-03-02", "date: 2099-03-02"), encoding="utf-8")
        output = served.wait_for_output("Documentation built")
        assert f"notices/{NEW}:5: trường 'date': ngày ban hành 2099-03-02 ở tương lai" in output
        assert "appear stuck" not in output
        start = time.monotonic()
        home = _get(served.base)
        assert time.monotonic() - start < 10 and f"notices/{NEW}:5" in home
    finally:
        served.stop()


@pytest.mark.build
def test_a_strict_mkdocs_serve_never_hangs_on_a_link_to_no_page(tiny_archive):
    """MkDocs checks links itself (validation: warn in mkdocs.yml), and a strict serve counts its warnings too: a
    notice saved with a link to no anchor would hold every request ("The server will appear stuck"). The validator
    refuses a link to no notice or no page (lien-ket-hong) but leaves the anchors of the generated pages to MkDocs,
    which alone knows them: a preview logs MkDocs' link checks as information; the published build fails on them."""
    good = minimal_notice(number="07/TB-UBND", date="2021-03-02", meeting="2021-03-01")
    root = tiny_archive({NEW: good})
    served = Served(root)
    try:
        served.wait_for_output("Serving on")
        (root / "notices" / NEW).write_text(good.replace(
            "Nội dung.", "Đã sửa, [y](../../don-vi/phong-quan-ly-do-thi.md#khong-co-neo)."), encoding="utf-8")
        output = served.wait_for_output("Documentation built")
        assert "khong-co-neo" in output and "appear stuck" not in output
        start = time.monotonic()
        page = _get(served.base + "ubnd-tp-lang-son/2021/7-tb-ubnd/")
        assert time.monotonic() - start < 10 and "Đã sửa" in page
    finally:
        served.stop()
    from conftest import build

    published = build(root)
    assert published.returncode == 1 and "khong-co-neo" in published.output


STALE_SERVE = """
import logging
import sys

from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import MkDocsException

logging.basicConfig(level=logging.WARNING)
config_file, site_dir, serve_dir = sys.argv[1:]
serving = load_config(config_file=config_file, site_dir=serve_dir)
serving.plugins.on_startup(command="serve", dirty=False)  # a server of this process, not shut down (yet)
try:
    build(load_config(config_file=config_file, site_dir=site_dir, strict=True))
except MkDocsException as exc:
    print(exc)
    sys.exit(3)
finally:
    serving.plugins.on_shutdown()
"""


@pytest.mark.build
def test_a_strict_build_in_a_process_that_serves_is_never_a_preview(tiny_archive, tmp_path):
    """A tool that serves and builds in one process (mkdocs.commands.build.build, no on_startup of its own): the
    published build fails on a notice in error and carries no preview script, whatever the server told the hooks."""
    root = tiny_archive({NEW: minimal_notice(number="07/TB-UBND", date="2099-03-02", meeting="2021-03-01")})
    site = tmp_path / "site"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    proc = subprocess.run([str(BIN / "python"), "-c", STALE_SERVE, str(root / "mkdocs.yml"), str(site),
                           str(tmp_path / "served")], cwd=root, env=env, capture_output=True, text=True)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert f"notices/{NEW}:5: trường 'date'" in proc.stderr, proc.stderr  # an error, said as a warning
    assert not (site / preview.SCRIPT).exists()
