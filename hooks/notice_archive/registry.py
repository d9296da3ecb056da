"""Registries as YAML data: issuers, departments, projects (notices/_registry/*.yml)."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field

from pydantic import BaseModel, ValidationError

from .problems import Problem
from .reader import read_bytes_yaml
from .schema import Department, Issuer, Project
from .text import casefold_vi
from .urls import RESERVED
from .validation_messages import translate, unsafe_values, yaml_traps

REGISTRY_DIR = "_registry"
FILES: dict[str, type[BaseModel]] = {"issuers": Issuer, "departments": Department, "projects": Project}


@dataclass
class Registry:
    issuers: dict[str, Issuer] = field(default_factory=dict)
    departments: dict[str, Department] = field(default_factory=dict)
    projects: dict[str, Project] = field(default_factory=dict)
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


def mentions(text: str, names: list[str]) -> bool:
    folded = casefold_vi(text)
    return any(casefold_vi(name) in folded for name in names)


def load_registry(docs_dir: str, display_root: str = "notices") -> tuple[Registry, list[Problem]]:
    reg = Registry()
    problems: list[Problem] = []
    for kind, model in FILES.items():
        path = os.path.join(docs_dir, REGISTRY_DIR, f"{kind}.yml")
        display = f"{display_root}/{REGISTRY_DIR}/{kind}.yml"
        if not os.path.exists(path):
            problems.append(Problem(display, 1, f"thiếu tệp danh mục {kind}.yml", "error", "danh-muc"))
            continue
        with open(path, "rb") as fh:
            src = read_bytes_yaml(display, fh.read())
        problems.extend(src.problems)
        if src.data is None:
            continue
        problems.extend(yaml_traps(src))
        problems.extend(unsafe_values(src))
        table = getattr(reg, kind)
        for key, value in src.data.items():
            line = src.line_of((key,))
            if kind == "issuers" and key in RESERVED:
                problems.append(Problem(display, line, f"khóa '{key}' trùng với một địa chỉ dành riêng của trang",
                                        "error", "khoa-danh-rieng"))
            try:
                table[key] = model.model_validate(value)
                reg.lines[(kind, key)] = (display, line)
            except ValidationError as exc:
                problems.extend(translate(exc, src, model, prefix=(key,)))
    for key, dep in reg.departments.items():
        if dep.issuer not in reg.issuers:
            path, line = reg.lines[("departments", key)]
            problems.append(Problem(path, line, f"đơn vị '{key}': cơ quan '{dep.issuer}' không có trong issuers.yml"
                                    + reg.suggest("issuers", dep.issuer), "error", "khoa-la"))
    for key, proj in reg.projects.items():
        if proj.lead and proj.lead not in reg.departments:
            path, line = reg.lines[("projects", key)]
            problems.append(Problem(path, line, f"dự án '{key}': đơn vị chủ trì '{proj.lead}' không có trong "
                                    "departments.yml" + reg.suggest("departments", proj.lead), "error", "khoa-la"))
    return reg, problems
