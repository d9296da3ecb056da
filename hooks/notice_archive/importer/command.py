"""The editors' commands ``notices import`` and ``notices new`` (registered by cli.py)."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Callable

from . import Refused, import_file, todo_lines


def add_parsers(sub, docs_dir: Callable[[], str]) -> None:
    p_imp = sub.add_parser("import", help="nhập một thông báo kết luận từ tệp Word (.docx) hoặc văn bản (.txt)")
    p_imp.add_argument("file", help="tệp .docx hoặc .txt (văn bản trích từ PDF, Word)")
    p_imp.add_argument("--out-dir", help="thư mục notices/ để ghi (mặc định: notices/ của kho)")
    p_imp.add_argument("--docs-dir", help="thư mục notices/ của kho (danh mục, so trùng)")
    p_imp.add_argument("--dry-run", action="store_true", help="chỉ in kết quả, không ghi tệp")
    p_imp.set_defaults(func=lambda a: cmd_import(a, docs_dir))
    p_new = sub.add_parser("new", help="tạo khung một thông báo mới (khối thông tin lấy từ danh mục)")
    p_new.add_argument("--issuer", required=True, help="khóa cơ quan trong issuers.yml, ví dụ ubnd-tp-lang-son")
    p_new.add_argument("--date", help="ngày ban hành YYYY-MM-DD (mặc định: hôm nay)")
    p_new.add_argument("--series", help="ký hiệu loạt số nếu cơ quan có nhiều loạt, ví dụ TB-VP")
    p_new.add_argument("--docs-dir", help="thư mục notices/ của kho")
    p_new.add_argument("--dry-run", action="store_true", help="chỉ in khung, không ghi tệp")
    p_new.set_defaults(func=lambda a: cmd_new(a, docs_dir))


def cmd_import(args: argparse.Namespace, docs_dir: Callable[[], str]) -> int:
    docs = os.path.abspath(args.docs_dir or docs_dir())
    try:
        result = import_file(args.file, docs, out_dir=args.out_dir, dry_run=args.dry_run)
    except Refused as exc:
        print(f"{args.file}: không nhập: {exc}", file=sys.stderr)
        return 2
    if args.dry_run:
        print(result.text)
    todo = todo_lines(result)
    verb = "sẽ ghi" if args.dry_run else "đã ghi"
    print(f"{args.file}: {verb} {result.path}", file=sys.stderr)
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
    return 0


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
