"""Builds of tiny archives with the real MkDocs + Material: what a visitor gets."""

from __future__ import annotations

import re

from conftest import build, minimal_notice

SEED_URL = "ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/"


def test_seed_page_has_item_anchors_status_and_header(tiny_archive):
    result = build(tiny_archive())
    assert result.returncode == 0, result.output
    html = result.page(SEED_URL)
    for n in range(1, 7):
        assert f'id="muc-{n}"' in html
        assert f'href="#muc-{n}"' in html  # a visible link on each item
    assert "Bản chưa ghi số và ngày ban hành" in html
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert "TL. CHỦ TỊCH" in html and "Hoàng Quân" in html
    assert "Lưu: VT." in html
    assert '<html lang="vi"' in html


def test_no_third_party_requests_in_built_html(tiny_archive):
    result = build(tiny_archive())
    assert result.returncode == 0, result.output
    loads = re.compile(r"""(?:src|srcset|data-src)=["'](?:https?:)?//|<link[^>]+href=["'](?:https?:)?//"""
                       r"""|@import\s+url\(["']?(?:https?:)?//|fonts\.googleapis|fonts\.gstatic""")
    for page in result.site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not loads.search(text), f"{page} loads something from a third party: {loads.search(text)[0]}"
    for css in result.site.rglob("*.css"):
        assert "fonts.googleapis" not in css.read_text(encoding="utf-8")


def test_notices_are_not_in_the_navigation(tiny_archive):
    result = build(tiny_archive())
    html = (result.site / "index.html").read_text(encoding="utf-8")
    nav = html[html.index('class="md-nav'):html.index("</nav>")]
    assert "chua-so-tb-ubnd" not in nav


def test_invalid_notice_fails_strict_build_with_path_and_line(tiny_archive):
    bad = {"ubnd-tp-lang-son/2020/bad.md": minimal_notice(number="5/TB-UBND")}
    result = build(tiny_archive(bad))
    assert result.returncode != 0
    assert "notices/ubnd-tp-lang-son/2020/bad.md:3: trường 'number': số '5'" in result.output
