"""Issue 3: department/project/year indexes, citations, cross-references, permanence, redirects, determinism."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest
from conftest import SEED, build, minimal_notice, serve

from notice_archive import permanence
from notice_archive.archive import load_archive
from notice_archive.group import group
from notice_archive.site import Site

SEED_URL = "ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/"
SEED_TEXT = SEED.read_text(encoding="utf-8")

# An issued notice with points assigning work, citing another notice of the archive.
ISSUED_370 = """
---
issuer: ubnd-tp-lang-son
number: 370/TB-UBND
status: ban-hanh
date: 2020-10-15
place: TP. Lạng Sơn
title: Kết luận cuộc họp UBND thành phố thường kỳ tháng 10/2020
meeting:
  date: 2020-10-12
chair:
  name: Nguyễn Văn Hạnh
  title: Chủ tịch UBND thành phố
signer:
  authority: [TL. CHỦ TỊCH, KT. CHÁNH VĂN PHÒNG]
  title: PHÓ CHÁNH VĂN PHÒNG
  name: Hoàng Quân
recipients:
  - TT Thành ủy;
  - "Lưu: VT, TH."
items:
  muc-1:
    presented_by: phong-kinh-te
  muc-1-a:
    lead: [phong-quan-ly-do-thi]
  muc-1-b:
    lead: [phong-tai-chinh-ke-hoach]
    cooperating: [phong-quan-ly-do-thi]
---

Ngày 12/10/2020, UBND thành phố họp thường kỳ.

### 1. Tình hình kinh tế - Phòng Kinh tế thành phố trình

a) Giao phòng Quản lý đô thị rà soát hệ thống chiếu sáng.

b) Giao phòng Tài chính - Kế hoạch bố trí kinh phí, phòng Quản lý đô thị phối hợp.

***

Trên đây là kết luận.
"""

CITING_371 = ISSUED_370.replace("370/TB-UBND", "371/TB-UBND").replace("2020-10-15", "2020-10-20").replace(
    "Ngày 12/10/2020, UBND thành phố họp thường kỳ.",
    "Ngày 12/10/2020, UBND thành phố họp thường kỳ, tiếp theo Thông báo số 370/TB-UBND ngày 15/10/2020 của UBND "
    "thành phố; xem Thông báo số 370/TB-UBND ngày 15/10/2020 của UBND tỉnh và Thông báo số 370/TB-UBND.")


def issued_seed() -> str:
    """The seed once issued: it gets a number and a day, and keeps its old address through former_urls."""
    text = SEED_TEXT.replace("number: /TB-UBND", "number: 123/TB-UBND").replace("status: chua-so", "status: ban-hanh")
    text = text.replace("date: 2020-11\n", "date: 2020-11-12\n")
    return text.replace("items:\n", f"former_urls:\n  - {SEED_URL}\nitems:\n", 1)


def manifest_for(root: Path) -> None:
    docs = root / "notices"
    site = Site.load(str(docs), today=dt.date(2026, 11, 28))
    (docs / permanence.MANIFEST).write_text(permanence.format_manifest(site.published_pages()), encoding="utf-8")


def anchors_linked(html: str) -> list[str]:
    return re.findall(r'href="[^"]*#(muc-[0-9a-z-]+)"', html)


def test_grouping_lists_each_item_once_with_merged_roles(tiny_archive):
    root = tiny_archive({"ubnd-tp-lang-son/2020/tb-370.md": ISSUED_370})
    archive = load_archive(str(root / "notices"))
    assert not archive.errors, archive.errors
    groups = group(archive.notices, archive.registry)
    qldt = [(e.notice.number, e.anchor, e.roles) for e in groups.departments["phong-quan-ly-do-thi"]]
    assert qldt == [
        (None, "muc-4", ("presented_by", "lead")),
        (None, "muc-5", ("presented_by", "lead")),
        (None, "muc-6", ("presented_by", "lead")),
        (370, "muc-1-a", ("lead",)),
        (370, "muc-1-b", ("cooperating",)),
    ]
    assert [e.anchor for e in groups.departments["phong-kinh-te"]] == ["muc-3", "muc-1"]
    assert groups.role_counts("phong-quan-ly-do-thi") == {"presented_by": 3, "lead": 4, "cooperating": 1}
    assert list(groups.years) == [2020]
    assert [n for n, _ in groups.by_month(2020)] == [11, 10]


@pytest.mark.build
def test_department_page_of_real_archive_lists_seed_items_4_5_6(real_site):
    html = (real_site / "don-vi" / "phong-quan-ly-do-thi" / "index.html").read_text(encoding="utf-8")
    assert anchors_linked(html) == ["muc-4", "muc-5", "muc-6"]
    assert f'href="../../{SEED_URL}#muc-4"' in html
    notice = (real_site / SEED_URL / "index.html").read_text(encoding="utf-8")
    assert 'id="muc-4"' in notice
    # every department and project named in the seed has its page
    for page in ("don-vi/phong-tai-chinh-ke-hoach", "don-vi/phong-kinh-te", "don-vi/trung-tam-phat-trien-quy-dat",
                 "du-an/den-led-chieu-sang-cong-cong", "du-an/de-an-kinh-te-dem", "du-an/de-an-cay-xanh-2017-2020",
                 "du-an/de-an-camera-an-ninh-2017-2020", "du-an/gpmb-du-an-trong-diem", "nam/2020"):
        assert (real_site / page / "index.html").exists(), page


@pytest.mark.build
def test_generated_pages_link_points_and_projects_and_notice_links_back(tiny_archive):
    result = build(tiny_archive({"ubnd-tp-lang-son/2020/tb-370.md": ISSUED_370}))
    assert result.returncode == 0, result.output
    dep = result.page("don-vi/phong-quan-ly-do-thi")
    assert anchors_linked(dep) == ["muc-4", "muc-5", "muc-6", "muc-1-a", "muc-1-b"]
    assert "Điểm a) mục 1" in dep and "Phối hợp" in dep
    assert '<a href="#nam-2020" class="md-nav__link">' in dep  # the page's table of contents, by year
    tckh = result.page("don-vi/phong-tai-chinh-ke-hoach")
    assert anchors_linked(tckh) == ["muc-1", "muc-1-b"]
    project = result.page("du-an/de-an-kinh-te-dem")
    assert anchors_linked(project) == ["muc-3"]
    notice = result.page(SEED_URL)
    assert 'href="../../../don-vi/phong-quan-ly-do-thi/"' in notice
    assert 'href="../../../du-an/den-led-chieu-sang-cong-cong/"' in notice
    year = result.page("nam/2020")
    assert year.index("Tháng 11") < year.index("Tháng 10")
    home = result.page("")
    assert "370/TB-UBND" in home and 'href="don-vi/"' in home


@pytest.mark.build
def test_citations_name_the_item_and_the_notice_honestly(tiny_archive):
    root = tiny_archive({"ubnd-tp-lang-son/2020/tb-370.md": ISSUED_370}, with_seed=False)
    (root / "notices" / SEED.relative_to(SEED.parents[2])).parent.mkdir(parents=True, exist_ok=True)
    (root / "notices" / "ubnd-tp-lang-son/2020/seed.md").write_text(issued_seed(), encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.output
    issued = result.page("ubnd-tp-lang-son/2020/123-tb-ubnd")
    assert 'data-cite="Mục 4, Thông báo số 123/TB-UBND ngày 12/11/2020 của UBND thành phố Lạng Sơn"' in issued
    points = result.page("ubnd-tp-lang-son/2020/370-tb-ubnd")
    assert 'data-cite="Điểm b) mục 1, Thông báo số 370/TB-UBND ngày 15/10/2020' in points
    assert 'id="muc-1-b"' in points


@pytest.mark.build
def test_copy_is_cited_as_unnumbered(real_site):
    html = (real_site / SEED_URL / "index.html").read_text(encoding="utf-8")
    assert ('data-cite="Mục 4, Thông báo TB-UBND (bản chưa ghi số) kết luận cuộc họp ngày 10/11/2020 của UBND '
            'thành phố Lạng Sơn"') in html


@pytest.mark.build
def test_cited_document_numbers_link_to_archived_notices(tiny_archive):
    result = build(tiny_archive({"ubnd-tp-lang-son/2020/tb-370.md": ISSUED_370,
                                 "ubnd-tp-lang-son/2020/tb-371.md": CITING_371}))
    assert result.returncode == 0, result.output
    citing = result.page("ubnd-tp-lang-son/2020/371-tb-ubnd")
    # linked once: with its date and its own issuer; not the province's 370, not the undated mention
    assert citing.count('<a href="../370-tb-ubnd/">370/TB-UBND ngày 15/10/2020</a>') == 1
    assert "370/TB-UBND ngày 15/10/2020 của UBND tỉnh" in citing
    assert "và Thông báo số 370/TB-UBND." in citing
    seed = result.page(SEED_URL)
    assert "464/GM-UBND" in seed and '">464/GM-UBND' not in seed  # not in the archive: no link


@pytest.mark.build
def test_a_point_links_the_documents_it_cites_and_keeps_its_letter_link(tiny_archive):
    citing = ISSUED_370.replace("370/TB-UBND", "372/TB-UBND").replace("2020-10-15", "2020-10-21").replace(
        "a) Giao phòng Quản lý đô thị rà soát hệ thống chiếu sáng.",
        "a) Giao phòng Quản lý đô thị rà soát hệ thống chiếu sáng theo Thông báo số 370/TB-UBND ngày 15/10/2020.")
    result = build(tiny_archive({"ubnd-tp-lang-son/2020/tb-370.md": ISSUED_370,
                                 "ubnd-tp-lang-son/2020/tb-372.md": citing}))
    assert result.returncode == 0, result.output
    page = result.page("ubnd-tp-lang-son/2020/372-tb-ubnd")
    point = page[page.index('id="muc-1-a"'):]
    point = point[:point.index("</p>")]
    assert point.startswith('id="muc-1-a"><a class="point-link" href="#muc-1-a">a)</a> Giao phòng')
    assert '<a href="../370-tb-ubnd/">370/TB-UBND ngày 15/10/2020</a>' in point


@pytest.mark.build
def test_broken_item_anchor_fails_strict_build(tiny_archive):
    bad = ISSUED_370.replace("Trên đây là kết luận.", f"Xem [mục 9](../2020/{SEED.name}#muc-9).")
    result = build(tiny_archive({"ubnd-tp-lang-son/2020/tb-370.md": bad}))
    assert result.returncode != 0
    assert "muc-9" in result.output


@pytest.mark.build
def test_removing_a_published_notice_fails_naming_its_url(tiny_archive):
    root = tiny_archive({"ubnd-tp-lang-son/2020/tb-370.md": ISSUED_370})
    manifest_for(root)
    assert build(root).returncode == 0
    (root / "notices" / "ubnd-tp-lang-son/2020/tb-370.md").unlink()
    result = build(root)
    assert result.returncode != 0
    assert "địa chỉ đã công bố /ubnd-tp-lang-son/2020/370-tb-ubnd/ không còn" in result.output


@pytest.mark.build
def test_renumbering_an_item_fails_naming_the_anchor(tiny_archive):
    root = tiny_archive()
    manifest_for(root)
    seed = root / "notices" / SEED.relative_to(SEED.parents[2])
    text = seed.read_text(encoding="utf-8").replace("### 6. ", "### 7. ").replace("  muc-6:", "  muc-7:")
    seed.write_text(text, encoding="utf-8")
    result = build(root)
    assert result.returncode != 0
    assert f"neo đã công bố /{SEED_URL}#muc-6 không còn" in result.output


@pytest.mark.build
def test_new_urls_are_reported_until_recorded(tiny_archive):
    root = tiny_archive()
    manifest_for(root)
    (root / "notices" / "ubnd-tp-lang-son/2020/tb-370.md").write_text(ISSUED_370.lstrip(), encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.output
    assert "địa chỉ mới chưa được ghi vào danh sách" in result.output


@pytest.mark.build
@pytest.mark.browser
def test_issued_copy_keeps_old_url_and_anchor_through_redirect(tiny_archive, browser):
    root = tiny_archive()
    manifest_for(root)
    seed = root / "notices" / SEED.relative_to(SEED.parents[2])
    seed.write_text(issued_seed(), encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.output
    old_page = (result.site / SEED_URL / "index.html").read_text(encoding="utf-8")
    # The page at the former address speaks Vietnamese (mkdocs-redirects' own says "Redirecting..." in English).
    assert '<html lang="vi">' in old_page and "đã chuyển sang" in old_page and "Redirecting" not in old_page
    url, stop = serve(result.site)
    try:
        page = browser.new_page()
        page.goto(url + SEED_URL + "#muc-4")
        page.wait_for_url("**/123-tb-ubnd/#muc-4")
        assert page.evaluate("location.hash") == "#muc-4"
        assert page.locator("#muc-4").is_visible()
        page.close()
        without_js = browser.new_context(java_script_enabled=False)
        page = without_js.new_page()
        page.goto(url + SEED_URL)
        page.wait_for_url("**/123-tb-ubnd/")  # the meta refresh
        assert page.locator("#muc-4").count() == 1
        without_js.close()
    finally:
        stop()


@pytest.mark.build
def test_redirected_url_must_keep_its_anchors(tiny_archive):
    root = tiny_archive()
    manifest_for(root)
    seed = root / "notices" / SEED.relative_to(SEED.parents[2])
    text = issued_seed().replace("### 6. ", "### 7. ").replace("  muc-6:", "  muc-7:")
    seed.write_text(text, encoding="utf-8")
    result = build(root)
    assert result.returncode != 0
    assert f"/{SEED_URL}#muc-6 không còn" in result.output


@pytest.mark.build
def test_two_builds_of_the_same_sources_are_identical(tiny_archive, tmp_path):
    root = tiny_archive({"ubnd-tp-lang-son/2020/tb-370.md": ISSUED_370})
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    first = build(root, site=tmp_path / "a", env=env)
    second = build(root, site=tmp_path / "b", env=env)
    assert first.returncode == 0 and second.returncode == 0

    def digest(site: Path) -> dict[str, str]:
        return {str(p.relative_to(site)): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(site.rglob("*")) if p.is_file()}

    a, b = digest(first.site), digest(second.site)
    assert any(k.startswith("tim-kiem/i/") for k in a)  # the search index is part of the comparison
    assert a.keys() == b.keys()
    assert [k for k in a if a[k] != b[k]] == []


@pytest.mark.build
def test_real_manifest_lists_every_published_url(real_site):
    docs = Path(__file__).resolve().parent.parent / "notices"
    site = Site.load(str(docs))
    manifest = permanence.read_manifest(str(docs))
    for url, anchors in site.published_pages().items():
        assert url in manifest, f"/{url} is published but not in the manifest: run `notices manifest`"
        assert anchors <= manifest[url][1]


@pytest.mark.build
def test_replacement_is_linked_both_ways_and_old_text_stays(tiny_archive):
    replacing = CITING_371.replace("items:\n", "replaces:\n  - 370/TB-UBND\n  - 999/TB-UBND\nitems:\n", 1)
    result = build(tiny_archive({"ubnd-tp-lang-son/2020/tb-370.md": ISSUED_370,
                                 "ubnd-tp-lang-son/2020/tb-371.md": replacing}))
    assert result.returncode == 0, result.output
    old = result.page("ubnd-tp-lang-son/2020/370-tb-ubnd")
    assert "Thông báo này đã được thay thế" in old
    assert 'href="../../../ubnd-tp-lang-son/2020/371-tb-ubnd/">Thông báo số 371/TB-UBND ngày 20/10/2020</a>' in old
    assert "Giao phòng Quản lý đô thị rà soát hệ thống chiếu sáng." in old  # the original text stays
    new = result.page("ubnd-tp-lang-son/2020/371-tb-ubnd")
    assert 'href="../../../ubnd-tp-lang-son/2020/370-tb-ubnd/">Thông báo số 370/TB-UBND ngày 15/10/2020</a>' in new
    assert "Thông báo số 999/TB-UBND (chưa có trong kho)" in new
    assert "370/TB-UBND (chưa có trong kho)" not in new


def test_malformed_replacement_is_an_error_with_its_line(tiny_archive):
    replacing = CITING_371.replace("items:\n", "replaces:\n  - số 370\nitems:\n", 1)
    root = tiny_archive({"ubnd-tp-lang-son/2020/tb-370.md": ISSUED_370,
                         "ubnd-tp-lang-son/2020/tb-371.md": replacing})
    archive = load_archive(str(root / "notices"))
    lines = [p.format() for p in archive.errors]
    assert lines == ["notices/ubnd-tp-lang-son/2020/tb-371.md:21: trường 'replaces': 'số 370' không đúng dạng số "
                     "ký hiệu, ví dụ 123/TB-UBND hoặc 123/TB-UBND ngày 12/11/2020 [thay-the]"]


@pytest.mark.build
def test_notice_page_has_an_edit_link_to_its_source(real_site):
    html = (real_site / SEED_URL / "index.html").read_text(encoding="utf-8")
    assert "/edit/main/notices/ubnd-tp-lang-son/2020/2020-11-10-hop-thuong-ky-thang-11.md" in html


@pytest.mark.build
def test_titles_and_names_are_shown_as_written_never_as_markup(tiny_archive):
    title = 'Kết luận [xem](https://evil.example/) *đậm* a|b \\\\ "trích"'
    notice = ISSUED_370.replace("title: Kết luận cuộc họp UBND thành phố thường kỳ tháng 10/2020",
                                f"title: '{title}'")
    root = tiny_archive({"ubnd-tp-lang-son/2020/tb-370.md": notice})
    deps = root / "notices" / "_registry" / "departments.yml"
    deps.write_text(deps.read_text(encoding="utf-8").replace(
        "name: Phòng Kinh tế thành phố Lạng Sơn", 'name: Phòng Kinh tế "thành phố" *Lạng Sơn*'), encoding="utf-8")
    result = build(root)
    assert result.returncode == 0, result.output
    for page in ("", "nam/2020"):
        html = result.page(page)
        assert "evil.example" not in html.replace("[xem](https://evil.example/)", "")
        assert 'href="https://evil.example/"' not in html
        assert "[xem](https://evil.example/) *đậm* a|b" in html.replace("&quot;", '"')
    dep = result.page("don-vi/phong-kinh-te")
    shown = dep.replace("&quot;", '"').replace("&#34;", '"')  # Markdown and Jinja escape quotes differently
    assert "<em>Lạng Sơn</em>" not in dep
    assert '<h1 id="phong-kinh-te">Phòng Kinh tế "thành phố" *Lạng Sơn*<a' in shown
    assert '<title>Phòng Kinh tế "thành phố" *Lạng Sơn* - ' in shown


def test_generated_page_links_are_checked_and_a_missing_target_is_reported(tiny_archive):
    from notice_archive.index_pages import page_helpers

    root = tiny_archive({"ubnd-tp-lang-son/2020/tb-370.md": ISSUED_370})
    site = Site.load(str(root / "notices"), today=dt.date(2026, 11, 28))
    page = site.generated_for("don-vi/phong-kinh-te.md")
    assert page is not None and page.url == "don-vi/phong-kinh-te/"
    broken: list[str] = []
    links = page_helpers(site, page, broken)
    notice = next(n for n in site.archive.notices if n.number == 370)
    assert links["link_notice"](notice, "muc-1-b") == "../../ubnd-tp-lang-son/2020/370-tb-ubnd/#muc-1-b"
    assert links["link_department"]("phong-kinh-te") == "../../don-vi/phong-kinh-te/"
    assert links["link_page"]("feeds/don-vi/phong-kinh-te.ics") == "../../feeds/don-vi/phong-kinh-te.ics"
    assert broken == []
    links["link_notice"](notice, "muc-9")
    links["link_department"]("phong-khong-co")
    links["link_year"](1999)
    links["link_page"]("du-lieu/khong-co.json")
    assert broken == ["ubnd-tp-lang-son/2020/370-tb-ubnd/#muc-9", "don-vi/phong-khong-co/", "nam/1999/",
                      "du-lieu/khong-co.json"]


def test_generated_page_table_of_contents_follows_its_headings():
    from notice_archive.index_pages import headings

    html = ('<h1 id="x">X<a class="headerlink" href="#x">#</a></h1>'
            '<h2 id="nam-2020">Năm <em>2020</em><a class="headerlink" href="#nam-2020">#</a></h2>'
            '<h3 id="thang-11">Tháng 11<a class="headerlink" href="#thang-11">#</a></h3>'
            '<h2 id="nam-2019">Năm 2019<a class="headerlink" href="#nam-2019">#</a></h2>')
    assert headings(html) == [
        {"level": 2, "id": "nam-2020", "name": "Năm 2020",
         "children": [{"level": 3, "id": "thang-11", "name": "Tháng 11", "children": []}]},
        {"level": 2, "id": "nam-2019", "name": "Năm 2019", "children": []},
    ]


# The listings' rows are written in Python (index_pages.*_row): the HTML the templates wrote, every value escaped.
ROW_TEMPLATES = {
    "department": '<li><a href="{{ href }}"><strong>{{ e.label }}</strong></a> · {{ e.role_label }} · Thông báo '
                  '{{ e.notice.display_number }}, {{ e.notice.date.vn_short() }}<br>\n{{ text }}</li>\n',
    "project": '<li><strong>{{ e.notice.meeting.date.vn_short() }}</strong> — <a href="{{ href }}">{{ e.label }}, '
               '{{ e.notice.display_number }}</a>: {{ text }}</li>\n',
    "notice": '<li><a href="{{ href }}">{{ n.display_number }}, {{ n.date.vn_short() }}: {{ n.title }}</a>'
              '{% if n.status != "ban-hanh" %} — <em>{{ n.status_label }}</em>{% endif %}</li>\n',
}


def test_listing_rows_are_the_autoescaped_template_text_whatever_the_input(tiny_archive):
    import dataclasses

    from jinja2 import Environment

    from notice_archive.group import Entry
    from notice_archive.index_pages import department_row, notice_row, project_row

    root = tiny_archive({"ubnd-tp-lang-son/2020/tb-370.md": ISSUED_370})
    site = Site.load(str(root / "notices"), today=dt.date(2026, 11, 28))
    hostile = "<script>x</script> & \"q\" 's' &amp; <b>"
    env = Environment(autoescape=True, keep_trailing_newline=True)
    entry = site.groups.departments["phong-kinh-te"][0]
    notice = dataclasses.replace(entry.notice, title=hostile, number_text=f"370/{hostile}")
    for status in ("ban-hanh", "chua-so"):
        n = dataclasses.replace(notice, status=status)
        e = Entry(n, dataclasses.replace(entry.item, heading=hostile), entry.point, entry.roles)
        href = f'../../{n.url}#a"b<c>'
        for kind, row in (("department", department_row(e, href, hostile)),
                          ("project", project_row(e, href, hostile)), ("notice", notice_row(n, href))):
            assert row == env.from_string(ROW_TEMPLATES[kind]).render(e=e, n=n, href=href, text=hostile), kind
            assert "<script>" not in row and "&lt;script&gt;" in row and 'b<c>' not in row


def test_cited_numbers_are_linked_on_each_line_that_cites_them(tiny_archive):
    from notice_archive.notice_page import link_citations, number_index

    root = tiny_archive({"ubnd-tp-lang-son/2020/tb-370.md": ISSUED_370,
                         "ubnd-tp-lang-son/2020/tb-371.md": CITING_371})
    archive = load_archive(str(root / "notices"))
    assert not archive.errors, archive.errors
    citing = next(n for n in archive.notices if n.number == 371)
    ref, link = "370/TB-UBND ngày 15/10/2020", "[370/TB-UBND ngày 15/10/2020](tb-370.md)"
    markdown = (f"Mở đầu 12/10/2020.\n\nTheo {ref}.\nKhông: 370/TB-UBND.\n\n### 1. Mục theo {ref}\n\n"
                f"a) Theo {ref} và {ref} của UBND tỉnh; {ref} của UBND thành phố.\n\nCuối {ref}")
    assert link_citations(citing, markdown, archive.registry, number_index(archive.notices)).split("\n") == [
        "Mở đầu 12/10/2020.", "", f"Theo {link}.", "Không: 370/TB-UBND.", "", f"### 1. Mục theo {ref}", "",
        f"a) Theo {link} và {ref} của UBND tỉnh; {link} của UBND thành phố.", "", f"Cuối {link}"]


def test_a_page_is_the_notices_own_part_and_then_its_links_to_other_notices(tiny_archive):
    """own_page depends on the notice's file and the registry alone (the per-notice cache can keep it); only the
    links to cited notices depend on the others."""
    from notice_archive.notice_page import body_source, notice_source, number_index, own_page, with_citations

    root = tiny_archive({"ubnd-tp-lang-son/2020/tb-370.md": ISSUED_370,
                         "ubnd-tp-lang-son/2020/tb-371.md": CITING_371})
    docs = str(root / "notices")
    archive = load_archive(docs)
    citing = next(n for n in archive.notices if n.number == 371)
    text = (root / "notices" / citing.src_uri).read_text(encoding="utf-8")
    own = own_page(citing, *body_source(text), archive.registry, "UBND thành phố Lạng Sơn")
    from_file = own_page(citing, *notice_source(docs, citing.src_uri), archive.registry, "UBND thành phố Lạng Sơn")
    alone = with_citations(from_file, citing, archive.registry, {})
    linked = with_citations(from_file, citing, archive.registry, number_index(archive.notices))
    assert own == alone
    assert (linked.item_meta, linked.cites) == (own.item_meta, own.cites) and own.item_meta and own.cites
    link = "[370/TB-UBND ngày 15/10/2020](tb-370.md)"
    assert link not in own.source and linked.source == own.source.replace(
        "370/TB-UBND ngày 15/10/2020 của UBND thành phố", link + " của UBND thành phố")


def test_the_autoescaped_environment_never_reads_the_theme_s_compiled_templates(tmp_path):
    """The theme's environment keeps compiled templates on disk (a rebuild compiles none again); a bytecode
    cache's key is a template's name and source, so the generated pages' autoescaped environment must not share it:
    it would run a template compiled without autoescape."""
    from jinja2 import DictLoader, Environment, FileSystemBytecodeCache

    from notice_archive.index_pages import autoescaped

    theme = Environment(loader=DictLoader({"t.html": "{{ x }}"}), bytecode_cache=FileSystemBytecodeCache(str(tmp_path)))
    assert theme.get_template("t.html").render(x="<b>") == "<b>"
    assert any(tmp_path.iterdir())  # compiled, and kept
    pages = autoescaped(theme)
    assert pages.bytecode_cache is None
    assert pages.get_template("t.html").render(x="<b>") == "&lt;b&gt;"


def test_the_pages_a_notice_may_link_to_are_the_pages_the_build_generates(tiny_archive):
    # The validator checks a link into the generated pages against urls.generated_sources; the build makes its pages
    # from index_pages.catalogue: one list, or a link the validator passed would lead nowhere.
    from notice_archive.urls import generated_sources

    site = Site.load(str(tiny_archive({"ubnd-tp-lang-son/2021/tb-7.md": minimal_notice(
        number="07/TB-UBND", date="2021-03-02", meeting="2021-03-01")}) / "notices"))
    reg = site.registry
    assert {p.src_uri for p in site.generated_pages()} == generated_sources(reg.departments, reg.projects, site.years)
    assert {"nam/2020.md", "nam/2021.md"} <= generated_sources(reg.departments, reg.projects, site.years)
