"""Word 97–2003 (.doc): LibreOffice (Debian's libreoffice-writer-nogui, installed by .ci/setup.sh) converts it to
.docx, which is then read exactly as a .docx is (tables, footnotes, automatic numbering from the same definitions),
so a .doc and the .docx of the same document give the same notice. antiword was measured and not chosen: it only
writes text (the header and signature tables become runs of spaces, footnotes and list numbering are lost).

Each conversion runs soffice in its own temporary profile and folder (no state shared between runs or users), with
a time limit.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

from .sources import Document, SourceError, read_docx

TIMEOUT = 120  # seconds; a conversion of a notice takes about two


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_doc(path: str) -> Document:
    program = soffice()
    if program is None:
        raise SourceError("không đọc được tệp .doc: máy này chưa có LibreOffice (gói Debian libreoffice-writer-nogui, "
                          "được cài bởi bash .ci/setup.sh --test); hoặc mở tệp bằng Word và lưu thành .docx")
    with tempfile.TemporaryDirectory(prefix="notices-doc-") as tmp:
        source = os.path.join(tmp, "van-ban.doc")  # a plain name: the contributor's file name is data, not argv
        shutil.copyfile(path, source)
        profile = "file://" + os.path.join(tmp, "profile")
        try:
            done = subprocess.run(
                [program, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "docx",
                 "--outdir", tmp, source],
                capture_output=True, timeout=TIMEOUT, check=False, env={**os.environ, "HOME": tmp})
        except subprocess.TimeoutExpired:
            raise SourceError(f"LibreOffice không chuyển xong tệp .doc sau {TIMEOUT} giây; tệp có thể hỏng") from None
        converted = os.path.join(tmp, "van-ban.docx")
        if done.returncode != 0 or not os.path.isfile(converted):
            detail = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
            raise SourceError("LibreOffice không đọc được tệp .doc (tệp hỏng hoặc có mật khẩu)"
                              + (f": {detail[-1]}" if detail else ""))
        doc = read_docx(converted)
    doc.path = path
    return doc
