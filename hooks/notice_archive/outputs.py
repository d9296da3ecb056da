"""What is a pure function of the archive, done by the build's second process (worker.BuildJob) while the engine
renders pages: what each notice page needs besides the engine's rendering and the index pages' HTML (handed to the
engine), then the open data, feeds and search index, written into the site."""

from __future__ import annotations

import datetime as dt
import posixpath
import shutil
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from jinja2 import Environment

from .site import NoticePage, Site, walk_order
from .urls import (
    ARCHIVE_PATH,
    SEARCH_PATH,
    all_feed_path,
    department_feed_path,
    notice_json_path,
    project_feed_path,
)
from .validate import Archive
from .worker import merge_figures

# Material's JavaScript asks for sitemap.xml next to every <link rel="alternate"> of a page (it is meant for the same
# page in other languages): beside the feeds, an empty one (well-formed XML) answers it, where a 404 would send the
# ~20 KB 404 page on every visit. The site's sitemap is /sitemap.xml.
ALTERNATE_SITEMAP = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                     '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n')

OPEN_DATA, FEEDS = ARCHIVE_PATH.split("/")[0], all_feed_path().split("/")[0]  # the folders those tasks own


@dataclass
class SiteOutputs:
    env: Environment  # the theme's (index pages and feeds are Jinja templates)
    site_name: str
    site_url: str | None
    docs_dir: str
    today: dt.date  # the build's day (open deadlines), as the engine's Site has it
    owned: tuple[str, ...] = (SEARCH_PATH, OPEN_DATA, FEEDS)
    _built: tuple[Archive, Site] | None = field(default=None, repr=False, compare=False)

    def pages(self, archive: Archive) -> Iterator[tuple[str, Callable[[], NoticePage]]]:
        """What each notice page needs besides the engine's rendering (Site.notice_page: anchored Markdown,
        citations, items' metadata), in the engine's page order; the engine does any page this process has not
        reached (worker.BuildJob.page), so neither waits for the other."""
        site = self._site(archive)
        for notice in sorted(archive.notices, key=lambda n: walk_order(n.src_uri)):
            yield notice.src_uri, partial(site.notice_page, notice.src_uri)

    def prepare(self, archive: Archive) -> dict[str, tuple[str, list[str]]]:
        """Every generated page's content: {src_uri: (HTML, links to nowhere)}, as Site.render_page gives it."""
        site = self._site(archive)
        return {page.src_uri: site.render_page(page) for page in site.generated_pages()}

    def _site(self, archive: Archive) -> Site:
        """One Site per archive for pages, prepare and write: its grouping (~1 s at 10,000 notices) is done once."""
        if self._built is None or self._built[0] is not archive:
            site = Site.from_archive(archive, self.docs_dir, self.today)
            site.env = self.env
            self._built = (archive, site)
        return self._built[1]

    def tasks(self, archive: Archive, site_dir: Path) -> list[Callable[[], dict]]:
        """The files, in three tasks that either process can run (worker.BuildJob: the worker takes them in this
        order; the engine, done with its pages, takes any the worker has not started): the open data first (one
        file at a time: ~200 MB of text at 10,000 notices), written while the engine renders Markdown; the search
        index, mostly computing, while the engine writes its pages; the feeds, the shortest, last. Each replaces
        the folder it owns and returns figures for the build log, with "files" (how many)."""
        return [partial(self._open_data, archive, site_dir), partial(self._search, archive, site_dir),
                partial(self._feeds, archive, site_dir)]

    def write(self, archive: Archive, site_dir: Path) -> dict:
        """Every task in turn, in this process; the figures of all."""
        figures: dict = {}
        for task in self.tasks(archive, site_dir):
            merge_figures(figures, task())
        return figures

    def _open_data(self, archive: Archive, site_dir: Path) -> dict:
        # Imported here, in the process that writes (after the fork): the engine's start-up skips the export models.
        from .export import iter_export_files

        return {"files": _write_files(site_dir, OPEN_DATA,
                                      iter_export_files(archive.notices, archive.registry, self.site_url))}

    def _feeds(self, archive: Archive, site_dir: Path) -> dict:
        from .feeds import feed_files  # (and icalendar)

        files = feed_files(self.env, archive.notices, self._site(archive).groups, archive.registry, self.site_name,
                           self.site_url)
        linked = [all_feed_path(), *map(department_feed_path, archive.registry.departments),
                  *map(project_feed_path, archive.registry.projects)]  # pages name these in <link rel="alternate">
        for folder in sorted({posixpath.dirname(path) for path in linked}):
            files.setdefault(f"{folder}/sitemap.xml", ALTERNATE_SITEMAP)  # (a feed of that name stays a feed)
        return {"files": _write_files(site_dir, FEEDS, files.items())}

    def _search(self, archive: Archive, site_dir: Path) -> dict:
        from .search_index import write_index  # (and numpy)

        search = write_index(site_dir, archive.notices, archive.registry)  # (replaces its folder)
        return {"search_docs": search.docs, "search_files": search.files, "search_kb": search.bytes // 1024,
                "files": search.files}

    def clashes(self, archive: Archive, dest_uris: list[str]) -> set[str]:
        """The files of the site's source (by destination) that these outputs would overwrite."""
        notice_json = {notice_json_path(n.url) for n in archive.notices}
        return {uri for uri in dest_uris if uri.split("/")[0] in self.owned or uri in notice_json}


def _write_files(site_dir: Path, owned: str, files: Iterable[tuple[str, str]]) -> int:
    """Write text files (paths relative to the site), replacing the folder ``owned`` first: a rebuild (mkdocs serve)
    leaves no stale file behind. How many were written."""
    shutil.rmtree(site_dir / owned, ignore_errors=True)
    count = 0
    for rel, text in files:
        path = site_dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        count += 1
    return count
