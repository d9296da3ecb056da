"""urls.href: a link from a file read apart from the pages (a feed, an open-data file) to a path of the site."""

from __future__ import annotations

import posixpath

import pytest

from notice_archive.urls import href

PATHS = ["", "#muc-1", "a/", "a/b/", "a/b/#muc-4-dd", "a/b/#", "a", "a/b", "feeds/", "feeds/thong-bao.xml",
         "feeds/don-vi/k.xml", "du-lieu/thong-bao.json", "du-lieu/schema/thong-bao.json", "a//b/", "a/b//", "./a/",
         "a/../b/", "a/./", "/a/", "ubnd/2020/1-tb-ubnd/index.json", "ubnd/2020/1-tb-ubnd/"]
FROM = ["feeds/thong-bao.xml", "feeds/don-vi/k.xml", "du-lieu/thong-bao.json", "ubnd/2020/1-tb-ubnd/index.json",
        "a/b/index.json", "a/x.xml", "x.xml", "./x/y.json", "a//y.json"]


def _relpath_href(path: str, from_file: str) -> str:
    page, _, anchor = path.partition("#")
    rel = posixpath.relpath(page or ".", posixpath.dirname(from_file)) + ("/" if page.endswith("/") else "")
    return rel + (f"#{anchor}" if anchor else "")


@pytest.mark.parametrize("from_file", FROM)
def test_relative_href_is_what_relpath_gives(from_file: str) -> None:
    """The shortcut for clean paths that share no folder gives exactly posixpath.relpath's link, for every path."""
    for path in PATHS:
        assert href(path, None, from_file) == _relpath_href(path, from_file), (path, from_file)


def test_href_with_a_site_url_is_absolute() -> None:
    assert href("a/b/#muc-1", "https://x.vn/kho", "feeds/thong-bao.xml") == "https://x.vn/kho/a/b/#muc-1"
    assert href("a/b/#muc-1", None, "feeds/don-vi/k.xml") == "../../a/b/#muc-1"
    assert href("feeds/don-vi/k.xml", None, "feeds/don-vi/k.xml") == "k.xml"
