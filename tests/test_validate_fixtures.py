"""One fixture per validation rule: a small bad notice and the exact messages (errors and advice) it must get.

tests/fixtures/validate/<rule>/
    case.md        the notice, placed at notices/ubnd-tp-lang-son/2020/<rule>.md (bytes kept as they are:
                   BOM, CRLF and invalid UTF-8 fixtures are binary, see .gitattributes there)
    expected.txt   every `path:line: message` line the validator prints for the archive, in its order
    path.txt       (optional) where case.md goes instead, relative to notices/
    <other>.md     (optional) more notices in the same archive, at notices/ubnd-tp-lang-son/2020/<rule>-<other>.md
    today.txt      (optional) the day the check runs on (default 2020-12-01), so date rules are deterministic

The archive holds the real registries (notices/_registry) and nothing else; it is validated in-process.
"""

from __future__ import annotations

import ast
import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from notice_archive.archive import load_archive
from notice_archive.safe_markdown import CODES as LINK_CODES

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "validate"
TODAY = dt.date(2020, 12, 1)
CASES = sorted(p.name for p in FIXTURES.iterdir() if (p / "case.md").is_file())


def validate_fixture(fixture: Path, tmp: Path) -> list[str]:
    """Lay the fixture out as an archive and return the validator's lines, as `notices validate` prints them."""
    docs = tmp / "notices"
    shutil.copytree(ROOT / "notices" / "_registry", docs / "_registry")
    rel = (fixture / "path.txt").read_text(encoding="utf-8").strip() if (fixture / "path.txt").exists() \
        else f"ubnd-tp-lang-son/2020/{fixture.name}.md"
    placed = {rel: fixture / "case.md"}
    for other in sorted(fixture.glob("*.md")):
        if other.name != "case.md":
            placed[f"ubnd-tp-lang-son/2020/{fixture.name}-{other.stem}.md"] = other
    for dest, source in placed.items():
        (docs / dest).parent.mkdir(parents=True, exist_ok=True)
        (docs / dest).write_bytes(source.read_bytes())
    today = TODAY
    if (fixture / "today.txt").exists():
        today = dt.date.fromisoformat((fixture / "today.txt").read_text(encoding="utf-8").strip())
    archive = load_archive(str(docs), today=today)
    return [p.format() for p in archive.problems]


def expected_lines(fixture: Path) -> list[str]:
    return [line for line in (fixture / "expected.txt").read_text(encoding="utf-8").splitlines() if line]


@pytest.mark.parametrize("name", CASES)
def test_fixture(name: str, tmp_path: Path) -> None:
    fixture = FIXTURES / name
    assert validate_fixture(fixture, tmp_path) == expected_lines(fixture)


def test_every_fixture_expects_at_least_one_error() -> None:
    """A bad notice must fail the build: each fixture has an error, or advice only where the rule is advice."""
    advice_only = {"items-gap", "items-out-of-order", "points-vietnamese-letters", "recipients-luu-vt-only",
                   "signer-kt-not-deputy"}
    for name in CASES:
        lines = expected_lines(FIXTURES / name)
        assert lines, f"{name}: expected.txt is empty"
        has_error = any("[khuyến nghị]" not in line for line in lines)
        assert has_error != (name in advice_only), f"{name}: errors {has_error}, listed as advice-only " \
                                                    f"{name in advice_only}"


# The modules that judge notices and registries (permanence.py, which compares builds with the committed list of
# published URLs, is tested in test_indexes.py).
VALIDATION_MODULES = [ROOT / "hooks" / "notice_archive" / name for name in (
    "reader.py", "body.py", "archive.py", "notice_check.py", "notice_rules.py", "archive_rules.py",
    "validation_messages.py", "registry.py", "cli.py", "archive_files.py")]


def problem_codes() -> set[str]:
    """Every problem code written in the core: the `code` argument of Problem(...), src.error(...), err(...),
    archive_files._refuse(...),
    and the (message, code) pairs of body.unsafe()."""
    codes: set[str] = set()
    for module in VALIDATION_MODULES:
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            position = {"Problem": 4, "error": 2, "err": 2, "_refuse": 3}.get(name)
            args = node.args
            if position is not None and len(args) > position:
                candidates = [args[position]]
            elif name == "append" and args and isinstance(args[0], ast.Tuple) and len(args[0].elts) == 2:
                candidates = [args[0].elts[1]]
            else:
                continue
            codes |= {c.value for c in candidates if isinstance(c, ast.Constant) and isinstance(c.value, str)}
    return codes | set(LINK_CODES.values())  # links and images, as Markdown parsed them (safe_markdown)


def test_every_problem_code_has_a_fixture() -> None:
    """Each kind of problem the core can report (its [code]) is shown by at least one fixture."""
    codes = problem_codes()
    assert {"yaml-bay", "trung-so", "html", "noi-nhan", "thu-tu-diem"} <= codes  # the scan itself works
    elsewhere = {"danh-muc", "khoa-danh-rieng", "khoa-sai-dang",  # registry files: test_validate.py
                 "duong-dan",  # paths given to `notices validate`: test_cli.py
                 "lien-ket-tuong-trung",  # symlinks (fixtures are copied as bytes): test_input_safety.py
                 "dia-chi-xoa"}  # the manifest against a git base: test_permanence_history.py
    covered = {code for name in CASES for line in expected_lines(FIXTURES / name)
               for code in re.findall(r"\[([a-z0-9-]+)\]$", line)}
    assert covered <= codes
    missing = codes - covered - elsewhere
    assert not missing, f"problem codes with no fixture: {sorted(missing)}"


def test_every_problem_code_is_explained_to_editors() -> None:
    """CONTRIBUTING.md's tables tell editors what each [code] means and how to fix it."""
    guide = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    missing = {code for code in problem_codes() if f"`{code}`" not in guide}
    assert not missing, f"codes missing from CONTRIBUTING.md: {sorted(missing)}"


def test_fixtures_are_small_and_named_by_rule() -> None:
    for name in CASES:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name), name
        assert (FIXTURES / name / "expected.txt").is_file(), f"{name}: expected.txt missing"
        assert (FIXTURES / name / "case.md").stat().st_size < 4000, f"{name}: keep fixtures small"
