"""Atom feeds (parsed by feedparser), deadlines (validated, listed when open) and iCalendar files (parsed by the
icalendar package), on tiny real builds."""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
import textwrap
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import feedparser
import icalendar
import pytest
from conftest import build, make_archive
from test_export import ISSUED

from notice_archive.archive import load_archive

pytestmark = pytest.mark.build

BASE = "http://kho.test/"  # readers resolve the feeds' relative links against the feed's own address
# Deadlines in 2099 stay open whenever the tests run; 2025-05-20 has passed.
WITH_DEADLINES = {"ubnd-tp-lang-son/2025/2025-05-05-so-12.md": """
    ---
    issuer: ubnd-tp-lang-son
    number: 12/TB-UBND
    status: ban-hanh
    date: 2025-05-05
    place: TP. Lạng Sơn
    title: Kết luận về chợ đêm và chiếu sáng
    meeting:
      date: 2025-05-02
    chair:
      name: Nguyễn Văn Hạnh
      title: Chủ tịch UBND thành phố
    signer:
      authority: [KT. CHỦ TỊCH]
      title: PHÓ CHỦ TỊCH
      name: Lê Văn B
    recipients:
      - "Lưu: VT, KT."
    items:
      muc-1:
        lead: [phong-kinh-te]
        deadlines:
          - date: 2025-05-20
            text: trước ngày 20/5/2025
      muc-1-a:
        deadlines:
          - date: 2099-12
            text: trong tháng 12/2099
      muc-2:
        lead: [phong-quan-ly-do-thi]
        cooperating: [phong-kinh-te]
        deadlines:
          - date: 2099-06-30
            text: trước ngày 30/6/2099
    ---

    Ngày 02/5/2025, Chủ tịch UBND thành phố chủ trì cuộc họp.

    ### 1. Chợ đêm

    Giao Phòng Kinh tế thành phố báo cáo trước ngày 20/5/2025.

    a) Tổ chức thí điểm trong tháng 12/2099.

    ### 2. Chiếu sáng

    Giao Phòng Quản lý đô thị chủ trì, phối hợp Phòng Kinh tế thành phố hoàn thành trước ngày 30/6/2099.

    ***

    Trên đây là kết luận./.
    """}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    result = build(make_archive(tmp_path_factory.mktemp("feeds"), {**ISSUED, **WITH_DEADLINES}))
    assert result.returncode == 0, result.output
    return result


def parse_feed(site: Path, path: str):
    feed = feedparser.parse((site / path).read_bytes(), response_headers={
        "content-location": BASE + path, "content-type": "application/atom+xml"})
    assert not feed.bozo, f"{path}: {feed.bozo_exception}"
    assert feed.version == "atom10"
    return feed


def on_site(site: Path, url: str) -> tuple[str, str]:
    """The page a link points at (it must exist) and its anchor (which must exist on that page)."""
    assert url.startswith(BASE), url
    parts = urlsplit(url)
    page = site / parts.path.lstrip("/") / "index.html"
    assert page.is_file(), f"{url} is not a page of the site"
    html = page.read_text(encoding="utf-8")
    if parts.fragment:
        assert f'id="{parts.fragment}"' in html, f"{url}: no anchor #{parts.fragment} on the page"
    return parts.path.strip("/") + "/", parts.fragment


def test_all_notices_feed_is_valid_and_links_every_notice(built):
    feed = parse_feed(built.site, "feeds/thong-bao.xml")
    pages = {on_site(built.site, e.link)[0] for e in feed.entries}
    assert pages == {"ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/", "ubnd-tp-lang-son/2020/5-tb-ubnd/",
                     "ubnd-tp-lang-son/2025/12-tb-ubnd/"}
    assert feed.entries[0].title.startswith("Thông báo 12/TB-UBND (05/05/2025)"), "newest first"
    assert all(e.id.startswith("urn:uuid:") for e in feed.entries) and len({e.id for e in feed.entries}) == 3
    assert feed.feed.updated.startswith("2025-05-05")


def test_department_and_project_feeds_have_one_entry_per_item_linking_to_it(built):
    kinh_te = parse_feed(built.site, "feeds/don-vi/phong-kinh-te.xml")
    targets = [on_site(built.site, e.link) for e in kinh_te.entries]
    assert ("ubnd-tp-lang-son/2025/12-tb-ubnd/", "muc-1") in targets
    assert ("ubnd-tp-lang-son/2025/12-tb-ubnd/", "muc-2") in targets  # cooperating counts too
    assert ("ubnd-tp-lang-son/2020/5-tb-ubnd/", "phan-2-muc-1-a") in targets  # a point's own assignment
    assert ("ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/", "muc-3") in targets
    assert len(targets) == len(set(targets)) == 4
    by_anchor = {t[1]: e for t, e in zip(targets, kinh_te.entries, strict=True)}
    assert by_anchor["muc-2"].tags[0].term == "Phối hợp"
    led = parse_feed(built.site, "feeds/du-an/den-led-chieu-sang-cong-cong.xml")
    assert {on_site(built.site, e.link) for e in led.entries} == {
        ("ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/", "muc-4"), ("ubnd-tp-lang-son/2020/5-tb-ubnd/",
                                                                         "phan-1-muc-1")}
    for path in sorted(p.relative_to(built.site).as_posix() for p in (built.site / "feeds").rglob("*.xml")
                       if p.name != "sitemap.xml"):
        feed = parse_feed(built.site, path)
        assert feed.feed.links[0].rel == "self" and feed.feed.links[0].href == BASE + path
        on_site(built.site, next(x.href for x in feed.feed.links if x.rel == "alternate"))


ALTERNATE = re.compile(r'<link rel="alternate" type="application/atom\+xml" href="([^"]+)"')


@pytest.mark.parametrize("page, feed", [
    ("", "feeds/thong-bao.xml"),
    ("don-vi/phong-kinh-te/", "feeds/don-vi/phong-kinh-te.xml"),
    ("du-an/den-led-chieu-sang-cong-cong/", "feeds/du-an/den-led-chieu-sang-cong-cong.xml"),
])
def test_pages_link_their_feed_in_the_head_and_visibly(built, page, feed):
    html = (built.site / page / "index.html").read_text(encoding="utf-8")
    head = ALTERNATE.findall(html)
    assert [posixpath.normpath(posixpath.join(page, h)) for h in head] == [feed]
    content = html[html.index('class="md-content"'):]
    visible = re.findall(r'<a href="([^"]+\.xml)"', content)
    assert feed in {posixpath.normpath(posixpath.join(page, h)) for h in visible}
    assert (built.site / feed).is_file()


def test_beside_each_linked_feed_an_empty_sitemap_answers_material(built):
    # Material's JavaScript fetches sitemap.xml next to each <link rel="alternate"> (test_privacy_browser checks that
    # no request fails): each folder of a linked feed has one, well-formed and empty.
    folders = {posixpath.dirname(f) for f in ("feeds/thong-bao.xml", "feeds/don-vi/phong-kinh-te.xml",
                                               "feeds/du-an/den-led-chieu-sang-cong-cong.xml")}
    assert {p.parent.relative_to(built.site).as_posix() for p in (built.site / "feeds").rglob("sitemap.xml")} == folders
    for folder in folders:
        root = ElementTree.fromstring((built.site / folder / "sitemap.xml").read_bytes())
        assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset" and len(root) == 0


def test_department_page_lists_open_deadlines_only(built):
    html = (built.site / "don-vi/phong-kinh-te/index.html").read_text(encoding="utf-8")
    section = html[html.index('id="han-dang-mo"'):]
    section = section[:section.index("<h2")] if "<h2" in section else section
    assert "30/06/2099" in section and "trước ngày 30/6/2099" in section
    assert "31/12/2099" in section and "Điểm a) mục 1" in section
    assert "20/05/2025" not in section, "a deadline that has passed is not open"
    assert section.index("30/06/2099") < section.index("31/12/2099"), "soonest first"
    assert 'href="../../ubnd-tp-lang-son/2025/12-tb-ubnd/#muc-1-a"' in section
    other = (built.site / "don-vi/trung-tam-phat-trien-quy-dat/index.html").read_text(encoding="utf-8")
    assert "Không có hạn nào đang mở." in other


def test_department_calendar_parses_with_every_deadline(built):
    cal = icalendar.Calendar.from_ical((built.site / "feeds/don-vi/phong-kinh-te.ics").read_bytes())
    events = sorted(cal.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [e.decoded("dtstart") for e in events] == [dt.date(2025, 5, 20), dt.date(2099, 6, 30),
                                                      dt.date(2099, 12, 31)]  # a month is due on its last day
    assert [str(e["summary"]).split(":")[0] for e in events] == [
        "Trước ngày 20/5/2025", "Trước ngày 30/6/2099", "Trong tháng 12/2099"]
    assert "Điểm a) mục 1" in str(events[2]["summary"]) and "12/TB-UBND" in str(events[2]["summary"])
    assert len({str(e["uid"]) for e in events}) == 3
    assert "/ubnd-tp-lang-son/2025/12-tb-ubnd/#muc-2" in str(events[1]["description"])
    empty = icalendar.Calendar.from_ical((built.site / "feeds/don-vi/trung-tam-phat-trien-quy-dat.ics").read_bytes())
    assert empty.walk("VEVENT") == [] and str(empty["version"]) == "2.0"


def test_deadlines_are_in_the_open_data(built):
    one = json.loads((built.site / "ubnd-tp-lang-son/2025/12-tb-ubnd/index.json").read_text(encoding="utf-8"))
    items = one["notice"]["items"]
    assert items[0]["deadlines"] == [{"date": "2025-05-20", "due": "2025-05-20", "text": "trước ngày 20/5/2025"}]
    assert items[0]["points"][0]["deadlines"] == [{"date": "2099-12", "due": "2099-12-31",
                                                   "text": "trong tháng 12/2099"}]


def test_feed_links_are_absolute_with_a_site_url(tmp_path):
    import yaml

    root = make_archive(tmp_path, WITH_DEADLINES)
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_url"] = "https://thongbao.example.vn/"
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.output
    feed = parse_feed(result.site, "feeds/don-vi/phong-kinh-te.xml")
    assert "https://thongbao.example.vn/ubnd-tp-lang-son/2025/12-tb-ubnd/#muc-2" in {e.link for e in feed.entries}
    cal = icalendar.Calendar.from_ical((result.site / "feeds/don-vi/phong-kinh-te.ics").read_bytes())
    assert {str(e["url"]) for e in cal.walk("VEVENT")} >= {
        "https://thongbao.example.vn/ubnd-tp-lang-son/2025/12-tb-ubnd/#muc-1-a"}


BAD_DEADLINES = """
    ---
    issuer: ubnd-tp-lang-son
    number: 13/TB-UBND
    status: ban-hanh
    date: 2025-05-05
    place: TP. Lạng Sơn
    title: Kết luận thử
    meeting:
      date: 2025-05-02
    chair:
      name: A
      title: B
    signer:
      authority: []
      title: CHỦ TỊCH
      name: C
    recipients:
      - "Lưu: VT, KT."
    items:
      muc-1:
        deadlines:
          - date: 2025-04-30
            text: trước ngày 30/4/2025
          - date: 2025-06-15
            text: trước ngày 15/6/2025
    ---

    ### 1. Việc thử

    Hoàn thành trước ngày 30/4/2025.

    ***

    Trên đây là kết luận./.
    """


def test_deadlines_are_validated_with_path_line_and_field(tmp_path):
    root = make_archive(tmp_path, {"ubnd-tp-lang-son/2025/bad.md": BAD_DEADLINES}, with_seed=False)
    archive = load_archive(str(root / "notices"), today=dt.date(2026, 1, 1))
    messages = [p.format() for p in archive.errors]
    path = "notices/ubnd-tp-lang-son/2025/bad.md"
    lines = textwrap.dedent(BAD_DEADLINES).lstrip("\n").split("\n")

    def line_of(text: str) -> int:
        return lines.index(text) + 1

    assert any(m.startswith(f"{path}:{line_of('      - date: 2025-04-30')}:") and "không sau ngày ban hành" in m
               for m in messages), messages
    assert any(m.startswith(f"{path}:{line_of('        text: trước ngày 15/6/2025')}:")
               and "không có trong nội dung" in m for m in messages), messages
    assert len(messages) == 2, messages


def test_a_deadline_that_is_not_a_real_date_is_an_error_on_its_line(tmp_path):
    text = BAD_DEADLINES.replace("date: 2025-06-15", "date: 2025-02-30")
    root = make_archive(tmp_path, {"ubnd-tp-lang-son/2025/bad.md": text}, with_seed=False)
    messages = [p.format() for p in load_archive(str(root / "notices"), today=dt.date(2026, 1, 1)).errors]
    line = textwrap.dedent(text).lstrip("\n").split("\n").index("      - date: 2025-02-30") + 1
    assert any(m.startswith(f"notices/ubnd-tp-lang-son/2025/bad.md:{line}:") and "2025-02-30" in m
               and "không có thật" in m and "deadlines" in m for m in messages), messages
