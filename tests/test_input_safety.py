"""No input can crash, hang or exhaust validation or the build, and only what is meant to be published is: bounds,
invisible characters, symlinks and stray files (the fixtures in tests/fixtures/validate/ show each message; these
are the cases a fixture cannot hold: big files, symlinks, FIFOs, the build itself)."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
import time
import unicodedata
from pathlib import Path

import pytest
from conftest import BIN, ROOT, build, make_archive, minimal_notice

from notice_archive import limits
from notice_archive.archive import load_archive
from notice_archive.reader import read_bytes, read_bytes_yaml
from notice_archive.text import REMOVABLE, UNSEEN

LOCATED = re.compile(r"^notices/\S.*?:\d+: ")


def validate(docs: Path) -> list[str]:
    return [p.format() for p in load_archive(str(docs), today=None).problems if p.severity == "error"]


def test_unseen_characters_are_every_control_format_and_separator_character():
    """text.UNSEEN is built from planes 0, 1 and 14: it must hold every Cc, Cf, Zl and Zp code point of Unicode
    (but tab and line feed) and the noncharacters, and nothing a Vietnamese text uses."""
    wanted = {"Cc", "Cf", "Zl", "Zp"}
    for cp in range(0x110000):
        ch = chr(cp)
        bad = (unicodedata.category(ch) in wanted and ch not in "\t\n") or (0xFDD0 <= cp <= 0xFDEF) \
            or (cp & 0xFFFE) == 0xFFFE
        assert (UNSEEN.fullmatch(ch) is not None) == bad, f"U+{cp:04X}"
        assert (REMOVABLE.fullmatch(ch) is not None) == (unicodedata.category(ch) == "Cf"), f"U+{cp:04X}"
    assert not UNSEEN.search("Đồng chí Nguyễn Văn Hạnh – “Chủ tịch” UBND\u00a0thành phố\t…")


def test_file_size_is_bounded_before_it_is_read(tmp_path: Path):
    big = minimal_notice(body="Nội dung.\n" * (limits.MAX_NOTICE_BYTES // 10)).encode()
    src = read_bytes("notices/x.md", big)
    assert [(p.line, p.code) for p in src.problems] == [(1, "qua-lon")] and src.data is None
    reg = read_bytes_yaml("notices/_registry/projects.yml", b"a:\n  name: x\n" * (limits.MAX_REGISTRY_BYTES // 10))
    assert [(p.line, p.code) for p in reg.problems] == [(1, "qua-lon")]
    # in an archive: the file is read no further than the bound
    root = make_archive(tmp_path, {"ubnd-tp-lang-son/2020/lon.md": minimal_notice(number="124/TB-UBND")})
    (root / "notices/ubnd-tp-lang-son/2020/lon.md").write_bytes(big)
    assert any(line.startswith("notices/ubnd-tp-lang-son/2020/lon.md:1: tệp quá lớn") for line in
               validate(root / "notices"))


def test_long_lines_are_bounded():
    text = minimal_notice(body="### 1. Mục\n\n" + "ab" * (limits.MAX_LINE_CHARS // 2 + 1))
    src = read_bytes("notices/x.md", text.encode())
    assert [(p.line, p.code) for p in src.problems] == [(23, "qua-lon")], src.problems


@pytest.mark.parametrize(("body", "line", "what"), [
    ("[" * 9000 + "x" + "]" * 9000, 23, "dấu '['"),  # Markdown's link parser: quadratic in unclosed '['
    ("[a" * 33 + " x" * 9000, 23, "dấu '['"),
    ("<a " * 40, 23, "dấu '<'"),
    ("\n".join("    " * i + "- x" for i in range(40)), 32, "thụt vào 36 khoảng trắng"),  # recursion, per level
    ("*" * 6000 + "x" + "*" * 6000, 23, "ký tự '*' liền nhau"),  # nested emphasis: recursion in the tree
    ("\n".join(["câu " * 20] * 300), 23, "đoạn văn dài hơn"),
])
def test_markdown_that_would_hang_or_recurse_is_refused_before_it_is_read(body, line, what):
    src = read_bytes("notices/x.md", minimal_notice(body="### 1. Mục\n\n" + body).encode())
    assert [p.code for p in src.problems] == ["qua-lon"] and src.problems[0].line == line, src.problems
    assert what in src.problems[0].message


def test_invisible_characters_written_as_yaml_escapes_are_refused():
    for escape in ("\\0", "\\b", "\\e", "\\N", "\\u2028", "\\u202e", "\\u200b", "\\x0c"):
        src = read_bytes("notices/x.md", minimal_notice(title=f'"Kết luận{escape}thử"').encode())
        assert [(p.line, p.code) for p in src.problems] == [(7, "ky-tu-an")], (escape, src.problems)


def test_alias_bomb_costs_nothing():
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 12)]  # 10^12 strings
    start = time.perf_counter()
    src = read_bytes("notices/x.md", minimal_notice(extra="\n".join(levels) + "\n").encode())
    assert time.perf_counter() - start < 2
    assert [p.code for p in src.problems] == ["yaml-bi-danh"] and src.data is None
    deep = read_bytes("notices/x.md", minimal_notice(extra="x: " + "[" * 100_000 + "\n").encode())
    assert [p.code for p in deep.problems] == ["qua-lon"]


@pytest.mark.programs
def test_invisible_characters_are_refused_in_registries_and_removed_by_fix(tmp_path: Path):
    root = make_archive(tmp_path)
    departments = root / "notices/_registry/departments.yml"
    text = departments.read_text(encoding="utf-8")
    departments.write_text(text.replace("name: Phòng", "name: Phòng\u200b", 1), encoding="utf-8")
    errors = validate(root / "notices")
    invisible = [e for e in errors if e.endswith("[ky-tu-an]")]
    assert len(invisible) == 1 and invisible[0].startswith("notices/_registry/departments.yml:4: ") \
        and "notices fix" in invisible[0], errors  # (the registry is then unread: references to it fail too)
    notice = root / "notices/ubnd-tp-lang-son/2020/x.md"
    notice.write_text(minimal_notice(number="124/TB-UBND", title="Kết \u202eluận\u202c thử\u2060",
                                     body="Nội\x1b dung."), encoding="utf-8")
    fix = subprocess.run([str(BIN / "notices"), "fix", str(departments), str(notice)], capture_output=True,
                         text=True)
    assert fix.returncode == 0, fix.stderr
    assert departments.read_text(encoding="utf-8") == text  # the zero-width space went, nothing else
    fixed = notice.read_text(encoding="utf-8")
    assert "Kết luận thử\n" in fixed and "Nội\x1b dung." in fixed  # a control character is left for an editor
    errors = validate(root / "notices")
    assert [e.split(": ", 1)[0] for e in errors] == ["notices/ubnd-tp-lang-son/2020/x.md:21"], errors


def _stray_archive(tmp_path: Path) -> Path:
    root = make_archive(tmp_path, {"ubnd-tp-lang-son/2020/hong.md": minimal_notice(number="124/TB-UBND")})
    docs = root / "notices"
    (docs / "ubnd-tp-lang-son/2020/hong.md").write_bytes(minimal_notice(number="124/TB-UBND").encode()
                                                          .replace("Nội".encode(), b"N\xff\xfei"))
    (docs / "ubnd-tp-lang-son/2020/trang.html").write_text("<script>alert(1)</script>", encoding="utf-8")
    (docs / "assets/javascripts").mkdir(parents=True)
    (docs / "assets/javascripts/search.js").write_text("alert('thay')", encoding="utf-8")
    (docs / "_nhap").mkdir()
    (docs / "_nhap/ban-nhap.md").write_text("# nháp", encoding="utf-8")
    os.mkfifo(docs / "ubnd-tp-lang-son/2020/fifo.md")
    return root


@pytest.mark.programs
def test_symlinks_and_special_files_are_reported_never_followed(tmp_path: Path):
    root = _stray_archive(tmp_path)
    docs = root / "notices"
    os.symlink("/etc/passwd", docs / "ubnd-tp-lang-son/2020/passwd.md")
    os.symlink("/nonexistent/x.md", docs / "ubnd-tp-lang-son/2020/hong-lien-ket.md")
    os.symlink("/etc", docs / "etc")
    os.symlink(".", docs / "vong")
    registry = docs / "_registry/projects.yml"
    registry.rename(docs / "projects.yml.bak")
    os.symlink(docs / "projects.yml.bak", registry)
    start = time.perf_counter()
    errors = validate(docs)
    assert time.perf_counter() - start < 10  # the FIFO is never opened, the loop never walked
    where = {e.split(": ", 1)[0]: e for e in errors}
    for path in ("ubnd-tp-lang-son/2020/passwd.md", "ubnd-tp-lang-son/2020/hong-lien-ket.md", "etc", "vong",
                 "_registry/projects.yml"):
        assert f"notices/{path}:1" in where and "[lien-ket-tuong-trung]" in where[f"notices/{path}:1"], (path, errors)
    for path, code in (("ubnd-tp-lang-son/2020/fifo.md", "tep-la"), ("ubnd-tp-lang-son/2020/trang.html", "tep-la"),
                       ("_nhap/ban-nhap.md", "tep-la"), ("projects.yml.bak", "tep-la"),
                       ("assets/javascripts/search.js", "dia-chi-danh-rieng"),
                       ("ubnd-tp-lang-son/2020/hong.md", "utf8")):
        assert any(e.startswith(f"notices/{path}:") and e.endswith(f"[{code}]") for e in errors), (path, errors)
    assert all(LOCATED.match(e) for e in errors)
    assert not any("root:" in e for e in errors)  # nothing from /etc/passwd was read
    cli = subprocess.run([str(BIN / "notices"), "validate", "--docs-dir", str(docs)], capture_output=True,
                         text=True, timeout=60)
    assert cli.returncode == 1 and "Traceback" not in cli.stderr


@pytest.mark.build
def test_build_publishes_only_what_the_archive_accepted(tmp_path: Path):
    """A stray page, a script over the theme's, an unread draft, a FIFO and a notice that is not UTF-8: the strict
    build fails with each path:line (no traceback), and even a lenient build publishes none of them."""
    root = _stray_archive(tmp_path)
    strict = build(root)
    assert strict.returncode == 1 and "Traceback" not in strict.output
    for path in ("ubnd-tp-lang-son/2020/trang.html:1", "assets/javascripts/search.js:1", "_nhap/ban-nhap.md:1",
                 "ubnd-tp-lang-son/2020/fifo.md:1", "ubnd-tp-lang-son/2020/hong.md:21"):
        assert f"notices/{path}: " in strict.output, path
    # mkdocs serve builds without --strict: still nothing but the accepted notice and the theme is published
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    site = tmp_path / "lenient"
    lenient = subprocess.run([str(BIN / "mkdocs"), "build", "--no-strict", "-f", str(root / "mkdocs.yml"),
                              "--site-dir", str(site)],
                             capture_output=True, text=True, env=env, cwd=root, timeout=300)
    assert lenient.returncode == 0, lenient.stdout + lenient.stderr
    published = {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert not any(p.startswith(("_nhap", "ubnd-tp-lang-son/2020/trang", "ubnd-tp-lang-son/2020/hong",
                                 "ubnd-tp-lang-son/2020/fifo")) for p in published), sorted(published)
    script = (site / "assets/javascripts/search.js").read_text(encoding="utf-8")
    assert script == (ROOT / "theme/assets/javascripts/search.js").read_text(encoding="utf-8")


@pytest.mark.build
def test_build_stops_at_a_symlink_before_mkdocs_follows_it(tmp_path: Path):
    root = make_archive(tmp_path)
    docs = root / "notices"
    os.symlink(".", docs / "vong-1")
    os.symlink(".", docs / "vong-2")  # two loops: MkDocs' own listing would walk 2^40 paths
    os.symlink("/etc", docs / "ubnd-tp-lang-son/etc")
    start = time.perf_counter()
    result = build(root)
    assert time.perf_counter() - start < 120
    assert result.returncode == 1 and "Traceback" not in result.output
    for path in ("vong-1", "vong-2", "ubnd-tp-lang-son/etc"):
        assert f"notices/{path}:1: là liên kết tượng trưng" in result.output



@pytest.mark.parametrize("line", ["<a" * 9_999, "<!--" * 4_999, "<b " * 6_600, ">" + "<a" * 9_998, "< " * 9_999])
def test_html_checks_take_linear_time_on_the_largest_notice(line: str):
    """The HTML checks went back over the text from every '<' (184 s for 25 lines of "<!--<!--…"): now linear."""
    from notice_archive.notice_check import inspect_notice
    from notice_archive.registry import load_registry

    registry, _ = load_registry(str(ROOT / "notices"))
    raw = minimal_notice(body="### 1. Mục\n\n" + "\n".join([line] * 25)).encode()
    assert len(raw) <= limits.MAX_NOTICE_BYTES
    start = time.perf_counter()
    checked = inspect_notice("notices/x.md", "x.md", raw, registry, dt.date(2020, 12, 1))
    assert time.perf_counter() - start < 5
    assert all(p.line >= 1 for p in checked.problems)


@pytest.mark.build
def test_a_registry_that_cannot_be_read_fails_the_build_with_messages_not_a_traceback(tmp_path: Path):
    """Found by the Hypothesis build test: departments.yml refused (here: an anchor) left projects whose lead no
    longer existed, and the projects page ended the build in a Jinja traceback."""
    root = make_archive(tmp_path)
    departments = root / "notices/_registry/departments.yml"
    departments.write_bytes(b"&a " + departments.read_bytes())
    result = build(root)
    assert result.returncode == 1 and "Traceback" not in result.output
    assert "notices/_registry/departments.yml:1: YAML: không dùng neo '&a'" in result.output
    assert "notices/_registry/projects.yml:4: dự án 'gpmb-du-an-trong-diem': 'lead'" in result.output


# Lists nested on one line ("- - - … x") or by indentation inside a quote ("> " + tabs + "- x") recurse in
# Markdown's block parser (RecursionError from ~500 levels) with no long line, deep indentation or marker run.
NESTED_LISTS = [
    ("- " * 600 + "x", 23),
    ("1. " * 600 + "x", 23),
    ("> - " + "- " * 600 + "x", 23),
    ("\n\n".join("> " + "\t" * k + "- x" for k in range(700)), 23 + 2 * 9),
]


@pytest.mark.parametrize(("body", "line"), NESTED_LISTS)
def test_lists_nested_too_deep_are_refused_before_markdown_reads_them(body: str, line: int):
    src = read_bytes("notices/x.md", minimal_notice(body="### 1. Mục\n\n" + body).encode())
    # one message per paragraph (the quoted case has 700)
    assert {p.code for p in src.problems} == {"qua-lon"} and src.problems[0].line == line, src.problems[:3]


@pytest.mark.build
def test_a_notice_with_lists_nested_too_deep_fails_the_build_with_a_message_not_a_traceback(tmp_path: Path):
    root = make_archive(tmp_path, {"ubnd-tp-lang-son/2020/sau.md": minimal_notice(
        number="124/TB-UBND", body="Nội dung.\n\n" + "- " * 600 + "x")})
    result = build(root)
    assert result.returncode == 1 and "Traceback" not in result.output and "RecursionError" not in result.output
    assert "notices/ubnd-tp-lang-son/2020/sau.md:23: " in result.output


@pytest.mark.parametrize("cache", [False, True])
@pytest.mark.parametrize("name", [b"tb-\xff.md", b"tb-\xed\xa0\x80.md", b"\xc3(/tb-1.md"])
def test_a_file_name_that_is_not_utf8_is_refused_not_a_crash(tmp_path: Path, monkeypatch, name: bytes, cache: bool):
    # Git keeps a file name's bytes: a pull request can hold one that is not UTF-8 (Python reads it with surrogates,
    # which the cache's key and every UTF-8 write refused with a UnicodeEncodeError).
    monkeypatch.setenv("NOTICE_ARCHIVE_CACHE", str(tmp_path / "cache"))
    root = make_archive(tmp_path)
    folder = os.fsencode(root / "notices/ubnd-tp-lang-son/2020")
    os.makedirs(os.path.dirname(os.path.join(folder, name)), exist_ok=True)
    with open(os.path.join(folder, name), "wb") as fh:
        fh.write(minimal_notice(number="124/TB-UBND").encode())
    archive = load_archive(str(root / "notices"), today=dt.date(2026, 12, 2), cache=cache)
    errors = [p for p in archive.problems if p.severity == "error"]
    assert [(p.line, p.code) for p in errors] == [(1, "ten-tep")], errors
    assert errors[0].format().encode("utf-8")  # printable: no surrogate left in the message
    assert not any("124" in n.number_text for n in archive.notices)


@pytest.mark.build
def test_a_file_name_that_is_not_utf8_fails_the_build_with_a_message_not_a_traceback(tmp_path: Path):
    root = make_archive(tmp_path)
    with open(os.path.join(os.fsencode(root / "notices/ubnd-tp-lang-son/2020"), b"tb-\xff.md"), "wb") as fh:
        fh.write(minimal_notice(number="124/TB-UBND").encode())
    result = build(root)
    assert result.returncode == 1 and "Traceback" not in result.output, result.output[-2000:]
    assert "notices/ubnd-tp-lang-son/2020/tb-<U+DCFF>.md:1: " in result.output


@pytest.mark.parametrize(("name", "shown"), [("tb\tmot.md", "tb<U+0009>mot.md"), ("tb\nmot.md", "tb<U+000A>mot.md"),
                                             ("a\nb/tb-mot.md", "a<U+000A>b/tb-mot.md")])
def test_a_tab_or_line_feed_in_a_file_name_is_refused_and_shown_as_its_code(tmp_path: Path, name: str, shown: str):
    # Found by building odd file names: UNSEEN leaves tab and line feed to text, so such a name was published, its
    # messages split over two lines ('notices/…/tb' then 'mot.md:25: …'), not path:line.
    root = make_archive(tmp_path, {f"ubnd-tp-lang-son/2020/{name}": minimal_notice(number="124/TB-UBND")})
    archive = load_archive(str(root / "notices"), today=dt.date(2026, 12, 2))
    errors = [p for p in archive.problems if p.severity == "error"]
    assert [(p.path, p.line, p.code) for p in errors] == [(f"notices/ubnd-tp-lang-son/2020/{shown}", 1, "ten-tep")]
    assert "\n" not in errors[0].format() and "\t" not in errors[0].format()
    assert not any(n.number_text == "124/TB-UBND" for n in archive.notices)


@pytest.mark.parametrize("beside", [True, False])
def test_a_readme_beside_an_index_is_refused(tmp_path: Path, beside: bool):
    # MkDocs takes README.md for the folder's index.md: beside one it dropped the notice with a warning of its own,
    # in English and with no line, and the build failed. Alone, README.md is a notice like any other.
    notices = {"ubnd-tp-lang-son/2020/README.md": minimal_notice(number="124/TB-UBND")}
    if beside:
        notices["ubnd-tp-lang-son/2020/index.md"] = minimal_notice(number="125/TB-UBND")
    root = make_archive(tmp_path, notices)
    archive = load_archive(str(root / "notices"), today=dt.date(2026, 12, 2))
    errors = [(p.path, p.line, p.code) for p in archive.problems if p.severity == "error"]
    assert errors == ([("notices/ubnd-tp-lang-son/2020/README.md", 1, "ten-tep")] if beside else [])
    assert [n.src_uri for n in archive.notices if n.number_text.startswith("12")] == \
        (["ubnd-tp-lang-son/2020/index.md"] if beside else ["ubnd-tp-lang-son/2020/README.md"])


@pytest.mark.parametrize("rule", ["- " * 12, "* " * 12, "> " + "- " * 12, "-  " * 12])
def test_a_rule_of_spaced_dashes_or_stars_is_not_taken_for_nested_lists(rule: str):
    # Markdown reads a line of one marker and spaces as a horizontal rule, before any list: nothing nests.
    src = read_bytes("notices/x.md", minimal_notice(body="Nội dung.\n\n" + rule + "\n\nTiếp.").encode())
    assert not src.problems, src.problems


@pytest.mark.parametrize("line", ["-\t" * 600 + "-", "-   " * 600, "- * " * 300])
def test_marker_lines_markdown_does_not_read_as_a_rule_are_nested_lists(line: str):
    # A rule allows at most two spaces between its marks and one kind of mark: these nest 300-600 lists.
    src = read_bytes("notices/x.md", minimal_notice(body="Nội dung.\n\n" + line).encode())
    assert [(p.line, p.code) for p in src.problems] == [(23, "qua-lon")], src.problems


def test_thousands_of_links_and_attribute_lists_are_placed_in_one_pass(monkeypatch):
    # Markdown keeps no line numbers: each destination and attribute name is found in the body's lines. Looked for
    # one at a time, a body of 4,000 links (well within the size limit) took 7 s, 30,000 would take minutes: the
    # lines are now read once for all of them, and each is placed from that reading (no line scan of its own).
    from notice_archive import safe_markdown

    scans = []
    monkeypatch.setattr(safe_markdown._Places, "_holding", lambda self, text, brace: scans.append(text) or [])
    n = 300
    body = "\n\n".join(f"[a](b{i}.md) [c](javascript:x{i}) *x*{{y{i}}}" for i in range(n))
    found, kept = safe_markdown.read_links(body)
    assert safe_markdown.relative_links(body, kept) == [(2 * i, f"b{i}.md") for i in range(n)]
    problems = safe_markdown.link_problems(body, found)
    assert sorted(offset for offset, _, code in problems if code == "lien-ket") == [2 * i for i in range(n)]
    assert sorted(offset for offset, _, code in problems if code == "thuoc-tinh") == [2 * i for i in range(n)]
    assert scans == []
