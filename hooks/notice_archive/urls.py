"""The URL scheme: a promise. Derived from a notice's identity, never from its title or file position.

    /<issuer>/<year>/<number>-<series>/             123/TB-UBND of 2020 -> /ubnd-tp-lang-son/2020/123-tb-ubnd/
    /<issuer>/<year>/chua-so-<series>-<meeting>/    a copy whose number is still blank, keyed by its meeting date

Item anchors: #muc-4, #muc-4-a, #muc-4-dd (point đ), #phan-2-muc-1 where item numbers restart in each section.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from .dates import PartialDate
from .text import slugify

# First path segments that belong to the site, not to an issuer.
RESERVED = frozenset({"don-vi", "du-an", "nam", "tim-kiem", "assets", "search", "du-lieu", "feeds",
                      "lien-ket", "gioi-thieu", "404"})


# Open data (notice_archive.export): the whole archive, and each notice's JSON beside its page. Here rather than in
# export.py so what only needs the paths does not load the export models.
ARCHIVE_PATH = "du-lieu/thong-bao.json"
NOTICES_CSV_PATH = "du-lieu/thong-bao.csv"  # the same, one row per notice, for spreadsheets
ITEMS_CSV_PATH = "du-lieu/cac-muc.csv"  # one row per item
# The search index's folder (notice_archive.search_index, which the engine does not load: it needs numpy).
SEARCH_PATH = "tim-kiem"


def notice_json_path(notice_url: str) -> str:
    return f"{notice_url}index.json"


def notice_url(issuer: str, series: str, number: int | None, date: PartialDate, meeting: PartialDate) -> str:
    if number is not None:
        return f"{issuer}/{date.year}/{number}-{slugify(series)}/"
    return f"{issuer}/{date.year}/chua-so-{slugify(series)}-{meeting.iso()}/"


def department_url(key: str) -> str:
    return f"don-vi/{key}/"


def project_url(key: str) -> str:
    return f"du-an/{key}/"


def year_url(year: int) -> str:
    return f"nam/{year}/"


def generated_sources(departments: Iterable[str], projects: Iterable[str], years: Iterable[int]) -> frozenset[str]:
    """The source paths of the pages the build generates (index_pages.catalogue; a notice's link names them so):
    the home page, the lists of departments, projects and years, and a page for each."""
    return frozenset(["index.md", "don-vi/index.md", "du-an/index.md", "nam/index.md",
                      *(f"{department_url(k).rstrip('/')}.md" for k in departments),
                      *(f"{project_url(k).rstrip('/')}.md" for k in projects),
                      *(f"{year_url(y).rstrip('/')}.md" for y in years)])


def all_feed_path() -> str:
    return "feeds/thong-bao.xml"


def department_feed_path(key: str) -> str:
    return f"feeds/don-vi/{key}.xml"


def project_feed_path(key: str) -> str:
    return f"feeds/du-an/{key}.xml"


def department_ics_path(key: str) -> str:
    return f"feeds/don-vi/{key}.ics"


def to_root(url: str) -> str:
    """The relative path from a page at ``url`` back to the site root: "a/2020/x/" -> "../../../"."""
    return "../" * url.count("/")


def site_base(site_url: str | None) -> str | None:
    """The site's address with one trailing slash; None without a site_url."""
    return site_url.rstrip("/") + "/" if site_url else None


def href(path: str, site_url: str | None, from_file: str) -> str:
    """A link to a path of the site (an #anchor allowed) from a file read apart from the site's pages (a feed, an
    open-data file): absolute with a site_url; otherwise relative to that file's folder (readers resolve it so)."""
    base = site_base(site_url)
    if base:
        return base + path
    page, _, anchor = path.partition("#")
    folder = posixpath.dirname(from_file)
    if _plain(page.removesuffix("/")) and _plain(folder) and page.split("/", 1)[0] != folder.split("/", 1)[0]:
        # Two clean paths that share no folder: up to the root, then down (what relpath gives, without its cost:
        # a feed's or open-data file's thousands of links).
        return "../" * (folder.count("/") + 1) + page + (f"#{anchor}" if anchor else "")
    rel = posixpath.relpath(page or ".", folder) + ("/" if page.endswith("/") else "")
    return rel + (f"#{anchor}" if anchor else "")


def _plain(path: str) -> bool:
    """A relative path whose every segment is a name (no empty, "." or ".." segment)."""
    segments = path.split("/")
    return "" not in segments and "." not in segments and ".." not in segments
