"""Read a notice file: bytes -> front matter values with line numbers, and the body.

MkDocs silently drops front matter it cannot parse, so we parse it ourselves, node by node. Scalars are kept as
the strings the editor wrote; the YAML 1.1 type a plain scalar *would* get elsewhere (MkDocs, GitHub) is
recorded so the validator can flag the traps (``no`` -> false, ``010`` -> 8, ``12:30`` -> 750) instead of
silently converting.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import yaml

from .problems import Problem
from .text import is_nfc

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
    marked_lines: frozenset[int] | None = None  # lines of values left as "TODO: …" (validate._drop_marked)

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
    if raw.startswith(b"\xef\xbb\xbf"):
        src.error(1, "tệp bắt đầu bằng dấu BOM; lưu lại dạng UTF-8 không BOM (chạy: notices fix "
                  + path + ")", "bom")
        raw = raw[3:]
    text = _decode(src, raw)
    if text is None:
        return src
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        src.error(line, "tệp dùng ký tự xuống dòng kiểu Windows (CRLF); chuyển sang LF (chạy: notices fix "
                  + path + ")", "crlf")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    src.text = text
    for number, line_text in enumerate([] if is_nfc(text) else text.split("\n"), start=1):
        if not is_nfc(line_text):
            src.error(number, "văn bản chưa chuẩn hóa Unicode NFC (thường do dán từ Word hoặc PDF); "
                      "chạy: notices fix " + path, "nfc")
    _split(src)
    return src


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


def read_bytes_yaml(path: str, raw: bytes) -> Source:
    """A registry file: plain YAML, read with the same care as front matter."""
    src = Source(path)
    text = _decode(src, raw)
    if text is None:
        return src
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
    try:
        node = yaml.compose(yaml_text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = (mark.line + offset) if mark is not None else 1
        problem = str(getattr(exc, "problem", None) or exc)
        hint = next((vi for en, vi in YAML_PROBLEMS if en in problem), f"YAML báo: {problem}")
        quote = _unclosed_quote(yaml_text, line - offset)
        if quote is not None:
            hint = f"dấu nháy kép mở ở dòng này chưa được đóng (YAML dừng ở dòng {line})"
            line = quote + offset
        src.error(line, f"khối thông tin không phải YAML hợp lệ: {hint}", "yaml")
        return
    if node is None:
        src.error(1, "khối thông tin (front matter) rỗng", "front-matter-rong")
        return
    if not isinstance(node, yaml.MappingNode):
        src.error(node.start_mark.line + offset, "cần các dòng dạng 'khóa: giá trị'", "yaml")
        return
    src.offset = offset
    src.data = _convert(src, node, ())


# PyYAML's problems, told in Vietnamese (first match wins); anything else is shown as PyYAML words it.
YAML_PROBLEMS = (
    ("mapping values are not allowed", "có dấu ':' ở chỗ không được phép; đặt cả giá trị trong dấu nháy kép"),
    ("could not find expected ':'", "thiếu dấu ':' sau tên trường, hoặc giá trị nhiều dòng thụt lề sai"),
    ("expected <block end>", "thụt lề không khớp với các dòng trên, hoặc một dấu nháy không được đóng"),
    ("found unexpected end of stream", "dấu nháy hoặc ngoặc chưa được đóng"),
    ("expected ',' or ']'", "danh sách [ … ] thiếu dấu phẩy hoặc dấu ']' đóng"),
    ("expected ',' or '}'", "nhóm { … } thiếu dấu phẩy hoặc dấu '}' đóng"),
    ("found unknown escape character", "ký tự '\\' trong dấu nháy kép; dùng dấu nháy đơn hoặc viết '\\\\'"),
    ("found undefined alias", "dấu '*' ở đầu giá trị; đặt giá trị trong dấu nháy kép"),
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


def _convert(src: Source, node: yaml.Node, path: Path, line: int | None = None) -> Any:
    # A mapping's value is located at its key ("title:" even when the value starts on the next line). compose()
    # counts lines from 0 at the YAML text's start; src.offset is the file line of that start, plus one.
    offset = src.offset
    src.lines[path] = line if line is not None else node.start_mark.line + offset
    kind = type(node)  # (libyaml's composer makes these three classes exactly)
    if kind is yaml.ScalarNode:  # most nodes: checked first
        implicit = node.tag if not node.style else None  # plain (unquoted) scalars only
        src.scalars[path] = Scalar(node.value, implicit, node.start_mark.line + offset)
        return None if implicit == NULL_TAG else node.value
    if kind is yaml.MappingNode:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = key_node.start_mark.line + offset
            if type(key_node) is not yaml.ScalarNode:
                src.error(key_line, "khóa phải là một từ đơn giản", "yaml")
                continue
            key = key_node.value
            if not key_node.style and key_node.tag != STR_TAG:
                kind_name = TRAP_NAMES.get(key_node.tag, "giá trị đặc biệt")
                src.error(key_line, f"khóa '{key}' không đặt trong dấu nháy bị YAML 1.1 hiểu là {kind_name}, không "
                          "phải tên trường; kiểm tra lại tên trường", "yaml-bay")
                continue
            if key in out:
                src.error(key_line, f"trường {_dotted(path + (key,))} bị khai báo hai lần (lần đầu ở dòng "
                          f"{src.lines[path + (key,)]}); giữ một dòng", "trung-khoa")
                continue
            out[key] = _convert(src, value_node, path + (key,), key_line)
        return out
    assert kind is yaml.SequenceNode
    return [_convert(src, child, path + (i,)) for i, child in enumerate(node.value)]


def _dotted(path: Path) -> str:
    """A field as editors see it, quoted: "'signer.authority'", "'recipients' (phần tử thứ 2)" (from 1)."""
    names = ".".join(part for part in path if isinstance(part, str))
    where = "".join(f" (phần tử thứ {part + 1})" for part in path if isinstance(part, int))
    return f"'{names}'{where}"


dotted = _dotted
