"""Build official-looking Word files in tests with python-docx (header and signature tables, tabs, footnotes)."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def build_docx(path: Path, *, header_left: list[str] | None, header_right: list[str] | None, body: list[str],
               recipients: list[str] | None = None, signer: list[str] | None = None,
               footnotes: dict[int, tuple[str, str]] | None = None, decompose: bool = False) -> Path:
    """body: paragraphs (may contain tabs). footnotes: {paragraph index: (text after which the mark goes, note)}."""
    conv = nfd if decompose else (lambda s: s)
    doc = docx.Document()
    if header_left is not None:
        table = doc.add_table(rows=1, cols=2)
        for cell, lines in zip(table.rows[0].cells, (header_left, header_right or []), strict=True):
            cell.paragraphs[0].text = conv(lines[0])
            for line in lines[1:]:
                cell.add_paragraph(conv(line))
    notes = footnotes or {}
    for index, text in enumerate(body):
        para = doc.add_paragraph()
        if index in notes:
            before, _note = notes[index]
            head, tail = text.split(before, 1)
            para.add_run(conv(head + before))
            ref = OxmlElement("w:footnoteReference")
            ref.set(qn("w:id"), str(list(notes).index(index) + 1))
            para.add_run()._r.append(ref)
            para.add_run(conv(tail))
        else:
            para.add_run(conv(text))
    if recipients is not None:
        table = doc.add_table(rows=1, cols=2)
        left, right = table.rows[0].cells
        left.paragraphs[0].text = conv(recipients[0])
        for line in recipients[1:]:
            left.add_paragraph(conv(line))
        right.paragraphs[0].text = conv((signer or [""])[0])
        for line in (signer or [])[1:]:
            right.add_paragraph(conv(line))
    buf = io.BytesIO()
    doc.save(buf)
    data = buf.getvalue()
    if notes:
        data = _add_footnotes(data, [conv(note) for _before, note in notes.values()])
    path.write_bytes(data)
    return path


def _add_footnotes(data: bytes, notes: list[str]) -> bytes:
    """python-docx writes no footnotes part: add word/footnotes.xml, its relationship and content type."""
    items = "".join(
        f'<w:footnote w:id="{i}"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> {note}</w:t>'
        "</w:r></w:p></w:footnote>" for i, note in enumerate(notes, start=1))
    part = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W_NS}">'
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
            f"{items}</w:footnotes>")
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", b'<Override PartName="/word/footnotes.xml" ContentType="'
                                          b'application/vnd.openxmlformats-officedocument.wordprocessingml.'
                                          b'footnotes+xml"/></Types>')
            elif info.filename == "word/_rels/document.xml.rels":
                content = content.replace(b"</Relationships>", b'<Relationship Id="rIdFootnotes" Type="http://'
                                          b'schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"'
                                          b' Target="footnotes.xml"/></Relationships>')
            dst.writestr(info, content)
        dst.writestr("word/footnotes.xml", part.encode("utf-8"))
    return out.getvalue()
