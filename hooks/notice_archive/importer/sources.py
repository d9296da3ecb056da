"""Read an official document into plain lines: a Word file (.docx, through python-docx) or extracted text.

The result looks like the extractions in ../shared/samples: one line per paragraph, tabs kept, table cells one
after the other, page breaks as line breaks, footnote references as ``[n]`` and their text appended as
``[n] text``. Nothing is reworded here; only the encoding form is normalised (NFC, LF).
"""

from __future__ import annotations

import os
import unicodedata
import zipfile
from collections.abc import Mapping
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


def read_document(path: str, converted: Mapping[str, str] | None = None) -> Document:
    """Read a .docx, .doc (through LibreOffice), .pdf (its text layer) or text file; the kind is checked by its
    first bytes too, so a renamed file is read as what it is or refused with the reason. ``converted``: .doc
    files a backlog already converted to .docx (word97.converted_all)."""
    from ..originals import kind_of

    ext = os.path.splitext(path)[1].lower()
    with open(path, "rb") as fh:
        raw = fh.read()
    kind = kind_of(raw)
    if ext in (".pdf", ".docx", ".doc") and kind is None:
        raise SourceError(f"tệp có đuôi {ext} nhưng nội dung không phải {ext[1:].upper()} (các byte đầu không "
                          "khớp); tệp hỏng hoặc bị đổi đuôi")
    if kind == "pdf":
        from .pdf import read_pdf

        return read_pdf(path)
    if kind == "doc":
        from .word97 import read_doc

        return read_doc(path, converted)
    if kind == "docx":
        return read_docx(path)
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


def read_docx(path: str) -> Document:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    from .numbering import Numbering

    try:
        doc = docx.Document(path)
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise SourceError(f"không mở được tệp Word: {exc}") from None
    footnote_ids: dict[str, int] = {}
    lines: list[str] = []
    notes: list[str] = []
    numbering = Numbering.of(doc)

    def paragraph(p_el) -> str:
        return numbering.label(p_el) + _runs_text(p_el, footnote_ids)

    body = doc.element.body
    for child in body.iterchildren():
        if child.tag == f"{W}p":
            lines.extend(paragraph(child).split("\n"))
        elif child.tag == f"{W}tbl":
            lines.extend(_table_lines(child, paragraph))
    if numbering.unresolved:
        notes.append(f"{numbering.unresolved} đoạn trong tệp Word dùng đánh số tự động nhưng tệp thiếu định nghĩa "
                     "đánh số (numbering.xml) nên không biết Word hiện số nào; kiểm tra lại số mục, điểm so với "
                     "bản gốc")
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
