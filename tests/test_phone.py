"""Reading on a phone (360 px) in a real browser: no page scrolls sideways and no table hides a column; the site's
name shows; a notice's items are one tap away; long lists fold so no page is endless; the edit link stays out of
a citizen's way; no English anywhere; axe-core passes in the dark scheme too. On the tiny site of test_a11y (every
page kind, the real notice) and on a generated archive of 320 notices."""

from __future__ import annotations

import re
import sys

import pytest
from conftest import ROOT, built_and_served
from test_a11y import AXE, PAGE_KINDS, all_pages, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.build]

SEED_URL = "ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/"
PHONE = {"width": 360, "height": 740}
# What Material for MkDocs and MkDocs write in English when a string is not translated or a template not overridden.
ENGLISH = ["Made with", "Material for MkDocs", "Not found", "404 - Not found", "Skip to content", "Back to top",
           "Search", "Table of contents", "Previous", "Next", "Edit this page", "Copy to clipboard",
           "Copied to clipboard", "Initializing search", "Type to start searching", "No matching documents",
           "Redirecting", "Navigation", "Header", "Footer", "Share", "Clear", "Go to repository",
           "Select language", "Select version", "Last update", "Contributors", "RSS feed", "Metadata", "Edit",
           "View source", "Home", "Switch to", "dark mode", "light mode", "Tabs"]
ENGLISH_RE = re.compile(r"\b(?:" + "|".join(map(re.escape, ENGLISH)) + r")\b")
# Everything a person reads or hears on a page: its title, visible text, and the labels of controls and images.
READABLE = """() => [document.title, document.body.innerText,
  ...[...document.querySelectorAll('[aria-label],[title],[placeholder],[alt]')].flatMap(e =>
     ['aria-label', 'title', 'placeholder', 'alt'].map(a => e.getAttribute(a) || ''))].join('\\n')"""


@pytest.fixture(scope="module")
def tiny(issued_site):
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `bash .ci/setup.sh --test`")
    return issued_site


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """320 generated notices (300 in 2023): the scale at which lists were endless."""
    sys.path.insert(0, str(ROOT / "tests"))
    from benchmarks.synthetic import generate

    with built_and_served(generate(tmp_path_factory.mktemp("large"), 320)) as served:
        yield served


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport=PHONE, has_touch=True, is_mobile=True)
    page = context.new_page()
    yield page
    context.close()


def overflow(page) -> dict:
    """Sideways scrolling of the page, and any table cell that is not wholly on screen (a hidden column)."""
    page.evaluate("window.scrollTo(500, 0)")
    return page.evaluate("""() => ({
      extra: document.documentElement.scrollWidth - document.documentElement.clientWidth, scrollX: window.scrollX,
      cells: [...document.querySelectorAll('article th, article td')].filter(c => c.getClientRects().length)
        .map(c => [c.textContent.trim().slice(0, 30), c.getBoundingClientRect()])
        .filter(([, r]) => r.left < 0 || r.right > document.documentElement.clientWidth).map(([t]) => t)})""")


def test_no_page_scrolls_sideways_or_hides_a_column_at_360(tiny, large, phone):
    wide = {}
    for site_dir, url in (tiny, large):
        paths = all_pages(site_dir)
        if site_dir == large[0]:  # every kind of page once, and the biggest lists
            paths = ["", "don-vi/", "du-an/", "nam/", "nam/2023/", "don-vi/phong-kinh-te/",
                     "ubnd-thu-nghiem/2023/300-tb-ubnd/", "404.html"]
        for path in paths:
            phone.goto(url + path)
            found = overflow(phone)
            if found != {"extra": 0, "scrollX": 0, "cells": []}:
                wide[path or "/"] = found
    assert not wide


def test_the_site_name_reads_whole_on_the_first_screen(tiny, phone):
    site_dir, url = tiny
    name = "Thông báo kết luận – UBND thành phố Lạng Sơn"
    for path in ["", SEED_URL, "don-vi/", "404.html"]:
        phone.goto(url + path)
        box = phone.evaluate("""(name) => { const e = [...document.querySelectorAll('.vn-sitename')]
            .find(e => e.textContent.trim() === name && e.getClientRects().length);
          if (!e) return null; const r = e.getBoundingClientRect();
          return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, clipped: e.scrollWidth > e.clientWidth,
                  hidden: getComputedStyle(e).visibility}; }""", name)
        assert box is not None, f"{path}: the site's name is not shown"
        assert not box["clipped"] and box["hidden"] == "visible", (path, box)
        assert box["top"] >= 0 and box["bottom"] <= PHONE["height"] and box["right"] <= PHONE["width"], (path, box)


def test_a_notices_items_are_one_tap_away(tiny, phone):
    _, url = tiny
    phone.goto(url + SEED_URL)
    summary = phone.locator("details.notice-toc > summary")
    box = summary.bounding_box()
    assert summary.inner_text().startswith("Các mục")
    assert box and box["y"] + box["height"] <= PHONE["height"], "the items' list is not on the first screen"
    assert box["height"] >= 40, "a target a thumb can hit"
    summary.tap()
    links = phone.locator("details.notice-toc a")
    expected = phone.evaluate("[...document.querySelectorAll('.notice-body .item')].map(h => '#' + h.id)")
    hrefs = [a.get_attribute("href") for a in links.all()]
    assert len(expected) == 6 and [h for h in hrefs if h in expected] == expected
    assert links.nth(3).is_visible()
    links.filter(has_text=re.compile(r"^4\. ")).tap()
    phone.wait_for_timeout(300)
    assert phone.evaluate("location.hash") == "#muc-4"
    top = phone.evaluate("document.getElementById('muc-4').getBoundingClientRect().top")
    assert 0 <= top < PHONE["height"] / 2


def test_the_edit_link_is_for_editors_after_the_notice(tiny, phone):
    _, url = tiny
    phone.goto(url + SEED_URL)
    assert phone.locator(".notice-status a[rel=edit], .notice-status .md-content__button").count() == 0
    edit = phone.locator("a[rel=edit]")
    assert edit.count() == 1
    assert "dành cho biên tập viên" in edit.inner_text()
    assert phone.evaluate("""() => { const a = document.querySelector('a[rel=edit]');
        const art = document.querySelector('article.notice');
        return !!(art.compareDocumentPosition(a) & Node.DOCUMENT_POSITION_FOLLOWING) && !art.contains(a); }""")


def test_long_lists_fold_and_a_link_opens_its_group(large, phone):
    _, url = large
    phone.goto(url + "nam/2023/")
    assert phone.locator("article a[href*='/2023/']").count() == 300  # every notice is there, folded or not
    height = phone.evaluate("document.documentElement.scrollHeight")
    assert height < 5000, f"the 300-notice year page is {height} px tall at 360 px"
    months = phone.locator("details.vn-fold")
    assert months.count() == 12 and phone.locator("details.vn-fold[open]").count() == 1
    phone.goto(url + "nam/2023/#thang-3")  # a month's permanent address opens it
    phone.wait_for_timeout(300)
    assert phone.evaluate("document.getElementById('thang-3').closest('details').open")
    assert 0 <= phone.evaluate("document.getElementById('thang-3').getBoundingClientRect().top") < PHONE["height"]
    phone.goto(url + "don-vi/phong-kinh-te/")
    height = phone.evaluate("document.documentElement.scrollHeight")
    assert height < 5000, f"a department page is {height} px tall"
    total = phone.locator("article li a[href*='#muc-']").count()
    assert total == phone.evaluate("[...document.querySelectorAll('h2 .vn-fold__count')]"
                                   ".reduce((n, e) => n + parseInt(e.textContent.slice(1)), 0)")


def test_breadcrumbs_lead_back_from_every_page(tiny, phone):
    _, url = tiny
    expected = {SEED_URL: ["Trang chủ", "Theo năm", "Năm 2020"], "don-vi/phong-quan-ly-do-thi/": ["Trang chủ", "Đơn vị"],
                "du-an/den-led-chieu-sang-cong-cong/": ["Trang chủ", "Dự án, đề án"], "nam/2020/": ["Trang chủ", "Theo năm"],
                "don-vi/": ["Trang chủ"], "du-an/": ["Trang chủ"], "nam/": ["Trang chủ"]}
    for path, trail in expected.items():
        phone.goto(url + path)
        crumbs = phone.locator("nav.vn-crumbs a")
        assert [a.inner_text() for a in crumbs.all()] == trail, path
        for a in crumbs.all():  # each leads to a page of the site
            assert phone.request.get(a.evaluate("a => a.href")).ok, (path, a.get_attribute("href"))
    phone.goto(url + SEED_URL)
    within = phone.locator("dt:text-is('Nằm trong') + dd a")
    names = [a.inner_text() for a in within.all()]
    assert names[:2] == ["Năm 2020", "Ủy ban nhân dân thành phố Lạng Sơn"] and "Phòng Quản lý đô thị" in names
    issuer = within.nth(1)
    issuer.click()
    phone.wait_for_load_state()
    assert phone.url.endswith("don-vi/#ubnd-tp-lang-son") and phone.locator("#ubnd-tp-lang-son").count() == 1


def test_no_english_on_any_page_kind(tiny, browser):
    _, url = tiny
    found = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(viewport=PHONE, color_scheme=scheme)
        page = context.new_page()
        for kind, path in PAGE_KINDS.items():
            page.goto(url + path)
            if hits := sorted(set(ENGLISH_RE.findall(page.evaluate(READABLE)))):
                found[f"{kind} ({scheme})"] = hits
        context.close()
    assert not found


def test_the_404_page_is_vietnamese_with_search_and_the_ways_in(tiny, phone):
    _, url = tiny
    phone.goto(url + "404.html")
    assert phone.locator("h1").inner_text() == "Không tìm thấy trang này"
    assert phone.locator("#vn-search-input").is_visible()
    links = {a.inner_text(): a.evaluate("a => a.href") for a in phone.locator("article a").all()}
    for name in ["Trang chủ", "Thông báo theo năm", "Theo đơn vị", "Theo dự án, đề án"]:
        assert phone.request.get(links[name]).ok, name
    footer = phone.locator(".md-copyright").inner_text()
    assert "Dữ liệu mở" in footer and "Nguồn tin Atom" in footer and "Made with" not in footer


def test_dark_scheme_follows_the_phone_and_the_toggle_passes_axe(tiny, browser):
    _, url = tiny
    context = browser.new_context(viewport=PHONE, color_scheme="dark", bypass_csp=True)  # axe is injected inline
    page = context.new_page()
    found = {}
    for kind, path in PAGE_KINDS.items():
        page.goto(url + path)
        assert page.evaluate("document.body.dataset.mdColorScheme") == "slate", kind
        if problems := axe_violations(page):
            found[kind] = problems
    assert not found, "\n".join(f"{k}: {v}" for k, vs in found.items() for v in vs)
    # The toggle switches to the light scheme, and the choice holds on the next page.
    page.goto(url + SEED_URL)
    page.locator("label[title='Chuyển sang nền sáng']").click()
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
    page.goto(url)
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
    context.close()


def test_no_inline_script_handler_or_style_in_new_templates():
    """The Content-Security-Policy allows none but the theme's fixed, hashed scripts (csp.INLINE_SCRIPTS)."""
    for path in [*ROOT.glob("theme/*.html"), *ROOT.glob("theme/generated/*.html"), *ROOT.glob("theme/partials/**/*.html")]:
        text = path.read_text(encoding="utf-8")
        inline = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", text, flags=re.S)
        assert all(re.fullmatch(r"\{\{ inline_scripts\.\w+ \}\}", body) for body in inline), path
        assert not re.search(r"\son[a-z]+=", text), path
        assert "style=" not in text and "javascript:" not in text, path
