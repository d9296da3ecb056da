"""Pydantic errors and YAML 1.1 traps, told in Vietnamese with the field and what was expected."""

from __future__ import annotations

import difflib
import typing
from collections.abc import Collection

from pydantic import BaseModel, ValidationError

from . import limits
from .problems import Problem
from .reader import BOOL_TAG, FLOAT_TAG, INT_TAG, TIMESTAMP_TAG, TRAP_NAMES, Path, Source, dotted

DATE_FIELDS = frozenset({"date", "invitation_date", "valid_from", "valid_to", "deadline"})
INT_FIELDS = frozenset({"period", "size"})  # size: original.size, bytes


def _field_model(model: type[BaseModel] | None, loc: Path) -> tuple[type[BaseModel] | None, str | None]:
    """Walk the model along loc; return the model owning the last named field and that field's description."""
    owner, description = model, None
    current: typing.Any = model
    for part in loc:
        if isinstance(part, int) or current is None:
            continue
        if isinstance(current, type) and issubclass(current, BaseModel):
            info = current.model_fields.get(part)
            if info is None:
                return current, None
            owner, description = current, info.description
            current = _inner_model(info.annotation)
        else:
            current = None
    return owner, description


def _inner_model(annotation: typing.Any) -> typing.Any:
    for arg in (annotation, *typing.get_args(annotation)):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        for sub in typing.get_args(arg):
            if isinstance(sub, type) and issubclass(sub, BaseModel):
                return sub
    return None


def translate(exc: ValidationError, src: Source, model: type[BaseModel] | None = None,
              prefix: Path = ()) -> list[Problem]:
    out = []
    for error in exc.errors():
        loc: Path = tuple(error["loc"])
        full = prefix + loc
        name = dotted(full)
        owner, desc = _field_model(model, loc) if model else (None, None)
        what = f" — {desc}" if desc else ""
        kind = error["type"]
        value = error.get("input")
        if kind == "missing":
            msg = f"thiếu trường bắt buộc {name}{what}"
        elif kind == "extra_forbidden":
            known = list(owner.model_fields) if owner else []
            close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.5)
            hint = f"; có phải ý bạn là '{close[0]}'?" if close else (
                f"; các trường được dùng: {', '.join(known)}" if known else "")
            msg = f"trường {name} không có trong mẫu{hint}"
        elif value is None:
            msg = f"trường {name} đang để trống{what}"
        elif kind == "string_type" and isinstance(value, dict):
            written = "; ".join(f"{k}: {v}" for k, v in value.items())
            msg = (f"trường {name}: dòng có dấu ':' bị YAML hiểu thành cặp khóa-giá trị; đặt cả dòng trong dấu "
                   f"nháy kép: \"{written}\"")
        elif kind == "string_type":
            msg = f"trường {name} cần là một dòng chữ, không phải {_shape(value)}{what}"
        elif kind == "list_type":
            msg = (f"trường {name} cần là một danh sách (mỗi phần tử một dòng bắt đầu bằng '- ', hoặc [a, b]), "
                   f"không phải {_shape(value)}{what}")
        elif kind in ("model_type", "dict_type", "model_attributes_type"):
            msg = f"trường {name} cần gồm các dòng con dạng 'khóa: giá trị', không phải {_shape(value)}{what}"
        elif kind == "literal_error":
            allowed = " hoặc ".join(f"'{a}'" for a in _literal_values(error))
            msg = f"trường {name}: giá trị '{value}' không hợp lệ; cần {allowed}{what}"
        elif kind == "string_pattern_mismatch":
            msg = (f"trường {name}: khóa '{value}' không đúng dạng; khóa viết thường, không dấu, nối bằng '-', "
                   "ví dụ phong-quan-ly-do-thi")
        elif kind in ("string_too_short", "too_short"):
            msg = f"trường {name} đang để trống{what}"
        elif kind == "string_too_long":
            msg = f"trường {name} quá dài (tối đa {error['ctx'].get('max_length')} ký tự){what}"
        elif kind in ("less_than_equal", "greater_than_equal"):
            msg = (f"trường {name}: {value} nằm ngoài khoảng {limits.MIN_YEAR}–{limits.MAX_YEAR}{what}")
        elif kind == "too_long":
            msg = f"trường {name} có quá nhiều phần tử (tối đa {error['ctx'].get('max_length')})"
        elif kind == "value_error":
            msg = f"trường {name}: {error['ctx']['error']}"
        elif kind in ("int_parsing", "int_type", "int_from_float"):
            msg = f"trường {name} cần là một số nguyên, không phải '{value}'"
        else:  # pragma: no cover - a pydantic error kind the schema does not produce today
            msg = f"trường {name}: giá trị không hợp lệ ({error['msg']})"
        out.append(Problem(src.path, src.line_of(full), msg, "error", "truong"))
    return out


def _shape(value: object) -> str:
    if isinstance(value, dict):
        return "một nhóm dòng con 'khóa: giá trị'"
    if isinstance(value, list):
        return "một danh sách"
    return f"'{value}'"


def _literal_values(error: typing.Any) -> list[str]:
    expected = str(error.get("ctx", {}).get("expected", ""))
    return [part.strip().strip("'") for part in expected.replace(" or ", ",").split(",") if part.strip()]


def extra_fields(exc: ValidationError, prefix: Path = ()) -> set[Path]:
    """Where the editor wrote a field the schema does not know (their values are not checked further)."""
    return {prefix + tuple(e["loc"]) for e in exc.errors() if e["type"] == "extra_forbidden"}


def yaml_traps(src: Source, skip: Collection[Path] = ()) -> list[Problem]:
    """Unquoted values that YAML 1.1 readers (MkDocs, GitHub's preview) would turn into something else."""
    out = []
    for path, scalar in src.scalars.items():
        tag = scalar.implicit_tag
        if tag not in (INT_TAG, FLOAT_TAG, BOOL_TAG, TIMESTAMP_TAG):
            continue
        if any(path[: len(s)] == s for s in skip):
            continue
        named = [p for p in path if isinstance(p, str)]
        last = named[-1] if named else ""
        if tag == TIMESTAMP_TAG and last in DATE_FIELDS:
            continue
        if tag == INT_TAG and last in INT_FIELDS:
            continue
        out.append(Problem(src.path, scalar.line,
                           f"trường {dotted(path)}: giá trị {scalar.raw} không đặt trong dấu nháy sẽ bị YAML 1.1 "
                           f"(MkDocs, GitHub) hiểu là {TRAP_NAMES[tag]}{_example(tag, scalar.raw)}; "
                           f"viết \"{scalar.raw}\" trong dấu nháy kép", "error", "yaml-bay"))
    return out


def _example(tag: str, raw: str) -> str:
    import yaml

    try:
        value = yaml.safe_load(raw)
    except (yaml.YAMLError, ValueError):
        return ""
    if isinstance(value, bool):
        return f" ({'true' if value else 'false'})"
    return f" {value!r}" if str(value) != raw else ""


def unsafe_values(src: Source) -> list[Problem]:
    """Front-matter and registry text is shown on pages too: the same refusal of HTML and script as in the body."""
    from .body import unsafe

    return [Problem(src.path, scalar.line, f"trường {dotted(path)}: {message}", "error", code)
            for path, scalar in src.scalars.items() for message, code in unsafe(scalar.raw)]
