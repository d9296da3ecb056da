"""Word 97–2003 (.doc): LibreOffice (Debian's libreoffice-writer-nogui, installed by .ci/setup.sh) converts it to
.docx, which is then read exactly as a .docx is (tables, footnotes, automatic numbering from the same definitions),
so a .doc and the .docx of the same document give the same notice. antiword was measured and not chosen: it only
writes text (the header and signature tables become runs of spaces, footnotes and list numbering are lost).

Each conversion runs soffice in its own temporary profile and folder (no state shared between runs or users), with
a time limit. A backlog converts all its .doc files in one run (converted_all): LibreOffice's start is most of the
time of a conversion.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Mapping

from .sources import Document, SourceError, read_docx

TIMEOUT = 120  # seconds; a conversion of a notice takes about two


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_doc(path: str, converted: Mapping[str, str] | None = None) -> Document:
    """The .doc read as its .docx: converted now, or earlier with the rest of a backlog (``converted_all``)."""
    docx_path = (converted or {}).get(path)
    if docx_path and os.path.isfile(docx_path):
        doc = read_docx(docx_path)
        doc.path = path
        return doc
    with tempfile.TemporaryDirectory(prefix="notices-doc-") as tmp:
        source = os.path.join(tmp, "van-ban.doc")  # a plain name: the contributor's file name is data, not argv
        shutil.copyfile(path, source)
        done = _convert([source], tmp, TIMEOUT)
        converted_path = os.path.join(tmp, "van-ban.docx")
        if done is None:
            raise SourceError(f"LibreOffice không chuyển xong tệp .doc sau {TIMEOUT} giây; tệp có thể hỏng")
        if done.returncode != 0 or not os.path.isfile(converted_path):
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            raise SourceError("LibreOffice không đọc được tệp .doc (tệp hỏng hoặc có mật khẩu)"
                              + (f": {detail[-1]}" if detail else ""))
        doc = read_docx(converted_path)
    doc.path = path
    return doc


@contextlib.contextmanager
def converted_all(paths: list[str]) -> Iterator[dict[str, str]]:
    """Convert a backlog's .doc files in one LibreOffice run (its start, ~3 s, is paid once, not per file):
    {.doc path: converted .docx}. A file that failed is simply absent; read_doc then converts it alone and says
    why it cannot be read."""
    with tempfile.TemporaryDirectory(prefix="notices-doc-") as tmp:
        names = {}
        for number, path in enumerate(paths):
            name = os.path.join(tmp, f"{number:05d}.doc")
            shutil.copyfile(path, name)
            names[path] = name
        if names and soffice():
            _convert(list(names.values()), tmp, TIMEOUT + 10 * len(names))
        yield {path: name[:-4] + ".docx" for path, name in names.items() if os.path.isfile(name[:-4] + ".docx")}


def _convert(sources: list[str], outdir: str, timeout: int) -> subprocess.CompletedProcess | None:
    program = soffice()
    if program is None:
        raise SourceError("không đọc được tệp .doc: máy này chưa có LibreOffice (gói Debian libreoffice-writer-nogui, "
                          "được cài bởi bash .ci/setup.sh --test); hoặc mở tệp bằng Word và lưu thành .docx")
    profile = "file://" + os.path.join(outdir, "profile")  # its own profile: nothing shared with other runs
    try:
        return subprocess.run(
            [program, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "docx",
             "--outdir", outdir, *sources],
            capture_output=True, timeout=timeout, check=False, env={**os.environ, "HOME": outdir})
    except subprocess.TimeoutExpired:
        return None
