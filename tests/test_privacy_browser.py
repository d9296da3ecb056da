"""Citizens' privacy (and data plans): a visit to any kind of page requests nothing from anyone but the site itself,
and nothing that fails."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.build]
PAGES = [
    "",  # home
    "ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/",  # notice
    "don-vi/", "don-vi/phong-quan-ly-do-thi/", "du-an/", "du-an/den-led-chieu-sang-cong-cong/",
    "nam/", "nam/2020/", "404.html",
]


@pytest.mark.parametrize("path", PAGES)
def test_page_requests_only_its_own_origin(browser, real_site_url, path):
    origin = urlsplit(real_site_url).netloc
    requested: list[str] = []
    failed: list[tuple[int, str]] = []
    context = browser.new_context()
    page = context.new_page()
    page.on("request", lambda request: requested.append(request.url))
    # Nor any request that fails: a 404 costs a phone the ~20 KB 404 page (Material asks for sitemap.xml next to
    # every <link rel="alternate">: outputs.ALTERNATE_SITEMAP).
    page.on("response", lambda response: failed.append((response.status, response.url))
            if response.status >= 400 else None)
    try:
        page.goto(real_site_url + path, wait_until="networkidle")
        if path == "":
            box = page.get_by_role("searchbox").first
            box.fill("den led")  # the search, too, loads only the site's own files
            page.wait_for_timeout(800)
            page.wait_for_load_state("networkidle")
    finally:
        context.close()
    foreign = [u for u in requested if urlsplit(u).scheme in ("http", "https") and urlsplit(u).netloc != origin]
    assert foreign == []
    assert failed == []
    assert requested, "the page made no request at all: the test is not observing anything"
