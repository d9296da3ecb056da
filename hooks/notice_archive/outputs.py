"""The files that are a pure function of the archive — search index, open data, feeds — written by the build's
second process (worker.BuildJob) while the engine renders pages."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import chain
from pathlib import Path

from jinja2 import Environment

from .export import ARCHIVE_PATH, iter_export_files, notice_json_path
from .feeds import feed_files
from .group import group
from .search_index import OUTPUT as SEARCH_OUTPUT
from .search_index import write_index
from .urls import all_feed_path
from .validate import Archive


@dataclass
class SiteOutputs:
    env: Environment  # the theme's (feeds are Jinja templates)
    site_name: str
    site_url: str | None
    owned: tuple[str, ...] = (SEARCH_OUTPUT, ARCHIVE_PATH.split("/")[0], all_feed_path().split("/")[0])

    def write(self, archive: Archive, site_dir: Path) -> dict:
        search = write_index(site_dir, archive.notices, archive.registry)
        groups = group(archive.notices, archive.registry)
        files = 0
        # One file at a time: the open data of 10,000 notices is ~200 MB of text.
        for rel, text in chain(iter_export_files(archive.notices, archive.registry, self.site_url),
                               feed_files(self.env, archive.notices, groups, archive.registry, self.site_name,
                                          self.site_url).items()):
            path = site_dir / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            files += 1
        return {"search_docs": search.docs, "search_files": search.files, "search_kb": search.bytes // 1024,
                "files": files + search.files}

    def clashes(self, archive: Archive, dest_uris: list[str]) -> list[str]:
        """Files of the site's source that these outputs would overwrite."""
        notice_json = {notice_json_path(n) for n in archive.notices}
        return [uri for uri in dest_uris if uri.split("/")[0] in self.owned or uri in notice_json]
