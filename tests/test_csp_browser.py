"""The Content-Security-Policy in Chromium: in force (an injected handler or script does not run), and every kind of
page still works under it with no violation reported: notice pages, index pages, home, search, 404, the page left
at a former address, the print layout."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from conftest import SEED, build, make_archive, serve

pytestmark = [pytest.mark.browser, pytest.mark.build]

OLD_URL = "ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/"
NEW_URL = "ubnd-tp-lang-son/2020/123-tb-ubnd/"
# Every violation the page sees, and the browser's console errors about the policy, from before its first script.
LISTEN = """document.addEventListener("securitypolicyviolation",
  e => window.__cspViolation(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber));"""


def issued_seed() -> str:
    """The seed once issued: a number, a day, and its old address as a former URL (a redirect page)."""
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("number: /TB-UBND", "number: 123/TB-UBND").replace("status: chua-so", "status: ban-hanh")
    text = text.replace("date: 2020-11\n", "date: 2020-11-12\n")
    return text.replace("items:\n", f"former_urls:\n  - {OLD_URL}\nitems:\n", 1)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("csp")
    root = make_archive(tmp, {str(SEED.relative_to(SEED.parents[2])): issued_seed()})
    result = build(root)
    assert result.returncode == 0, result.output
    return result.site


@pytest.fixture(scope="module")
def site_url(site: Path):
    url, stop = serve(site)
    yield url
    stop()


class Watched:
    """A browser context that records policy violations and console errors on every page it opens."""

    def __init__(self, browser, **options):
        self.context = browser.new_context(**options)
        self.violations: list[str] = []
        self.context.expose_binding("__cspViolation", lambda source, text: self.violations.append(text))
        self.context.add_init_script(LISTEN)
        self.page = self.context.new_page()
        self.page.on("console", self._console)

    def _console(self, message) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            self.violations.append(f"console {message.type}: {message.text}")

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def watched(browser):
    made: list[Watched] = []

    def factory(**options) -> Watched:
        made.append(Watched(browser, **options))
        return made[-1]

    yield factory
    for w in made:
        w.close()


PAGES = ["", "don-vi/", "don-vi/phong-quan-ly-do-thi/", "du-an/", "du-an/den-led-chieu-sang-cong-cong/", "nam/",
         "nam/2020/", NEW_URL, "404.html"]


@pytest.mark.parametrize("url", PAGES)
def test_every_kind_of_page_runs_the_theme_with_no_violation(watched, site_url, url):
    w = watched()
    w.page.goto(site_url + url)
    w.page.wait_for_load_state("load")
    # Material's bundle ran (it swaps no-js for js), and its storage helpers know the site's root.
    w.page.wait_for_function("() => document.documentElement.classList.contains('js')")
    assert w.page.evaluate("__md_scope.href") == site_url
    assert w.page.evaluate("typeof __md_get") == "function"
    w.page.wait_for_timeout(300)  # late violations (search.js loads its module, Material its components)
    assert w.violations == []


def test_search_and_its_filters_work_under_the_policy(watched, site_url):
    w = watched()
    w.page.goto(site_url)
    w.page.fill("#vn-search-input", "den led chieu sang")
    w.page.wait_for_selector(".vn-search__result a")
    assert "muc-4" in w.page.locator(".vn-search__result a").first.get_attribute("href")
    w.page.keyboard.press("Enter")  # searches in place: the form goes nowhere
    w.page.locator(".vn-search__filters summary").click()
    w.page.wait_for_function("() => document.querySelector(\"select[data-filter='don-vi']\").options.length > 1")
    w.page.locator("select[data-filter='don-vi']").select_option("phong-quan-ly-do-thi")
    w.page.wait_for_selector(".vn-search__result a")
    assert w.page.url.rstrip("/") + "/" == site_url
    assert w.violations == []


def test_copy_citation_drawer_and_toc_work_under_the_policy(watched, site_url):
    w = watched(permissions=["clipboard-read", "clipboard-write"], viewport={"width": 1280, "height": 900})
    w.page.goto(site_url + NEW_URL)
    w.page.locator("#muc-4 .cite-copy").click()
    assert w.page.evaluate("navigator.clipboard.readText()").startswith("Mục 4, Thông báo số 123/TB-UBND")
    w.page.locator(".md-nav--secondary a[href='#muc-4']").click()
    w.page.wait_for_url("**#muc-4")
    assert w.violations == []
    phone = watched(viewport={"width": 360, "height": 740})
    phone.page.goto(site_url + NEW_URL)
    phone.page.locator("header label[for='__drawer']").click()
    assert phone.page.evaluate("document.getElementById('__drawer').checked")
    phone.page.locator(".md-sidebar--primary a[href$='don-vi/']").first.click()
    phone.page.wait_for_url("**/don-vi/")
    assert phone.violations == []


def test_print_layout_has_no_violation(watched, site_url):
    w = watched()
    w.page.emulate_media(media="print")
    w.page.goto(site_url + NEW_URL)
    w.page.pdf()  # lays the page out for print, as the browser's print does
    assert w.violations == []


def test_a_former_address_redirects_to_the_item_under_the_policy(watched, site_url, site):
    assert "Content-Security-Policy" in (site / OLD_URL / "index.html").read_text(encoding="utf-8")
    w = watched()
    w.page.goto(site_url + OLD_URL + "#muc-4")
    w.page.wait_for_url(f"**/{NEW_URL}#muc-4")
    assert w.violations == []
    no_js = watched(java_script_enabled=False)
    no_js.page.goto(site_url + OLD_URL)
    no_js.page.wait_for_url(f"**/{NEW_URL}")


def test_an_injected_handler_script_or_javascript_link_does_not_run(watched, site, tmp_path):
    """What if something got past every check into a page: the policy stops it (the page says so)."""
    hacked = tmp_path / "site"
    shutil.copytree(site, hacked)
    page_file = hacked / NEW_URL / "index.html"
    html = page_file.read_text(encoding="utf-8")
    injected = ('<img src="x.png" onerror="document.body.dataset.pwned=1">'
                '<script>document.body.dataset.pwned2=1</script>'
                '<a id="evil" href="javascript:document.body.dataset.pwned3=1">x</a>'
                '<button id="evil2" onclick="document.body.dataset.pwned4=1">y</button>'
                '<iframe src="https://example.com/"></iframe><object data="x.swf"></object>')
    html = html.replace('<div class="notice-body">', '<div class="notice-body">' + injected, 1)
    page_file.write_text(html, encoding="utf-8")
    # The control: the same page without its policy runs every injected piece (so the check below can fail).
    without = hacked / "without-policy.html"
    without.write_text(re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html),
                       encoding="utf-8")
    url, stop = serve(hacked)
    try:
        control = watched()
        control.page.goto(url + "without-policy.html")
        control.page.locator("#evil2").click()
        control.page.locator("#evil").click()
        control.page.wait_for_function("() => document.body.dataset.pwned4 && document.body.dataset.pwned2")
        w = watched()
        w.page.goto(url + NEW_URL)
        w.page.wait_for_function("() => document.documentElement.classList.contains('js')")  # the theme's scripts run
        w.page.locator("#evil").click()
        w.page.locator("#evil2").click()
        w.page.wait_for_timeout(300)
        ran = w.page.evaluate("() => Object.keys(document.body.dataset).filter(k => k.startsWith('pwned'))")
        assert ran == []
        kinds = " ".join(w.violations)
        for directive in ("script-src-attr", "script-src-elem", "frame-src", "object-src"):
            assert directive in kinds, w.violations
    finally:
        stop()
