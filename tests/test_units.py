"""Table-driven unit tests of the core's small parts: dates, numerals, slugs, anchors, body parsing, rendering."""

from __future__ import annotations

import markdown
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from notice_archive.body import BODY_TRIGGERS, may_trigger, parse_body, render_markdown
from notice_archive.dates import PartialDate
from notice_archive.reader import dotted, read_bytes
from notice_archive.text import POINT_LETTERS, casefold_vi, is_nfc, letter_slug, nfc, roman_to_int, slugify
from notice_archive.urls import notice_url

# Dates ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "partial", "expected"), [
    ("2020-11-10", True, PartialDate(2020, 11, 10)),
    ("2020-11", True, PartialDate(2020, 11, None)),
    ("2020-02-29", False, PartialDate(2020, 2, 29)),
    (" 2019-06-29 ", False, PartialDate(2019, 6, 29)),
])
def test_partial_date_parse(text: str, partial: bool, expected: PartialDate) -> None:
    assert PartialDate.parse(text, allow_partial=partial) == expected


@pytest.mark.parametrize(("text", "partial", "message"), [
    ("2020-13-05", True, "ngày '2020-13-05' không có thật: tháng 13"),
    ("2020-00-05", True, "ngày '2020-00-05' không có thật: tháng 0"),
    ("2019-02-29", True, "ngày '2019-02-29' không có thật (tháng 2/2019 không có ngày 29)"),
    ("2020-11", False, "ngày '2020-11' thiếu ngày trong tháng; cần dạng YYYY-MM-DD"),
    ("10/11/2020", True, "ngày '10/11/2020' không đúng dạng YYYY-MM-DD (hoặc YYYY-MM nếu ngày còn để trống)"),
    ("2020-1-5", False, "ngày '2020-1-5' không đúng dạng YYYY-MM-DD"),
    ("", False, "ngày '' không đúng dạng YYYY-MM-DD"),
])
def test_partial_date_rejects(text: str, partial: bool, message: str) -> None:
    with pytest.raises(ValueError) as info:
        PartialDate.parse(text, allow_partial=partial)
    assert str(info.value) == message


@pytest.mark.parametrize(("date", "long", "short", "iso"), [
    # Decree 30: a day below 10 and the months 1 and 2 take a leading zero; nothing else does.
    (PartialDate(2020, 1, 5), "ngày 05 tháng 01 năm 2020", "05/01/2020", "2020-01-05"),
    (PartialDate(2019, 6, 29), "ngày 29 tháng 6 năm 2019", "29/06/2019", "2019-06-29"),
    (PartialDate(2021, 2, 10), "ngày 10 tháng 02 năm 2021", "10/02/2021", "2021-02-10"),
    (PartialDate(2020, 3, 1), "ngày 01 tháng 3 năm 2020", "01/03/2020", "2020-03-01"),
    (PartialDate(2020, 12, 31), "ngày 31 tháng 12 năm 2020", "31/12/2020", "2020-12-31"),
    (PartialDate(2020, 11, None), "ngày \u2003\u2003 tháng 11 năm 2020", "tháng 11/2020", "2020-11"),
    (PartialDate(2020, 1, None), "ngày \u2003\u2003 tháng 01 năm 2020", "tháng 01/2020", "2020-01"),
])
def test_partial_date_formats(date: PartialDate, long: str, short: str, iso: str) -> None:
    assert date.vn_long() == long
    assert date.vn_short() == short
    assert date.iso() == iso == str(date)


@pytest.mark.parametrize(("date", "first", "last"), [
    (PartialDate(2020, 11, None), "2020-11-01", "2020-11-30"),
    (PartialDate(2020, 2, None), "2020-02-01", "2020-02-29"),
    (PartialDate(2020, 12, None), "2020-12-01", "2020-12-31"),
    (PartialDate(2020, 12, 7), "2020-12-07", "2020-12-07"),
])
def test_partial_date_range(date: PartialDate, first: str, last: str) -> None:
    assert (date.first_day().isoformat(), date.last_day().isoformat()) == (first, last)
    assert date.complete == (date.day is not None)


# Numerals, slugs, anchors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("numeral", "value"), [
    ("I", 1), ("II", 2), ("III", 3), ("IV", 4), ("V", 5), ("VI", 6), ("IX", 9), ("X", 10), ("XIV", 14),
    ("XL", 40), ("XC", 90), ("iv", 4), ("", None), ("IIA", None), ("M", None),
])
def test_roman_to_int(numeral: str, value: int | None) -> None:
    assert roman_to_int(numeral) == value


@pytest.mark.parametrize(("text", "slug"), [
    ("Phòng Quản lý đô thị", "phong-quan-ly-do-thi"),
    ("Đề án Phát triển kinh tế đêm", "de-an-phat-trien-kinh-te-dem"),
    ("TB-UBND", "tb-ubnd"),
    ("TB-VP", "tb-vp"),
    ("ĐA-UBND", "da-ubnd"),
    ("Giai đoạn 2020 – 2030", "giai-doan-2020-2030"),
    ("Pho\u0300ng", "phong"),  # NFD input gives the same slug
])
def test_slugify_keeps_d_with_stroke_as_d(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize(("letter", "anchor"), [("a", "a"), ("d", "d"), ("đ", "dd"), ("e", "e"), ("k", "k")])
def test_letter_anchor_spells_d_with_stroke_in_telex(letter: str, anchor: str) -> None:
    assert letter_slug(letter) == anchor


def test_point_letters_are_the_vietnamese_sequence() -> None:
    assert POINT_LETTERS[:10] == ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k")
    assert not {"f", "j", "w", "z"} & set(POINT_LETTERS)
    assert len({letter_slug(x) for x in POINT_LETTERS}) == len(POINT_LETTERS)  # anchors never collide


@pytest.mark.parametrize(("args", "url"), [
    (("ubnd-tp-lang-son", "TB-UBND", 123, PartialDate(2020, 11, 12), PartialDate(2020, 11, 10)),
     "ubnd-tp-lang-son/2020/123-tb-ubnd/"),
    (("ubnd-tp-lang-son", "TB-UBND", 5, PartialDate(2020, 1, 5), PartialDate(2020, 1, 2)),
     "ubnd-tp-lang-son/2020/5-tb-ubnd/"),
    (("vp-ubnd-tinh-lao-cai", "TB-VP", 45, PartialDate(2026, 3, 1), PartialDate(2026, 2, 27)),
     "vp-ubnd-tinh-lao-cai/2026/45-tb-vp/"),
    (("ubnd-tp-lang-son", "TB-UBND", None, PartialDate(2020, 11, None), PartialDate(2020, 11, 10)),
     "ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/"),
])
def test_notice_url_follows_the_readme_promise(args: tuple, url: str) -> None:
    assert notice_url(*args) == url


@pytest.mark.parametrize(("path", "name"), [
    (("title",), "'title'"),
    (("signer", "authority"), "'signer.authority'"),
    (("recipients", 1), "'recipients' (phần tử thứ 2)"),
    (("items", "muc-1", "lead", 0), "'items.muc-1.lead' (phần tử thứ 1)"),
])
def test_field_names_in_messages_count_from_one(path: tuple, name: str) -> None:
    assert dotted(path) == name


@pytest.mark.parametrize(("text", "normal"), [("Hoàng", True), ("Hoa\u0300ng", False), ("", True)])
def test_nfc(text: str, normal: bool) -> None:
    assert is_nfc(text) == normal
    assert is_nfc(nfc(text))


# Reader: line numbers ----------------------------------------------------------------------------------------------


def test_reader_locates_fields_at_their_key_and_list_items_at_their_line() -> None:
    src = read_bytes("x.md", "---\ntitle:\n  Trích yếu\nsigner:\n  authority:\n    - TL. A\n    - KT. B\n"
                             "---\nNội dung\n".encode())
    assert src.problems == []
    assert src.data == {"title": "Trích yếu", "signer": {"authority": ["TL. A", "KT. B"]}}
    assert src.line_of(("title",)) == 2
    assert src.line_of(("signer", "authority")) == 5
    assert src.line_of(("signer", "authority", 1)) == 7
    assert src.line_of(("signer", "name")) == 4  # missing: its parent
    assert src.line_of(("place",)) == 2  # missing at the top: the front matter's first line
    assert (src.body, src.body_line) == ("Nội dung\n", 9)


def test_reader_keeps_plain_scalars_as_written_and_records_their_yaml11_type() -> None:
    src = read_bytes("x.md", b"---\na: 010\nb: '010'\nc: no\nd: 2020-11-10\ne: ~\n---\n")
    assert src.data == {"a": "010", "b": "010", "c": "no", "d": "2020-11-10", "e": None}
    tags = {path[0]: scalar.implicit_tag for path, scalar in src.scalars.items()}
    assert tags["a"].endswith(":int") and tags["c"].endswith(":bool") and tags["d"].endswith(":timestamp")
    assert tags["b"] is None  # quoted: a string everywhere


# Body ------------------------------------------------------------------------------------------------------------

BODY = """Mở đầu.

## I. Phần một

Lời dẫn phần một.

### 1. Mục một

a) Điểm a.

b) Điểm b,
viết trên hai dòng.

### 2. Mục hai

- ý một;
+ ý hai.

## II. Phần hai

### 1. Mục một của phần hai

d) Điểm d.

đ) Điểm đ.

***

Trên đây là kết luận.
"""


def test_body_sections_items_points_and_closing() -> None:
    parsed, problems = parse_body("x.md", BODY, 20)
    assert problems and all(p.severity == "advice" for p in problems)  # d) without a) b) c): advice only
    assert [(s.numeral, s.number, s.title, s.anchor, s.line) for s in parsed.sections] == [
        ("I", 1, "Phần một", "phan-1", 22), ("II", 2, "Phần hai", "phan-2", 38)]
    assert parsed.restarts
    assert [(i.number, i.section, i.anchor, i.line) for i in parsed.items] == [
        (1, 1, "phan-1-muc-1", 26), (2, 1, "phan-1-muc-2", 33), (1, 2, "phan-2-muc-1", 40)]
    assert [(p.letter, p.anchor, p.line) for i in parsed.items for p in i.points] == [
        ("a", "phan-1-muc-1-a", 28), ("b", "phan-1-muc-1-b", 30),
        ("d", "phan-2-muc-1-d", 42), ("đ", "phan-2-muc-1-dd", 44)]
    assert parsed.items[0].points[1].text == "Điểm b,"
    assert parsed.preamble == ["Mở đầu.", ""]
    assert parsed.sections[0].lines == ["", "Lời dẫn phần một.", ""]
    assert "+ ý hai." in parsed.items[1].lines
    assert [x for x in parsed.closing if x] == ["Trên đây là kết luận."]
    assert parsed.anchors() == ["phan-1", "phan-2", "phan-1-muc-1", "phan-1-muc-1-a", "phan-1-muc-1-b",
                                "phan-1-muc-2", "phan-2-muc-1", "phan-2-muc-1-d", "phan-2-muc-1-dd"]


@pytest.mark.parametrize(("body", "anchors"), [
    # Without sections: #muc-N.
    ("### 1. A\n\n### 2. B\n", ["muc-1", "muc-2"]),
    # Sections with continuous numbering keep #muc-N.
    ("## I. P\n\n### 1. A\n\n## II. Q\n\n### 2. B\n", ["phan-1", "phan-2", "muc-1", "muc-2"]),
    # A later section starting again at 1: the section comes first.
    ("## I. P\n\n### 1. A\n\n## II. Q\n\n### 1. B\n", ["phan-1", "phan-2", "phan-1-muc-1", "phan-2-muc-1"]),
    # A typo (duplicate number) in continuous numbering does not switch every anchor to the section scheme.
    ("## I. P\n\n### 1. A\n\n### 2. B\n\n## II. Q\n\n### 3. C\n\n### 3. D\n",
     ["phan-1", "phan-2", "muc-1", "muc-2", "muc-3", "muc-3"]),
    # Points: anchors from letters, đ as dd; a point needs a blank line before it.
    ("### 4. A\n\na) x\n\nd) y\n\nđ) z\nb) not a point\n", ["muc-4", "muc-4-a", "muc-4-d", "muc-4-dd"]),
    # Inside a fenced block nothing is structure.
    ("### 1. A\n\n```\n### 2. B\n\na) c\n```\n", ["muc-1"]),
])
def test_anchors_come_from_numbers(body: str, anchors: list[str]) -> None:
    parsed, _ = parse_body("x.md", body, 1)
    assert parsed.anchors() == anchors


def test_anchors_never_come_from_wording() -> None:
    one, _ = parse_body("x.md", "### 4. Dự án đèn Led\n\na) Thay đèn\n", 1)
    two, _ = parse_body("x.md", "### 4. Nội dung đã sửa hoàn toàn\n\na) Câu khác\n", 1)
    assert one.anchors() == two.anchors() == ["muc-4", "muc-4-a"]


def decorated(html: str) -> str:
    """The HTML as the site publishes it: each point's letter made a link to the point (no citations here)."""
    from notice_archive.notice_page import NoticePage, decorate_html

    return decorate_html(html, NoticePage("", {}, {}))


def test_render_markdown_attaches_anchors_and_visible_links() -> None:
    parsed, _ = parse_body("x.md", BODY, 1)
    out = render_markdown(BODY, parsed)
    assert "## I. Phần một { #phan-1 .section }" in out
    assert "### 1. Mục một { #phan-1-muc-1 .item }" in out
    assert "a) Điểm a.\n{: #phan-1-muc-1-a .point }" in out
    assert "b) Điểm b,\nviết trên hai dòng.\n{: #phan-1-muc-1-b .point }" in out
    assert "đ) Điểm đ.\n{: #phan-2-muc-1-dd .point }" in out
    assert "***" not in out
    html = decorated(markdown.markdown(out, extensions=["attr_list"]))
    for anchor in parsed.anchors():
        assert f'id="{anchor}"' in html
    assert '<p class="point" id="phan-2-muc-1-dd"><a class="point-link" href="#phan-2-muc-1-dd">đ)</a> Điểm đ.' in html
    assert '<a class="point-link" href="#phan-1-muc-1-b">b)</a> Điểm b,\nviết trên hai dòng.</p>' in html
    assert '<h3 class="item" id="phan-1-muc-2">2. Mục hai</h3>' in html
    assert "Trên đây là kết luận." in html


def test_render_markdown_without_sections_uses_h2_items_and_closes_a_last_point() -> None:
    body = "Mở đầu.\n\n### 1. Mục\n\na) Điểm cuối"
    parsed, _ = parse_body("x.md", body, 1)
    html = decorated(markdown.markdown(render_markdown(body, parsed), extensions=["attr_list"]))
    assert '<h2 class="item" id="muc-1">1. Mục</h2>' in html
    assert '<p class="point" id="muc-1-a"><a class="point-link" href="#muc-1-a">a)</a> Điểm cuối</p>' in html


def test_render_markdown_keeps_the_text() -> None:
    parsed, _ = parse_body("x.md", BODY, 1)
    out = render_markdown(BODY, parsed)
    for line in ("Mở đầu.", "Lời dẫn phần một.", "- ý một;", "+ ý hai.", "viết trên hai dòng.",
                 "Trên đây là kết luận."):
        assert line in out.split("\n")


# Raw HTML is text (safe_markdown) -----------------------------------------------------------------------------

def _site_extensions() -> tuple[list[str], dict]:
    """The Markdown extensions of mkdocs.yml, in its order (the ones the site renders notices with)."""
    from pathlib import Path

    from benchmarks.synthetic import read_mkdocs_config

    config = read_mkdocs_config(Path(__file__).resolve().parent.parent / "mkdocs.yml")
    names, configs = [], {}
    for entry in config["markdown_extensions"]:
        name = entry if isinstance(entry, str) else next(iter(entry))
        names.append(name)
        if isinstance(entry, dict):
            configs[name] = entry[name]
    return names, configs


SITE_EXTENSIONS, SITE_EXTENSION_CONFIGS = _site_extensions()


def test_the_site_turns_raw_html_off_after_md_in_html() -> None:
    """md_in_html installs its own raw-HTML reader: safe_markdown must come after it to remove it."""
    assert SITE_EXTENSIONS.index("notice_archive.safe_markdown") > SITE_EXTENSIONS.index("md_in_html")


@pytest.mark.parametrize(("source", "escaped"), [
    ("Văn bản <img src=x\nonerror=alert(1)>", "Văn bản &lt;img src=x\nonerror=alert(1)&gt;"),
    ("<script\nsrc=x.js></script>", "&lt;script"),
    ("<!-- một\nhai -->", "&lt;!-- một\nhai --&gt;"),
    ('<div markdown="1">x</div>', '&lt;div markdown="1"&gt;x&lt;/div&gt;'),
    ("Chữ <b>đậm</b>", "Chữ &lt;b&gt;đậm&lt;/b&gt;"),
])
def test_raw_html_renders_as_escaped_text(source: str, escaped: str) -> None:
    html = markdown.markdown(source, extensions=SITE_EXTENSIONS, extension_configs=SITE_EXTENSION_CONFIGS)
    assert escaped in html
    assert "<img" not in html and "<script" not in html and "<!--" not in html and "<div" not in html \
        and "<b>" not in html


def test_safe_markdown_keeps_autolinks_anchors_and_the_toc() -> None:
    md = markdown.Markdown(extensions=SITE_EXTENSIONS, extension_configs=SITE_EXTENSION_CONFIGS)
    html = md.convert("## 1. Mục { #muc-1 .item onclick=\"alert(1)\" }\n\n"
                      "[a)](#muc-1-a){ .point-link } Xem <https://example.com>, 1 < 2 & 3\n{: #muc-1-a .point }\n")
    # Our anchors (id, class) stay; any other attribute an attribute list adds is dropped.
    assert '<h2 class="item" id="muc-1">1. Mục<a class="headerlink" href="#muc-1"' in html
    assert "onclick" not in html
    assert '<p class="point" id="muc-1-a"><a class="point-link" href="#muc-1-a">a)</a>' in html
    assert '<a href="https://example.com">https://example.com</a>, 1 &lt; 2 &amp; 3' in html
    assert [t["id"] for t in md.toc_tokens] == ["muc-1"]


def _converted_refusals(body: str) -> list:
    """safe_markdown.refusals without its fast path: Markdown always parses the body."""
    from notice_archive.safe_markdown import SafeMarkdownExtension

    extension = SafeMarkdownExtension(report=False)
    markdown.Markdown(extensions=["attr_list", "md_in_html", extension]).convert(body)
    return extension.links.refused if extension.links is not None else []


LINK_SHAPES = [
    "Xem [văn bản](javascript:alert(1)) này", "[a]\n(javascript:x)", "[a] (javascript:x)", "[a][r]\n\n[r]: javascript:x",
    "[a]\n\n[a]:\n  javascript:x", "> [a](javascript:x)", "- [a]\n  (javascript:x)", "![ảnh](https://x/y.png)",
    "![ảnh][r]\n\n[r]: //x/y.png", "<javascript:alert(1)>", "Đoạn {: onclick=x }", "[1] chú thích [2]",
    "[a\\](javascript:x)", "[a]\\(javascript:x)", "`[a](javascript:x)`", "[[a]](javascript:x)", "[a]]:(x)",
    # Markdown deletes STX and ETX (its own placeholder marks) before it parses: "]\x02(" is "](" to it.
    "[a]\x02(javascript:x)", "![a]\x03(https://x/y.png)", "[a][r]\n\n[r]\x02\x03: javascript:x",
]


@pytest.mark.parametrize("body", LINK_SHAPES)
def test_refusals_fast_path_skips_only_bodies_without_a_refusal(body: str) -> None:
    from notice_archive.safe_markdown import may_link, refusals

    assert refusals(body) == _converted_refusals(body)
    if not may_link(body):
        assert _converted_refusals(body) == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="[]()!:<>{}\\`#*- \nax\x02\x03", max_size=40).map(lambda s: s.replace("x", "javascript:x")))
def test_refusals_fast_path_agrees_with_markdown_on_any_bracket_soup(body: str) -> None:
    from notice_archive.safe_markdown import refusals

    assert refusals(body) == _converted_refusals(body)


# GitHub annotations --------------------------------------------------------------------------------------------

def test_github_annotation_escapes_properties_and_keeps_the_code() -> None:
    from notice_archive.problems import Problem

    problem = Problem("notices/a,b:c%.md", 3, "trường 'x': sai\n50%", "error", "truong")
    assert problem.github() == "::error file=notices/a%2Cb%3Ac%25.md,line=3::trường 'x': sai%0A50%25 [truong]"
    assert Problem("p.md", 1, "ý", "advice").github() == "::warning file=p.md,line=1::ý"


# A point runs to the next point, item or closing ----------------------------------------------------------------

def test_a_point_collects_its_following_lines() -> None:
    body = ("### 1. Mục\n\na) Đầu điểm a\ndòng tiếp\n- ý con\n\nđoạn sau\n\nb) Điểm b\n\n### 2. Mục hai\n\n"
            "Không thuộc điểm.\n\n***\n\nKết.")
    parsed, problems = parse_body("x.md", body, 1)
    assert problems == []
    a, b = parsed.items[0].points
    assert (a.text, a.full_text) == ("Đầu điểm a", "Đầu điểm a\ndòng tiếp\n- ý con\n\nđoạn sau")
    assert b.full_text == "Điểm b"


@pytest.mark.parametrize("body", [
    "Giao Phòng Quản lý đô thị chủ trì.\n\nĐồng ý chủ trương.",  # the usual body: nothing to look at
    "", "\n\n", "a) Điểm\n### 4. Mục",
    "Xem <b>", "A &amp; B", "{: .x }", "![ảnh](x.png)", "chuông \x07 báo", "tab\tở giữa", "\x7f",
    "<SCRIPT>", "ScRiPt", "javascript:alert(1)", "data:text/html", "DATA :", "dữ liệu data không có hai chấm",
    "\u017fcript",  # long s: case-insensitive matching takes it for "s"
    "scr\u0131pt", "SCR\u0130PT",  # dotless i, dotted capital I
    "metadata", "Datacenter", "bản \ufeff có BOM", "\u200b không rộng",
])
def test_body_trigger_fast_path_answers_as_the_regex(body: str) -> None:
    assert may_trigger(body) == (BODY_TRIGGERS.search(body) is not None)


@pytest.mark.parametrize("body", [
    "Đoạn mở đầu.\n\n### 1. Mục\n\na) Điểm a\n  tiếp\n\nb) Điểm b\n\n***\n\nKết.",
    "### 1. Mục\n\n  ### 2. Thụt lề\n\n1. Thiếu dấu thăng\n",
    "### 1. Mục\n\n```\n### 2. Trong khối mã\n```\n\n~~~\na) không phải điểm\n~~~\n",
    "### 1. Mục\n\n\u00a0```\nkhông phải khối mã\n\n\ta) tab\n\u2003b) em space\n",
    "## I. Phần\n\n### 1. Mục\n\nđ) điểm đ\n\n#không phải tiêu đề\n* danh sách\n***  \n",
])
def test_prose_fast_path_parses_as_every_pattern_would(body: str, monkeypatch) -> None:
    """Lines taken as prose without trying the patterns give what trying them gives (the patterns, line by line)."""
    from notice_archive import body as body_module

    class Everything:
        def __contains__(self, _: object) -> bool:
            return True

    parsed, problems = parse_body("x.md", body, 1)
    assert parsed.items  # the cases hold items (a broken parse would not compare equal by accident)
    monkeypatch.setattr(body_module, "_NOT_PLAIN", Everything())  # every line through the patterns
    assert parse_body("x.md", body, 1) == (parsed, problems)


def test_item_meta_links_each_role_and_escapes_every_value() -> None:
    from notice_archive.model import Item
    from notice_archive.notice_page import item_meta
    from notice_archive.registry import Registry
    from notice_archive.schema import Department, Project

    registry = Registry(
        departments={key: Department(name=name, issuer="ubnd", kind="phong") for key, name in
                     (("a", 'Phòng "A" & <B>'), ("b", "Phòng B"), ("c", "Phòng C"))},
        projects={"p": Project(name="Dự án <x>")})
    item = Item(1, None, "muc-1", "Mục", "", 3, presented_by="a", lead=("a", "b"), cooperating=("c",),
                projects=("p",))
    assert item_meta(item, registry, 'Mục 1 của "TB" <1>', "../../") == (
        '<p class="item-meta">Đơn vị trình: <a href="../../don-vi/a/">Phòng &#34;A&#34; &amp; &lt;B&gt;</a>'
        ' · Chủ trì: <a href="../../don-vi/a/">Phòng &#34;A&#34; &amp; &lt;B&gt;</a>, '
        '<a href="../../don-vi/b/">Phòng B</a> · Phối hợp: <a href="../../don-vi/c/">Phòng C</a>'
        ' · Dự án: <a href="../../du-an/p/">Dự án &lt;x&gt;</a><br><span class="item-cite">Trích dẫn: '
        '<em>Mục 1 của &#34;TB&#34; &lt;1&gt;</em></span></p>')
    bare = Item(2, None, "muc-2", "Mục", "", 5)
    assert item_meta(bare, registry, "Mục 2", "") == (
        '<p class="item-meta"><br><span class="item-cite">Trích dẫn: <em>Mục 2</em></span></p>')


def test_citations_go_into_the_rendered_html_escaped() -> None:
    from markupsafe import escape

    from notice_archive.notice_page import NoticePage, decorate_html

    cites = {"muc-1": escape('Mục 1 của "A & B" <C>'), "muc-1-a": escape("Điểm a)")}
    page = NoticePage("", {"muc-1": '<p class="item-meta">…</p>'}, cites)
    html = ('<h2 class="item" id="muc-1">1. Mục</h2>\n<p class="point" id="muc-1-a">a) …</p>\n'
            '<p class="point" id="muc-2-a">a) …</p>')
    assert decorate_html(html, page) == (
        '<h2 class="item" data-cite="Mục 1 của &#34;A &amp; B&#34; &lt;C&gt;" id="muc-1">1. Mục</h2>\n'
        '<p class="item-meta">…</p>\n<p class="point" data-cite="Điểm a)" id="muc-1-a"><a class="point-link" '
        'href="#muc-1-a">a)</a> …</p>\n'
        '<p class="point" id="muc-2-a"><a class="point-link" href="#muc-2-a">a)</a> …</p>')  # no citation: none added


@pytest.mark.parametrize(("html", "expected"), [
    ('<p class="point" id="muc-1-a">a)</p>', '<p class="point" id="muc-1-a"><a class="point-link" href="#muc-1-a">a)</a></p>'),
    ('<p class="point" id="muc-1-dd">đ) <strong>Gấp</strong></p>',
     '<p class="point" id="muc-1-dd"><a class="point-link" href="#muc-1-dd">đ)</a> <strong>Gấp</strong></p>'),
    ('<p class="point" id="muc-1-b">b)c</p>', '<p class="point" id="muc-1-b">b)c</p>'),  # not a point's letter
    ('<p id="muc-1-a">a) Đoạn thường</p>', '<p id="muc-1-a">a) Đoạn thường</p>'),  # not a point
])
def test_a_point_letter_becomes_a_link_to_the_point(html: str, expected: str) -> None:
    assert decorated(html) == expected


@pytest.mark.parametrize("body", [
    "### 1. Một\n\na) điểm a\n***\nKết.",  # the closing marker right after the point
    "### 1. Một\n\na) điểm a\n### 2. Hai\n\nb) điểm b",  # the next item right after it
    "## I. Phần\n\n### 1. Một\n\na) điểm a\n## II. Phần\n\n### 1. Hai",  # the next section
])
def test_a_point_ends_where_the_next_item_section_or_closing_begins(body: str) -> None:
    parsed, _ = parse_body("x.md", body, 1)
    html = decorated(markdown.markdown(render_markdown(body, parsed), extensions=["attr_list"]))
    anchor = parsed.items[0].points[0].anchor
    assert f'<p class="point" id="{anchor}"><a class="point-link" href="#{anchor}">a)</a> điểm a</p>' in html
    assert "{:" not in html


@pytest.mark.parametrize("text", [
    "", " ", "\n", "Phòng Quản lý đô thị", "Giao Phòng\nQuản lý  đô thị", " đầu", "cuối ", "a\tb", "a\u00a0b",
    "a\u2003b", "a\x1cb", "a\r\nb", "ĐÔ THỊ\n\nMỚI", "Straße ǅ İ", "a \n b", "  ", "\n\n\n", "a" + " " * 37 + "b",
    "a\n\n\n\n\nb  c   d", "\n a \n", "a\u3000b", "a\u0085b", "a\u2028b",
])
def test_casefold_vi_collapses_white_space_as_split_and_join_do(text):
    """The fast path (single spaces already) gives exactly what the plain definition gives."""
    assert casefold_vi(text) == " ".join(nfc(text).casefold().split())


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=" \n\t\u00a0\u3000aĐđ", max_size=30))
def test_casefold_vi_collapses_any_white_space_as_split_and_join_do(text: str) -> None:
    assert casefold_vi(text) == " ".join(nfc(text).casefold().split())


# The bounds of a body's paragraphs, asked of the whole text first (reader._markup_within_bounds) ------------------

def _at_bounds() -> list[str]:
    from notice_archive import limits

    para = limits.MAX_PARAGRAPH_CHARS
    return [
        "x" * (para - 2), "x" * (para - 1), "x" * para, "a\n" + "x" * (para - 1),
        "[" * limits.MAX_OPENERS, "[" * (limits.MAX_OPENERS + 1), "<" * (limits.MAX_OPENERS + 1),
        "[" * 20 + "\n\n" + "[" * 20, "<a\n" * (limits.MAX_OPENERS + 1),
        " " * limits.MAX_INDENT + "x", " " * (limits.MAX_INDENT + 1) + "x", "\t" * 8 + " x", "\t" * 9 + "x",
        " \t" * 5 + "x", "\t" * 8 + "\u00a0" + "x", "a\n" + " " * 40 + "x", " " * 40,
        "*" * limits.MAX_MARKER_RUN, "*" * (limits.MAX_MARKER_RUN + 1), "x\n" + ">" * 9 + "_" * 9,
        "Đoạn thường.\n\n### 1. Mục\n\na) Điểm [1]",
        "- " * limits.MAX_LIST_DEPTH + "x", "- " * (limits.MAX_LIST_DEPTH + 1) + "x", "a\n" + "1. " * 9 + "x",
        "> - " * 9 + "x", "> " + "\t" * 8 + "x", "> " + "\t" * 9 + "x", ">" + " " * 33 + "x", " > >" + " " * 33 + "x",
        "- " * 9, "- - -\n* * *",
    ]


@pytest.mark.parametrize("text", _at_bounds())
def test_markup_bounds_whole_text_check_passes_only_texts_no_paragraph_breaks(text: str) -> None:
    from notice_archive.reader import _markup_problems, _markup_within_bounds, _paragraph_problems

    for first in (1, 2):
        assert _markup_problems(text, first) == _paragraph_problems(text, first)
        if _markup_within_bounds(text):
            assert _paragraph_problems(text, first) == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123/-TBUNDĐđx ngày\n", max_size=40))
def test_may_cite_finds_every_line_cited_finds(text: str) -> None:
    from notice_archive.notice_page import MAY_CITE, _lines_that_may_cite
    from notice_archive.references import CITED

    if CITED.search(text) is not None:
        assert MAY_CITE.search(text) is not None
    found = _lines_that_may_cite(text)
    for number, line in enumerate(text.split("\n")):
        if CITED.search(line) is not None:
            assert number in found


@pytest.mark.parametrize("text", ["370/TB-UBND ngày 15/10/2020", "81-CV/TU", "12/UBND-VX", "5/ĐU-Đ", "1-QĐ/TW-BTC"])
def test_may_cite_finds_the_shapes_of_document_numbers(text: str) -> None:
    from notice_archive.notice_page import MAY_CITE
    from notice_archive.references import CITED

    assert CITED.search(text) is not None and MAY_CITE.search(text) is not None


@pytest.mark.parametrize("start", range(12))
@pytest.mark.parametrize("length", [3, 39, 40, 41, 42, 60])
def test_digit_runs_are_found_through_the_sampled_text(start: int, length: int) -> None:
    from notice_archive import limits
    from notice_archive.reader import DIGIT_RUN, SAMPLED_DIGIT_RUN

    text = "ngày " * 3 + "x" * start + "7" * length + " hết"
    if DIGIT_RUN.search(text) is not None:
        assert SAMPLED_DIGIT_RUN.search(text[::10]) is not None
    assert (DIGIT_RUN.search(text) is not None) == (length > limits.MAX_DIGITS)
    src = read_bytes("x.md", f"---\nissuer: a\n---\n\n{text}\n".encode())
    assert [p.code for p in src.problems] == (["qua-lon"] if length > limits.MAX_DIGITS else [])
