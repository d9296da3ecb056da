"""The last change of a notice: from one `git log` over the archive, deterministic for a commit, shown on the page and
used as the sitemap's <lastmod>; without git, the notice's own date, and the build says so."""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import SEED, build, make_archive, minimal_notice

from notice_archive.history import last_changes, parse_log
from notice_archive.site import Site

OTHER = "ubnd-tp-lang-son/2021/2021-03-05-so-07.md"
SEED_REL = SEED.relative_to(SEED.parents[2]).as_posix()


def git(root: Path, *args: str, when: str) -> None:
    env = dict(os.environ, GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when, GIT_AUTHOR_NAME="Biên tập",
               GIT_AUTHOR_EMAIL="bt@example.vn", GIT_COMMITTER_NAME="Biên tập", GIT_COMMITTER_EMAIL="bt@example.vn")
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True, env=env)


def archive_in_git(tmp: Path) -> Path:
    """Two commits: everything at 18:30 UTC on 2 Jan 2021 (01:30 on 3 Jan in Hà Nội), then the seed alone edited on 1 Mar 2022."""
    root = make_archive(tmp, {OTHER: minimal_notice(number="07/TB-UBND", date="2021-03-05", meeting="2021-03-04")})
    git(root, "init", "-q", when="2021-01-02T18:30:00+00:00")
    git(root, "add", "-A", when="2021-01-02T18:30:00+00:00")
    git(root, "commit", "-qm", "một", when="2021-01-02T18:30:00+00:00")
    seed = root / "notices" / SEED_REL
    seed.write_text(seed.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # an edit of the seed alone
    git(root, "commit", "-qam", "hai", when="2022-03-01T09:00:00+07:00")
    return root


def test_parse_log_takes_the_newest_commit_of_each_file():
    out = ("\0@1646100000\0\na/x.md\0b.md\0"  # 2022-03-01 (UTC+7)
           "\0@1609605000\0\na/x.md\0@c.md\0")  # 2021-01-02 23:30 UTC+7: a file named "@c.md" is a file
    assert parse_log(out) == {"a/x.md": dt.date(2022, 3, 1), "b.md": dt.date(2022, 3, 1),
                              "@c.md": dt.date(2021, 1, 2)}


@pytest.mark.build
def test_last_change_comes_from_git_and_is_deterministic(tmp_path):
    root = archive_in_git(tmp_path)
    docs = str(root / "notices")
    changed = last_changes(docs)
    assert changed is not None
    assert changed[SEED_REL] == dt.date(2022, 3, 1)
    assert changed[OTHER] == dt.date(2021, 1, 3)  # 18:30 UTC is the next day in Vietnam
    site = Site.load(docs)
    assert not [p for p in site.problems if p.code == "khong-co-git"]
    by_src = {n.src_uri: site.updated(n) for n in site.archive.notices}
    assert by_src == {SEED_REL: dt.date(2022, 3, 1), OTHER: dt.date(2021, 1, 3)}

    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_url"] = "https://thongbao.example.vn/"
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    first = build(root, site=tmp_path / "a")
    assert first.returncode == 0, first.output
    second = build(root, site=tmp_path / "b", env={"SOURCE_DATE_EPOCH": "1700000000"})
    assert second.returncode == 0, second.output
    sitemap = (first.site / "sitemap.xml").read_text(encoding="utf-8")
    lastmod = dict(re.findall(r"<loc>https://thongbao\.example\.vn/([^<]*)</loc>\s*<lastmod>([^<]+)</lastmod>", sitemap))
    assert lastmod["ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/"] == "2022-03-01"
    assert lastmod["ubnd-tp-lang-son/2021/7-tb-ubnd/"] == "2021-01-03"
    # A notice's <lastmod> is the commit's, whatever day or clock the build runs on.
    again = (second.site / "sitemap.xml").read_text(encoding="utf-8")
    notices_only = re.compile(r"<loc>[^<]*ubnd-tp-lang-son[^<]*</loc>\s*<lastmod>[^<]+</lastmod>")
    assert notices_only.findall(sitemap) == notices_only.findall(again) and len(notices_only.findall(again)) == 2
    page = first.page("ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/")
    assert '<dt>Cập nhật lần cuối</dt><dd><time datetime="2022-03-01">01/03/2022</time></dd>' in page


@pytest.mark.build
def test_without_git_the_notice_date_stands_in_and_the_build_says_so(tmp_path):
    root = make_archive(tmp_path, {OTHER: minimal_notice(number="07/TB-UBND", date="2021-03-05", meeting="2021-03-04")})
    assert last_changes(str(root / "notices")) is None  # tmp is no git work tree
    site = Site.load(str(root / "notices"))
    assert [p.severity for p in site.problems if p.code == "khong-co-git"] == ["advice"]
    dates = {n.src_uri: site.updated(n) for n in site.archive.notices}
    # Issued: its date of issue; the seed (no day of issue yet): its meeting's day.
    assert dates == {OTHER: dt.date(2021, 3, 5), SEED_REL: dt.date(2020, 11, 10)}
    result = build(root)
    assert result.returncode == 0, result.output
    assert "không đọc được lịch sử git" in result.output
    assert '<time datetime="2021-03-05">05/03/2021</time>' in result.page("ubnd-tp-lang-son/2021/7-tb-ubnd/")
