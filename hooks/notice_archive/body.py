"""The notice body: official numbering -> sections, items and points with permanent anchors.

Editors write the text as issued, with Markdown structure only:
``## I. Tên phần`` (section), ``### 1. Tiêu đề mục`` (item), a paragraph starting ``a)`` (point), and a line
``***`` where the numbered part ends and the closing paragraph begins. Anchors come from numbers, never wording.
"""

from __future__ import annotations

import bisect
import html
import re
from dataclasses import dataclass, field

from .problems import Problem
from .safe_markdown import link_problems, read_links, relative_links
from .text import POINT_LETTERS, letter_slug, roman_to_int

SECTION = re.compile(r"^##\s+([IVXLC]+)\.\s*(.*?)\s*$")
ITEM = re.compile(r"^###\s+(\d+)\.\s*(.*?)\s*$")
POINT = re.compile(r"^([a-zđ])\)\s+(.*)$")
HEADING = re.compile(r"^#{1,6}\s")
# Markdown still reads a heading indented by up to three spaces: it would get a wording-based id, not an anchor.
INDENTED_HEADING = re.compile(r"^ {1,3}#{1,6}(?:\s|$)")
BARE_ITEM = re.compile(r"^(\d+)\.\s+\S")
CLOSING = re.compile(r"^\*\*\*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")

# Raw HTML and script are refused: a pull request must not be able to inject code into a government site.
# Autolinks (<https://…>, <name@example.com>) are Markdown, not HTML, and stay allowed.
AUTOLINK = re.compile(r"<(?:(?:https?|ftp)://[^<>\s]*|[^<>\s@!]+@[^<>\s@]+)>", re.IGNORECASE)
HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>")
HTML_TAG_START = re.compile(r"<\s*/?\s*[A-Za-z!?]")
NEWLINE = re.compile("\n")
# The start of an HTML tag, comment, declaration or processing instruction as browsers and Markdown read one; its
# end may be lines further down (``<img src=x`` newline ``onerror=…>``), so the body is also checked as a whole.
HTML_OPEN = re.compile(r"<(?:!--|/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>]|$)|![A-Za-z\[]|\?)", re.MULTILINE)
EVENT_ATTR = re.compile(r"(?i)\bon[a-z]+\s*=")
# Python-Markdown's attr_list would turn "{: onclick=… }" or "{ #muc-4 }" into attributes and ids: the anchors
# are ours to give, and attributes can carry script, so editors write none.
ATTR_LIST = re.compile(r"\{\s*(?::|[#.][\w-]|[\w-]+\s*=)[^{}]*\}")
# A section's or item's title is written followed by its anchor, " { #muc-4 .item }" (render_markdown): from a
# " {" of the title that a '}' does not close at once, attr_list would read the rest of the heading as attributes
# (the words leave the heading, each becomes an attribute the page refuses).
TITLE_BRACE = re.compile(r" \{(?! *\})")
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
# A line needs the checks above only if it holds one of these (a fast path: most lines hold none).
TRIGGERS = re.compile(r"[<&{!]|script|data\s*:|[\x00-\x1f\x7f]", re.IGNORECASE)
# The same over a whole body, whose line breaks are not control characters to report: if it finds nothing, no
# line holds anything unsafe() looks for.
BODY_TRIGGERS = re.compile(r"[<&{!]|script|data\s*:|[\x00-\x09\x0b-\x1f\x7f]", re.IGNORECASE)
_TRIGGER_BYTES = bytes([*range(0x0A), *range(0x0B, 0x20), 0x7F]) + b"<&{!"
# Non-ASCII letters that case-insensitive matching takes for ASCII ones of "script": long s, dotless i, dotted I.
_FOLDS_TO_ASCII = ("\u017f", "\u0131", "\u0130")
# A line starting with none of these (and not "a) …") is prose to any of the line patterns below.
_NOT_PLAIN = frozenset("#*`~")


def may_trigger(body: str) -> bool:
    """Whether BODY_TRIGGERS finds something in the body; the same answer ~10x faster for the usual body, which
    holds none of its characters (a byte scan; the regex is asked only when a word could match)."""
    raw = body.encode("utf-8", "surrogatepass")
    if len(raw.translate(None, _TRIGGER_BYTES)) != len(raw):
        return True
    low = raw.lower()
    if b"script" in low or b"data" in low or any(ch in body for ch in _FOLDS_TO_ASCII):
        return BODY_TRIGGERS.search(body) is not None
    return False


@dataclass
class RawPoint:
    letter: str
    text: str  # the rest of the point's first line (the point's title in lists)
    line: int
    anchor: str = ""
    lines: list[str] = field(default_factory=list)  # the point's following lines, up to the next point/item

    @property
    def full_text(self) -> str:
        """All of the point: its first line, following lines and '- ' sub-items."""
        return "\n".join([self.text, *self.lines]).strip()


@dataclass
class RawItem:
    number: int
    heading: str
    line: int
    section: int | None
    anchor: str = ""
    points: list[RawPoint] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)  # the item's body text, heading excluded


@dataclass
class RawSection:
    numeral: str
    number: int
    title: str
    line: int
    anchor: str = ""
    lines: list[str] = field(default_factory=list)  # text before the section's first item


@dataclass
class ParsedBody:
    first_line: int = 1
    preamble: list[str] = field(default_factory=list)
    sections: list[RawSection] = field(default_factory=list)
    items: list[RawItem] = field(default_factory=list)
    closing: list[str] = field(default_factory=list)
    restarts: bool = False
    links: list[tuple[int, str]] = field(default_factory=list)  # (file line, destination): relative_links

    def anchors(self) -> list[str]:
        out = [s.anchor for s in self.sections]
        for item in self.items:
            out.append(item.anchor)
            out.extend(p.anchor for p in item.points)
        return out


def parse_body(path: str, body: str, first_line: int) -> tuple[ParsedBody, list[Problem]]:
    parsed = ParsedBody(first_line=first_line)
    problems: list[Problem] = []

    def err(line: int, msg: str, code: str, severity: str = "error") -> None:
        problems.append(Problem(path, line, msg, severity, code))  # type: ignore[arg-type]

    in_fence = False
    closed = False
    current: RawItem | None = None
    section: RawSection | None = None
    prev_blank = True
    point: RawPoint | None = None  # the point whose text the following lines continue
    body_lines = body.split("\n")
    triggers = may_trigger(body)  # most bodies hold none of them
    _check_html_blocks(body, first_line, err)
    # Links and images as Markdown parses them (a destination split over lines, entities), not line by line; the
    # attribute lists Markdown reads are told after the lines, where a line's own check has not told them already.
    attribute_lists = []
    found, kept = read_links(body)
    parsed.links = [(first_line + offset, url) for offset, url in relative_links(body, kept)] if kept else []
    for offset, message, code in link_problems(body, found):
        if code == "thuoc-tinh":
            attribute_lists.append((first_line + offset, message))
        else:
            err(first_line + offset, message, code)

    def append(text: str) -> None:
        _append(parsed, section, current, closed, text)
        if point is not None:
            point.lines.append(text)

    for offset, text in enumerate(body_lines):
        line = first_line + offset
        if triggers:
            _check_unsafe(text, line, err)
        first = text[:1]
        if first and first not in _NOT_PLAIN and not first.isspace() and not first.isdigit() and text[1:2] != ")":
            append(text)  # prose (most lines): no pattern below can match it
            prev_blank = False
            continue
        if not first:  # an empty line (the other half): no pattern below matches it either
            append(text)
            prev_blank = not in_fence
            continue
        if FENCE.match(text):
            in_fence = not in_fence
        if in_fence:
            append(text)
            prev_blank = False
            continue
        if (prev_blank and POINT.match(text)) or CLOSING.match(text) or HEADING.match(text):
            point = None  # a point runs up to the next point, item, section, heading or the closing marker
        if CLOSING.match(text):
            if closed:
                err(line, "dòng '***' (kết thúc phần các mục) chỉ được dùng một lần", "ket-thuc")
            closed = True
            current = None
            prev_blank = True
            continue
        m_section = SECTION.match(text)
        m_item = ITEM.match(text)
        if (m_section or m_item) and closed:
            err(line, "tiêu đề phần/mục nằm sau dòng '***' (phần kết); đặt '***' sau mục cuối cùng", "ket-thuc")
        if (m_section or m_item) and TITLE_BRACE.search(" " + (m_section or m_item).group(2)) \
                and not ATTR_LIST.search(text):
            err(line, "tiêu đề phần/mục có dấu '{': trang web đọc phần từ dấu này là cú pháp thuộc tính và bỏ nó "
                "khỏi tiêu đề; viết ngoặc đơn ( ) thay cho ngoặc nhọn { }", "thuoc-tinh")
        if m_section:
            number = roman_to_int(m_section.group(1)) or 0
            section = RawSection(m_section.group(1), number, m_section.group(2), line)
            parsed.sections.append(section)
            current = None
        elif m_item:
            current = RawItem(int(m_item.group(1)), m_item.group(2), line, section.number if section else None)
            parsed.items.append(current)
            if not m_item.group(2):
                err(line, f"mục {m_item.group(1)} thiếu tiêu đề: viết '### {m_item.group(1)}. Nội dung mục' như "
                    "bản gốc", "tieu-de")
        elif HEADING.match(text):
            err(line, "tiêu đề không đúng dạng: phần viết '## I. Tên phần', mục viết '### 1. Nội dung mục'",
                "tieu-de")
            append(text)
        elif INDENTED_HEADING.match(text):
            err(line, f"tiêu đề '{text.strip()}' bị thụt lề nên không được đọc là phần hay mục; bỏ dấu cách ở đầu "
                "dòng", "tieu-de")
            point = None
            append(text)
        elif prev_blank and (m_point := POINT.match(text)) and current is not None and not closed:
            point = RawPoint(m_point.group(1), m_point.group(2), line)
            current.points.append(point)
            current.lines.append(text)
        elif prev_blank and POINT.match(text) and not closed:
            err(line, f"điểm '{text[:2]}' nằm ngoài mục nào; điểm phải đứng sau tiêu đề mục '### 1. …'", "diem")
            append(text)
        elif prev_blank and (m_bare := BARE_ITEM.match(text)) and not closed:
            err(line, f"dòng bắt đầu bằng '{m_bare.group(1)}.' có vẻ là một mục nhưng thiếu '### '; "
                f"viết '### {text}'", "muc-thieu-tieu-de")
            append(text)
        else:
            append(text)
        prev_blank = not text.strip()

    told = {p.line for p in problems if p.code == "thuoc-tinh"}
    for line, message in attribute_lists:
        if line not in told:
            err(line, message, "thuoc-tinh")
    _number(parsed, path, err)
    return parsed, problems


def _append(parsed: ParsedBody, section: RawSection | None, current: RawItem | None, closed: bool,
            text: str) -> None:
    if closed:
        parsed.closing.append(text)
    elif current is not None and (section is None or current.section == section.number):
        current.lines.append(text)
    elif section is not None:
        section.lines.append(text)
    else:
        parsed.preamble.append(text)


def unsafe(text: str) -> list[tuple[str, str]]:
    """What in one line of text could be taken for markup: (message, code) pairs. (Link and image destinations are
    checked once Markdown has parsed them: safe_markdown.link_problems.)"""
    if not TRIGGERS.search(text):  # most lines: plain Vietnamese prose with none of the characters involved
        return []
    out = []
    decoded = html.unescape(text) if "&" in text else text
    decoded = CONTROL.sub("", decoded)
    if "<" in text and _has_tag(AUTOLINK.sub("", text)):
        out.append(("không được dùng mã HTML (thẻ '<…>'); chỉ dùng văn bản và Markdown (dấu '<' trong câu chữ "
                     "viết là &lt;)", "html"))
    if ("<" in decoded or "{" in decoded) and EVENT_ATTR.search(decoded):
        out.append(("không được dùng thuộc tính sự kiện (onclick=…)", "script"))
    if "{" in text and ATTR_LIST.search(text):
        out.append(("không được dùng cú pháp thuộc tính '{: … }': neo và thuộc tính do hệ thống tự gắn theo số "
                    "mục", "thuoc-tinh"))
    return out


def _has_tag(text: str) -> bool:
    """HTML_TAG.search(text), in linear time: "[^>]*>" reaches the first '>' after a tag's start whenever there is
    one, so a tag is found exactly when the first start comes before the last '>' (the regex itself goes back over
    the line from every start: minutes on a long line of "<a<a<a…")."""
    start = HTML_TAG_START.search(text)
    return start is not None and text.rfind(">") >= start.end()


def html_blocks(text: str) -> list[tuple[int, int]]:
    """HTML tags and comments that span lines, as (offset of their first line, of their last line).

    A line-by-line check misses ``<img src=x`` + newline + ``onerror=…>`` or a ``<!--`` closed lines later;
    browsers and Markdown's raw-HTML reader do not. A comment never closed hides the rest of the text (it counts
    to the end); a '<b' never closed is not a tag.
    """
    out = []
    text = AUTOLINK.sub(lambda m: " " * len(m.group(0)), text)  # same offsets, autolinks are not HTML
    ends = {"-->": -2, ">": -2}  # the closer found last, per kind (-2: not looked for; -1: none after that point)
    breaks = [m.start() for m in NEWLINE.finditer(text)] if "<" in text else []
    for m_open in HTML_OPEN.finditer(text):
        comment = m_open.group(0) == "<!--"
        closer = "-->" if comment else ">"
        end = ends[closer]
        if end == -2 or (end != -1 and end < m_open.end()):  # each closer is looked for once: linear in the text
            end = ends[closer] = text.find(closer, m_open.end())
        if end < 0 and not comment:
            continue
        first = bisect.bisect_left(breaks, m_open.start())  # the line of an offset: how many line breaks before it
        last = bisect.bisect_left(breaks, len(text) if end < 0 else end)
        if end < 0:  # a comment never closed hides the rest of the text: nothing after it is another block
            if last > first:
                out.append((first, last))
            break
        if last > first:
            out.append((first, last))
    return out


def _check_html_blocks(body: str, first_line: int, err) -> None:
    for first, last in html_blocks(body):
        err(first_line + first, f"nội dung: không được dùng mã HTML (thẻ hoặc chú thích '<…>' viết trên nhiều dòng, "
            f"từ dòng {first_line + first} đến dòng {first_line + last}); chỉ dùng văn bản và Markdown (dấu '<' "
            "trong câu chữ viết là &lt;)", "html")


def _check_unsafe(text: str, line: int, err) -> None:
    for message, code in unsafe(text):
        err(line, f"nội dung: {message}", code)


def _number(parsed: ParsedBody, path: str, err) -> None:
    seen_sections: dict[int, int] = {}
    previous = 0
    for sec in parsed.sections:
        sec.anchor = f"phan-{sec.number}"
        if sec.number in seen_sections:
            err(sec.line, f"phần {sec.numeral} trùng với phần ở dòng {seen_sections[sec.number]}; mỗi phần cần "
                "một số riêng", "trung-phan")
            continue
        if sec.number != previous + 1:
            err(sec.line, f"số phần {_sequence_gap('phần', previous, sec.number, _roman)} (giữ nguyên nếu bản "
                "gốc như vậy)", "thu-tu-phan", "advice")
        seen_sections[sec.number] = sec.line
        previous = max(previous, sec.number)

    by_section: dict[int | None, list[RawItem]] = {}
    for item in parsed.items:
        by_section.setdefault(item.section, []).append(item)
    # Numbering restarts when a section after the first starts again at item 1 (then anchors are per section).
    firsts = [scope[0].number for key, scope in by_section.items() if key is not None]
    parsed.restarts = any(first == 1 for first in firsts[1:])
    numerals = {sec.number: sec.numeral for sec in parsed.sections}
    scopes = by_section.values() if parsed.restarts else [parsed.items]
    for scope in scopes:
        seen: dict[int, int] = {}
        previous = 0
        for item in scope:
            where = f" trong phần {numerals.get(item.section, '')}" if parsed.restarts and item.section else ""
            if item.number in seen:
                err(item.line, f"mục {item.number} trùng số với mục ở dòng {seen[item.number]}{where}; mỗi mục cần "
                    "một số riêng để có địa chỉ riêng", "trung-muc")
                continue
            if item.number != previous + 1:
                err(item.line, f"số mục {_sequence_gap('mục', previous, item.number, str)}{where} (giữ nguyên nếu "
                    "bản gốc như vậy)", "thu-tu-muc", "advice")
            seen[item.number] = item.line
            previous = max(previous, item.number)
    for item in parsed.items:
        prefix = f"phan-{item.section}-" if parsed.restarts and item.section is not None else ""
        item.anchor = f"{prefix}muc-{item.number}"
        _letters(item, err)


def _roman(number: int) -> str:
    out = ""
    for value, numeral in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                           (4, "IV"), (1, "I")):
        while number >= value:
            out += numeral
            number -= value
    return out


def _sequence_gap(kind: str, previous: int, current: int, name) -> str:
    """How a number breaks the sequence: "mục 4 đứng sau mục 5" or "sau mục 1 là mục 3, thiếu mục 2"."""
    if current <= previous:
        return f"không đúng thứ tự: {kind} {name(current)} đứng sau {kind} {name(previous)}"
    missing = ", ".join(name(n) for n in range(previous + 1, min(current, previous + 4)))
    more = "…" if current - previous > 4 else ""
    if previous == 0:
        return f"bị bỏ sót: {kind} đầu tiên là {kind} {name(current)}, thiếu {kind} {missing}{more}"
    return f"bị bỏ sót: sau {kind} {name(previous)} là {kind} {name(current)}, thiếu {kind} {missing}{more}"


def _letters(item: RawItem, err) -> None:
    seen: dict[str, int] = {}
    previous = -1
    for point in item.points:
        point.anchor = f"{item.anchor}-{letter_slug(point.letter)}"
        if point.letter in seen:
            err(point.line, f"điểm {point.letter}) của mục {item.number} trùng với điểm ở dòng "
                f"{seen[point.letter]}; mỗi điểm cần một chữ riêng để có địa chỉ riêng", "trung-diem")
            continue
        seen[point.letter] = point.line
        if point.letter not in POINT_LETTERS:
            err(point.line, f"điểm {point.letter}) không thuộc bảng chữ cái tiếng Việt dùng đánh số điểm "
                "(a b c d đ e g h i k …; không có f, j, w, z); giữ nguyên nếu bản gốc như vậy", "chu-diem",
                "advice")
            continue
        index = POINT_LETTERS.index(point.letter)
        if index != previous + 1:
            gap = _sequence_gap("điểm", previous + 1, index + 1, lambda n: POINT_LETTERS[n - 1] + ")")
            err(point.line, f"điểm của mục {item.number} {gap} (giữ nguyên nếu bản gốc như vậy)", "thu-tu-diem",
                "advice")
        previous = max(previous, index)


@dataclass(frozen=True)
class BodyLayout:
    """Where a notice's sections, items and points are, from the model (model.Section, model.Item)."""

    first_line: int
    sections: tuple
    items: tuple


def render_markdown(body: str, parsed: ParsedBody | BodyLayout) -> str:
    """The body with anchors attached (attr_list syntax), ready for Python-Markdown.

    ``parsed`` says where the sections, items and points are: the body's parse, or the model's (a BodyLayout of a
    notice read earlier, so a page is not parsed twice); line numbers count from ``parsed.first_line``.

    Items become headings with ``{ #muc-4 }`` (the toc extension's permalink is their visible link); a point
    paragraph gets ``{: #muc-4-a }``. The ``***`` marker is dropped: the closing paragraph simply follows. Each
    point's letter is made a link to itself, and each item's and point's citation added, in the rendered HTML
    (notice_page.decorate_html): as Markdown links and attr_list values they were a third of the cost of rendering a
    notice.
    """
    heading_level = "###" if parsed.sections else "##"
    points = {p.line: p for item in parsed.items for p in item.points}
    items = {i.line: i for i in parsed.items}
    sections = {s.line: s for s in parsed.sections}
    out: list[str] = []
    open_point = ""
    in_fence = False
    for offset, text in enumerate(body.split("\n")):
        line = parsed.first_line + offset
        if FENCE.match(text):
            in_fence = not in_fence
        # A point's paragraph ends at a blank line, or at the next section, item, heading or closing marker.
        if open_point and (not text.strip() or line in sections or line in items or HEADING.match(text)
                           or (CLOSING.match(text) and not in_fence)):
            out.append(f"{{: #{open_point} .point }}")
            open_point = ""
        if line in sections:
            sec = sections[line]
            out.append(f"## {sec.numeral}. {sec.title} {{ #{sec.anchor} .section }}")
        elif line in items:
            item = items[line]
            out.append(f"{heading_level} {item.number}. {item.heading} {{ #{item.anchor} .item }}")
        elif line in points:
            point = points[line]
            rest = m.group(2) if (m := POINT.match(text)) else text
            out.append(f"{point.letter}) {rest}")
            open_point = point.anchor
        elif CLOSING.match(text) and not in_fence:
            out.append("")
        else:
            out.append(text)
    if open_point:
        out.append(f"{{: #{open_point} .point }}")
    return "\n".join(out)
