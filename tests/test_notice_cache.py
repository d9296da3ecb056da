"""The per-notice cache: a rebuild checks only what changed, and a cached build is byte for byte a cold one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import build, make_archive, minimal_notice

from notice_archive import archive as archive_module
from notice_archive.archive import load_archive
from notice_archive.notice_cache import NoticeCache
from notice_archive.notice_check import Checked

DAY = dt.date(2026, 12, 2)
NEW = "ubnd-tp-lang-son/2021/tb-7.md"


@pytest.fixture
def counted(monkeypatch) -> list[str]:
    """The notices actually checked (not taken from the cache)."""
    calls: list[str] = []
    real = archive_module.inspect_notice

    def inspect(display, src_uri, *args):
        calls.append(src_uri)
        return real(display, src_uri, *args)

    monkeypatch.setattr(archive_module, "inspect_notice", inspect)
    return calls


def _load(docs: Path) -> archive_module.Archive:
    return load_archive(str(docs), DAY, cache=True)


def test_a_second_load_checks_nothing_and_gives_the_same_archive(tmp_path, monkeypatch, counted):
    monkeypatch.setenv("NOTICE_ARCHIVE_CACHE", str(tmp_path / "cache"))
    docs = make_archive(tmp_path, {NEW: minimal_notice(number="07/TB-UBND", date="2021-03-02",
                                                       meeting="2021-03-01")}) / "notices"
    cold = load_archive(str(docs), DAY)  # no cache
    assert len(counted) == 2
    first, second = _load(docs), _load(docs)
    assert len(counted) == 4  # the first cached load checked both, the second none
    for archive in (first, second):
        assert archive.notices == cold.notices and archive.problems == cold.problems
        assert archive.replaces == cold.replaces and archive.registry == cold.registry
    assert cold.problems  # the seed's advice comes back from the cache too


def test_what_changes_is_checked_again(tmp_path, monkeypatch, counted):
    monkeypatch.setenv("NOTICE_ARCHIVE_CACHE", str(tmp_path / "cache"))
    docs = make_archive(tmp_path, {NEW: minimal_notice(number="07/TB-UBND", date="2021-03-02",
                                                       meeting="2021-03-01")}) / "notices"
    _load(docs)
    counted.clear()
    (docs / NEW).write_text(minimal_notice(number="07/TB-UBND", date="2099-03-02", meeting="2021-03-01"),
                            encoding="utf-8")
    edited = _load(docs)
    assert counted == [NEW]  # one notice edited: one notice checked
    assert any(p.path == f"notices/{NEW}" and "ở tương lai" in p.message for p in edited.errors)
    counted.clear()
    load_archive(str(docs), DAY + dt.timedelta(days=1), cache=True)  # another build day: date rules again
    assert len(counted) == 2
    counted.clear()
    departments = docs / "_registry" / "departments.yml"
    departments.write_text(departments.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    _load(docs)
    assert len(counted) == 2  # the registries changed: every notice again
    counted.clear()
    monkeypatch.setenv("NOTICE_ARCHIVE_CACHE", "off")
    _load(docs)
    assert len(counted) == 2


def test_a_broken_entry_is_checked_again(tmp_path, monkeypatch, counted):
    monkeypatch.setenv("NOTICE_ARCHIVE_CACHE", str(tmp_path / "cache"))
    docs = make_archive(tmp_path) / "notices"
    cold = _load(docs)
    for entry in (tmp_path / "cache").rglob("*.pickle"):
        entry.write_bytes(b"not a pickle")
    counted.clear()
    assert _load(docs).notices == cold.notices and counted == [str(p.relative_to(docs)) for p in
                                                              sorted(docs.rglob("2020/*.md"))]


@pytest.mark.build
def test_a_cached_build_is_byte_for_byte_a_cold_build(tiny_archive, tmp_path):
    root = tiny_archive({NEW: minimal_notice(number="07/TB-UBND", date="2021-03-02", meeting="2021-03-01")})
    env = {"SOURCE_DATE_EPOCH": "1764633600"}
    cold = build(root, site=tmp_path / "cold", env={**env, "NOTICE_ARCHIVE_CACHE": "off"})
    assert cold.returncode == 0, cold.output
    cache = {**env, "NOTICE_ARCHIVE_CACHE": str(tmp_path / "cache")}
    filling = build(root, site=tmp_path / "filling", env=cache)
    warm = build(root, site=tmp_path / "warm", env=cache)
    assert warm.returncode == 0 and filling.returncode == 0, warm.output
    entries = [p for p in (tmp_path / "cache").rglob("*.pickle") if p.name.count(".") == 1]
    assert len(entries) == 2  # the seed and the new notice (each with its parts beside it: <key>.<part>.pickle)
    for site in (filling.site, warm.site):
        _assert_same_site(site, cold.site)
    # One notice edited (title, body, a new item): what the cache kept of it (its page, open data, search
    # document...) is made again; every other notice's parts come from the cache; the site is the cold build's.
    notice = root / "notices" / NEW
    notice.write_text(minimal_notice(number="07/TB-UBND", date="2021-03-02", meeting="2021-03-01",
                                     title="Kết luận đã sửa về chiếu sáng",
                                     body="Nội dung đã sửa, nhắc Thông báo số 123/TB-UBND ngày 20/11/2020."),
                      encoding="utf-8")
    cold_edit = build(root, site=tmp_path / "cold-edit", env={**env, "NOTICE_ARCHIVE_CACHE": "off"})
    warm_edit = build(root, site=tmp_path / "warm-edit", env=cache)
    assert cold_edit.returncode == 0 and warm_edit.returncode == 0, cold_edit.output + warm_edit.output
    assert "Kết luận đã sửa về chiếu sáng" in (warm_edit.site / "index.html").read_text(encoding="utf-8")
    _assert_same_site(warm_edit.site, cold_edit.site)


def _assert_same_site(site: Path, cold: Path) -> None:
    files = sorted(p.relative_to(cold) for p in cold.rglob("*") if p.is_file())
    assert sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file()) == files
    for rel in files:
        assert (site / rel).read_bytes() == (cold / rel).read_bytes(), rel


def test_parts_are_kept_per_notice_and_context_and_made_again_when_either_changes(tmp_path):
    docs = make_archive(tmp_path) / "notices"
    raw = b"---\ntitle: x\n---\n"
    made: list[str] = []

    def make(value: str):
        return lambda: made.append(value) or value

    first = NoticeCache(tmp_path / "cache", str(docs), "_registry", DAY, "notices")
    first.put("a.md", raw, Checked(None, []))
    assert first.part("a.md", "page", b"ctx", make("one")) == "one"
    assert first.part("a.md", "page", b"ctx", make("two")) == "one"  # kept
    assert first.part("b.md", "page", b"ctx", make("b")) == "b" and made == ["one", "b"]  # not in the cache: made
    second = NoticeCache(tmp_path / "cache", str(docs), "_registry", DAY, "notices")
    assert second.get("a.md", raw) is not None
    assert second.part("a.md", "page", b"ctx", make("three")) == "one"  # from the file the first build wrote
    assert second.part("a.md", "page", b"other", make("four")) == "four"  # another context: made again
    assert second.get("a.md", raw + b"\n") is None  # other bytes: another entry
    assert made == ["one", "b", "four"]


@pytest.mark.parametrize("key", ["original", '"original"', "'original'", "original ", '"origin\\x61l"'])
def test_a_notice_that_keeps_an_original_is_checked_against_it_every_time(tmp_path, monkeypatch, counted, key):
    # The check reads the original, which the notice's bytes (the cache's key) do not cover: a changed PDF beside an
    # unchanged notice must still fail its hash. In any spelling of the key YAML reads as the same field (quoted, a
    # space before the colon, an escape in a double-quoted key), not only the plain one.
    import hashlib

    monkeypatch.setenv("NOTICE_ARCHIVE_CACHE", str(tmp_path / "cache"))
    pdf = b"%PDF-1.7\n% ban goc\n"
    extra = f"{key}:\n  file: tb-7.pdf\n  sha256: {hashlib.sha256(pdf).hexdigest()}\n  size: {len(pdf)}\n"
    docs = make_archive(tmp_path, {NEW: minimal_notice(number="07/TB-UBND", date="2021-03-02",
                                                       meeting="2021-03-01", extra=extra)}) / "notices"
    (docs / NEW).with_suffix(".pdf").write_bytes(pdf)
    first = _load(docs)
    assert not first.errors and any(n.original for n in first.notices)
    counted.clear()
    (docs / NEW).with_suffix(".pdf").write_bytes(pdf.replace(b"ban", b"BAN"))
    changed = _load(docs)
    assert counted == [NEW]
    assert [p.code for p in changed.errors] == ["ban-goc"] and "sha256" in changed.errors[0].message


def test_a_cache_inside_the_repository_is_never_used(tmp_path):
    """Its entries are pickles: a cache folder a pull request could fill (a relative setting, or one inside the
    checkout) turns the cache off instead."""
    docs = make_archive(tmp_path) / "notices"
    repository = docs.parent
    for setting in (str(repository / ".cache"), str(docs / "x"), str(repository)):
        assert NoticeCache.for_build(str(docs), "_registry", DAY, environ={"NOTICE_ARCHIVE_CACHE": setting}) is None
    assert NoticeCache.for_build(str(docs), "_registry", DAY,
                                 environ={"XDG_CACHE_HOME": str(repository / "c")}) is None
    outside = NoticeCache.for_build(str(docs), "_registry", DAY,
                                    environ={"NOTICE_ARCHIVE_CACHE": str(tmp_path / "elsewhere")})
    assert outside is not None
