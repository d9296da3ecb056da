"""Property: no input crashes or hangs the reader, the validator or the build, and every rejection has path:line.

Hypothesis mutates real notices and registries (bytes inserted, deleted, duplicated, or replaced by tokens that
have broken YAML, Markdown and Python readers before: aliases, tags, deep brackets, huge digit runs, far dates,
control and bidi characters, invalid UTF-8, long lines…). The fast tier runs a bounded number of examples with a
deadline; a few mutants go through a real build (marked build). Mutants the validator accepts are rendered as the
build renders them (anchored, mkdocs.yml's Markdown extensions): the page refuses nothing the validator let through,
since such a refusal is a build warning with no file or line. `python -m tests.test_fuzz_inputs N` runs N
mutants of each kind outside pytest and prints the figures (examples, crashes, hangs).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

try:
    from conftest import ROOT, SEED, build, make_archive, read_mkdocs_config
except ImportError:  # run as a module: python -m tests.test_fuzz_inputs
    from tests.conftest import ROOT, SEED, build, make_archive, read_mkdocs_config

from markdown import Markdown

from notice_archive.archive import load_archive
from notice_archive.notice_check import inspect_notice
from notice_archive.notice_page import anchored_source, body_source
from notice_archive.problems import Problem
from notice_archive.registry import load_registry
from notice_archive.safe_markdown import Refusal, SafeMarkdownExtension

TODAY = dt.date(2020, 12, 1)
REGISTRY = ROOT / "notices" / "_registry"
SEEDS = [SEED.read_bytes(), (ROOT / "tests/fixtures/validate/items-deadlines/case.md").read_bytes()]
# The seed as an issued notice (a number of its own): its mutants that the validator accepts are rendered.
ACCEPTED_SEED = SEEDS[0].replace(b"number: /TB-UBND\nstatus: chua-so\ndate: 2020-11\n",
                                 b"number: 501/TB-UBND\nstatus: ban-hanh\ndate: 2020-11-12\n", 1)
REGISTRIES = {name: (REGISTRY / name).read_bytes() for name in ("issuers.yml", "departments.yml", "projects.yml")}
TOKENS = [
    b"&a ", b"*a", b"&a [x, x]\nb: *a", b"!!python/object/apply:os.system ['id']", b"!foo ", b"? ", b"%YAML 1.1\n",
    b"[" * 60, b"{" * 60, b"- " * 40, b"]", b"}", b'"', b"'", b": ", b"\n  ", b"\n---\n", b"\n...\n", b"|", b">",
    b"\t", b"\r\n", b"\r", b"\x00", b"\x1b[31m", b"\x08", b"\x85", b"\xc2\x85", "\u202e".encode(), "\u2066".encode(),
    "\u200b".encode(), "\ufeff".encode(), "\u2028".encode(), b"\xff", b"\xc3", b"\xed\xa0\x80", b"9" * 5000,
    b"9" * 41, b"0" * 30 + b"1", b"9999-12-31", b"0000-01", b"2020-02-30", b"9999-12", b"1/TB-UBND", b"### ",
    b"### " + b"9" * 50 + b". x", b"## MMMMCMXCIX. x", b"a) ", b"***", b"<script>", b"<!--", b"[x](java\nscript:1)",
    b"![a](//x.invalid/y.png)", b"{: onclick=x }", b"&#x6a;avascript:", b"items:\n  muc-1:\n    deadlines: [",
    b"x" * 30000, b"<!--" * 3000, b"<a" * 6000, "đ".encode() * 100, b"\n" * 50, b"no", b"010", b"12:30", b"~", b"null", b"1e3",
]


@st.composite
def mutants(draw, seeds: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        end = min(len(data), at + draw(st.integers(0, 200)))
        action = draw(st.sampled_from(["insert", "replace", "delete", "duplicate", "bytes"]))
        if action == "insert":
            data[at:at] = draw(st.sampled_from(TOKENS))
        elif action == "replace":
            data[at:end] = draw(st.sampled_from(TOKENS))
        elif action == "delete":
            del data[at:end]
        elif action == "duplicate":
            data[at:at] = bytes(data[at:end]) * draw(st.integers(1, 50))
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=20))
    return bytes(data)


def located(problems: list[Problem], path: str, text: bytes) -> None:
    """Every problem names the file and a line of it (or line 1)."""
    last = text.count(b"\n") + 1
    for p in problems:
        assert p.path == path, p
        assert 1 <= p.line <= last, (p, last)
        assert p.message and "Traceback" not in p.message


def check_notice(raw: bytes) -> list[Problem]:
    from notice_archive.registry import Registry  # (the real registries, read once)

    registry = _REAL_REGISTRY[0] if _REAL_REGISTRY else None
    if registry is None:
        registry, problems = load_registry(str(ROOT / "notices"))
        assert not [p for p in problems if p.severity == "error"]
        _REAL_REGISTRY.append(registry)
    assert isinstance(registry, Registry)
    path = "notices/ubnd-tp-lang-son/2020/x.md"
    checked = inspect_notice(path, "ubnd-tp-lang-son/2020/x.md", raw, registry, TODAY)
    located(checked.problems, path, raw)
    return checked.problems


_REAL_REGISTRY: list = []  # the real registries, read by the first example (a cache local to this test module)


def check_registry(name: str, raw: bytes, folder: Path) -> list[Problem]:
    docs = folder / "notices"
    (docs / "_registry").mkdir(parents=True, exist_ok=True)
    for other, content in REGISTRIES.items():
        (docs / "_registry" / other).write_bytes(raw if other == name else content)
    archive = load_archive(str(docs), today=TODAY)
    for p in archive.problems:
        assert re.match(r"^notices/\S+:\d+$", f"{p.path}:{p.line}"), p
        if p.path == f"notices/_registry/{name}":
            located([p], p.path, raw)
    return archive.problems


@settings(max_examples=250, deadline=3000, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutants(SEEDS))
def test_mutated_notices_never_crash_the_validator(raw: bytes):
    check_notice(raw)


@settings(max_examples=100, deadline=5000, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(sorted(REGISTRIES)).flatmap(lambda name: st.tuples(st.just(name),
                                                                           mutants([REGISTRIES[name]]))))
def test_mutated_registries_never_crash_the_validator(case: tuple[str, bytes]):
    name, raw = case
    with tempfile.TemporaryDirectory() as folder:
        check_registry(name, raw, Path(folder))


@pytest.mark.build
@settings(max_examples=4, deadline=None, database=None, phases=[Phase.generate],  # (no shrinking: 5 s a build)
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.function_scoped_fixture])
@given(mutants([ACCEPTED_SEED]), st.sampled_from(sorted(REGISTRIES)).flatmap(
    lambda name: st.tuples(st.just(name), mutants([REGISTRIES[name]]) | st.just(REGISTRIES[name]))))
def test_mutated_archives_never_crash_the_build(raw: bytes, registry: tuple[str, bytes]):
    # Mutants of the issued seed: one the validator accepts is rendered (a mutant of the seed itself had the seed's
    # address, so it was refused and never reached Markdown, the links' check or the feeds).
    name, content = registry
    with tempfile.TemporaryDirectory() as folder:
        root = make_archive(Path(folder))
        (root / "notices/ubnd-tp-lang-son/2020/x.md").write_bytes(raw)
        (root / "notices/_registry" / name).write_bytes(content)
        result = build(root)
        assert result.returncode in (0, 1) and "Traceback" not in result.output, result.output[-3000:]
        warnings = [line for line in result.output.splitlines() if line.startswith("WARNING")]
        assert result.returncode == 0 or warnings, result.output[-3000:]
        for line in warnings:
            assert re.search(r"notice_archive: notices/\S+:\d+: |trang \S* có liên kết", line), line


def figures(count: int, hang: float = 2.0) -> None:
    """Run ``count`` mutants of notices and of registries outside pytest: examples, crashes, hangs (> 2 s)."""

    def registry_case(case: tuple[str, bytes]) -> None:
        with tempfile.TemporaryDirectory() as folder:
            check_registry(case[0], case[1], Path(folder))

    registry_cases = st.sampled_from(sorted(REGISTRIES)).flatmap(
        lambda name: st.tuples(st.just(name), mutants([REGISTRIES[name]])))
    _count("notices", mutants(SEEDS), check_notice, count, hang)
    _count("registries", registry_cases, registry_case, count, hang)


def _count(label: str, strategy, run_one, count: int, hang: float) -> None:
    stats = {"examples": 0, "crashes": 0, "hangs": 0, "slowest": 0.0}

    def one(case) -> None:
        start = time.perf_counter()
        try:
            run_one(case)
        except Exception as exc:  # counted, then shown
            stats["crashes"] += 1
            print(f"{label}: {type(exc).__name__}: {str(exc)[:300]}", file=sys.stderr)
        took = time.perf_counter() - start
        stats["examples"] += 1
        stats["slowest"] = max(stats["slowest"], took)
        stats["hangs"] += took > hang

    settings(max_examples=count, deadline=None, database=None, phases=[Phase.generate],
             suppress_health_check=list(HealthCheck))(given(strategy)(one))()
    print(f"{label}: {stats['examples']} mutants, {stats['crashes']} crashes, {stats['hangs']} hangs "
          f"(> {hang:.0f} s), slowest {stats['slowest']:.2f} s")


BODY_START = ACCEPTED_SEED.index(b"\n---\n", 4) + len(b"\n---\n")
MARKDOWN = read_mkdocs_config(ROOT / "mkdocs.yml")["markdown_extensions"]


def page_refusals(raw: bytes) -> list[Refusal] | None:
    """What the page of an accepted notice loses as the build renders it (its body anchored, as on_page_read_source
    gives it, through mkdocs.yml's Markdown extensions): each refusal is a warning of the build that names no file
    or line. None when the validator does not accept the notice (it is not rendered)."""
    problems = check_notice(raw)
    if any(p.severity == "error" for p in problems):
        return None
    registry = _REAL_REGISTRY[0]
    checked = inspect_notice("notices/x.md", "ubnd-tp-lang-son/2020/x.md", raw, registry, TODAY)
    assert checked.notice is not None
    names = [e if isinstance(e, str) else next(iter(e)) for e in MARKDOWN]
    configs = {next(iter(e)): next(iter(e.values())) for e in MARKDOWN if isinstance(e, dict)}
    md = Markdown(extensions=names, extension_configs=configs)
    [safe] = [e for e in md.registeredExtensions if isinstance(e, SafeMarkdownExtension)]
    safe.setConfig("report", False)
    assert safe.links is not None
    safe.links.report = False
    md.convert("\n" + anchored_source(checked.notice, *body_source(raw.decode("utf-8"))))
    return safe.links.refused


@st.composite
def body_mutants(draw) -> bytes:
    return ACCEPTED_SEED[:BODY_START] + draw(mutants([ACCEPTED_SEED[BODY_START:]]))


@settings(max_examples=150, deadline=3000, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutants([ACCEPTED_SEED]) | body_mutants())
def test_what_the_validator_accepts_renders_with_nothing_refused(raw: bytes):
    assert page_refusals(raw) in (None, [])


@pytest.mark.parametrize(("old", "new"), [
    (b"### 6. D", b"### 6. K\xe1\xba\xbf ho\xe1\xba\xa1ch {n\xc4\x83m 2021} D"), (b"### 6. D", b"### 6. x {onclick D"),
    (b"### 6. D", b"### 6. {: } D"), (b"\n***\n", b"\n## I. x {y}\n\n***\n"),
    (b"\n***\n", b"\nD\xc3\xb2ng\n{data-x}\n\n***\n"), (b"\n***\n", b"\n*x*{y}\n\n***\n"),
    (b"\n***\n", b"\n[x](#muc-1){y}\n\n***\n")])
def test_braces_markdown_reads_as_attributes_are_refused_by_the_validator(old: bytes, new: bytes):
    # Found by the test above: a '{' in an item's title (read with the anchor render_markdown appends) or a
    # paragraph ending in '{…}' passed the validator; the build then dropped the words as attributes and failed on
    # warnings that named no file or line.
    raw = ACCEPTED_SEED.replace(old, new, 1)
    assert raw != ACCEPTED_SEED and page_refusals(ACCEPTED_SEED) == []
    assert page_refusals(raw) is None
    line = raw[:raw.index(b"{")].count(b"\n") + 1
    assert [(p.line, p.code) for p in check_notice(raw) if p.severity == "error"] == [(line, "thuoc-tinh")]


def test_a_lone_carriage_return_leaves_every_message_on_a_line_of_the_file():
    # Found by the test above: a CR alone, read as a line break, put a later message (a paragraph of brackets) past
    # the file's last line; git and GitHub count lines by LF only.
    raw = SEEDS[0].replace(b"\ntitle:", b"\nt\ritle:", 1) + b"\n\n" + b"\r" * 20 + b"[" * 60 + b"\n"
    problems = check_notice(raw)  # every problem on a line of the file
    assert [p.line for p in problems if p.code == "crlf"] == [raw[:raw.index(b"\r")].count(b"\n") + 1]


@pytest.mark.build
def test_a_broken_relative_link_stops_the_build_at_its_line(tmp_path: Path):
    # Found by building what the validator accepts: a relative link to no file, or to an anchor the notice lacks,
    # passed the validator; the build then failed on MkDocs' warnings, in English and with no line.
    fixture = ROOT / "tests/fixtures/validate/body-link-target"
    root = make_archive(tmp_path)
    folder = root / "notices/ubnd-tp-lang-son/2020"
    (folder / "body-link-target.md").write_bytes((fixture / "case.md").read_bytes())
    (folder / "body-link-target-khac.md").write_bytes((fixture / "khac.md").read_bytes())
    # A notice linking to the one in error: that page is not published, so the link is broken in turn.
    linking = ACCEPTED_SEED.replace(b"\n***\n", b"\nXem [th\xc3\xb4ng b\xc3\xa1o](body-link-target.md#muc-1).\n\n***\n", 1)
    (folder / "lien-ket.md").write_bytes(linking)
    result = build(root)
    assert result.returncode == 1 and "Traceback" not in result.output, result.output[-3000:]
    warnings = [line for line in result.output.splitlines() if line.startswith("WARNING")]
    assert warnings and all(" notice_archive: notices/" in line for line in warnings), warnings
    located = re.findall(r"notices/ubnd-tp-lang-son/2020/([\w-]+)\.md:(\d+): nội dung: liên kết", "\n".join(warnings))
    expected = [line.split(".md:")[1].split(":")[0] for line in (fixture / "expected.txt").read_text().splitlines()]
    assert sorted(n for f, n in located if f == "body-link-target") == sorted(expected)
    assert [int(n) for f, n in located if f == "lien-ket"] == [linking[:linking.index(b"[th")].count(b"\n") + 1]


if __name__ == "__main__":
    sys.path.insert(0, os.fspath(ROOT / "hooks"))
    figures(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
