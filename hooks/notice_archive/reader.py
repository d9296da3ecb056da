"""Read a notice file: bytes -> front matter values with line numbers, and the body.

MkDocs silently drops front matter it cannot parse, so we parse it ourselves, node by node. Scalars are kept as
the strings the editor wrote; the YAML 1.1 type a plain scalar *would* get elsewhere (MkDocs, GitHub) is
recorded so the validator can flag the traps (``no`` -> false, ``010`` -> 8, ``12:30`` -> 750) instead of
silently converting.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from . import limits
from .problems import Problem
from .text import REMOVABLE, UNSEEN, describe_char, is_nfc

Path = tuple[str | int, ...]

INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
BOOL_TAG = "tag:yaml.org,2002:bool"
NULL_TAG = "tag:yaml.org,2002:null"
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"
STR_TAG = "tag:yaml.org,2002:str"

# libyaml's composer is ~10x faster and gives the same nodes and marks (plain style is "" there, None in Python).
_BASE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_RESOLVER = _BASE_LOADER("")  # (the safe loader resolves a tag from the scalar alone: no path resolvers)


@lru_cache(maxsize=65536)
def _resolve(kind: type, value: str | None, implicit: Any) -> str:
    return _BASE_LOADER.resolve(_RESOLVER, kind, value, implicit)


class _Loader(_BASE_LOADER):
    """The safe loader, with its tag resolution (a dozen regexes per scalar, in Python) cached: front matter repeats
    the same keys and values from file to file."""

    def resolve(self, kind, value, implicit):
        return _resolve(kind, value, implicit)


TRAP_NAMES = {INT_TAG: "số nguyên", FLOAT_TAG: "số thực", BOOL_TAG: "giá trị đúng/sai", TIMESTAMP_TAG: "ngày"}


@dataclass
class Scalar:
    """How a scalar was written: its YAML 1.1 implicit type when unquoted (``None`` when quoted)."""

    raw: str
    implicit_tag: str | None
    line: int


@dataclass
class Source:
    path: str
    text: str = ""
    data: dict[str, Any] | None = None
    lines: dict[Path, int] = field(default_factory=dict)
    scalars: dict[Path, Scalar] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1  # line number (1-based) of the body's first line
    offset: int = 2  # file line of the YAML text's first line, plus one
    problems: list[Problem] = field(default_factory=list)
    marked_lines: frozenset[int] | None = None  # lines of values left as "TODO: …" (notice_check._drop_marked)

    def line_of(self, path: Path) -> int:
        """The line of a value, or of its nearest enclosing value (a missing key points at its parent)."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), 1)

    def error(self, line: int, message: str, code: str) -> None:
        self.problems.append(Problem(self.path, line, message, "error", code))


def read_bytes(path: str, raw: bytes) -> Source:
    src = Source(path)
    if not raw.strip():
        src.error(1, "tệp rỗng: một thông báo cần khối thông tin (front matter) giữa hai dòng '---' "
                  "và nội dung", "tep-rong")
        return src
    if not _within_size(src, raw, limits.MAX_NOTICE_BYTES):
        return src
    if raw.startswith(b"\xef\xbb\xbf"):
        src.error(1, "tệp bắt đầu bằng dấu BOM; lưu lại dạng UTF-8 không BOM (chạy: notices fix "
                  + path + ")", "bom")
        raw = raw[3:]
    text = _decode(src, raw)
    if text is None:
        return src
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        text = text.replace("\r\n", "\n")
        if "\r" in text:
            # A CR alone breaks the line for some editors, not for git, whose lines these messages name (and GitHub
            # marks): read as a break, it would put every later message on a line the file does not have.
            src.error(text[: text.index("\r")].count("\n") + 1, "dòng có ký tự xuống dòng CR đứng riêng (kiểu máy "
                      "Mac cũ); chuyển sang LF (chạy: notices fix " + path + ") rồi kiểm tra lại: chưa đọc tiếp",
                      "crlf")
            return src
        src.error(line, "tệp dùng ký tự xuống dòng kiểu Windows (CRLF); chuyển sang LF (chạy: notices fix "
                  + path + ")", "crlf")
    src.text = text
    lines = text.split("\n")
    end = front_matter_end(lines) if lines[0].strip() == "---" else None
    if not within_bounds(src, text, markdown_from=(end + 1) if end is not None else 1):
        return src  # nothing reads text that holds invisible characters or is out of bounds
    for number, line_text in enumerate([] if is_nfc(text) else text.split("\n"), start=1):
        if not is_nfc(line_text):
            src.error(number, "văn bản chưa chuẩn hóa Unicode NFC (thường do dán từ Word hoặc PDF); "
                      "chạy: notices fix " + path, "nfc")
    _split(src)
    return src


def _within_size(src: Source, raw: bytes, limit: int) -> bool:
    if len(raw) <= limit:
        return True
    src.error(1, f"tệp quá lớn (hơn {limit // 1024} KB); một tệp của kho không bao giờ lớn như vậy — kiểm tra xem "
              "có dán nhầm nội dung không", "qua-lon")
    return False


# Spelt out: SRE finds "\d\d\d…" three times faster than "\d{41,}" (which it tries at every position).
DIGIT_RUN = re.compile(r"\d" * (limits.MAX_DIGITS + 1) + r"\d*")
# A run of MAX_DIGITS + 1 digits covers (MAX_DIGITS + 1) // 10 positions in a row that are multiples of 10: a text
# whose every tenth character (text[::10], five times quicker to search) holds no such run has no digit run.
SAMPLED_DIGIT_RUN = re.compile(rf"\d{{{(limits.MAX_DIGITS + 1) // 10}}}")


def within_bounds(src: Source, text: str, markdown_from: int | None = None) -> bool:
    """Report, line by line, what no notice or registry may hold: invisible characters (controls, bidi and
    zero-width characters: UNSEEN), lines longer than MAX_LINE_CHARS, digit runs longer than MAX_DIGITS. The text
    is read no further when it holds any (the checks are regex searches: a clean text costs three scans). From line
    ``markdown_from`` on (a notice's body), what would make Markdown slow or recurse too (_markup_problems)."""
    # isprintable() is false for every UNSEEN character (and for tab, line feed, no-break space: the regex decides).
    unseen = not text.replace("\n", "").isprintable() and UNSEEN.search(text) is not None
    digits = SAMPLED_DIGIT_RUN.search(text[::10]) is not None and DIGIT_RUN.search(text) is not None
    long_line = len(text) > limits.MAX_LINE_CHARS and any(len(line) > limits.MAX_LINE_CHARS
                                                          for line in text.split("\n"))
    markup = [] if markdown_from is None else _markup_problems(text, markdown_from)
    for number, message in markup:
        src.error(number, message, "qua-lon")
    if not (unseen or digits or long_line):
        return not markup
    for number, line in enumerate(text.split("\n"), start=1):
        if unseen and (found := UNSEEN.findall(line)):
            names = ", ".join(describe_char(ch) for ch in dict.fromkeys(found))
            fix = ("; chạy: notices fix " + src.path + " để xóa" if all(REMOVABLE.fullmatch(ch) for ch in found)
                   else "; xóa hoặc gõ lại đoạn này (notices fix không tự xóa được: ký tự này có thể thay cho một "
                   "chữ bị mất)")
            src.error(number, f"dòng có ký tự vô hình hoặc ký tự điều khiển {names} (không thấy được khi xem lại, có "
                      f"thể đảo thứ tự chữ hay làm hỏng nguồn tin){fix}", "ky-tu-an")
        if len(line) > limits.MAX_LINE_CHARS:
            src.error(number, f"dòng dài {len(line)} ký tự, quá giới hạn {limits.MAX_LINE_CHARS}; xuống dòng giữa "
                      "các đoạn như bản gốc", "qua-lon")
        if digits and (run := DIGIT_RUN.search(line)):
            src.error(number, f"dãy {len(run.group(0))} chữ số liền nhau, quá giới hạn {limits.MAX_DIGITS}; không "
                      "số nào trong văn bản dài như vậy", "qua-lon")
    return False


MARKER_RUN = re.compile(f"[*_>]{{{limits.MAX_MARKER_RUN + 1},}}")
# A line's quote marks and indentation: inside a quote ("> ") the indentation after the last ">" nests lists too.
LEAD = re.compile(r"[ \t>]*")
# A line indented past MAX_INDENT (at its start or after a quote mark) holds more than MAX_INDENT / 4 spaces or tabs
# in a row there (a tab counts 4 at most); looked for after a line break (SRE then skips to each "\n").
DEEP_INDENT = re.compile(f"\n[ \t>]*[ \t]{{{limits.MAX_INDENT // 4 + 1}}}")
# A line opening more than MAX_LIST_DEPTH lists at once ("- - - x", "1. 1. x", "> - > - x"): each is a level of
# Markdown's recursion. A marker is followed by a space or tab, and no marker character is one of "[ \t>]": one way
# to match, linear time.
NESTED_LISTS = re.compile(f"\n[ \t>]*(?:(?:[-*+]|\\d+\\.)[ \t][ \t>]*){{{limits.MAX_LIST_DEPTH + 1}}}")
# A line Markdown reads as a horizontal rule before any list (one kind of mark, at most two spaces between them; tabs
# expanded), in a quote or not: it nests nothing.
RULE = re.compile(r"[ >]*(?:-(?: {0,2}-){2,}|\*(?: {0,2}\*){2,}) *")


def _markup_problems(text: str, first: int) -> list[tuple[int, str]]:
    """(line, message) for the paragraphs of a notice's body, from line ``first``, that would make Markdown slow or
    make it recurse (limits.MAX_PARAGRAPH_CHARS and after); one message per kind and paragraph."""
    return [] if _markup_within_bounds(text) else _paragraph_problems(text, first)


def _paragraph_problems(text: str, first: int) -> list[tuple[int, str]]:
    """_markup_problems, paragraph by paragraph."""
    out: list[tuple[int, str]] = []
    start, size, opened, reported = first, 0, {"[": 0, "<": 0}, set()
    for number, line in enumerate(text.split("\n")[first - 1:], start=first):
        if not line.strip():
            start, size, opened, reported = number + 1, 0, {"[": 0, "<": 0}, set()
            continue
        size += len(line) + 1
        if len(line) > limits.MAX_LINE_CHARS:
            reported.add("size")  # the line is reported as such
        elif size > limits.MAX_PARAGRAPH_CHARS and "size" not in reported:
            reported.add("size")
            out.append((start, f"đoạn văn dài hơn {limits.MAX_PARAGRAPH_CHARS} ký tự (từ dòng {start} tới dòng "
                        f"{number}); tách đoạn bằng một dòng trống như bản gốc"))
        for opener in opened:
            opened[opener] += line.count(opener)
            if opened[opener] > limits.MAX_OPENERS and opener not in reported:
                reported.add(opener)
                out.append((number, f"đoạn văn có hơn {limits.MAX_OPENERS} dấu '{opener}' (từ dòng {start}); văn bản "
                            "không cần nhiều như vậy — kiểm tra xem có dán nhầm không"))
        indent = max(len(part.expandtabs(4)) for part in LEAD.match(line).group().split(">"))
        if indent > limits.MAX_INDENT and "indent" not in reported:
            reported.add("indent")
            out.append((number, f"dòng thụt vào {indent} khoảng trắng, quá giới hạn {limits.MAX_INDENT} (danh sách "
                        "lồng quá 8 cấp); bỏ bớt khoảng trắng đầu dòng"))
        if NESTED_LISTS.match("\n" + line) and not RULE.fullmatch(line.expandtabs(4)) and "lists" not in reported:
            reported.add("lists")
            out.append((number, f"dòng mở hơn {limits.MAX_LIST_DEPTH} danh sách lồng nhau ('- - - …'); viết mỗi ý "
                        "một dòng"))
        if (run := MARKER_RUN.search(line)) and "run" not in reported:
            reported.add("run")
            out.append((number, f"dãy {len(run.group(0))} ký tự '{run.group(0)[0]}' liền nhau, quá giới hạn "
                        f"{limits.MAX_MARKER_RUN}; xóa bớt"))
    return out


def _markup_within_bounds(text: str) -> bool:
    """Whether no paragraph of the text can break a bound of _markup_problems, asked of the whole text at once
    (a usual notice): no paragraph is longer than the text, nor holds more brackets than it; an indented line or a
    marker run or a line's nested lists lie within one line."""
    return (len(text) < limits.MAX_PARAGRAPH_CHARS and text.count("[") <= limits.MAX_OPENERS
            and text.count("<") <= limits.MAX_OPENERS and DEEP_INDENT.search("\n" + text) is None
            and NESTED_LISTS.search("\n" + text) is None
            and (text.count("*") + text.count("_") + text.count(">") <= limits.MAX_MARKER_RUN
                 or MARKER_RUN.search(text) is None))


def _decode(src: Source, raw: bytes) -> str | None:
    """UTF-8 text, or None after reporting every line that holds bytes which are not UTF-8."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for number, line in enumerate(raw.split(b"\n"), start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError as exc:
            src.error(number, f"dòng có byte 0x{line[exc.start]:02x} không phải UTF-8 (tệp có lẽ được lưu bằng "
                      "bảng mã cũ như Windows-1258 hoặc TCVN3); lưu lại tệp bằng UTF-8", "utf8")
    return None


def read_limited(path: str, limit: int) -> bytes:
    """A file's first ``limit + 1`` bytes (enough to tell it is too big), never through a symlink and never
    waiting on a FIFO (OSError for both)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "không phải tệp thường")
        chunks = []
        left = limit + 1
        while left > 0 and (chunk := os.read(fd, min(left, 1 << 20))):
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_file(path: str, display: str | None = None) -> Source:
    with open(path, "rb") as fh:
        return read_bytes(display or path, fh.read())


def front_matter_end(lines: list[str]) -> int | None:
    """The index of the line that closes the front matter opened on the first line ('---' or '...')."""
    return next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)


def _split(src: Source) -> None:
    lines = src.text.split("\n")
    if lines[0].rstrip() != "---":
        src.error(1, "thiếu khối thông tin (front matter): dòng đầu tiên phải là '---'", "front-matter-mo")
        src.body = src.text
        return
    end = front_matter_end(lines)
    if end is None:
        src.error(1, "khối thông tin (front matter) mở bằng '---' ở dòng 1 nhưng không có dòng '---' "
                  "đóng lại", "front-matter-dong")
        return
    for i in range(1, end):
        if "\t" in lines[i]:
            src.error(i + 1, "có ký tự tab trong khối thông tin; YAML chỉ cho phép thụt lề bằng dấu cách",
                      "tab")
    yaml_text = "\n".join(lines[1:end])
    src.body = "\n".join(lines[end + 1:])
    src.body_line = end + 2
    if any(p.code == "tab" for p in src.problems):
        return
    _parse_yaml(src, yaml_text, offset=2)


def read_bytes_yaml_text(path: str, raw: bytes, limit: int = limits.MAX_REGISTRY_BYTES) -> Source:
    """A registry file's text (src.text), read with the notices' care: size, UTF-8, invisible characters, long
    lines and digit runs are reported, and then the text is not read further (src.text stays empty)."""
    src = Source(path)
    if not _within_size(src, raw, limit):
        return src
    text = _decode(src, raw)
    if text is not None and within_bounds(src, text):
        src.text = text
    return src


def read_bytes_yaml(path: str, raw: bytes, limit: int = limits.MAX_REGISTRY_BYTES) -> Source:
    """A registry file: plain YAML, read with the same care as front matter."""
    src = read_bytes_yaml_text(path, raw, limit)
    if src.problems:
        return src
    text = src.text
    nfc_text = is_nfc(text)
    for number, line_text in enumerate(text.split("\n"), start=1):
        if "\t" in line_text:
            src.error(number, "có ký tự tab; YAML chỉ cho phép thụt lề bằng dấu cách", "tab")
        if not nfc_text and not is_nfc(line_text):
            src.error(number, "văn bản chưa chuẩn hóa Unicode NFC; chạy: notices fix " + path, "nfc")
    if not src.problems:
        _parse_yaml(src, text, offset=1)
    return src


def _parse_yaml(src: Source, yaml_text: str, offset: int) -> None:
    src.offset = offset
    before = len(src.problems)
    try:
        data = _convert(src, _Loader(yaml_text))
    except yaml.YAMLError as exc:
        del src.problems[before:]  # what the values said before the syntax broke is not worth reporting
        src.lines.clear()
        src.scalars.clear()
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line + offset) if mark is not None else 1
        line = min(line, offset + yaml_text.count("\n"))  # the end of the text: its last line, not the one after
        problem = str(getattr(exc, "problem", None) or exc)
        hint = next((vi for en, vi in YAML_PROBLEMS if en in problem), f"YAML báo: {problem}")
        quote = _unclosed_quote(yaml_text, line - offset)
        if quote is not None:
            hint = f"dấu nháy kép mở ở dòng này chưa được đóng (YAML dừng ở dòng {line})"
            line = quote + offset
        src.error(line, f"khối thông tin không phải YAML hợp lệ: {hint}", "yaml")
        return
    if data is _REFUSED:
        return
    if data is _EMPTY:
        src.error(1, "khối thông tin (front matter) rỗng", "front-matter-rong")
        return
    if not isinstance(data, dict):
        src.error(src.lines.get((), 1), "cần các dòng dạng 'khóa: giá trị'", "yaml")
        return
    src.data = data


# PyYAML's problems, told in Vietnamese (first match wins); anything else is shown as PyYAML words it.
YAML_PROBLEMS = (
    ("mapping values are not allowed", "có dấu ':' ở chỗ không được phép; đặt cả giá trị trong dấu nháy kép"),
    ("could not find expected ':'", "thiếu dấu ':' sau tên trường, hoặc giá trị nhiều dòng thụt lề sai"),
    ("expected <block end>", "thụt lề không khớp với các dòng trên, hoặc một dấu nháy không được đóng"),
    ("found unexpected end of stream", "dấu nháy hoặc ngoặc chưa được đóng"),
    ("expected ',' or ']'", "danh sách [ … ] thiếu dấu phẩy hoặc dấu ']' đóng"),
    ("expected ',' or '}'", "nhóm { … } thiếu dấu phẩy hoặc dấu '}' đóng"),
    ("found unknown escape character", "ký tự '\\' trong dấu nháy kép; dùng dấu nháy đơn hoặc viết '\\\\'"),
    ("found character '@' that cannot start any token", "giá trị bắt đầu bằng '@'; đặt trong dấu nháy kép"),
    ("found character '`' that cannot start any token", "giá trị bắt đầu bằng '`'; đặt trong dấu nháy kép"),
    ("while parsing a block collection", "danh sách thụt lề sai"),
    ("did not find expected '-' indicator", "danh sách thụt lề sai: mỗi phần tử bắt đầu bằng '- ' thẳng hàng"),
    ("did not find expected key", "thụt lề sai: các trường cùng cấp phải thẳng hàng"),
)


def _unclosed_quote(yaml_text: str, upto: int) -> int | None:
    """The first line (0-based, not after ``upto``) whose value opens a double quote it does not close."""
    for number, line in enumerate(yaml_text.split("\n")[: upto + 1]):
        value = line.split(": ", 1)[1] if ": " in line else line.lstrip(" -")
        if value.startswith('"') and (len(value.rstrip()) == 1 or not value.rstrip().endswith('"')):
            return number
    return None


_REFUSED = object()  # the YAML holds what notices never need (an anchor, alias or tag, too deep a nesting)
_EMPTY = object()  # no document at all
_KEY = object()  # a mapping waiting for its next key
_SKIP = object()  # a mapping's key refused (already reported): its value is read but not kept


class _Open:
    """A mapping or list being read: where it is (``path``, or None when its value is skipped) and, for a mapping,
    the key whose value comes next."""

    __slots__ = ("value", "path", "key", "key_line")

    def __init__(self, value: dict | list, path: Path | None):
        self.value, self.path, self.key, self.key_line = value, path, _KEY, 0


def _convert(src: Source, loader: _Loader) -> Any:
    """The YAML's values, read from the parser's events (never composed into a node graph first): an anchor, an
    alias or an explicit tag is refused where it first appears, so an alias bomb costs nothing; nesting deeper than
    MAX_DEPTH is refused before it is read; no recursion, whatever the input.

    Scalars are kept as the strings the editor wrote, with their YAML 1.1 implicit type when unquoted. A mapping's
    value is located at its key ("title:" even when the value starts on the next line). The parser counts lines
    from 0 at the YAML text's start; src.offset is the file line of that start, plus one.
    """
    offset = src.offset
    stack: list[_Open] = []
    result: Any = _EMPTY
    documents = 0
    next_event = loader.get_event  # (yaml.parse() wraps this in a generator: a third of the time)
    while (event := next_event()) is not None:
        kind = type(event)
        if kind is yaml.ScalarEvent or kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            line = event.start_mark.line + offset
            if event.anchor is not None:
                src.error(line, f"YAML: không dùng neo '&{event.anchor}' (và bí danh '*'); viết thẳng giá trị — nếu "
                          "giá trị bắt đầu bằng '&', đặt nó trong dấu nháy kép", "yaml-bi-danh")
                return _REFUSED
            if event.tag is not None:
                src.error(line, f"YAML: không dùng thẻ kiểu '{event.tag}'; viết giá trị như chữ thường — nếu giá trị "
                          "bắt đầu bằng '!', đặt nó trong dấu nháy kép", "yaml-bi-danh")
                return _REFUSED
            top = stack[-1] if stack else None
            path: Path | None = ()
            if top is not None:
                if type(top.value) is dict:
                    if top.key is _KEY:  # this node is a key
                        _key(src, top, event, line)
                        if top.key is _REFUSED:
                            return _REFUSED
                        continue
                    key, line = top.key, top.key_line
                    top.key = _KEY
                    path = None if key is _SKIP or top.path is None else (*top.path, key)
                else:
                    path = None if top.path is None else (*top.path, len(top.value))
            if kind is yaml.ScalarEvent:
                value: Any = event.value
                if not value.replace("\n", "").isprintable() and (found := UNSEEN.findall(value)):
                    # Written as escapes in double quotes ("\0", "\u202e"): the lines showed none (within_bounds).
                    names = ", ".join(describe_char(ch) for ch in dict.fromkeys(found))
                    src.error(line, f"giá trị có ký tự vô hình hoặc ký tự điều khiển {names}, viết bằng mã thoát "
                              "trong dấu nháy kép (như \\0, \\u202e); xóa mã thoát đó", "ky-tu-an")
                if path is not None:
                    implicit = _resolve(yaml.ScalarNode, value, event.implicit) if not event.style else None
                    src.lines[path] = line
                    src.scalars[path] = Scalar(value, implicit, event.start_mark.line + offset)
                    if implicit == NULL_TAG:
                        value = None
            else:
                if len(stack) >= limits.MAX_DEPTH:
                    src.error(line, f"khối thông tin lồng quá sâu (hơn {limits.MAX_DEPTH} cấp danh sách hay nhóm "
                              "'khóa: giá trị' lồng nhau); kiểm tra thụt lề và dấu ngoặc [ ] { }", "qua-lon")
                    return _REFUSED
                value = {} if kind is yaml.MappingStartEvent else []
                if path is not None:
                    src.lines[path] = line
            if top is None:
                result = value
            elif path is not None and type(top.value) is dict:
                top.value[path[-1]] = value
            elif type(top.value) is list:
                top.value.append(value if path is not None else None)
                if len(top.value) > limits.MAX_ITEMS:
                    src.error(line, f"danh sách có hơn {limits.MAX_ITEMS} phần tử", "qua-lon")
                    return _REFUSED
            if kind is not yaml.ScalarEvent:
                stack.append(_Open(value, path))
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            stack.pop()
        elif kind is yaml.AliasEvent:
            src.error(event.start_mark.line + offset, f"YAML: không dùng bí danh '*{event.anchor}'; viết thẳng giá "
                      "trị — nếu giá trị bắt đầu bằng '*', đặt nó trong dấu nháy kép", "yaml-bi-danh")
            return _REFUSED
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                src.error(event.start_mark.line + offset, "chỉ được có một khối YAML (không dùng dòng '---' hay '...' "
                          "để bắt đầu khối thứ hai)", "yaml")
                return _REFUSED
    return result


def _key(src: Source, top: _Open, event: Any, line: int) -> None:
    """A mapping's key: kept, or refused with a message (its value is then read and skipped)."""
    top.key_line = line
    if type(event) is not yaml.ScalarEvent:
        src.error(line, "khóa phải là một từ đơn giản", "yaml")
        top.key = _REFUSED  # a key that is a list or mapping: nothing after it can be placed
        return
    key = event.value
    top.key = _SKIP
    if top.path is None:
        return
    if not event.style:
        tag = _resolve(yaml.ScalarNode, key, event.implicit)
        if tag != STR_TAG:
            kind_name = TRAP_NAMES.get(tag, "giá trị đặc biệt")
            src.error(line, f"khóa '{key}' không đặt trong dấu nháy bị YAML 1.1 hiểu là {kind_name}, không "
                      "phải tên trường; kiểm tra lại tên trường", "yaml-bay")
            return
    if key in top.value:
        src.error(line, f"trường {_dotted((*top.path, key))} bị khai báo hai lần (lần đầu ở dòng "
                  f"{src.lines[(*top.path, key)]}); giữ một dòng", "trung-khoa")
        return
    if len(top.value) >= limits.MAX_ITEMS:
        src.error(line, f"nhóm có hơn {limits.MAX_ITEMS} trường", "qua-lon")
        top.key = _REFUSED
        return
    top.key = key


def _dotted(path: Path) -> str:
    """A field as editors see it, quoted: "'signer.authority'", "'recipients' (phần tử thứ 2)" (from 1)."""
    names = ".".join(part for part in path if isinstance(part, str))
    where = "".join(f" (phần tử thứ {part + 1})" for part in path if isinstance(part, int))
    return f"'{names}'{where}"


dotted = _dotted
