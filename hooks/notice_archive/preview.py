"""The editor's preview (`mkdocs serve --no-strict --dirty`, .ci/preview.sh; never published): while notices have
errors, every page says so. A page the build renders gets the list at its top (banner_html); every page, also one a
dirty rebuild did not rewrite, reads the latest list from REPORT_PATH (theme/assets/javascripts/preview.js)."""

from __future__ import annotations

import json

from markupsafe import escape

from .problems import Problem

REPORT_PATH = "_xem-truoc.json"  # at the site root; "_" names are not notices' (archive_files), so nothing clashes
SCRIPT = "assets/javascripts/preview.js"


def report(problems: list[Problem]) -> dict:
    """The errors as data: a title and one entry per error (path:line, message, code)."""
    errors = [p for p in problems if p.severity == "error"]
    title = (f"Bản xem trước: {len(errors)} lỗi trong thông báo (bản dựng --strict sẽ dừng; thông báo có lỗi chưa "
             "được xuất bản). Sửa và lưu tệp, trang tự tải lại.")
    return {"title": title, "errors": [{"where": f"{p.path}:{p.line}", "message": p.message, "code": p.code or ""}
                                       for p in errors]}


def report_json(problems: list[Problem]) -> str:
    return json.dumps(report(problems), ensure_ascii=False)


def banner_html(problems: list[Problem]) -> str:
    """The errors as a Material admonition, every value escaped (a message quotes the editor's text); "" if none."""
    data = report(problems)
    if not data["errors"]:
        return ""
    items = "".join(f"<li><code>{escape(e['where'])}</code>: {escape(e['message'])}"
                    f"{escape(' [' + e['code'] + ']') if e['code'] else ''}</li>" for e in data["errors"])
    return (f'<div class="admonition failure notice-problems" role="alert"><p class="admonition-title">'
            f"{escape(data['title'])}</p><ul>{items}</ul></div>")
