"""Golden snapshots of a tiny site's outputs (as mkdocs-gen-files and literate-nav test theirs): the site is built
once with the real MkDocs + Material, and whole files are compared byte for byte with tests/golden/.

A change that alters an output on purpose rewrites the snapshots, to be reviewed in the diff:

    UPDATE_GOLDEN=1 .venv/bin/pytest tests/test_golden.py

The build is deterministic: a fixed build day (SOURCE_DATE_EPOCH) and no git history (GIT_CEILING_DIRECTORIES stops
git at the temporary folder, so each notice's "last change" is its own date, as test_history.py checks).
"""

from __future__ import annotations

import difflib
import json
import os
import re
from pathlib import Path

import pytest
from conftest import build, make_archive
from test_indexes import CITING_371, ISSUED_370

pytestmark = pytest.mark.build

GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
BUILD_DAY = "1764633600"  # 2025-12-02 in Vietnam
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">.*?</article>', re.S)

# snapshot name -> (file of the built site, the part compared: the whole file or its article)
SNAPSHOTS = {
    "don-vi-phong-kinh-te.article.html": ("don-vi/phong-kinh-te/index.html", "article"),
    "nam-2020.article.html": ("nam/2020/index.html", "article"),
    "feed-phong-kinh-te.xml": ("feeds/don-vi/phong-kinh-te.xml", "whole"),
    "search-manifest.json": ("tim-kiem/manifest.json", "whole"),
    "search-shard-i-0.json": ("tim-kiem/i/0.json", "whole"),
    "notice-370.json": ("ubnd-tp-lang-son/2020/370-tb-ubnd/index.json", "whole"),
    "thong-bao.csv": ("du-lieu/thong-bao.csv", "whole"),
    "cac-muc.csv": ("du-lieu/cac-muc.csv", "whole"),
}


@pytest.fixture(scope="module")
def golden_site(tmp_path_factory) -> Path:
    """The seed, an issued notice assigning work to departments, and one citing it: built once for the module."""
    tmp = tmp_path_factory.mktemp("golden")
    root = make_archive(tmp, {"ubnd-tp-lang-son/2020/tb-370.md": ISSUED_370,
                              "ubnd-tp-lang-son/2020/tb-371.md": CITING_371})
    result = build(root, env={"SOURCE_DATE_EPOCH": BUILD_DAY, "GIT_CEILING_DIRECTORIES": str(tmp),
                              "NOTICE_ARCHIVE_CACHE": "off"})
    assert result.returncode == 0, result.output
    assert "[khong-co-git]" in result.output  # the dates come from the notices, not from a repository around tmp
    return result.site


def _part(site: Path, path: str, part: str) -> str:
    text = (site / path).read_bytes().decode("utf-8")  # as written: a CSV keeps its CRLF
    if part == "whole":
        return text
    found = ARTICLE.search(text)
    assert found is not None, f"{path}: no <article>"
    return found.group(0) + "\n"


def _readable(text: str, name: str) -> list[str]:
    """A JSON file on one line, indented for a diff a person can read; other files as they are."""
    if name.endswith(".json"):
        text = json.dumps(json.loads(text), ensure_ascii=False, indent=1)
    return text.splitlines(keepends=True)


@pytest.mark.parametrize("name", sorted(SNAPSHOTS))
def test_output_matches_its_golden_snapshot(golden_site: Path, name: str) -> None:
    path, part = SNAPSHOTS[name]
    actual = _part(golden_site, path, part)
    golden = GOLDEN / name
    if UPDATE:
        golden.parent.mkdir(exist_ok=True)
        golden.write_bytes(actual.encode("utf-8"))
    assert golden.is_file(), f"{golden} is missing: write it with UPDATE_GOLDEN=1 (and review it)"
    expected = golden.read_bytes().decode("utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(_readable(expected, name), _readable(actual, name),
                                            f"golden/{name}", f"site/{path}"))
        pytest.fail(f"{path} differs from tests/golden/{name} (UPDATE_GOLDEN=1 rewrites it if the change is "
                    f"wanted):\n{diff or 'the same once indented: only spacing or key order differs'}")
