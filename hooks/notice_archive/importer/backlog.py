"""``notices import FOLDER`` or several files: an office's backlog, every document imported or refused with its reason.

Each document is imported on its own (a refusal or an unreadable file never stops the run), against one index of
the archive's fingerprints that grows with each notice written, so a document imported twice (or its PDF and its
Word file) is recognised within the run as on a re-run. The result is one row per file.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import dataclass

from .. import originals
from . import ImportResult, Refused, import_file, todo_lines
from .fingerprint import DuplicateIndex
from .word97 import converted_all

EXTENSIONS = (".pdf", ".docx", ".doc", ".txt")


@dataclass
class Row:
    source: str
    result: ImportResult | None = None
    reason: str | None = None

    @property
    def todo(self) -> list[tuple[int, str, str]]:
        return todo_lines(self.result) if self.result else []


NOT_A_FILE = "không phải tệp thường (liên kết tượng trưng, FIFO, thiết bị…): không đọc"


def documents(paths: list[str]) -> tuple[list[str], list[Row]]:
    """The files to import, in order: files as given; folders walked in sorted order (hidden files, Word's lock
    files '~$…' and other kinds skipped). Paths that do not exist, and anything that is not a regular file (a
    symlink could point anywhere on the machine; reading a FIFO waits forever), become refused rows."""
    found: list[str] = []
    refused: list[Row] = []
    for path in paths:
        if os.path.isdir(path) and not os.path.islink(path):
            for root, dirs, files in os.walk(path):  # os.walk does not follow links to folders
                dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
                for name in sorted(files):
                    if name.lower().endswith(EXTENSIONS) and not name.startswith((".", "~$")):
                        _add(os.path.join(root, name), found, refused)
        elif os.path.lexists(path):
            _add(path, found, refused)
        else:
            refused.append(Row(path, reason="không tìm thấy tệp hoặc thư mục này"))
    return found, refused


def _add(path: str, found: list[str], refused: list[Row]) -> None:
    mode = os.lstat(path).st_mode
    if stat.S_ISREG(mode):
        found.append(path)
    else:
        refused.append(Row(path, reason=NOT_A_FILE))


def import_backlog(paths: list[str], docs_dir: str, out_dir: str | None = None, dry_run: bool = False,
                   progress: Callable[[str], None] | None = None) -> list[Row]:
    """Import every document; ``progress`` gets a line to show (stderr) before each step."""
    files, rows = documents(paths)
    index = DuplicateIndex(docs_dir)
    word97_files = [path for path in files if _is_word97(path)]
    if progress and len(word97_files) > 1:
        progress(f"LibreOffice chuyển {len(word97_files)} tệp Word 97–2003 (.doc) sang .docx…")
    with converted_all(word97_files if len(word97_files) > 1 else []) as converted:
        for number, path in enumerate(files, start=1):
            if progress:
                progress(f"[{number}/{len(files)}] {path}")
            try:
                rows.append(Row(path, import_file(path, docs_dir, out_dir, dry_run, index=index,
                                                  converted=converted)))
            except Refused as exc:
                rows.append(Row(path, reason=str(exc)))
            except Exception as exc:  # noqa: BLE001 - one unreadable file must not stop a backlog of hundreds
                rows.append(Row(path, reason=f"lỗi khi đọc tệp ({type(exc).__name__}: {exc}); báo cho người quản "
                                             "trị"))
    return rows


def _is_word97(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            return originals.kind_of(fh.read()) == "doc"
    except OSError:
        return False


def table(rows: list[Row], dry_run: bool = False) -> str:
    """file -> notice (and kept original) or reason, and the TODO values left, as a plain-text table."""
    verb = "sẽ ghi" if dry_run else "đã ghi"
    out = []
    for row in rows:
        if row.result:
            todo = row.todo
            fields = ", ".join(f or "giá trị" for _line, f, _hint in todo)
            kept = f" + bản gốc {row.result.original}" if row.result.original else ""
            out.append(f"{row.source} -> {verb} {row.result.path}{kept}; "
                       + (f"còn {len(todo)} chỗ TODO: {fields}" if todo else "không còn chỗ TODO"))
        else:
            out.append(f"{row.source} -> không nhập: {row.reason}")
    imported = sum(1 for r in rows if r.result)
    out.append(f"{len(rows)} tệp: {imported} {'sẽ nhập' if dry_run else 'đã nhập'}, {len(rows) - imported} không nhập")
    return "\n".join(out)
