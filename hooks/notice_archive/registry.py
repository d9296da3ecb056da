"""Registries as YAML data: issuers, departments, projects, and the glossary of abbreviations that search expands
(notices/_registry/*.yml)."""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache

from pydantic import BaseModel, ValidationError

from . import limits
from .problems import Problem
from .reader import Source, dotted, read_bytes_yaml, read_limited
from .schema import KEY_PATTERN, Abbreviation, Department, Issuer, Project
from .text import casefold_vi, slugify
from .urls import RESERVED
from .validation_messages import translate, unsafe_values, yaml_traps

REGISTRY_DIR = "_registry"
FILES: dict[str, type[BaseModel]] = {"issuers": Issuer, "departments": Department, "projects": Project,
                                     "glossary": Abbreviation}
OPTIONAL = frozenset({"glossary"})  # an archive without abbreviations has no glossary.yml
KEY = re.compile(KEY_PATTERN)
# Generated pages live at don-vi/<key>.md and du-an/<key>.md next to don-vi/index.md and du-an/index.md.
RESERVED_KEYS = frozenset({"index"})


@dataclass
class Registry:
    issuers: dict[str, Issuer] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
    glossary: dict[str, Abbreviation] = field(default_factory=dict)
    lines: dict[tuple[str, str], tuple[str, int]] = field(default_factory=dict)  # (kind, key) -> (path, line)

    def suggest(self, kind: str, key: str) -> str:
        table: dict[str, object] = getattr(self, kind)
        close = difflib.get_close_matches(key, list(table), n=1, cutoff=0.6)
        return f"; có phải ý bạn là '{close[0]}'?" if close else ""

    def department_names(self, key: str) -> list[str]:
        dep = self.departments[key]
        return [dep.name, *dep.aliases, *dep.former_names]

    def project_names(self, key: str) -> list[str]:
        proj = self.projects[key]
        return [proj.name, *proj.aliases]


def mentions_folded(folded: str, names: list[str]) -> bool:
    """Whether a text, folded with casefold_vi (once, for all the names asked about), names one of the names (case
    and spacing aside)."""
    return any(_folded(name) in folded for name in names)


@lru_cache(maxsize=4096)
def _folded(name: str) -> str:  # registry names: few, asked about for every item
    return casefold_vi(name)


def load_registry(docs_dir: str, display_root: str = "notices") -> tuple[Registry, list[Problem]]:
    reg = Registry()
    problems: list[Problem] = []
    sources: dict[str, Source] = {}
    for kind, model in FILES.items():
        path = os.path.join(docs_dir, REGISTRY_DIR, f"{kind}.yml")
        display = f"{display_root}/{REGISTRY_DIR}/{kind}.yml"
        if os.path.islink(path):
            problems.append(Problem(display, 1, "danh mục là liên kết tượng trưng (symlink); kho chỉ nhận tệp thật",
                                    "error", "lien-ket-tuong-trung"))
            continue
        if not os.path.exists(path):
            if kind in OPTIONAL:
                continue
            problems.append(Problem(display, 1, f"thiếu tệp danh mục {kind}.yml", "error", "danh-muc"))
            continue
        try:
            raw = read_limited(path, limits.MAX_REGISTRY_BYTES)
        except OSError as exc:
            problems.append(Problem(display, 1, f"không đọc được danh mục ({exc.strerror})", "error", "danh-muc"))
            continue
        src = read_bytes_yaml(display, raw)
        sources[kind] = src
        problems.extend(src.problems)
        if src.data is None:
            continue
        problems.extend(yaml_traps(src))
        problems.extend(unsafe_values(src))
        table = getattr(reg, kind)
        for key, value in src.data.items():
            line = src.line_of((key,))
            if kind == "glossary" and not (isinstance(key, str) and KEY.match(key) and "-" not in key):
                problems.append(Problem(display, line, f"chữ viết tắt '{key}' không đúng dạng: viết thường, không "
                                        "dấu, 'đ' viết 'd', không dấu cách hay dấu nối, ví dụ "
                                        f"'{slugify(str(key)).replace('-', '') or 'qldt'}'", "error",
                                        "khoa-sai-dang"))
            elif not isinstance(key, str) or not KEY.match(key):
                problems.append(Problem(display, line, f"khóa '{key}' không đúng dạng: khóa là một phần của địa chỉ "
                                        "trang nên viết thường, không dấu, không dấu cách, nối bằng '-', ví dụ "
                                        f"'{slugify(str(key)) or 'phong-noi-vu'}' (tên đầy đủ ghi ở 'name')", "error",
                                        "khoa-sai-dang"))
            elif (kind == "issuers" and key in RESERVED) or key in RESERVED_KEYS:
                problems.append(Problem(display, line, f"khóa '{key}' trùng với một địa chỉ dành riêng của trang",
                                        "error", "khoa-danh-rieng"))
            try:
                table[key] = model.model_validate(value)
                reg.lines[(kind, key)] = (display, line)
            except ValidationError as exc:
                problems.extend(translate(exc, src, model, prefix=(key,)))
    problems.extend(_references(reg, sources))
    _drop_dangling(reg)
    return reg, problems


def _drop_dangling(reg: Registry) -> None:
    """Entries whose references do not resolve (reported by _references) leave the registry, until every
    reference that remains resolves: pages and feeds follow them without asking (a lead whose department is gone
    would end the build in a traceback, not a message)."""
    while True:
        gone = [("departments", key) for key, dep in reg.departments.items()
                if dep.issuer not in reg.issuers or (dep.successor and dep.successor not in reg.departments)
                or any(pre not in reg.departments for pre in dep.predecessors)]
        gone += [("projects", key) for key, proj in reg.projects.items()
                 if proj.lead and proj.lead not in reg.departments]
        if not gone:
            return
        for kind, key in gone:
            del getattr(reg, kind)[key]


def _references(reg: Registry, sources: dict[str, Source]) -> list[Problem]:
    """Keys that name another registry entry (a department's issuer, successor, predecessors; a project's lead)
    must exist: pages link to them. Each is reported at its own line, with a did-you-mean."""
    problems = []

    def check(kind: str, key: str, path: tuple, target_kind: str, value: str, what: str) -> None:
        if value in getattr(reg, target_kind):
            return
        src = sources[kind]
        problems.append(Problem(src.path, src.line_of((key, *path)), f"{what} '{key}': {dotted(path)} '{value}' "
                                f"không có trong {target_kind}.yml" + reg.suggest(target_kind, value), "error",
                                "khoa-la"))

    for key, dep in reg.departments.items():
        check("departments", key, ("issuer",), "issuers", dep.issuer, "đơn vị")
        if dep.successor:
            check("departments", key, ("successor",), "departments", dep.successor, "đơn vị")
        for i, pre in enumerate(dep.predecessors):
            check("departments", key, ("predecessors", i), "departments", pre, "đơn vị")
    for key, proj in reg.projects.items():
        if proj.lead:
            check("projects", key, ("lead",), "departments", proj.lead, "dự án")
    return problems
