"""Accessibility in a real browser: axe-core on every page of a tiny site, keyboard-only use, and reflow at 360 px
and at 200% zoom. axe-core comes from npm (package.json, installed by .ci/setup.sh --test); nothing is downloaded
at run time, and the published site never loads it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.build]

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
NOTICE = "ubnd-tp-lang-son/2020/5-tb-ubnd/"
# One page of each kind must be in the tiny site; every other page it has is checked too.
PAGE_KINDS = {
    "trang chủ": "",
    "thông báo": NOTICE,
    "thông báo chưa ghi số": "ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/",
    "danh sách đơn vị": "don-vi/",
    "đơn vị": "don-vi/phong-quan-ly-do-thi/",
    "danh sách dự án": "du-an/",
    "dự án": "du-an/den-led-chieu-sang-cong-cong/",
    "danh sách năm": "nam/",
    "năm": "nam/2020/",
    "trang không tồn tại": "404.html",
}
SEARCH = "den led"  # typed without diacritics, as most visitors do
WIDTHS = {"máy tính": 1280, "điện thoại 360 px": 360}
# A 1280 px window at 200% zoom lays pages out in 640 CSS pixels.
REFLOW = {"điện thoại 360 px": 360, "thu phóng 200%": 640}


@pytest.fixture(scope="module")
def site(issued_site):
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `bash .ci/setup.sh --test` (it runs `npm ci` for axe-core)")
    return issued_site


def all_pages(site_dir: Path) -> list[str]:
    pages = sorted(p.parent.relative_to(site_dir).as_posix() + "/" for p in site_dir.rglob("index.html"))
    pages = ["" if p == "./" else p for p in pages]
    return [*pages, "404.html"]


def test_every_page_kind_is_in_the_tiny_site(site):
    pages = all_pages(site[0])
    missing = {kind: url for kind, url in PAGE_KINDS.items() if url not in pages}
    assert not missing


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [f"{v['impact']} {v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:5]}"
            for v in violations if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_no_serious_or_critical_axe_violations_on_any_page(site, browser, width):
    """Every page on a desktop screen; one page of each kind on a phone (the layout differs, the content not)."""
    site_dir, url = site
    # bypass_csp: axe-core is the test's own script, injected inline, which the site's policy rightly refuses.
    page = browser.new_page(viewport={"width": width, "height": 800}, bypass_csp=True)
    found = {}
    for path in all_pages(site_dir) if width > 1000 else PAGE_KINDS.values():
        page.goto(url + path)
        if problems := axe_violations(page):
            found[path or "/"] = problems
    page.close()
    assert not found, "\n".join(f"{p}: {v}" for p, vs in found.items() for v in vs)


@pytest.mark.parametrize("width", REFLOW.values(), ids=REFLOW.keys())
def test_no_horizontal_scrolling(site, browser, width):
    site_dir, url = site
    page = browser.new_page(viewport={"width": width, "height": 800})
    wide = {}
    for path in all_pages(site_dir):
        page.goto(url + path)
        page.evaluate("window.scrollTo(500, 0)")
        overflow = page.evaluate("[document.documentElement.scrollWidth - document.documentElement.clientWidth,"
                                 " window.scrollX]")
        if overflow != [0, 0]:
            wide[path or "/"] = overflow
    page.close()
    assert not wide, f"pages wider than {width} CSS px (extra width, horizontal scroll): {wide}"


FOCUSED = """() => { const e = document.activeElement; const s = getComputedStyle(e);
  return {tag: e.tagName, cls: e.className, href: e.getAttribute('href'), text: (e.textContent || '').trim().slice(0, 60),
          outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth), opacity: parseFloat(s.opacity)}; }"""


def _focus_shows(page, target: dict) -> None:
    """The focused element is visible and its focus is drawn: the pixels differ once focus leaves it."""
    page.wait_for_timeout(400)  # let Material's focus transitions (fading in "#" and the skip link) finish
    target = page.evaluate(FOCUSED) | {"was": target}
    assert target["opacity"] == 1, target
    assert target["outline"] != "none" and target["outlineWidth"] >= 1, f"no focus outline on {target}"
    box = page.evaluate("(() => { const r = document.activeElement.getBoundingClientRect();"
                        " return {x: r.x, y: r.y, width: r.width, height: r.height}; })()")
    assert box["width"] > 0 and box["height"] > 0 and 0 <= box["y"] < page.viewport_size["height"], box
    clip = {"x": max(box["x"] - 4, 0), "y": max(box["y"] - 4, 0), "width": box["width"] + 8,
            "height": box["height"] + 8}
    focused = page.screenshot(clip=clip)
    page.evaluate("document.activeElement.blur()")
    page.wait_for_timeout(400)  # Material fades some controls in and out
    assert page.screenshot(clip=clip) != focused, f"focus is not visible on {target}"


def test_keyboard_alone_reaches_skip_link_item_and_point_links_with_visible_focus(site, browser):
    _, url = site
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(url + NOTICE)
    seen: list[dict] = []
    item = point = None
    for _ in range(80):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        seen.append(focused)
        if len(seen) == 1:
            assert focused["text"] == "Bỏ qua", f"the first Tab lands on the skip link, not {focused}"
            _focus_shows(page, focused)  # Tab goes on from the blurred element
        if item is None and "headerlink" in focused["cls"] and focused["href"] == "#phan-2-muc-1":
            item = focused
            _focus_shows(page, focused)
        elif point is None and "point-link" in focused["cls"] and focused["href"] == "#phan-2-muc-1-dd":
            point = focused
            _focus_shows(page, focused)
            page.keyboard.press("Shift+Tab")  # focus the link again, from the keyboard...
            page.keyboard.press("Tab")
            assert page.evaluate(FOCUSED)["href"] == "#phan-2-muc-1-dd"
            page.keyboard.press("Enter")  # ...and following it with the keyboard moves to the point
            page.wait_for_timeout(100)
            assert page.evaluate("location.hash") == "#phan-2-muc-1-dd"
            break
    page.close()
    assert item is not None, f"Tab never reached the link of item phan-2-muc-1: {[s['href'] for s in seen]}"
    assert point is not None, f"Tab never reached the link of point đ): {[s['href'] for s in seen]}"


@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_search_by_keyboard_and_its_results_pass_axe(site, browser, width):
    """Tab reaches the search box, typing shows results (a page type of its own: axe runs with them open), Tab
    reaches a result link with visible focus, and Enter opens the item."""
    _, url = site
    page = browser.new_page(viewport={"width": width, "height": 800}, bypass_csp=True)  # axe-core, injected inline
    page.goto(url)
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "vn-search-input":
            break
    else:
        pytest.fail("Tab never reached the search box")
    _focus_shows(page, page.evaluate(FOCUSED))
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "vn-search-input"
    page.keyboard.type(SEARCH)
    page.wait_for_selector(".vn-search__result a", timeout=10_000)
    assert not (problems := axe_violations(page)), "\n".join(problems)
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") == 0
    for _ in range(10):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["tag"] == "A" and "#" in (focused["href"] or "") and "tim=" in focused["href"]:
            break
    else:
        pytest.fail("Tab never reached a search result")
    target = focused["href"]
    _focus_shows(page, focused)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)["href"] == target
    page.keyboard.press("Enter")
    page.wait_for_url("**/*#*")
    assert page.evaluate("location.hash") == "#" + target.split("#", 1)[1]
    page.close()
