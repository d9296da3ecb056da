"""argparse in Vietnamese: help headings, the -h option and argparse's own error messages.

argparse writes its texts in English through gettext's default domain, which would need a process-wide catalogue.
Instead, its public extension points: a HelpFormatter subclass names the usage line and the sections, and an
ArgumentParser subclass adds a Vietnamese -h and translates each error message (argparse builds them from the
fixed English templates below) before printing it.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

HEADINGS = {"positional arguments": "tham số", "options": "tùy chọn", "optional arguments": "tùy chọn"}
# argparse's error templates (Python 3.11-3.13), most specific first.
ERRORS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"^the following arguments are required: (.*)$", r"thiếu tham số bắt buộc: \1"),
    (r"^argument (.+?): invalid choice: (.+?) \(choose from (.*)\)$", r"tham số \1: lựa chọn không hợp lệ: \2 (chọn một trong: \3)"),
    (r"^invalid choice: (.+?) \(choose from (.*)\)$", r"lựa chọn không hợp lệ: \1 (chọn một trong: \2)"),
    (r"^argument (.+?): invalid (\S+) value: (.*)$", r"tham số \1: giá trị không hợp lệ (\2): \3"),
    (r"^argument (.+?): expected one argument$", r"tham số \1: cần một giá trị"),
    (r"^argument (.+?): expected at least one argument$", r"tham số \1: cần ít nhất một giá trị"),
    (r"^argument (.+?): expected at most one argument$", r"tham số \1: cần nhiều nhất một giá trị"),
    (r"^argument (.+?): expected (\d+) arguments?$", r"tham số \1: cần \2 giá trị"),
    (r"^argument (.+?): not allowed with argument (.*)$", r"tham số \1: không dùng cùng tham số \2"),
    (r"^argument (.+?): ignored explicit argument (.*)$", r"tham số \1: không nhận giá trị \2"),
    (r"^unrecognized arguments: (.*)$", r"tham số không nhận ra: \1"),
    (r"^ambiguous option: (.+?) could match (.*)$", r"tùy chọn mơ hồ: \1 có thể là \2"),
    (r"^one of the arguments (.*) is required$", r"cần một trong các tham số \1"),
    (r"^argument (.+?): (.*)$", r"tham số \1: \2"),
))


def translate(message: str) -> str:
    for pattern, replacement in ERRORS:
        if pattern.match(message):
            return pattern.sub(replacement, message, count=1)
    return message


class VietnameseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None) -> None:
        super().add_usage(usage, actions, groups, "cách dùng: " if prefix is None else prefix)

    def start_section(self, heading) -> None:
        super().start_section(HEADINGS.get(heading, heading) if heading else heading)


class VietnameseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors are in Vietnamese; sub-commands get the same class."""

    def __init__(self, *args, add_help: bool = True, **kwargs) -> None:
        kwargs.setdefault("formatter_class", VietnameseHelpFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="in hướng dẫn này rồi thoát")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: lỗi: {translate(message)}\n")
