"""One build of the site, engine-neutral: the archive and what is derived from it once per build (groups,
last changes, the generated pages' catalogue, citations' targets), its problems beyond the validator's (permanence,
history), and the theme's Jinja environment. A notice's page is made by notice_page, the generated pages by
index_pages; the MkDocs adapter wires these to events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TypeVar

from jinja2 import Environment

from . import index_pages, notice_page, permanence
from .archive import Archive, load_archive
from .archive_rules import locate_permanence
from .dates import build_day
from .group import Groups, group
from .history import last_changes
from .index_pages import GeneratedPage
from .model import Notice
from .notice_cache import NoticeCache
from .notice_page import NoticePage
from .problems import Problem
from .text import casefold_vi
from .urls import department_url, project_url, to_root, year_url

T = TypeVar("T")


@dataclass
class Site:
    archive: Archive
    docs_dir: str
    by_src: dict[str, Notice]
    today: dt.date = field(default_factory=lambda: build_day())  # the build's day: which deadlines are still open
    env: Environment | None = None  # the theme's Jinja environment (given by the adapter): pages are rendered with it
    cache: NoticeCache | None = None  # the per-notice cache the archive was loaded through: parts made per notice

    @classmethod
    def load(cls, docs_dir: str, today: dt.date | None = None, archive: Archive | None = None,
             env: Environment | None = None, cache: NoticeCache | None = None) -> Site:
        """The site of an archive: read from docs_dir, or already read (load_archive, through the per-notice cache
        ``cache``, which then also keeps what the site makes from each notice: part())."""
        archive = archive if archive is not None else load_archive(docs_dir, today=today, cache=cache)
        return cls.from_archive(archive, docs_dir, today, env, cache)

    @classmethod
    def from_archive(cls, archive: Archive, docs_dir: str, today: dt.date | None = None,
                     env: Environment | None = None, cache: NoticeCache | None = None) -> Site:
        return cls(archive, docs_dir, {n.src_uri: n for n in archive.notices}, today or build_day(), env, cache)

    def part(self, notice: Notice, name: str, context: bytes, make: Callable[[], T]) -> T:
        """A part of the site made from this notice alone and ``context`` (notice_cache.digest of whatever else
        ``make`` reads): kept in the notice's cache entry, made again only when the notice or the context changes."""
        return make() if self.cache is None else self.cache.part(notice.src_uri, name, context, make)

    @cached_property
    def problems(self) -> list[Problem]:
        """The validator's problems and the build's own: published URLs it would lose, no git history."""
        return [*self.archive.problems, *self.permanence_problems(), *self.history_problems()]

    @cached_property
    def groups(self) -> Groups:
        """Entries by department, project and year: for the index pages and feeds (grouped once per build)."""
        return group(self.archive.notices, self.archive.registry)

    @cached_property
    def years(self) -> list[int]:
        """The years that have notices, newest first (as ``groups.years``), without grouping the whole archive."""
        return sorted({n.date.year for n in self.archive.notices}, reverse=True)

    def permanence_problems(self, display_root: str = "notices") -> list[Problem]:
        """Published URLs and anchors that this build would lose (none are checked while notices have errors:
        a notice with errors is not published, so its URL would count as lost)."""
        if self.archive.errors:
            return []
        redirects = self.redirects()
        losses = permanence.check(permanence.read_manifest(self.docs_dir), self.published_pages(), redirects,
                                  display_root)
        return locate_permanence(losses, redirects, self.archive.notices, display_root)

    @property
    def registry(self):
        return self.archive.registry

    def notice_for(self, src_uri: str) -> Notice | None:
        return self.by_src.get(src_uri)

    def newest_first(self) -> list[Notice]:
        return sorted(self.archive.notices, key=Notice.sort_key, reverse=True)

    def related(self, notice: Notice) -> dict:
        """Replacement links both ways, with URLs relative to the notice's page."""
        base = to_root(notice.url)
        return {
            "base": base,
            "replaces": [(n, base + n.url) for n in self.archive.replaces.get(notice.url, [])],
            "replaced_by": [(n, base + n.url) for n in self.archive.replaced_by.get(notice.url, [])],
            "unresolved": self.archive.replaces_unknown.get(notice.url, []),
            "updated": self.updated(notice),
            **self.context_links(notice),
        }

    @cached_property
    def last_changed(self) -> tuple[dict[str, dt.date], bool]:
        """Each notice's last change (src_uri -> day) from one `git log` over the archive, and whether git had it.
        Without git (an export of the repository), or for a file never committed, the notice's own date stands in
        (its date of issue, or its meeting's for a copy without one): deterministic, and said in the build log."""
        from_git = last_changes(self.docs_dir)
        changed = from_git or {}
        return {n.src_uri: changed.get(n.src_uri) or fallback_day(n) for n in self.archive.notices}, bool(from_git)

    def updated(self, notice: Notice) -> dt.date:
        return self.last_changed[0].get(notice.src_uri) or fallback_day(notice)

    def history_problems(self) -> list[Problem]:
        if self.last_changed[1] or not self.archive.notices:
            return []
        return [Problem("notices", 1, "không đọc được lịch sử git của kho: ngày cập nhật của mỗi thông báo (trên "
                        "trang và trong sitemap.xml) lấy theo ngày ban hành", "advice", "khong-co-git")]

    def context_links(self, notice: Notice) -> dict:
        """Where a notice sits (relative to its page): the breadcrumb trail home > year > month, its issuer's
        section of the department list, and the department and project pages its items name (by name)."""
        base = to_root(notice.url)
        reg = self.registry
        year = notice.date.year
        deps: set[str] = set()
        projs: set[str] = set()
        for item in notice.items:
            deps.update(item.lead, item.cooperating, [item.presented_by] if item.presented_by else [])
            projs.update(item.projects)
            for point in item.points:
                deps.update(point.lead, point.cooperating)
                projs.update(point.projects)
        return {
            "trail": [("Trang chủ", base or "./"), ("Theo năm", base + "nam/"),
                      (f"Năm {year}", f"{base}{year_url(year)}#thang-{notice.date.month}")],
            "issuer": (reg.issuers[notice.issuer].name, f"{base}don-vi/#{notice.issuer}"),
            "departments": sorted(((reg.departments[k].name, base + department_url(k)) for k in deps),
                                  key=lambda pair: casefold_vi(pair[0])),
            "projects": sorted(((reg.projects[k].name, base + project_url(k)) for k in projs),
                               key=lambda pair: casefold_vi(pair[0])),
        }

    def issuer_name(self, notice: Notice) -> str:
        return self.registry.issuers[notice.issuer].short_name

    # Generated pages (index_pages) -------------------------------------------------------------------------------

    def generated_pages(self) -> list[GeneratedPage]:
        return list(self._generated.values())

    def generated_for(self, src_uri: str) -> GeneratedPage | None:
        return self._generated.get(src_uri)

    @cached_property
    def _generated(self) -> dict[str, GeneratedPage]:
        return index_pages.catalogue(self)

    @cached_property
    def static_urls(self) -> frozenset[str]:
        """The site's own pages and files that generated pages may link to (besides notices)."""
        return index_pages.static_urls(self)

    @cached_property
    def pages_env(self) -> Environment:
        """The theme's environment with autoescape on (index_pages.autoescaped), made once per build."""
        return index_pages.autoescaped(self._env())

    def render_page(self, page: GeneratedPage) -> tuple[str, list[str]]:
        """The page's content as HTML, and its links that lead nowhere (index_pages.render)."""
        return index_pages.render(self, self.pages_env, page)

    def published_pages(self) -> dict[str, set[str]]:
        """Every URL this build publishes (site-relative), with the anchors that are promised on it."""
        pages = {n.url: set(n.anchors) for n in self.archive.notices}
        for page in self.generated_pages():
            if page.src_uri != "index.md" and not page.src_uri.endswith("/index.md"):
                pages[page.url] = set()
        return pages

    def redirects(self) -> dict[str, str]:
        """Old URL -> current URL, from notices' former_urls."""
        return {old.strip("/") + "/": n.url for n in self.archive.notices for old in n.former_urls}

    def redirect_maps(self) -> dict[str, str]:
        """The same, in mkdocs-redirects' terms (source Markdown paths)."""
        return {old.strip("/") + "/index.md": n.src_uri for n in self.archive.notices for old in n.former_urls}

    # Notice pages (notice_page) ------------------------------------------------------------------------------------

    def notice_page(self, src_uri: str) -> NoticePage:
        """What a notice's page needs besides the engine's rendering: what it needs from the notice alone, kept per
        notice (notice_page.own_page), with the links to the notices it cites (with_citations: cheap, most bodies
        cite no number)."""
        notice = self.by_src[src_uri]
        own = self.part(notice, "page", b"", lambda: notice_page.own_page(
            notice, *notice_page.notice_source(self.docs_dir, notice.src_uri), self.registry,
            self.issuer_name(notice)))
        return notice_page.with_citations(own, notice, self.registry, self._number_index)

    def page_meta(self, notice: Notice) -> dict:
        """The engine's page metadata of a notice page; "updated": the day the file last changed in git."""
        return notice_page.page_meta(notice, self.updated(notice).isoformat())

    @cached_property
    def _number_index(self) -> dict[tuple, Notice]:
        return notice_page.number_index(self.archive.notices)

    def _env(self) -> Environment:
        if self.env is None:
            raise RuntimeError("Site is given the theme's Jinja environment (Site.load(env=...)) to render pages")
        return self.env


def fallback_day(notice: Notice) -> dt.date:
    """A notice's stand-in for its last change when git cannot tell: its date of issue, or its meeting's."""
    return notice.date.first_day() if notice.date.complete else notice.meeting.date.first_day()
