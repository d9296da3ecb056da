"""Read an official document into plain lines: a Word file (.docx, through python-docx) or extracted text.

The result looks like the extractions in ../shared/samples: one line per paragraph, tabs kept, table cells one
after the other, page breaks as line breaks, footnote references as ``[n]`` and their text appended as
``[n] text``. Nothing is reworded here; only the encoding form is normalised (NFC, LF).
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass, field

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class SourceError(Exception):
    """The file cannot be read as a document (a reason in Vietnamese)."""


@dataclass
class Document:
    path: str
    lines: list[str]
    footnotes: list[str] = field(default_factory=list)  # "[n] text", in order
    notes: list[str] = field(default_factory=list)  # things the editor should check (auto numbering, …)
    was_nfc: bool = True


def read_document(path: str) -> Document:
    ext = os.path.splitext(path)[1].lower()
    if ext == ".doc":
        raise SourceError("tệp .doc (Word 97–2003) không đọc được trực tiếp; mở bằng Word hoặc LibreOffice và "
                          "lưu thành .docx (hoặc dán văn bản vào một tệp .txt) rồi nhập lại")
    if ext == ".docx":
        return _read_docx(path)
    if ext == ".pdf":
        raise SourceError("tệp PDF không được nhập trực tiếp; trích văn bản (pdftotext -layout) ra tệp .txt, "
                          "kiểm tra chữ có dấu đầy đủ, rồi nhập tệp .txt")
    with open(path, "rb") as fh:
        raw = fh.read()
    try:
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SourceError(f"tệp không phải văn bản UTF-8 (byte 0x{raw[exc.start]:02x} ở vị trí {exc.start}); "
                          "lưu lại bằng UTF-8 rồi nhập lại") from None
    return from_text(path, text)


def from_text(path: str, text: str) -> Document:
    was_nfc = unicodedata.is_normalized("NFC", text)
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    return Document(path, [line.rstrip() for line in text.split("\n")], was_nfc=was_nfc)


def _read_docx(path: str) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        doc = docx.Document(path)
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise SourceError(f"không mở được tệp Word: {exc}") from None
    footnote_ids: dict[str, int] = {}
    lines: list[str] = []
    notes: list[str] = []
    auto_numbered = 0

    def paragraph(p_el) -> str:
        nonlocal auto_numbered
        ppr = p_el.find(f"{W}pPr")
        if ppr is not None and ppr.find(f"{W}numPr") is not None:
            auto_numbered += 1
        return _runs_text(p_el, footnote_ids)

    body = doc.element.body
    for child in body.iterchildren():
        if child.tag == f"{W}p":
            lines.extend(paragraph(child).split("\n"))
        elif child.tag == f"{W}tbl":
            lines.extend(_table_lines(child, paragraph))
    if auto_numbered:
        notes.append(f"{auto_numbered} đoạn trong tệp Word dùng đánh số tự động (Numbering): số mục, điểm không "
                     "nằm trong chữ nên không đọc được; kiểm tra lại số mục, điểm so với bản gốc")
    footnotes = _footnotes(doc, footnote_ids)
    text = "\n".join(lines)
    was_nfc = unicodedata.is_normalized("NFC", text) and all(
        unicodedata.is_normalized("NFC", f) for f in footnotes)
    result = from_text(path, text)
    result.footnotes = [unicodedata.normalize("NFC", f) for f in footnotes]
    result.notes = notes
    result.was_nfc = was_nfc
    return result


def _runs_text(p_el, footnote_ids: dict[str, int]) -> str:
    """A paragraph's text in document order: text, tabs, line and page breaks, footnote references."""
    out: list[str] = []
    for el in p_el.iter(f"{W}t", f"{W}tab", f"{W}br", f"{W}cr", f"{W}footnoteReference", f"{W}noBreakHyphen",
                        f"{W}pPr"):
        tag = el.tag
        if tag == f"{W}pPr":
            continue
        if tag == f"{W}t":
            out.append(el.text or "")
        elif tag == f"{W}tab":
            if el.getparent() is not None and el.getparent().tag == f"{W}tabs":
                continue  # a tab stop definition, not a tab character
            out.append("\t")
        elif tag in (f"{W}br", f"{W}cr"):
            out.append("\n")
        elif tag == f"{W}noBreakHyphen":
            out.append("-")
        else:
            ident = el.get(f"{W}id")
            number = footnote_ids.setdefault(ident, len(footnote_ids) + 1)
            out.append(f"[{number}]")
    return "".join(out)


def _table_lines(tbl, paragraph) -> list[str]:
    """Table cells one after another (row by row), each paragraph of a cell on its own line.

    The header (issuer | national motto) and the closing (recipients | signature) of an official document are
    usually tables; reading cell by cell keeps each column's lines together.
    """
    out: list[str] = []
    for tr in tbl.iterchildren(f"{W}tr"):
        seen: set[int] = set()
        for tc in tr.iterchildren(f"{W}tc"):
            if id(tc) in seen:
                continue
            seen.add(id(tc))
            for child in tc.iterchildren():
                if child.tag == f"{W}p":
                    out.extend(paragraph(child).split("\n"))
                elif child.tag == f"{W}tbl":
                    out.extend(_table_lines(child, paragraph))
            out.append("")
    return out


def _footnotes(doc, footnote_ids: dict[str, int]) -> list[str]:
    if not footnote_ids:
        return []
    from docx.oxml import parse_xml

    part = next((p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/footnotes.xml"), None)
    if part is None:
        return []
    root = parse_xml(part.blob)
    texts: dict[str, str] = {}
    for fn in root.iterchildren(f"{W}footnote"):
        ident = fn.get(f"{W}id")
        paras = [_runs_text(p, {}) for p in fn.iter(f"{W}p")]
        texts[ident] = " ".join(t.strip() for t in paras if t.strip())
    return [f"[{n}] {texts.get(ident, '').strip()}".rstrip() for ident, n in
            sorted(footnote_ids.items(), key=lambda kv: kv[1])]
