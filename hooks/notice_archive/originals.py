"""The issued original of a notice (the signed PDF or the Word file), kept beside it and published as a file.

The rule, as data in one place: which kinds of file may be kept (by extension AND first bytes), how large, and where
(the notice's own folder, the notice's own file name with the kind's extension: ``124-tb-ubnd.md`` ->
``124-tb-ubnd.pdf``). The front matter records ``original: {file, sha256, size}``; the check below proves the file
is there, is what it says and is the file that was recorded. A publishing allowlist of what under notices/ may be
copied to the site can use ``ATTACHMENTS``, ``MAX_SIZE`` and ``is_original_path``.
"""

from __future__ import annotations

import hashlib
import io
import os
import posixpath
import zipfile
from dataclasses import dataclass
from typing import Any

from .problems import Problem


@dataclass(frozen=True)
class Attachment:
    extension: str
    magic: bytes  # the file's first bytes
    label: str  # as the notice page names the kind: "Bản gốc (PDF, 480 KB)"
    media_type: str


ATTACHMENTS: dict[str, Attachment] = {
    "pdf": Attachment(".pdf", b"%PDF-", "PDF", "application/pdf"),
    "docx": Attachment(".docx", b"PK\x03\x04", "Word",
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "doc": Attachment(".doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "Word 97–2003", "application/msword"),
}
BY_EXTENSION = {a.extension: kind for kind, a in ATTACHMENTS.items()}
MAX_SIZE = 20 * 1024 * 1024  # a signed notice is a few MB at most; a larger file is a scan of something else


WORD97_STREAM = "WordDocument".encode("utf-16-le")  # the main stream's name in the compound file's directory


def kind_of(data: bytes) -> str | None:
    """The kind of file its bytes say it is: its first bytes, and for the two container formats what they contain
    (a .docx is a zip holding word/document.xml; a .doc a compound file with a WordDocument stream, unlike .xls)."""
    for kind, attachment in ATTACHMENTS.items():
        if data.startswith(attachment.magic):
            if (kind == "docx" and not _is_word_zip(data)) or (kind == "doc" and WORD97_STREAM not in data):
                return None
            return kind
    return None


def _is_word_zip(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            return "word/document.xml" in zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


def original_name(notice_name: str, kind: str) -> str:
    """Where the original of notice ``<stem>.md`` is kept: ``<stem>.<ext>`` in the same folder."""
    return os.path.splitext(notice_name)[0] + ATTACHMENTS[kind].extension


def is_original_path(rel: str, notice_paths: set[str]) -> bool:
    """True when ``rel`` (under notices/, '/'-separated) is the allowed place of an original: an allowed extension
    next to a notice of the same stem. (The content is checked by ``problems`` when the notice is validated.)"""
    stem, ext = posixpath.splitext(rel)
    return ext.lower() in BY_EXTENSION and ext == ext.lower() and f"{stem}.md" in notice_paths


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def size_label(size: int) -> str:
    """Vietnamese size: '480 KB', '1,3 MB' (decimal comma)."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f}".replace(".", ",") + " MB"


@dataclass(frozen=True)
class Original:
    """The kept original, as the model carries it: the file name, its hash and size, its site path."""

    file: str
    sha256: str
    size: int
    url: str  # site-relative path of the published file (next to the notice's source)

    @property
    def kind(self) -> str:
        return BY_EXTENSION[os.path.splitext(self.file)[1]]

    @property
    def label(self) -> str:
        return f"{ATTACHMENTS[self.kind].label}, {size_label(self.size)}"

    @property
    def media_type(self) -> str:
        return ATTACHMENTS[self.kind].media_type


def of_notice(src_uri: str, meta: Any) -> Original | None:
    if meta is None:
        return None
    return Original(meta.file, meta.sha256, meta.size, posixpath.join(posixpath.dirname(src_uri), meta.file))


def problems(path: str, src_uri: str, meta: Any, line_of, docs_dir: str | None) -> list[Problem]:
    """Everything wrong with a notice's ``original`` (already of the schema's form): its name and place, then,
    when the archive folder is known, the file itself (present, kind by first bytes, size, hash)."""
    if meta is None:
        return []
    out: list[Problem] = []

    def err(key: str, msg: str) -> None:
        out.append(Problem(path, line_of(("original", key)), f"trường original.{key}: {msg}", "error", "ban-goc"))

    name = posixpath.basename(src_uri)
    ext = os.path.splitext(meta.file)[1]
    allowed = ", ".join(a.extension for a in ATTACHMENTS.values())
    if ext not in BY_EXTENSION:
        err("file", f"'{meta.file}': bản gốc chỉ được là tệp {allowed} (đuôi viết thường)")
        return out
    expected = original_name(name, BY_EXTENSION[ext])
    if meta.file != expected:
        err("file", f"'{meta.file}': bản gốc phải nằm cạnh thông báo, cùng tên: {expected}")
        return out
    if meta.size > MAX_SIZE:
        err("size", f"{meta.size} byte: bản gốc không được lớn hơn {size_label(MAX_SIZE)}")
    if docs_dir is None:
        return out
    full = os.path.join(docs_dir, *posixpath.dirname(src_uri).split("/"), meta.file)
    if os.path.islink(full):  # a link could publish any file of the machine that builds the site
        err("file", f"{meta.file} là liên kết (symlink), không phải tệp; bản gốc phải là chính tệp")
        return out
    if not os.path.isfile(full):
        err("file", f"không thấy tệp {meta.file} cạnh thông báo")
        return out
    if os.path.getsize(full) > MAX_SIZE:
        err("size", f"tệp {meta.file} lớn hơn {size_label(MAX_SIZE)}; không xuất bản")
        return out
    with open(full, "rb") as fh:
        data = fh.read()
    kind = kind_of(data)
    if kind != BY_EXTENSION[ext]:
        found = f"tệp {ATTACHMENTS[kind].label}" if kind else "không phải tệp PDF hay Word"
        err("file", f"tệp {meta.file} có đuôi {ext} nhưng nội dung là {found} (các byte đầu); không xuất bản")
        return out
    if len(data) != meta.size:
        err("size", f"ghi {meta.size} byte nhưng tệp {meta.file} có {len(data)} byte: tệp đã bị thay hoặc sửa")
    digest = sha256_of(data)
    if digest != meta.sha256:
        err("sha256", f"không khớp với tệp {meta.file} (tệp có sha256 {digest}): tệp đã bị thay hoặc sửa; bản "
            "gốc đã công bố không được đổi")
    return out
