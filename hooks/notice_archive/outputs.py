"""What is a pure function of the archive, done by the build's second process (worker.BuildJob) while the engine
renders pages: what each notice page needs besides the engine's rendering and the index pages' HTML (handed to the
engine), then the open data, feeds and search index, written into the site."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from pathlib import Path

from jinja2 import Environment

from .search_index import OUTPUT as SEARCH_OUTPUT
from .search_index import write_index
from .site import NoticePage, Site, walk_order
from .urls import ARCHIVE_PATH, all_feed_path, notice_json_path
from .validate import Archive


@dataclass
class SiteOutputs:
    env: Environment  # the theme's (index pages and feeds are Jinja templates)
    site_name: str
    site_url: str | None
    docs_dir: str
    today: dt.date  # the build's day (open deadlines), as the engine's Site has it
    owned: tuple[str, ...] = (SEARCH_OUTPUT, ARCHIVE_PATH.split("/")[0], all_feed_path().split("/")[0])
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

    def write(self, archive: Archive, site_dir: Path) -> dict:
        # Imported here, in the worker (after the fork): the engine's start-up skips the export models and icalendar.
        from .export import iter_export_files
        from .feeds import feed_files

        groups = self._site(archive).groups
        files = 0
        # One file at a time: the open data of 10,000 notices is ~200 MB of text. Written first, while the engine
        # renders Markdown; the search index, mostly computing, then runs while the engine writes its pages.
        for rel, text in chain(iter_export_files(archive.notices, archive.registry, self.site_url),
                               feed_files(self.env, archive.notices, groups, archive.registry, self.site_name,
                                          self.site_url).items()):
            path = site_dir / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            files += 1
        search = write_index(site_dir, archive.notices, archive.registry)
        return {"search_docs": search.docs, "search_files": search.files, "search_kb": search.bytes // 1024,
                "files": files + search.files}

    def clashes(self, archive: Archive, dest_uris: list[str]) -> set[str]:
        """The files of the site's source (by destination) that these outputs would overwrite."""
        notice_json = {notice_json_path(n.url) for n in archive.notices}
        return {uri for uri in dest_uris if uri.split("/")[0] in self.owned or uri in notice_json}
