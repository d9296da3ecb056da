"""From the lines of an official document to a draft notice: header, title, opening, body, recipients, signer.

Every value is taken verbatim from the document (NFC only). What cannot be read is left as ``None`` and becomes a
marker for the editor (see emit.py); nothing is guessed from outside the document except registry keys, which
are only chosen when the document names the issuer or department exactly as the registry spells it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text import casefold_vi, roman_to_int
from .layout import (
    AUTHORITY,
    DECORATION,
    NAME,
    POINT,
    cells,
    is_motto,
    is_upper,
    paragraphs,
    squash,
)

DOC_HEADINGS = {
    "THÔNG BÁO": "TB", "GIẤY MỜI": "GM", "BÁO CÁO": "BC", "QUYẾT ĐỊNH": "QĐ", "KẾ HOẠCH": "KH", "TỜ TRÌNH": "TTr",
    "BIÊN BẢN": "BB", "NGHỊ QUYẾT": "NQ", "CHỈ THỊ": "CT", "CÔNG ĐIỆN": "CĐ", "HƯỚNG DẪN": "HD",
    "CHƯƠNG TRÌNH": "CTr", "PHƯƠNG ÁN": "PA", "ĐỀ ÁN": "ĐA", "QUY CHẾ": "QC", "GIẤY GIỚI THIỆU": "GGT",
}
DOC_NAMES = {v: k.capitalize() for k, v in DOC_HEADINGS.items()}
NUMBER = re.compile(r"Số\s*:\s*(?P<num>\d*)\s*/\s*(?P<symbol>[A-ZĐa-zđ][\wĐđ]*(?:-[\wĐđ]+)*)")
PLACE_DATE = re.compile(r"(?P<place>[^,\t]+?)\s*,\s*ngày\s*(?P<day>\d{1,2})?\s*tháng\s*(?P<month>\d{1,2})\s*"
                        r"năm\s*(?P<year>\d{4})", re.IGNORECASE)
DMY = r"(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})"
LONG = r"(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})"
OPENING_DATE = re.compile(rf"^(?:(?:Sáng|Chiều|Tối|Trưa|Vào|Hôm nay)\s*,?\s*)?(?:[Nn]gày)\s+(?:{DMY}|{LONG})")
TITLE_DATE = re.compile(rf"[Nn]gày\s+(?:{DMY}|{LONG})")
INVITATION = re.compile(rf"Giấy mời số\s+(?P<inv>\d+/[\wĐđ-]+)(?:\s+ngày\s+(?:{DMY}|{LONG}))?")
OPENING_START = re.compile(r"^(?:(?:Sáng|Chiều|Tối|Trưa|Vào|Hôm nay)\b|Ngày\s+\d|Căn cứ\b|Thực hiện\b|Theo\b|"
                           r"Tại\b|Trong\b|Sau khi\b|Được\b)")
CHAIR = re.compile(r"(?:[Đđ]ồng chí|[Đđ]/c)\s+(?P<name>[A-ZÀ-ỸĐ][\wÀ-ỹĐđ]*(?:\s+[A-ZÀ-ỸĐ][\wÀ-ỹĐđ]*){1,5})\s*[-–]\s*"
                   r"(?P<title>[^.;:]+?)\s+(?:đã\s+)?(?P<verb>kết luận|chủ trì)")
SECTION = re.compile(r"^(?P<num>[IVXL]+)\.\s+(?P<text>\S.*)$")
ITEM = re.compile(r"^(?P<num>\d{1,2})\.\s+(?P<text>\S.*)$")
PRESENTED = re.compile(r"\s+trình\s*:?\s*$")
DASH = re.compile(r"\s[-–]\s")
CLOSING_START = re.compile(r"^(?:Trên đây|Trân trọng)")
DEPT_WORDS = ("Phòng", "Sở", "Ban", "Trung tâm", "UBND", "Ủy ban nhân dân", "Công ty", "Văn phòng", "Công an",
              "Chi cục", "Cục", "Bộ chỉ huy", "Thanh tra", "Kho bạc", "Chi nhánh", "Nhà đầu tư", "Các")
DEPT_START = re.compile(r"^(?:Đối với\s+)?(?P<dept>(?:" + "|".join(DEPT_WORDS) + r")\b[^:]{0,120}?)\s*(?::|$)")
RECIPIENTS = re.compile(r"^Nơi nhận\s*:?\s*(?P<rest>.*)$")
FOOTNOTE = re.compile(r"^\[(\d+)\]\s*\S")


class Refused(Exception):
    """The document is not imported; the message says why (Vietnamese)."""


@dataclass
class Item:
    number: int
    section: int | None
    heading: str
    line: int
    presented_by: str | None = None  # department as written in the heading ("Phòng Kinh tế thành phố")
    presenters: list[str] = field(default_factory=list)  # every "- … trình" suffix, longest first
    assignee: str | None = None  # department named at the start of the heading ("Sở Công Thương")
    points: list[tuple[str, int, str | None]] = field(default_factory=list)  # letter, line, assignee
    text: list[str] = field(default_factory=list)


@dataclass
class Draft:
    header: list[str] = field(default_factory=list)  # issuer lines of the header, as written
    number: str | None = None  # digits, "" when blank
    symbol: str | None = None
    place: str | None = None
    day: int | None = None
    month: int | None = None
    year: int | None = None
    title: str = ""
    meeting: tuple[int, int, int] | None = None
    invitation: str | None = None
    invitation_date: tuple[int, int, int] | None = None
    chair_name: str | None = None
    chair_title: str | None = None
    authority: list[str] = field(default_factory=list)
    signer_title: str | None = None
    signer_name: str | None = None
    recipients: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)  # Markdown paragraphs
    items: list[Item] = field(default_factory=list)
    sections: list[tuple[str, int]] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    closing_hint: str | None = None
    body_text: str = ""  # the document's body words, for the fingerprint


def _date(m: re.Match, start: int) -> tuple[int, int, int]:
    groups = [g for g in m.groups()[start:start + 6]]
    d, mo, y = (groups[0], groups[1], groups[2]) if groups[0] else (groups[3], groups[4], groups[5])
    return int(y), int(mo), int(d)


def parse(lines: list[str], footnotes: list[str] | None = None) -> Draft:
    draft = Draft()
    numbered = list(enumerate(lines, start=1))
    heading_at, heading = _find_heading(numbered)
    header = numbered[:heading_at] if heading_at is not None else numbered[:12]
    _header(draft, header)
    doc_type = heading and DOC_HEADINGS[heading]
    symbol_type = draft.symbol.split("-", 1)[0] if draft.symbol else None
    number_text = f"{draft.number or ''}/{draft.symbol}" if draft.symbol else "không rõ số"
    if heading is None:
        kind = DOC_NAMES.get(symbol_type or "", "công văn hoặc văn bản khác" if symbol_type else "không rõ loại")
        raise Refused(f"không phải thông báo kết luận: không tìm thấy dòng 'THÔNG BÁO' (tên loại văn bản) ở phần "
                      f"đầu; văn bản có vẻ là {kind} ({number_text})")
    if doc_type != "TB":
        raise Refused(f"không phải thông báo kết luận: văn bản là {heading.capitalize()} ({number_text}), không "
                      "phải Thông báo; chỉ nhập Thông báo kết luận cuộc họp")
    if symbol_type and symbol_type != "TB":
        raise Refused(f"số ký hiệu {number_text} là của loại văn bản khác ({symbol_type}), dù tiêu đề ghi "
                      "THÔNG BÁO; kiểm tra lại bản gốc")

    rest = numbered[heading_at + 1:]
    title_lines, rest = _title(rest)
    draft.title = squash(" ".join(title_lines))
    tail_at = _tail_start(rest)
    body_lines, tail = rest[:tail_at], rest[tail_at:]
    tail_footnotes = _tail(draft, tail)
    draft.footnotes = tail_footnotes + list(footnotes or [])
    paras = paragraphs(body_lines)
    opening = [text for _n, text in _opening(paras)]
    if "kết luận" not in casefold_vi(draft.title + " " + " ".join(opening)):
        raise Refused(f"văn bản là một Thông báo ({number_text}) nhưng không phải thông báo kết luận: trích yếu "
                      f"'{draft.title or '(trống)'}' và đoạn mở đầu không có chữ 'kết luận', không nêu cuộc họp "
                      "và người kết luận; kho này chỉ lưu Thông báo kết luận cuộc họp, làm việc, kiểm tra")
    _opening_facts(draft, opening)
    _body(draft, paras)
    return draft


def _find_heading(numbered: list[tuple[int, str]]) -> tuple[int | None, str | None]:
    for i, (_n, line) in enumerate(numbered[:60]):
        for _col, cell in cells(line):
            name = squash(cell)
            if name in DOC_HEADINGS and is_upper(name):
                return i, name
    return None, None


def _header(draft: Draft, header: list[tuple[int, str]]) -> None:
    for _n, line in header:
        rest = line
        m_num = NUMBER.search(rest)
        if m_num and draft.symbol is None:
            draft.number, draft.symbol = m_num.group("num"), m_num.group("symbol")
            rest = rest[:m_num.start()] + "\t" + rest[m_num.end():]
        m_date = PLACE_DATE.search(rest)
        if m_date and draft.month is None:
            # The place is the last cell before ", ngày" (a wide gap or a tab separates it from other columns).
            draft.place = cells(m_date.group("place"))[-1][1]
            draft.day = int(m_date.group("day")) if m_date.group("day") else None
            draft.month, draft.year = int(m_date.group("month")), int(m_date.group("year"))
            rest = rest[:m_date.end("place") - len(draft.place)] + "\t" + rest[m_date.end():]
        for _col, cell in cells(rest):
            if not is_motto(cell) and not DECORATION.match(cell) and is_upper(cell):
                draft.header.append(squash(cell))


def _title(rest: list[tuple[int, str]]) -> tuple[list[str], list[tuple[int, str]]]:
    """Lines after THÔNG BÁO up to a blank line, a rule, or the opening paragraph."""
    title: list[str] = []
    i = 0
    while i < len(rest) and not rest[i][1].strip():
        i += 1
    while i < len(rest):
        text = rest[i][1].strip()
        if not text or DECORATION.match(text) or (title and OPENING_START.match(text)):
            break
        if title and len(text) > 250 and text.endswith((".", ":")):
            break
        title.append(text)
        i += 1
    return title, rest[i:]


def _tail_start(rest: list[tuple[int, str]]) -> int:
    """Where the recipients and signature begin: 'Nơi nhận', or right after the paragraph ending in './.'."""
    nơi = next((i for i, (_n, line) in enumerate(rest) if any(RECIPIENTS.match(c) for _c, c in cells(line))), None)
    end = next((i + 1 for i, (_n, line) in enumerate(rest) if line.rstrip().endswith("./.")), None)
    found = [i for i in (nơi, end) if i is not None]
    return min(found) if found else len(rest)


def _tail(draft: Draft, tail: list[tuple[int, str]]) -> list[str]:
    """Recipients (left column) and signature (right column), wherever the extraction interleaved them."""
    footnotes: list[str] = []
    names: list[str] = []
    in_footnote = False
    for _n, line in tail:
        for _col, cell in cells(line):
            if FOOTNOTE.match(cell):
                footnotes.append(squash(cell))
                in_footnote = True
                continue
            if in_footnote:
                footnotes[-1] += " " + squash(cell)
                continue
            m_rec = RECIPIENTS.match(cell)
            if m_rec:
                if m_rec.group("rest").strip():
                    draft.recipients.append(m_rec.group("rest").strip().lstrip("-–+ ").strip())
                continue
            if cell[0] in "-–+•":
                draft.recipients.append(cell.lstrip("-–+• ").strip())
            elif AUTHORITY.match(cell):
                draft.authority.append(squash(cell))
            elif is_upper(cell) and not draft.signer_title:
                draft.signer_title = squash(cell)
            elif NAME.match(squash(cell)) and (draft.signer_title or draft.authority):
                names.append(squash(cell))
            elif squash(cell).strip("()").lower() in ("đã ký", "ký", "ký tên, đóng dấu"):
                draft.notes.append(f"bỏ dòng '{squash(cell)}' ở phần chữ ký (không phải câu chữ của thông báo)")
            elif draft.recipients:
                draft.recipients[-1] += " " + squash(cell)
            else:
                draft.notes.append(f"không xếp được dòng '{squash(cell)}' ở phần nơi nhận, chữ ký; kiểm tra lại")
    if names:
        draft.signer_name = names[-1]
        if len(names) > 1:
            draft.notes.append(f"phần chữ ký có nhiều dòng giống tên người: {', '.join(names)}; đã lấy "
                               f"'{names[-1]}'")
    return footnotes


def _opening(paras: list[tuple[int, str]]) -> list[tuple[int, str]]:
    out = []
    for n, text in paras:
        if SECTION.match(text) or ITEM.match(text) or CLOSING_START.match(text):
            break
        out.append((n, text))
    return out


def _opening_facts(draft: Draft, opening: list[str]) -> None:
    first = opening[0] if opening else ""
    m_date = OPENING_DATE.match(first)
    if m_date:
        draft.meeting = _date(m_date, 0)
    elif (m_title := TITLE_DATE.search(draft.title)):
        draft.meeting = _date(m_title, 0)
        draft.notes.append("ngày họp lấy từ trích yếu (đoạn mở đầu không bắt đầu bằng ngày); kiểm tra lại")
    text = " ".join(opening)
    m_inv = INVITATION.search(text)
    if m_inv:
        draft.invitation = m_inv.group("inv")
        if m_inv.group(2) or m_inv.group(5):
            draft.invitation_date = _date(m_inv, 1)
    chairs = list(CHAIR.finditer(text))
    chosen = next((c for c in chairs if c.group("verb") == "kết luận"), chairs[0] if chairs else None)
    if chosen:
        draft.chair_name = chosen.group("name")
        draft.chair_title = squash(chosen.group("title"))


def _body(draft: Draft, paras: list[tuple[int, str]]) -> None:
    current: Item | None = None
    section: int | None = None
    closing_at = None
    for idx, (_n, text) in enumerate(paras):
        if CLOSING_START.match(text):
            closing_at = idx
    if closing_at is None and paras and paras[-1][1].rstrip().endswith("./."):
        closing_at = len(paras) - 1
    out = draft.body
    words = []
    for idx, (n, text) in enumerate(paras):
        words.append(text)
        if idx == closing_at and draft.items:
            out.append("***")
            current = None
        m_sec = SECTION.match(text)
        m_item = ITEM.match(text)
        if closing_at is not None and idx >= closing_at:
            out.append(_escape(text))
        elif m_sec and roman_to_int(m_sec.group("num")) and roman_to_int(m_sec.group("num")) <= 39:
            section = roman_to_int(m_sec.group("num"))
            draft.sections.append((m_sec.group("num"), n))
            out.append(f"## {m_sec.group('num')}. {m_sec.group('text')}")
            current = None
        elif m_item:
            current = Item(int(m_item.group("num")), section, m_item.group("text"), n)
            m_pres = PRESENTED.search(current.heading)
            if m_pres:
                current.presenters = [current.heading[d.end():m_pres.start()].strip()
                                      for d in DASH.finditer(current.heading[:m_pres.start()])]
                named = [c for c in current.presenters if DEPT_START.match(c)]
                current.presented_by = named[0] if named else (current.presenters[-1] if current.presenters else None)
            m_dept = DEPT_START.match(current.heading)
            if m_dept and not m_pres:
                current.assignee = m_dept.group("dept").strip()
            draft.items.append(current)
            out.append(f"### {m_item.group('num')}. {m_item.group('text')}")
        elif (m_point := POINT.match(text)) and current is not None:
            m_dept = DEPT_START.match(text[m_point.end():])
            current.points.append((m_point.group(1), n, m_dept.group("dept").strip() if m_dept else None))
            current.text.append(text)
            out.append(text)
        else:
            if current is not None:
                current.text.append(text)
            out.append(_escape(text))
    if draft.items and closing_at is not None:
        last = draft.items[-1]
        closing = paras[closing_at][1]
        draft.closing_hint = (f"dòng '***' (hết phần các mục) đặt trước đoạn '{closing[:40]}…'; nếu các đoạn cuối "
                              f"của mục {last.number} là phần kết chung, chuyển '***' lên trước chúng")
    elif draft.items:
        draft.notes.append("không thấy đoạn kết ('Trên đây là…'); dòng '***' chưa được đặt — thêm sau mục cuối")
    draft.body_text = " ".join(words)


def _escape(text: str) -> str:
    """Text that Markdown would read as structure is kept verbatim by escaping its first character."""
    if re.match(r"^(#|>|\*\s|\d{1,2}\)\s|\||=+$)", text):
        return "\\" + text
    return text
