"""``notices import FILE``: an official notice (.docx or extracted text) -> a notice file in the archive's format.

Steps: read (sources) -> refuse a broken text layer (quality) -> parse and refuse what is not a notice of
conclusions (parse) -> match registry keys, leave markers for what cannot be read (emit) -> refuse a notice
already in the archive (fingerprint) -> write at notices/<issuer>/<year>/.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from ..registry import load_registry
from . import quality
from .emit import MARKER, Emitted, match_issuer, render
from .fingerprint import find_duplicates
from .parse import Refused, parse
from .sources import SourceError, read_document

__all__ = ["MARKER", "ImportResult", "Refused", "import_file"]


@dataclass
class ImportResult:
    source: str
    path: str  # where the notice is (or would be) written, relative to the archive root
    text: str
    emitted: Emitted
    notes: list[str] = field(default_factory=list)
    written: bool = False


def import_file(source: str, docs_dir: str, out_dir: str | None = None, dry_run: bool = False) -> ImportResult:
    """Import one document; raises Refused with the reason (Vietnamese) when it must not be imported."""
    try:
        doc = read_document(source)
    except SourceError as exc:
        raise Refused(str(exc)) from None
    bad = quality.problems(doc.lines + doc.footnotes)
    if bad:
        raise Refused("lớp chữ không dùng được, không nhập: " + " | ".join(bad))
    draft = parse(doc.lines, doc.footnotes)
    registry, _problems = load_registry(docs_dir)
    issuer, reason = match_issuer(draft, registry, draft.body_text)
    emitted = render(draft, registry, issuer, reason)
    notes = list(doc.notes)
    if not doc.was_nfc:
        notes.append("văn bản gốc chưa ở dạng Unicode NFC (thường gặp khi chép từ Word, PDF): đã chuẩn hóa NFC, "
                     "câu chữ giữ nguyên")
    notes.extend(emitted.notes)
    out_root = os.path.abspath(out_dir or docs_dir)
    year = str(emitted.year) if emitted.year else "khong-ro-nam"
    target = os.path.join(out_root, emitted.issuer, year, emitted.filename)
    display = os.path.relpath(target, os.path.dirname(os.path.abspath(docs_dir))).replace(os.sep, "/")
    duplicates = find_duplicates(draft.body_text + " " + " ".join(draft.footnotes), docs_dir)
    if os.path.exists(target) and not any(d.path == display for d in duplicates):
        raise Refused(f"tệp {display} đã có (cùng cơ quan, năm và số hoặc ngày họp); sửa tệp đó thay vì nhập lại")
    if duplicates:
        found = "; ".join(f"{d.path} (giống {d.score:.0%})" for d in duplicates)
        raise Refused(f"thông báo này đã có trong kho: {found}. Nhập lại cùng một văn bản (hoặc bản khác định dạng "
                      "của cùng thông báo) sẽ tạo bản trùng; hãy sửa tệp đã có (ví dụ khi bản chưa số được ban hành, "
                      "điền số và ngày vào tệp đó)")
    result = ImportResult(source, display, emitted.text, emitted, notes)
    if not dry_run:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(emitted.text)
        result.written = True
    return result


def todo_lines(result: ImportResult) -> list[tuple[int, str, str]]:
    """(line, field, hint) of every marker in the written text, in file order, for the editor's list."""
    lines = [n for n, line in enumerate(result.text.split("\n"), start=1) if f"{MARKER}:" in line]
    todo = result.emitted.todo
    if len(lines) != len(todo):  # never expected: every marker is recorded once, in file order
        return [(n, "", "") for n in lines]
    return [(n, field_name, hint) for n, (field_name, hint) in zip(lines, todo, strict=True)]
