"""The editors' commands ``notices import`` and ``notices new`` (registered by cli.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable

from . import Refused, import_file, todo_lines


def add_parsers(sub, docs_dir: Callable[[], str]) -> None:
    p_imp = sub.add_parser("import", help="nhập thông báo kết luận từ tệp PDF, Word (.docx, .doc), văn bản (.txt) "
                           "hoặc cả thư mục", description="Nhập thông báo kết luận: mỗi văn bản được nhập hoặc từ "
                           "chối kèm lý do; bản gốc PDF, Word được lưu cạnh thông báo")
    p_imp.add_argument("files", nargs="+", metavar="TỆP",
                       help="tệp .pdf, .docx, .doc, .txt hoặc thư mục (nhập mọi tệp như vậy trong đó)")
    p_imp.add_argument("--out-dir", metavar="THƯ-MỤC", help="thư mục notices/ để ghi (mặc định: notices/ của kho)")
    p_imp.add_argument("--docs-dir", metavar="THƯ-MỤC", help="thư mục notices/ của kho (danh mục, so trùng)")
    p_imp.add_argument("--dry-run", action="store_true", help="chỉ in kết quả, không ghi tệp")
    p_imp.set_defaults(func=lambda a: cmd_import(a, docs_dir))
    p_new = sub.add_parser("new", help="tạo khung một thông báo mới (khối thông tin lấy từ danh mục)")
    p_new.add_argument("--issuer", metavar="KHÓA", required=True, help="khóa cơ quan trong issuers.yml, ví dụ ubnd-tp-lang-son")
    p_new.add_argument("--date", metavar="NGÀY", help="ngày ban hành YYYY-MM-DD (mặc định: hôm nay)")
    p_new.add_argument("--series", metavar="KÝ-HIỆU", help="ký hiệu loạt số nếu cơ quan có nhiều loạt, ví dụ TB-VP")
    p_new.add_argument("--docs-dir", metavar="THƯ-MỤC", help="thư mục notices/ của kho")
    p_new.add_argument("--dry-run", action="store_true", help="chỉ in khung, không ghi tệp")
    p_new.set_defaults(func=lambda a: cmd_new(a, docs_dir))


def cmd_import(args: argparse.Namespace, docs_dir: Callable[[], str]) -> int:
    docs = os.path.abspath(args.docs_dir or docs_dir())
    if len(args.files) > 1 or os.path.isdir(args.files[0]):
        return _import_many(args, docs)
    try:
        result = import_file(args.files[0], docs, out_dir=args.out_dir, dry_run=args.dry_run)
    except Refused as exc:
        print(f"{args.files[0]}: không nhập: {exc}", file=sys.stderr)
        return 2
    if args.dry_run:
        print(result.text)
    _report(result, args.files[0], args.dry_run)
    return 0


def _report(result, source: str, dry_run: bool) -> None:
    todo = todo_lines(result)
    verb = "sẽ ghi" if dry_run else "đã ghi"
    kept = f" và bản gốc {result.original}" if result.original else ""
    print(f"{source}: {verb} {result.path}{kept}", file=sys.stderr)
    if todo:
        print(f"Cần biên tập viên điền ({len(todo)} chỗ, 'notices validate' báo lỗi cho tới khi điền xong):",
              file=sys.stderr)
        for line, field, hint in todo:
            print(f"{result.path}:{line}: {field or 'giá trị'}: {hint}", file=sys.stderr)
    if result.notes:
        print("Cần kiểm tra:", file=sys.stderr)
        for note in result.notes:
            print(f"- {note}", file=sys.stderr)
    if result.emitted.registry_suggestion:
        print("Gợi ý thêm vào notices/_registry/issuers.yml (điền các chỗ TODO):", file=sys.stderr)
        print(result.emitted.registry_suggestion.rstrip(), file=sys.stderr)


def _import_many(args: argparse.Namespace, docs: str) -> int:
    """A folder or several files: progress on stderr, each notice's details, then the table on stdout."""
    from .backlog import import_backlog, table

    def progress(line: str) -> None:
        print(line, file=sys.stderr, flush=True)

    rows = import_backlog(args.files, docs, out_dir=args.out_dir, dry_run=args.dry_run, progress=progress)
    for row in rows:
        if row.result:
            _report(row.result, row.source, args.dry_run)
    print(table(rows, args.dry_run))
    return 0 if all(row.result for row in rows) else 2


def cmd_new(args: argparse.Namespace, docs_dir: Callable[[], str]) -> int:
    from ..scaffold import ScaffoldError, scaffold, write

    docs = os.path.abspath(args.docs_dir or docs_dir())
    try:
        date = dt.date.fromisoformat(args.date) if args.date else dt.date.today()
    except ValueError:
        print(f"--date '{args.date}' không đúng dạng YYYY-MM-DD", file=sys.stderr)
        return 2
    try:
        sc = scaffold(docs, args.issuer, date, args.series)
        if args.dry_run:
            print(sc.text)
        else:
            write(docs, sc)
    except ScaffoldError as exc:
        print(f"không tạo được: {exc}", file=sys.stderr)
        return 2
    verb = "sẽ tạo" if args.dry_run else "đã tạo"
    print(f"{verb} {sc.path} (số gợi ý {sc.number:02d}); điền các chỗ TODO rồi chạy: notices validate {sc.path}",
          file=sys.stderr)
    return 0
