"""Sharing: each notice page carries Open Graph metadata (the preview Zalo and Facebook show) and links its JSON."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
import yaml
from conftest import build, make_archive
from test_export import ISSUED

pytestmark = pytest.mark.build

QUOTED_TITLE = 'Kết luận về "Chợ đêm" & phố đi bộ Kỳ Lừa'
ISSUED_QUOTED = {path: text.replace("title: Kết luận của Chủ tịch UBND thành phố tại buổi kiểm tra công trình",
                                    "title: '" + QUOTED_TITLE + "'") for path, text in ISSUED.items()}


class Head(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict[str, str | None]] = []
        self.anchors: list[dict[str, str | None]] = []

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        if tag == "meta" and (a.get("property") or a.get("name")):
            self.meta[a.get("property") or a.get("name")] = a.get("content")
        elif tag == "link":
            self.links.append(a)
        elif tag == "a":
            self.anchors.append(a)


def head(html: str) -> Head:
    parser = Head()
    parser.feed(html)
    return parser


def test_notice_pages_have_open_graph_from_title_and_date(tmp_path):
    result = build(make_archive(tmp_path, ISSUED_QUOTED))
    assert result.returncode == 0, result.output
    issued = head(result.page("ubnd-tp-lang-son/2020/5-tb-ubnd/"))
    assert issued.meta["og:type"] == "article"
    assert issued.meta["og:title"] == QUOTED_TITLE, "quotes and & survive (escaped)"
    assert issued.meta["og:description"] == (
        f"Thông báo 05/TB-UBND của UBND thành phố Lạng Sơn, ngày 03/12/2020: {QUOTED_TITLE}")
    assert issued.meta["og:locale"] == "vi_VN"
    assert "og:url" not in issued.meta, "no site_url: no invented absolute address"
    draft = head(result.page("ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/"))
    assert draft.meta["og:title"].startswith("Kết luận cuộc họp UBND thành phố thường kỳ tháng 11/2020")
    assert "chưa ghi ngày, tháng 11/2020" in draft.meta["og:description"]
    # Linked in the page, not by <link rel="alternate"> (Material would ask for a sitemap.xml next to it: a 404).
    assert [a["href"] for a in issued.anchors if a.get("type") == "application/json"] == ["index.json"]
    assert not [link for link in issued.links if link.get("type") == "application/json"]
    assert (result.site / "ubnd-tp-lang-son/2020/5-tb-ubnd/index.json").is_file()
    home = head((result.site / "index.html").read_text(encoding="utf-8"))
    assert "og:title" not in home.meta, "Open Graph of a notice belongs to notice pages only"


def test_og_url_is_the_canonical_notice_address_when_site_url_is_set(tmp_path):
    root = make_archive(tmp_path, ISSUED)
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_url"] = "https://thongbao.example.vn/"
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.output
    page = head(result.page("ubnd-tp-lang-son/2020/5-tb-ubnd/"))
    assert page.meta["og:url"] == "https://thongbao.example.vn/ubnd-tp-lang-son/2020/5-tb-ubnd/"
