"""Published URLs and anchors are permanent: a committed manifest, checked on every build.

notices/_registry/published-urls.txt has one line per page: ``<url> <anchor> <anchor> …``. A build fails, naming
the URL, when a listed URL or anchor disappears, unless a notice lists the URL in ``former_urls`` (then a redirect
keeps it working, #anchor included, and the anchors must exist on the new page).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from . import limits
from .problems import Problem

MANIFEST = "_registry/published-urls.txt"


def read_manifest(docs_dir: str) -> dict[str, tuple[int, set[str]]]:
    path = os.path.join(docs_dir, MANIFEST)
    if not os.path.isfile(path):
        return {}
    with open(path, "rb") as fh:  # bounds and encoding are checked by inspect_manifest (archive.inspect_paths)
        return parse_manifest(fh.read(limits.MAX_MANIFEST_BYTES + 1))


def parse_manifest(raw: bytes) -> dict[str, tuple[int, set[str]]]:
    """URL -> (line, anchors); comment lines ('#…') and blank lines skipped."""
    out: dict[str, tuple[int, set[str]]] = {}
    for number, line in enumerate(raw.decode("utf-8", "replace").split("\n"), start=1):
        parts = [] if line.lstrip().startswith("#") else line.split()
        if parts:
            out[parts[0]] = (number, set(parts[1:]))
    return out


def inspect_manifest(display: str, raw: bytes, base: bytes | None = None, base_ref: str = "") -> list[Problem]:
    """The manifest as a file of the archive (bounds, UTF-8, invisible characters: as a registry), and, given its
    content at the base branch, append-only: every line there must still be here with all its anchors (notices
    manifest adds anchors to a line; nothing may take one away). A removal is reported at the base file's line."""
    from .reader import read_bytes_yaml_text

    src = read_bytes_yaml_text(display, raw, limits.MAX_MANIFEST_BYTES)
    problems = list(src.problems)
    if base is None or src.problems:
        return problems
    now = parse_manifest(raw)
    for url, (line, anchors) in sorted(parse_manifest(base).items(), key=lambda kv: kv[1][0]):
        if url not in now:
            problems.append(Problem(display, line, f"dòng {line} ở {base_ref} (địa chỉ đã công bố /{url}) đã bị xóa; "
                                    "danh sách địa chỉ vĩnh viễn chỉ được thêm dòng, không được xóa hay sửa — khôi "
                                    "phục dòng này (và thông báo của nó)", "error", "dia-chi-xoa"))
            continue
        lost = sorted(anchors - now[url][1], key=anchor_key)
        if lost:
            problems.append(Problem(display, now[url][0], f"neo {', '.join('#' + a for a in lost)} của /{url} (dòng "
                                    f"{line} ở {base_ref}) đã bị xóa khỏi danh sách; neo đã công bố không được xóa",
                                    "error", "dia-chi-xoa"))
    return problems


def format_manifest(pages: dict[str, set[str]]) -> str:
    head = ("# Mọi địa chỉ và neo đã công bố. Bản dựng thất bại nếu một dòng ở đây biến mất.\n"
            "# Cập nhật bằng: notices manifest   (chỉ thêm, không bao giờ xóa dòng)\n")
    lines = [" ".join([url, *sorted(anchors, key=anchor_key)]) for url, anchors in sorted(pages.items())]
    return head + "\n".join(lines) + "\n"


def anchor_key(anchor: str) -> tuple:
    """Numbers in numeric order ("muc-9" before "muc-10"), without int(): an anchor is text from a file."""
    return tuple((0, len(p), p) if p.isascii() and p.isdigit() else (1, 0, p) for p in anchor.split("-"))


@dataclass(frozen=True)
class Loss:
    """A problem of the permanence check with what it is about, as data: the manifest's URL and, for a lost anchor,
    the anchor (archive_rules.locate_permanence reports that one at the notice that lost it)."""

    problem: Problem
    url: str | None = None
    anchor: str | None = None


def check(manifest: dict[str, tuple[int, set[str]]], pages: dict[str, set[str]],
          redirects: dict[str, str], display_root: str = "notices") -> list[Loss]:
    path = f"{display_root}/{MANIFEST}"
    problems = []
    for url, (line, anchors) in sorted(manifest.items()):
        target = url if url in pages else redirects.get(url)
        if target is None:
            lost = Problem(path, line, f"địa chỉ đã công bố /{url} không còn trong bản dựng; không được xóa "
                           "hay đổi danh tính thông báo — nếu thông báo được đổi số, ghi địa chỉ cũ vào "
                           "former_urls của nó", "error", "dia-chi-mat")
            problems.append(Loss(lost, url))
            continue
        for anchor in sorted(anchors - pages.get(target, set()), key=anchor_key):
            lost = Problem(path, line, f"neo đã công bố /{url}#{anchor} không còn (mục hoặc điểm bị xóa "
                           "hay đánh số lại)", "error", "neo-mat")
            problems.append(Loss(lost, url, anchor))
    missing = {u: a for u, a in pages.items() if u not in manifest or not a <= manifest[u][1]}
    if missing:
        news = Problem(path, 1, f"{len(missing)} địa chỉ mới chưa được ghi vào danh sách địa chỉ vĩnh "
                       f"viễn (ví dụ /{min(missing)}); chạy: notices manifest", "advice", "dia-chi-moi")
        problems.append(Loss(news))
    return problems


def merged(manifest: dict[str, tuple[int, set[str]]], pages: dict[str, set[str]]) -> dict[str, set[str]]:
    """The manifest grown by the current pages (only ever adds)."""
    out = {url: set(anchors) for url, (_line, anchors) in manifest.items()}
    for url, anchors in pages.items():
        out.setdefault(url, set()).update(anchors)
    return out
