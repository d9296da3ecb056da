"""The editors' command: ``notices validate [paths]``, ``notices fix paths``."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import unicodedata

from .problems import Problem
from .validate import load_archive


def _docs_dir(start: str = ".") -> str:
    """The archive's notices/ folder: found from the current directory or given by --docs-dir."""
    here = os.path.abspath(start)
    while True:
        if os.path.isfile(os.path.join(here, "mkdocs.yml")) and os.path.isdir(os.path.join(here, "notices")):
            return os.path.join(here, "notices")
        parent = os.path.dirname(here)
        if parent == here:
            return os.path.abspath("notices")
        here = parent


def _display(path: str, docs_dir: str) -> str:
    rel = os.path.relpath(os.path.abspath(path), os.path.dirname(docs_dir))
    return rel.replace(os.sep, "/")


def cmd_validate(args: argparse.Namespace) -> int:
    docs_dir = os.path.abspath(args.docs_dir or _docs_dir())
    only = None
    if args.paths:
        only = []
        for path in args.paths:
            if os.path.isdir(path):
                for root, _dirs, files in os.walk(path):
                    only.extend(_display(os.path.join(root, f), docs_dir) for f in files if f.endswith(".md"))
            else:
                only.append(_display(path, docs_dir))
    today = dt.date.fromisoformat(args.today) if args.today else None
    archive = load_archive(docs_dir, today=today, only=only)
    _print(archive.problems, args.format)
    n_err = len(archive.errors)
    n_adv = len(archive.problems) - n_err
    summary = f"{len(archive.notices)} thông báo hợp lệ; {n_err} lỗi, {n_adv} khuyến nghị"
    print(summary, file=sys.stderr)
    return 1 if n_err else 0


def _print(problems: list[Problem], fmt: str) -> None:
    for p in problems:
        print(p.github() if fmt == "github" else p.format())


def cmd_fix(args: argparse.Namespace) -> int:
    """Repair only the encoding form: BOM, CRLF, NFC. Wording is never touched."""
    changed = 0
    for path in args.paths:
        with open(path, "rb") as fh:
            raw = fh.read()
        text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
        fixed = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
        if fixed.encode("utf-8") != raw:
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(fixed)
            print(f"{path}: đã chuẩn hóa (UTF-8 không BOM, xuống dòng LF, Unicode NFC)")
            changed += 1
    print(f"{changed} tệp được sửa", file=sys.stderr)
    return 0


def _add_import_commands(sub) -> None:
    """``notices import FILE`` and ``notices new --issuer KEY`` (hooks/notice_archive/importer/command.py)."""
    from .importer.command import add_parsers

    add_parsers(sub, _docs_dir)


def cmd_manifest(args: argparse.Namespace) -> int:
    """Record every URL and anchor the archive publishes (only ever adds lines)."""
    from . import permanence
    from .site import Site

    docs_dir = os.path.abspath(args.docs_dir or _docs_dir())
    site = Site.load(docs_dir)
    if site.archive.errors:
        _print(site.archive.errors, "text")
        print("sửa các lỗi trên trước khi ghi danh sách địa chỉ", file=sys.stderr)
        return 1
    old = permanence.read_manifest(docs_dir)
    pages = permanence.merged(old, site.published_pages())
    with open(os.path.join(docs_dir, permanence.MANIFEST), "w", encoding="utf-8") as fh:
        fh.write(permanence.format_manifest(pages))
    added = sum(1 for url in pages if url not in old)
    print(f"đã ghi {len(pages)} địa chỉ ({added} mới) vào notices/{permanence.MANIFEST}", file=sys.stderr)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="notices", description="Công cụ cho biên tập viên kho Thông báo kết luận")
    sub = parser.add_subparsers(dest="command", required=True)
    p_val = sub.add_parser("validate", help="kiểm tra thông báo (mặc định: cả kho)")
    p_val.add_argument("paths", nargs="*")
    p_val.add_argument("--docs-dir", help="thư mục notices/ (mặc định: tìm từ thư mục hiện tại)")
    p_val.add_argument("--format", choices=["text", "github"], default="text",
                       help="github: in dạng chú thích ::error để hiện trên pull request")
    p_val.add_argument("--today", help="ngày hôm nay YYYY-MM-DD (để kiểm thử)")
    p_val.set_defaults(func=cmd_validate)
    p_fix = sub.add_parser("fix", help="chuẩn hóa mã hóa: bỏ BOM, CRLF -> LF, Unicode NFC (không sửa câu chữ)")
    p_fix.add_argument("paths", nargs="+")
    p_fix.set_defaults(func=cmd_fix)
    p_man = sub.add_parser("manifest", help="ghi mọi địa chỉ và neo đã công bố vào danh sách địa chỉ vĩnh viễn")
    p_man.add_argument("--docs-dir", help="thư mục notices/")
    p_man.set_defaults(func=cmd_manifest)
    _add_import_commands(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
