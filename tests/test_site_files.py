"""site_files.write_files: what a rebuild into an existing site (a preview's dirty rebuild) leaves and removes."""

from __future__ import annotations

import json
import os
import re

import pytest
from conftest import build

from notice_archive.site_files import write_files


def test_a_rebuild_rewrites_what_changed_and_removes_what_is_gone(tmp_path):
    assert write_files(tmp_path, "tim-kiem", [("tim-kiem/a.json", "một"), ("tim-kiem/x/b.json", b"hai"),
                                              ("tim-kiem/x/c.json", "ba"), ("tb/index.json", "bốn"),
                                              ("tim-kiem/all.json", iter([b"[", "năm".encode(), b"]"]))]) == 5
    assert (tmp_path / "tim-kiem" / "all.json").read_text(encoding="utf-8") == "[năm]"  # pieces, one after another
    same, changed = tmp_path / "tim-kiem" / "a.json", tmp_path / "tim-kiem" / "x" / "b.json"
    os.utime(same, (1, 1))
    os.utime(changed, (1, 1))
    assert write_files(tmp_path, "tim-kiem", [("tim-kiem/a.json", "một"), ("tim-kiem/x/b.json", b"hai!")]) == 2
    assert same.read_text(encoding="utf-8") == "một" and same.stat().st_mtime == 1  # not written again
    assert changed.read_bytes() == b"hai!" and changed.stat().st_mtime > 1
    assert not (tmp_path / "tim-kiem" / "x" / "c.json").exists()  # gone from the index: gone from the site
    assert (tmp_path / "tb" / "index.json").read_text(encoding="utf-8") == "bốn"  # outside the owned folder: kept
    write_files(tmp_path, "tim-kiem", [])
    assert not (tmp_path / "tim-kiem" / "x").exists() and not any((tmp_path / "tim-kiem").iterdir())


@pytest.mark.build
def test_the_build_log_counts_the_search_files_it_wrote(tiny_archive):
    """The search index is written a file at a time as it is made; the log's figures are of what was written."""
    result = build(tiny_archive())
    assert result.returncode == 0, result.output
    m = re.search(r"tìm kiếm: (\d+) phần \((\d+) tệp, (\d+) KB\)", result.output)
    assert m, result.output
    written = [p for p in (result.site / "tim-kiem").rglob("*") if p.is_file()]
    manifest = json.loads((result.site / "tim-kiem" / "manifest.json").read_text(encoding="utf-8"))
    assert int(m[1]) == manifest["docs"] > 0
    assert int(m[2]) == len(written) > 10
    assert int(m[3]) == sum(p.stat().st_size for p in written) // 1024
