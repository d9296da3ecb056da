"""Published URLs and anchors are permanent: a committed manifest, checked on every build.

notices/_registry/published-urls.txt has one line per page: ``<url> <anchor> <anchor> …``. A build fails, naming
the URL, when a listed URL or anchor disappears, unless a notice lists the URL in ``former_urls`` (then a redirect
keeps it working, #anchor included, and the anchors must exist on the new page).
"""

from __future__ import annotations

import os

from .problems import Problem

MANIFEST = "_registry/published-urls.txt"


def read_manifest(docs_dir: str) -> dict[str, tuple[int, set[str]]]:
    path = os.path.join(docs_dir, MANIFEST)
    out: dict[str, tuple[int, set[str]]] = {}
    if not os.path.exists(path):
        return out
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            parts = line.split("#", 1)[0].split() if line.lstrip().startswith("#") else line.split()
            if parts:
                out[parts[0]] = (number, set(parts[1:]))
    return out


def format_manifest(pages: dict[str, set[str]]) -> str:
    head = ("# Mọi địa chỉ và neo đã công bố. Bản dựng thất bại nếu một dòng ở đây biến mất.\n"
            "# Cập nhật bằng: notices manifest   (chỉ thêm, không bao giờ xóa dòng)\n")
    lines = [" ".join([url, *sorted(anchors, key=_anchor_key)]) for url, anchors in sorted(pages.items())]
    return head + "\n".join(lines) + "\n"


def _anchor_key(anchor: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in anchor.split("-"))


def check(manifest: dict[str, tuple[int, set[str]]], pages: dict[str, set[str]],
          redirects: dict[str, str], display_root: str = "notices") -> list[Problem]:
    path = f"{display_root}/{MANIFEST}"
    problems = []
    for url, (line, anchors) in sorted(manifest.items()):
        target = url if url in pages else redirects.get(url)
        if target is None:
            problems.append(Problem(path, line, f"địa chỉ đã công bố /{url} không còn trong bản dựng; không được xóa "
                                    "hay đổi danh tính thông báo — nếu thông báo được đổi số, ghi địa chỉ cũ vào "
                                    "former_urls của nó", "error", "dia-chi-mat"))
            continue
        for anchor in sorted(anchors - pages.get(target, set()), key=_anchor_key):
            problems.append(Problem(path, line, f"neo đã công bố /{url}#{anchor} không còn (mục hoặc điểm bị xóa "
                                    "hay đánh số lại)", "error", "neo-mat"))
    missing = {u: a for u, a in pages.items() if u not in manifest or not a <= manifest[u][1]}
    if missing:
        problems.append(Problem(path, 1, f"{len(missing)} địa chỉ mới chưa được ghi vào danh sách địa chỉ vĩnh "
                                f"viễn (ví dụ /{min(missing)}); chạy: notices manifest", "advice", "dia-chi-moi"))
    return problems


def merged(manifest: dict[str, tuple[int, set[str]]], pages: dict[str, set[str]]) -> dict[str, set[str]]:
    """The manifest grown by the current pages (only ever adds)."""
    out = {url: set(anchors) for url, (_line, anchors) in manifest.items()}
    for url, anchors in pages.items():
        out.setdefault(url, set()).update(anchors)
    return out
