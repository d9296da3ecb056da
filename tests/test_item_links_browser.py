"""What an official does in the browser: open an item from a department page, copy its citation."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.build]
SEED_URL = "ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/"


def test_each_department_row_opens_its_item(browser, real_site_url):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        expected = {"Mục 4": "đèn chiếu sáng công cộng", "Mục 5": "phát triển cây xanh", "Mục 6": "camera an ninh"}
        for label, text in expected.items():
            page.goto(real_site_url + "don-vi/phong-quan-ly-do-thi/")
            page.get_by_role("link", name=label, exact=True).click()
            page.wait_for_url(f"**/{SEED_URL}#muc-{label[-1]}")
            target = page.locator(f"#muc-{label[-1]}")
            assert text in target.inner_text()
            assert target.is_visible()
            # the item's heading is scrolled into view, not hidden under the sticky header
            box = target.bounding_box()
            assert box is not None and 0 <= box["y"] < 740
    finally:
        page.close()


def test_copy_button_copies_citation_and_permanent_link(browser, real_site_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        page.goto(real_site_url + SEED_URL)
        page.locator("#muc-4 .cite-copy").click()
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("Mục 4, Thông báo TB-UBND (bản chưa ghi số) kết luận cuộc họp ngày 10/11/2020")
        assert copied.endswith(f"/{SEED_URL}#muc-4")
    finally:
        context.close()


def test_item_link_works_without_javascript(browser, real_site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(real_site_url + SEED_URL)
        page.locator('#muc-4 a.headerlink, #muc-4 a[href="#muc-4"]').first.click()
        assert page.url.endswith("#muc-4")
    finally:
        context.close()


def test_keyboard_never_lands_in_the_closed_navigation_drawer_on_a_phone(browser, real_site_url):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        page.goto(real_site_url + SEED_URL)
        in_drawer = []
        for _ in range(25):
            page.keyboard.press("Tab")
            in_drawer.append(page.evaluate(
                "!!document.activeElement && !!document.activeElement.closest('.md-sidebar--primary')"))
        assert not any(in_drawer)
        # opened, the drawer's links are reachable again
        page.locator('label.md-header__button[for="__drawer"]').first.click()
        page.wait_for_timeout(400)
        assert page.locator(".md-sidebar--primary a").first.is_visible()
    finally:
        page.close()
