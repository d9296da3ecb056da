"""One notice checked on its own: read (with line numbers), its front matter against the schema, its body, its
rules (notice_rules), and its model when it has no error. What this gives depends on the notice's bytes, the
registries and the build day alone: the per-notice cache (notice_cache) stores it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from . import model as m
from . import originals
from .body import parse_body
from .notice_model import build_notice
from .notice_rules import Identity, check_rules
from .problems import Problem
from .reader import Source, dotted, read_bytes
from .registry import Registry
from .schema import FrontMatter
from .validation_messages import extra_fields, translate, unsafe_values, yaml_traps


@dataclass
class Checked:
    notice: m.Notice | None
    problems: list[Problem]
    identity: Identity | None = None
    attachment: str | None = None  # an accepted attachment (relative path)
    links: tuple[tuple[int, str], ...] = ()  # an accepted notice's relative links: (line, destination)


@cache
def _field_adapter(name: str) -> TypeAdapter:
    """One adapter per front-matter field: when some fields are wrong, the others are still checked (all problems
    at once), from values validated exactly as the model validates them. Built when a notice first needs it (one
    with a wrong field), not at import: building them is most of this module's import time."""
    info = FrontMatter.model_fields[name]
    return TypeAdapter(Annotated[info.annotation, info])


def _partial(data: dict[str, Any], exc: ValidationError) -> SimpleNamespace:
    """The front matter's valid fields; ``None`` for those that are missing or wrong."""
    bad = {e["loc"][0] for e in exc.errors() if e["loc"]}
    values: dict[str, Any] = {}
    for name, info in FrontMatter.model_fields.items():
        if name in bad:
            values[name] = None
        elif name in data:
            values[name] = _field_adapter(name).validate_python(data[name])
        else:
            values[name] = None if info.is_required() else info.get_default(call_default_factory=True)
    return SimpleNamespace(**values)


def inspect_notice(display: str, src_uri: str, raw: bytes, registry: Registry, today: dt.date,
                   docs_dir: str | None = None) -> Checked:
    src = read_bytes(display, raw)
    problems = list(src.problems)
    if src.data is None:
        return Checked(None, problems)
    problems = _drop_marked(src, problems) + _marker_problems(src)
    parsed, body_problems = parse_body(display, src.body, src.body_line)
    problems.extend(body_problems)
    problems.extend(_drop_marked(src, unsafe_values(src)))
    complete = True
    try:
        fm: Any = FrontMatter.model_validate(src.data)
        problems.extend(_drop_marked(src, yaml_traps(src)))
    except ValidationError as exc:
        problems.extend(_drop_marked(src, translate(exc, src, FrontMatter)))
        problems.extend(_drop_marked(src, yaml_traps(src, skip=extra_fields(exc))))
        fm = _partial(src.data, exc)
        complete = False
    ruled = check_rules(src, src_uri, fm, parsed, registry, today)
    problems.extend(_drop_marked(src, ruled.problems))
    problems.extend(originals.problems(display, src_uri, fm.original, src.line_of, docs_dir))
    if not complete or any(p.severity == "error" for p in problems):
        return Checked(None, problems, ruled.identity)
    lines = tuple(src.line_of(("replaces", i)) for i in range(len(fm.replaces)))
    return Checked(build_notice(src_uri, fm, parsed, ruled.number, lines), problems, ruled.identity,
                   links=tuple(parsed.links))


MARKER = "TODO"


def _marker_problems(src: Source) -> list[Problem]:
    """Values left as 'TODO: …' (by notices import / notices new) are reported until an editor fills them in."""
    out = []
    for path, scalar in src.scalars.items():
        if scalar.raw.lstrip().startswith(MARKER):
            hint = scalar.raw.lstrip()[len(MARKER):].lstrip(":-– ").strip()
            out.append(Problem(src.path, scalar.line, f"trường {dotted(path)} còn chờ biên tập viên điền (dấu "
                               f"{MARKER} do công cụ nhập để lại): {hint or 'điền giá trị như bản gốc'}",
                               "error", "chua-dien"))
    for offset, line in enumerate(src.body.split("\n") if MARKER + ":" in src.body else ()):
        if line.startswith(MARKER + ":"):
            out.append(Problem(src.path, src.body_line + offset, "nội dung còn dòng chờ biên tập viên điền (dấu "
                               f"{MARKER}): {line[len(MARKER) + 1:].strip()}", "error", "chua-dien"))
    return out


def _drop_marked(src: Source, problems: list[Problem]) -> list[Problem]:
    """Other errors about a marked value (its form, its key) are left out: the marker says what to write."""
    if src.marked_lines is None:  # worked out once per notice
        src.marked_lines = frozenset(s.line for s in src.scalars.values() if s.raw.lstrip().startswith(MARKER))
    if not src.marked_lines or not problems:
        return problems
    return [p for p in problems if p.line not in src.marked_lines]
