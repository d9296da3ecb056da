"""What notices/ may hold, and so what the build may publish: notice Markdown files, the registries (data, never
pages) and attachments of a registered kind. Everything else is a ``path:1`` error: any other file (an .html or
.svg page, a script under assets/…), any symlink (file or folder, dangling or not: the build would publish what it
points to, from the CI machine), a special file (a FIFO would hang the reader), Markdown in a folder the validator
does not read (``_…``, ``.…``), and any path where the build writes its own pages and files (assets/, tim-kiem/,
don-vi/, feeds/, sitemap.xml …: a file there would replace the theme's script or a generated page).

The folder is walked without following links; every entry found is judged here, then read (a notice, the manifest)
or reported, never both. The MkDocs adapter publishes only the files the archive accepted.

Attachments (e.g. the signed original of a notice) are data: a row in ATTACHMENTS names the file type and the
folder pattern where it may sit. A file matching a row is accepted and published as is (the validator checks the
row's rule; what records it in a notice's front matter is the notice's own rule).
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass

from .originals import ATTACHMENTS as ORIGINALS
from .permanence import MANIFEST
from .problems import Problem
from .registry import FILES as REGISTRY_FILES
from .registry import REGISTRY_DIR
from .text import UNSEEN, shown
from .urls import RESERVED


@dataclass(frozen=True)
class AttachmentKind:
    """A kind of file a notice may have beside it, published as is."""

    suffix: str  # the file's extension, lower case: ".pdf"
    place: re.Pattern[str]  # the path it may have, relative to notices/ (fullmatch)
    what: str  # its name in messages and the README: "bản gốc đã ký (PDF)"


# The registered attachment kinds: a notice's signed original (originals.py: PDF, Word), kept beside the notice under
# a plain ASCII name. Which notice records it, and its hash, size and content, are the notice's rule
# (originals.problems); an attachment that no notice records is an error (archive.assemble).
_BESIDE_A_NOTICE = r"(?:[a-z0-9][a-z0-9.-]*/)*[a-z0-9][a-z0-9.-]*"
ATTACHMENTS: tuple[AttachmentKind, ...] = tuple(
    AttachmentKind(a.extension, re.compile(_BESIDE_A_NOTICE + re.escape(a.extension)), f"bản gốc {a.label}")
    for a in ORIGINALS.values())

README, INDEX = "README.md", "index.md"  # the engine takes both for the folder's page (index.html)
REGISTRIES = frozenset(f"{REGISTRY_DIR}/{kind}.yml" for kind in REGISTRY_FILES)
# Files the build writes at the site's root (MkDocs, Material, the hooks), besides the RESERVED folders.
GENERATED_AT_ROOT = frozenset({"index.md", "index.html", "404.md", "404.html", "sitemap.xml", "sitemap.xml.gz",
                               "robots.txt"})
# Characters a file name may not hold: they end up in URLs, HTML attributes (the edit link) and messages; and the
# tab and line feed that UNSEEN leaves to text: in a name they are invisible, and a line feed splits 'path:line'.
NAME_TROUBLE = re.compile(r"[<>\"'`\\#?%&{}|^\[\]\t\n]")
# A name whose bytes are not UTF-8: Python reads each such byte as a lone surrogate (U+DC80-U+DCFF), which no UTF-8
# text (a page, a message, the cache's key) can hold.
NOT_UTF8 = re.compile("[\ud800-\udfff]")
# What a name's message writes as <U+XXXX> besides UNSEEN (text.shown): those bytes, and the tab and line feed.
UNSHOWN_IN_NAMES = re.compile("[\ud800-\udfff\t\n]")

NOTICE, MANIFEST_FILE, ATTACHMENT, REFUSED = "notice", "manifest", "attachment", "refused"


@dataclass(frozen=True)
class Entry:
    """One path under notices/ (relative, '/'-separated) and what the archive makes of it."""

    rel: str
    kind: str  # NOTICE, MANIFEST_FILE, ATTACHMENT or REFUSED
    problem: Problem | None = None


def entries(docs_dir: str) -> list[str]:
    """Every path under docs_dir that the validator judges, sorted: files, symlinks and special files, but not
    the registries' YAML (read by registry.load_registry), and the manifest, there or not. Links are listed, never
    followed."""
    out = []
    pending = [""]
    while pending:
        folder = pending.pop()
        try:
            with os.scandir(os.path.join(docs_dir, folder)) as it:
                found = list(it)
        except OSError:  # unreadable folder: reported by judge() as what it is
            out.append(folder.rstrip("/"))
            continue
        for entry in found:
            rel = folder + entry.name
            if entry.is_dir(follow_symlinks=False):
                pending.append(rel + "/")
            elif rel not in REGISTRIES:
                out.append(rel)
    if MANIFEST not in out:
        out.append(MANIFEST)  # judged even when gone: deleting the whole manifest is a removal too
    return sorted(out)


def judge(docs_dir: str, rel: str, display_root: str = "notices") -> Entry:
    """What the archive makes of one path: a notice to read, the manifest, an attachment, or a refusal."""
    shown_path = f"{display_root}/{shown(rel, UNSHOWN_IN_NAMES)}"
    if rel == MANIFEST and not os.path.lexists(os.path.join(docs_dir, rel)):
        return Entry(rel, MANIFEST_FILE)  # read as empty
    try:
        mode = os.lstat(os.path.join(docs_dir, rel)).st_mode
    except OSError as exc:
        return _refuse(rel, shown_path, f"không đọc được ({exc.strerror})", "tep-la")
    if stat.S_ISLNK(mode):
        try:
            target = shown(os.readlink(os.path.join(docs_dir, rel)))
        except OSError:
            target = "?"
        return _refuse(rel, shown_path, f"là liên kết tượng trưng (symlink) tới '{target}'; kho chỉ nhận tệp thật "
                       "(bản dựng không đi theo liên kết: nó có thể trỏ ra ngoài kho) — thay bằng tệp thật hoặc xóa",
                       "lien-ket-tuong-trung")
    if stat.S_ISDIR(mode):
        return _refuse(rel, shown_path, "thư mục này không đọc được", "tep-la")
    if not stat.S_ISREG(mode):
        return _refuse(rel, shown_path, "không phải tệp thường (FIFO, socket hay thiết bị); xóa khỏi kho", "tep-la")
    parts = rel.split("/")
    name = parts[-1]
    if NOT_UTF8.search(rel):
        return _refuse(rel, shown_path, "tên tệp hoặc thư mục không phải chữ UTF-8 (có byte lạ, thường do đặt tên trên "
                       "máy dùng bảng mã cũ); đặt lại tên bằng chữ, số và '-'", "ten-tep")
    if UNSEEN.search(rel) or NAME_TROUBLE.search(rel):
        return _refuse(rel, shown_path, "tên tệp hoặc thư mục có ký tự không được dùng (ký tự vô hình, điều khiển, "
                       "hay một trong < > \" ' ` \\ # ? % & { } | ^ [ ]); đặt lại tên bằng chữ, số và '-'",
                       "ten-tep")
    if rel == MANIFEST:
        return Entry(rel, MANIFEST_FILE)
    if parts[0] == REGISTRY_DIR:
        return _refuse(rel, shown_path, f"thư mục {REGISTRY_DIR}/ chỉ chứa các danh mục "
                       f"({', '.join(sorted(os.path.basename(r) for r in REGISTRIES))}) và "
                       f"{os.path.basename(MANIFEST)}; tệp này không được đọc — xóa hoặc chuyển đi", "tep-la")
    if parts[0] in RESERVED or rel in GENERATED_AT_ROOT:
        where = f"/{parts[0]}/" if len(parts) > 1 else f"/{rel}"
        return _refuse(rel, shown_path, f"nằm ở chỗ của trang web ({where}: giao diện, trang hay tệp do bản dựng sinh "
                       "ra); tệp này sẽ thay chúng — xóa hoặc chuyển thông báo vào notices/<cơ quan>/<năm>/",
                       "dia-chi-danh-rieng")
    hidden = next((p for p in parts[:-1] if p.startswith((".", "_"))), None)
    if name.endswith(".md"):
        if hidden is not None or name.startswith((".", "_")):
            where = f"thư mục '{hidden}/'" if hidden is not None else "tên bắt đầu bằng '.' hoặc '_'"
            return _refuse(rel, shown_path, f"tệp Markdown không được kiểm tra ({where}: trình kiểm tra không đọc); "
                           "chuyển thông báo vào notices/<cơ quan>/<năm>/ hoặc xóa", "tep-la")
        if name == README and os.path.lexists(os.path.join(docs_dir, *parts[:-1], INDEX)):
            # MkDocs reads README.md as the folder's index.md: beside one, it leaves this page out of the site with
            # a warning of its own, in English and with no line.
            return _refuse(rel, shown_path, f"MkDocs đọc {README} như {INDEX} của thư mục, mà bên cạnh đã có {INDEX}: "
                           "tệp này sẽ bị bỏ khỏi trang; đặt lại tên (theo ngày và tên cuộc họp)", "ten-tep")
        return Entry(rel, NOTICE)
    lower = name.lower()
    for kind in ATTACHMENTS:
        if lower.endswith(kind.suffix) and kind.place.fullmatch(rel):
            return Entry(rel, ATTACHMENT)
    kinds = "; ".join(f"{k.what}: {k.suffix}" for k in ATTACHMENTS)
    allowed = f" và tệp đính kèm đã đăng ký ({kinds})" if kinds else ""
    return _refuse(rel, shown_path, f"không phải thông báo (.md) hay danh mục: kho chỉ xuất bản thông báo{allowed}; "
                   "tệp khác (trang .html, ảnh .svg, mã .js …) không được đưa lên trang — xóa tệp này", "tep-la")


def _refuse(rel: str, path: str, message: str, code: str) -> Entry:
    return Entry(rel, REFUSED, Problem(path, 1, message, "error", code))
