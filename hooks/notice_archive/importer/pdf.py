"""The text layer of an issued PDF, in reading order, as lines like those of a Word file (sources.Document).

pypdfium2 first flattens the page's annotations into its content: e-signing systems stamp the number and the day
("Số: 453", "ngày 29") as annotations, which a plain text extraction leaves out. pdfplumber then gives every
letter with its position and size. Lines are rebuilt from the letters (spaces are dropped and words rebuilt from
the gaps, because stamped digits are drawn over blank spaces); a wide gap splits a line into cells (a tab, like
the cells of a Word table). Two-column blocks (the Decree 30 header: issuer | national motto; the closing:
recipients | signature) are read column by column, left then right, as a Word table is. Body lines are joined
into paragraphs where the text wraps (the line above runs to the right margin, this one is not indented).

Refused here, before any parsing: a scan (pages that are images, no text), an OCR layer (text over a page-sized
image, or a PDF made by an OCR program: machine-read text must be typed or checked by a person, never imported
as an official record), and glyphs without a Unicode mapping (broken font maps: "(cid:123)", private-use code
points, U+FFFD). Look-alike letters and lost diacritics are caught later by quality.py, as for text.
"""

from __future__ import annotations

import io
import re
import statistics
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from .layout import is_motto
from .numbering import SYMBOL_BULLETS
from .parse import DOC_HEADINGS
from .sources import Document, SourceError

OCR_PRODUCERS = ("ocr", "tesseract", "abbyy", "finereader", "readiris", "omnipage", "paper capture", "clearscan")
CID = re.compile(r"\(cid:\d+\)")
MARKER = re.compile(r"^(?:[a-zđ]\)|\d{1,2}[.)]|[IVXLC]+\.|[-+•–])$")  # "a)<tab>text": one line, not two columns
PAGE_NUMBER = re.compile(r"^\s*[-–]?\s*\d{1,3}\s*[-–]?\s*$")
SCANNED = ("tệp PDF là bản quét (ảnh chụp trang), không có lớp chữ; không nhận dạng chữ (OCR) tự động vào văn bản "
           "chính thức: cần bản Word hoặc bản PDF xuất từ Word, hoặc gõ lại văn bản (tệp .txt) và đối chiếu")


@dataclass
class Word:
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    text: str


@dataclass
class Line:
    top: float
    cells: list[list[Word]]

    @property
    def x0(self) -> float:
        return self.cells[0][0].x0

    @property
    def x1(self) -> float:
        return self.cells[-1][-1].x1

    def cell_texts(self) -> list[str]:
        return [_join(cell) for cell in self.cells]


def read_pdf(path: str) -> Document:
    import pdfplumber
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pypdfium2.PdfDocument(path)
    except pypdfium2.PdfiumError:
        raise SourceError("không mở được tệp PDF (tệp hỏng hoặc có mật khẩu)") from None
    try:
        for page in pdf:
            pdfium_c.FPDFPage_Flatten(page.raw, pdfium_c.FLAT_NORMALDISPLAY)
        buf = io.BytesIO()
        pdf.save(buf)
    finally:
        pdf.close()
    lines: list[str] = []
    footnotes: list[str] = []
    notes: list[str] = []
    with pdfplumber.open(io.BytesIO(buf.getvalue())) as doc:
        meta = " ".join(str(doc.metadata.get(k, "")) for k in ("Producer", "Creator")).lower()
        pages = doc.pages
        text_chars = 0
        image_pages = 0
        broken: list[str] = []
        for number, page in enumerate(pages, start=1):
            chars = [c for c in page.chars if c["text"].strip()]
            text_chars += len(chars)
            area = float(page.width * page.height) or 1.0
            if any((im["x1"] - im["x0"]) * (im["bottom"] - im["top"]) > 0.5 * area for im in page.images):
                image_pages += 1
            for c in chars:
                symbol_font = any(name in c["fontname"] for name in ("Symbol", "Wingdings"))  # bullets live there
                if CID.fullmatch(c["text"]) or c["text"] == "\ufffd" or (not symbol_font and any(
                        unicodedata.category(ch) in ("Co", "Cn") for ch in c["text"])):
                    broken.append(f"trang {number}: {c['text']!r}")
        if text_chars == 0:
            raise SourceError(SCANNED)
        if image_pages or any(name in meta for name in OCR_PRODUCERS):
            why = (f"{image_pages} trang là ảnh chụp có lớp chữ phủ lên" if image_pages
                   else "tệp do chương trình nhận dạng chữ tạo ra")
            raise SourceError(f"tệp PDF có lớp chữ nhận dạng tự động (OCR: {why}); chữ do máy đọc có thể sai mà "
                              "không ai thấy, nên không nhập vào văn bản chính thức: cần bản Word hoặc bản PDF xuất "
                              "từ Word, hoặc gõ lại (hay kiểm tra từng chữ) vào tệp .txt rồi nhập tệp đó")
        if broken:
            raise SourceError(f"lớp chữ bị lỗi phông: {len(broken)} ký tự không có mã Unicode (bảng mã phông của "
                              f"PDF hỏng), ví dụ {'; '.join(broken[:5])}. Cần bản Word hoặc bản PDF xuất lại từ Word")
        body_size = statistics.median(c["size"] for p in pages for c in p.chars if c["text"].strip())
        open_end = False
        for page in pages:
            page_lines, page_notes, flush_start, ends_full = _page_lines(page, body_size)
            if open_end and flush_start and lines and page_lines:  # a paragraph running over the page break
                lines[-1] += " " + page_lines.pop(0)
            lines.extend(page_lines)
            footnotes.extend(page_notes)
            open_end = ends_full if page_lines else open_end
    text = "\n".join(lines)
    was_nfc = unicodedata.is_normalized("NFC", text)
    from .sources import from_text

    result = from_text(path, text)
    result.footnotes = [unicodedata.normalize("NFC", f) for f in footnotes]
    result.notes = notes
    result.was_nfc = was_nfc
    return result


def _words(page) -> list[Word]:
    page = page.dedupe_chars()
    chars = sorted((c for c in page.chars if c["text"].strip()), key=lambda c: (round(c["top"]), c["x0"]))
    rows: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: c["top"]):
        for row in rows:  # same baseline band (superscripts and stamped digits sit a little off it)
            ref = row[0]
            if abs(c["bottom"] - ref["bottom"]) < 0.45 * max(c["size"], ref["size"]) or (
                    c["top"] >= ref["top"] - 1 and c["bottom"] <= ref["bottom"] + 1):
                row.append(c)
                break
        else:
            rows.append([c])
    words: list[Word] = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        current: list[dict] = []
        for c in row:
            prev = current[-1] if current else None
            gap = c["x0"] - prev["x1"] if prev else 0.0
            if prev and (gap > 0.12 * max(c["size"], prev["size"]) or not 0.8 < c["size"] / max(prev["size"], 0.01) < 1.25
                         or (gap > 0.5 and c["fontname"] != prev["fontname"])):  # a stamped number
                words.append(_word(current))
                current = []
            current.append(c)
        if current:
            words.append(_word(current))
    return words


def _word(chars: list[dict]) -> Word:
    text = "".join(SYMBOL_BULLETS.get(c["text"], c["text"]) for c in chars)  # a Symbol-font bullet, as Word shows it
    return Word(chars[0]["x0"], max(c["x1"] for c in chars), min(c["top"] for c in chars),
                max(c["bottom"] for c in chars), max(c["size"] for c in chars), text)


def _join(cell: list[Word]) -> str:
    out = ""
    for i, word in enumerate(cell):
        glued = i and word.x0 - cell[i - 1].x1 < 0.5  # only a change of size split them (a sub- or superscript)
        if glued and word.size < 0.8 * cell[i - 1].size and word.text.isdigit():
            out += f"[{word.text}]"  # a footnote mark, raised and smaller, glued to the word before it
        else:
            out += ("" if glued or not i else " ") + word.text
    return out


def _page_lines(page, body_size: float) -> tuple[list[str], list[str], bool, bool]:
    """The page's lines and footnotes; whether its first line starts at the margin (it may continue the page
    before) and whether its last line runs to the right margin (its paragraph may go on overleaf)."""
    words = _words(page)
    if not words:
        return [], [], False, False
    rows: dict[float, list[Word]] = {}
    for w in sorted(words, key=lambda w: (w.bottom, w.x0)):
        key = next((k for k in rows if abs(k - w.bottom) < 0.45 * w.size), w.bottom)
        rows.setdefault(key, []).append(w)
    lines: list[Line] = []
    for key in sorted(rows):
        row = sorted(rows[key], key=lambda w: w.x0)
        gaps = [b.x0 - a.x1 for a, b in zip(row, row[1:], strict=False)]
        usual = statistics.median(gaps) if len(gaps) >= 3 else None
        cells: list[list[Word]] = [[row[0]]]
        for w, gap in zip(row[1:], gaps, strict=True):
            # A column gap or a tab: wide, and wider than the row's other gaps (a justified line's are all alike).
            if (gap > 1.8 * max(w.size, body_size) if usual is None
                    else gap > max(1.0 * w.size, 2.5 * usual)):
                cells.append([w])
            else:
                cells[-1].append(w)
        lines.append(Line(min(w.top for w in row), cells))
    height = float(page.height)
    lines = [ln for ln in lines if not (len(ln.cells) == 1 and PAGE_NUMBER.match(ln.cell_texts()[0])
                                        and (ln.top < 0.12 * height or ln.top > 0.88 * height))]
    footnotes: list[str] = []
    kept: list[Line] = []
    for ln in lines:
        first = ln.cells[0][0]
        small = all(w.size < 0.92 * body_size for cell in ln.cells for w in cell)
        if small and ln.top > 0.6 * height and (
                (first.text.isdigit() and first.size < 0.8 * body_size) or footnotes):
            text = " ".join(ln.cell_texts())
            if first.text.isdigit() and len(ln.cells[0]) > 1:
                footnotes.append(f"[{first.text}] " + text[len(first.text):].strip())
            elif footnotes:
                footnotes[-1] += " " + text
            continue
        kept.append(ln)
    if not kept:
        return [], footnotes, False, False
    middle = (min(ln.x0 for ln in kept) + max(ln.x1 for ln in kept)) / 2
    # The margins: where most lines start and end (justified text), not the widest line (a header may stick out).
    left = _margin([ln.x0 for ln in kept if ln.x0 < middle], min)
    right = _margin([ln.x1 for ln in kept if ln.x1 > middle], max)
    # The line pitch inside a paragraph; a larger step down is the spacing between paragraphs.
    steps = [b.top - a.top for a, b in zip(kept, kept[1:], strict=False) if 0 < b.top - a.top < 1.6 * body_size]
    pitch = statistics.median(steps) if steps else 1.2 * body_size

    def wraps(prev: Line, ln: Line) -> bool:
        """The text wraps from ``prev`` to ``ln``: this line's first word would not have fitted at the end of the
        line above, it starts at the margin, one line pitch below."""
        first = ln.cells[0][0]
        return (prev.x1 + 0.3 * first.size + (first.x1 - first.x0) > right - 1 and ln.x0 < left + 0.5 * body_size
                and 0 < ln.top - prev.top < max(1.25 * pitch, 1.4 * first.size))

    in_block = _column_blocks(kept, middle, wraps)
    out: list[str] = []
    i = 0
    while i < len(kept):
        if in_block[i]:
            j = i
            while j < len(kept) and in_block[j]:
                j += 1
            out.extend(_columns(kept[i:j], middle))
            i = j
            continue
        ln = kept[i]
        text = "\t".join(ln.cell_texts())  # a wide gap inside a body line is a tab ("a)<tab>text")
        if i and out and out[-1] and not in_block[i - 1] and wraps(kept[i - 1], ln):
            out[-1] += " " + text
        else:
            out.append(text)
        i += 1
    first, last = kept[0], kept[-1]
    flush_start = not in_block[0] and first.x0 < left + 0.5 * body_size and not MARKER.match(
        first.cells[0][0].text)
    ends_full = not in_block[-1] and last.x1 > right - 1.5 * body_size and not out[-1].endswith("./.")
    return out, footnotes, flush_start, ends_full


def _margin(edges: list[float], pick: Callable[[list[float]], float]) -> float:
    """The most common line edge (to the point), or the outermost one when no edge is shared by three lines."""
    if not edges:
        return 0.0
    common, count = Counter(round(x) for x in edges).most_common(1)[0]
    if count < 3:
        return pick(edges)
    return pick([x for x in edges if abs(round(x) - common) <= 1])


def _column_blocks(lines: list[Line], middle: float, wraps: Callable[[Line, Line], bool]) -> list[bool]:
    """Which lines belong to a two-column block: lines with several cells, and the one-sided lines next to them
    (the issuer's last line, the signer's name below the recipients)."""
    width = max(ln.x1 for ln in lines) - min(ln.x0 for ln in lines)
    one_sided = [len(ln.cells) == 1 and (ln.x1 < middle or ln.x0 > middle or (
        ln.x1 - ln.x0 < 0.65 * width and abs((ln.x0 + ln.x1) / 2 - middle) > 0.1 * width))
        and " ".join(ln.cell_texts()[0].split()) not in DOC_HEADINGS  # "THÔNG BÁO" starts the body
        for ln in lines]
    inside = [len(ln.cells) > 1 and not MARKER.match(ln.cell_texts()[0]) for ln in lines]
    seeds = [i for i, multi in enumerate(inside) if multi]
    for seed in seeds:
        # The block's own line spacing (between its two-column lines): a line set further apart (the document
        # type heading below the header) is not part of it.
        run = [k for k in (seed - 1, seed + 1) if 0 <= k < len(lines) and k in seeds]
        spacing = min((abs(lines[k].top - lines[seed].top) for k in run),
                      default=1.4 * lines[seed].cells[0][0].size)
        for step in (-1, 1):
            k = seed + step
            while (0 <= k < len(lines) and not inside[k] and one_sided[k]
                   and abs(lines[k].top - lines[k - step].top) < 1.6 * spacing
                   and not (k > 0 and not inside[k - 1] and wraps(lines[k - 1], lines[k]))):
                inside[k] = True
                k += step
    return inside


def _columns(block: list[Line], middle: float) -> list[str]:
    """A two-column block read as a Word table: the left column's lines, then the right column's."""
    left: list[str] = []
    right: list[str] = []
    for ln in block:
        sides: dict[int, list[str]] = {}
        for cell, text in zip(ln.cells, ln.cell_texts(), strict=True):
            sides.setdefault(int((cell[0].x0 + cell[-1].x1) / 2 >= middle), []).append(text)
        for side, texts in sorted(sides.items()):
            column = right if side else left
            text = "\t".join(texts)  # cells of one column on one row: "Số:<tab>/TB-UBND"
            if column and (text[:1].islower()  # a line of the cell that wrapped
                           or (not is_motto(column[-1]) and is_motto(column[-1] + " " + text))):
                column[-1] += " " + text
            else:
                column.append(text)
    if not right:
        return left
    return [*left, "", *right, ""]
