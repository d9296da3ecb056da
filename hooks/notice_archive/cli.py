"""The editors' command: ``notices validate [paths]``, ``notices fix paths``."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import unicodedata

from .archive import Archive, load_archive, only_problems
from .cli_vi import VietnameseArgumentParser
from .problems import Problem, sort_problems
from .text import REMOVABLE


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


def _display_root(docs_dir: str) -> str:
    """How paths under docs_dir are shown: relative to the current directory (as GitHub wants them, from the
    checkout's root), or the folder's own name when working inside it or elsewhere ("notices")."""
    rel = os.path.relpath(docs_dir)
    if rel == "." or rel.startswith(".."):
        return os.path.basename(docs_dir)
    return rel.replace(os.sep, "/")


def _display(path: str, docs_dir: str) -> str:
    rel = os.path.relpath(os.path.abspath(path), docs_dir).replace(os.sep, "/")
    return f"{_display_root(docs_dir)}/{rel}" if rel != "." else _display_root(docs_dir)


def cmd_validate(args: argparse.Namespace) -> int:
    docs_dir = os.path.abspath(args.docs_dir or _docs_dir())
    only = None
    bad_paths: list[Problem] = []
    if args.paths:
        only = []
        for path in args.paths:
            shown = _display(path, docs_dir)
            if not os.path.exists(path):
                bad_paths.append(Problem(path, 1, "không tìm thấy tệp hoặc thư mục này", "error", "duong-dan"))
            elif os.path.relpath(os.path.abspath(path), docs_dir).startswith(".."):
                bad_paths.append(Problem(path, 1, f"không nằm trong thư mục thông báo {docs_dir}", "error",
                                         "duong-dan"))
            elif os.path.isdir(path):
                only.extend(_display(f, docs_dir) for f in _markdown_files([path]))
            else:
                only.append(shown)
    root = _display_root(docs_dir)
    archive = load_archive(docs_dir, today=args.today, display_root=root, base=args.base)
    archive.problems = sort_problems(archive.problems + _permanence(archive, docs_dir, root, args.today))
    if only is not None:
        # The named files' problems, the registries' and the published URLs lost; not the reminder to record
        # the archive's new URLs (it is about the whole archive).
        archive.problems = [p for p in only_problems(archive.problems, only, root)
                            if not (p.code == "dia-chi-moi" and p.path not in only)]
    problems = bad_paths + archive.problems
    _print(problems, args.format)
    n_err = len(archive.errors) + len(bad_paths)
    n_adv = len(problems) - n_err
    summary = f"{len(archive.notices)} thông báo hợp lệ; {n_err} lỗi, {n_adv} khuyến nghị"
    print(summary, file=sys.stderr)
    return 1 if n_err else 0


def _permanence(archive: Archive, docs_dir: str, display_root: str, today: dt.date | None) -> list[Problem]:
    """The build's check of published URLs and anchors (notices/_registry/published-urls.txt)."""
    from .site import Site

    return Site.from_archive(archive, docs_dir, today).permanence_problems(display_root)


def _print(problems: list[Problem], fmt: str) -> None:
    for p in problems:
        print(p.github() if fmt == "github" else p.format())


def _markdown_files(paths: list[str]) -> list[str]:
    out = []
    for path in paths:
        if os.path.isdir(path):
            for root, dirs, files in os.walk(path):
                dirs.sort()
                out.extend(os.path.join(root, f) for f in sorted(files) if f.endswith(".md"))
        else:
            out.append(path)
    return out


def cmd_fix(args: argparse.Namespace) -> int:
    """Repair only the encoding form: BOM, CRLF, NFC, and invisible format characters (zero-width, bidi controls:
    text.REMOVABLE), which carry nothing a reader sees. Wording is never touched."""
    changed = failed = 0
    for path in _markdown_files(args.paths):
        if not os.path.isfile(path):
            print(f"{path}:1: không tìm thấy tệp này", file=sys.stderr)
            failed += 1
            continue
        with open(path, "rb") as fh:
            raw = fh.read()
        try:
            text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            print(f"{path}:{line}: tệp không phải UTF-8 nên không sửa tự động được; mở bằng đúng bảng mã "
                  "(Windows-1258, TCVN3…) rồi lưu lại bằng UTF-8", file=sys.stderr)
            failed += 1
            continue
        fixed = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
        fixed = REMOVABLE.sub("", fixed)
        if fixed.encode("utf-8") != raw:
            with open(path, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(fixed)
            print(f"{path}: đã chuẩn hóa (UTF-8 không BOM, xuống dòng LF, Unicode NFC, bỏ ký tự vô hình)")
            changed += 1
    print(f"{changed} tệp được sửa", file=sys.stderr)
    return 1 if failed else 0


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
    parser = VietnameseArgumentParser(prog="notices",
                                      description="Công cụ cho biên tập viên kho Thông báo kết luận")
    sub = parser.add_subparsers(dest="command", required=True, title="lệnh", metavar="LỆNH")
    p_val = sub.add_parser("validate", help="kiểm tra thông báo (mặc định: cả kho)",
                           description="Kiểm tra thông báo; in mọi lỗi dạng đường-dẫn:dòng: thông báo")
    p_val.add_argument("paths", nargs="*", metavar="ĐƯỜNG-DẪN",
                       help="tệp hoặc thư mục cần báo lỗi (mặc định: cả kho; vẫn đối chiếu với cả kho)")
    p_val.add_argument("--docs-dir", metavar="THƯ-MỤC", help="thư mục notices/ (mặc định: tìm từ thư mục hiện tại)")
    p_val.add_argument("--format", choices=["text", "github"], default="text",
                       help="github: in dạng chú thích ::error để hiện trên pull request")
    p_val.add_argument("--today", metavar="NGÀY", type=dt.date.fromisoformat, help="ngày hôm nay YYYY-MM-DD (để kiểm thử)")
    p_val.add_argument("--base", metavar="NHÁNH", help="nhánh hay commit gốc (ví dụ main): danh sách địa chỉ vĩnh viễn chỉ được thêm "
                       "dòng so với nó (mặc định: GITHUB_BASE_REF trong pull request)")
    p_val.set_defaults(func=cmd_validate)
    p_fix = sub.add_parser("fix", help="chuẩn hóa mã hóa: bỏ BOM, CRLF -> LF, Unicode NFC, bỏ ký tự vô hình "
                           "(không sửa câu chữ)")
    p_fix.add_argument("paths", nargs="+", metavar="TỆP", help="tệp .md hoặc thư mục cần chuẩn hóa")
    p_fix.set_defaults(func=cmd_fix)
    p_man = sub.add_parser("manifest", help="ghi mọi địa chỉ và neo đã công bố vào danh sách địa chỉ vĩnh viễn")
    p_man.add_argument("--docs-dir", metavar="THƯ-MỤC", help="thư mục notices/")
    p_man.set_defaults(func=cmd_manifest)
    _add_import_commands(sub)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
