"""``notices import FILE…``: an official notice (.pdf, .docx, .doc or extracted text) -> a notice file in the archive's format.

Steps: read (sources) -> refuse a broken text layer (quality) -> parse and refuse what is not a notice of
conclusions (parse) -> match registry keys, leave markers for what cannot be read (emit) -> refuse a notice
already in the archive (fingerprint) -> write at notices/<issuer>/<year>/.
"""

from __future__ import annotations

import contextlib
import os
import posixpath
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field

from .. import originals
from ..registry import load_registry
from . import quality
from .emit import MARKER, Emitted, match_issuer, render, scalar
from .fingerprint import DuplicateIndex, find_duplicates
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
    original: str | None = None  # where the issued file is (or would be) kept, beside the notice


def import_file(source: str, docs_dir: str, out_dir: str | None = None, dry_run: bool = False,
                index: DuplicateIndex | None = None, converted: Mapping[str, str] | None = None) -> ImportResult:
    """Import one document; raises Refused with the reason (Vietnamese) when it must not be imported.

    A PDF or Word source is the issued document: it is kept beside the notice (originals.py), its SHA-256 and
    size recorded in the front matter. Files are written to a temporary name and renamed, so an interrupted run
    never leaves half a notice."""
    if os.path.isdir(source):
        raise Refused("đây là một thư mục; dùng 'notices import THƯ-MỤC' để nhập mọi văn bản trong đó")
    try:
        doc = read_document(source, converted)
        with open(source, "rb") as fh:
            raw = fh.read()
    except SourceError as exc:
        raise Refused(str(exc)) from None
    except OSError as exc:
        raise Refused(f"không đọc được tệp: {exc.strerror or exc}") from None
    except Exception as exc:  # noqa: BLE001 - a malformed file (zip, XML, PDF syntax) is refused, never a traceback
        raise Refused(f"không đọc được tệp (tệp hỏng: {type(exc).__name__}: {exc})") from None
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
    body_words = draft.body_text + " " + " ".join(draft.footnotes)
    duplicates = index.find(body_words) if index is not None else find_duplicates(body_words, docs_dir)
    if os.path.exists(target) and not any(d.path == display for d in duplicates):
        raise Refused(f"tệp {display} đã có (cùng cơ quan, năm và số hoặc ngày họp); sửa tệp đó thay vì nhập lại")
    if duplicates:
        found = "; ".join(f"{d.path} (giống {d.score:.0%})" for d in duplicates)
        raise Refused(f"thông báo này đã có trong kho: {found}. Nhập lại cùng một văn bản (hoặc bản khác định dạng "
                      "của cùng thông báo) sẽ tạo bản trùng; hãy sửa tệp đã có (ví dụ khi bản chưa số được ban hành, "
                      "điền số và ngày vào tệp đó)")
    kind = originals.kind_of(raw)
    text = emitted.text
    original = None
    if kind is not None and len(raw) > originals.MAX_SIZE:
        notes.append(f"bản gốc lớn hơn {originals.size_label(originals.MAX_SIZE)} nên không được lưu kèm")
    elif kind is not None:
        original = originals.original_name(emitted.filename, kind)
        text = _with_original(text, original, raw)
    result = ImportResult(source, display, text, emitted, notes,
                          original=posixpath.join(posixpath.dirname(display), original) if original else None)
    if index is not None:
        index.add(display, text.split("\n---\n", 1)[1])
    if not dry_run:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if original:  # first the file the notice points to, then the notice
            _write_atomic(os.path.join(os.path.dirname(target), original), raw)
        _write_atomic(target, text.encode("utf-8"))
        result.written = True
    return result


def _with_original(text: str, name: str, raw: bytes) -> str:
    """The front matter with ``original:`` added last (name, SHA-256, size of the kept file)."""
    head, rest = text[4:].split("\n---\n", 1)
    block = f"original:\n  file: {scalar(name)}\n  sha256: {scalar(originals.sha256_of(raw))}\n  size: {len(raw)}"
    return f"---\n{head}\n{block}\n---\n{rest}"


def _write_atomic(path: str, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".nhap-", suffix=".tmp", dir=os.path.dirname(path))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def todo_lines(result: ImportResult) -> list[tuple[int, str, str]]:
    """(line, field, hint) of every marker in the written text, in file order, for the editor's list."""
    lines = [n for n, line in enumerate(result.text.split("\n"), start=1) if f"{MARKER}:" in line]
    todo = result.emitted.todo
    if len(lines) != len(todo):  # never expected: every marker is recorded once, in file order
        return [(n, "", "") for n in lines]
    return [(n, field_name, hint) for n, (field_name, hint) in zip(lines, todo, strict=True)]
