"""What the site adapter needs from the core, engine-neutral: the archive, its indexes, generated pages,
anchored notice bodies, redirects and the permanence check. The MkDocs hook wires these to events.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import yaml
from jinja2 import Environment
from markupsafe import Markup, escape

from . import permanence
from .archive import Archive, load_archive
from .archive_rules import locate_permanence
from .body import ITEM, POINT, SECTION, BodyLayout, ParsedBody, parse_body, render_markdown
from .cite import citation, item_label
from .dates import build_day
from .deadlines import open_dues
from .group import Groups, group
from .history import last_changes
from .model import Notice
from .problems import Problem
from .reader import front_matter_end
from .references import CITED, find_references
from .text import casefold_vi
from .urls import (
    ARCHIVE_PATH,
    ITEMS_CSV_PATH,
    NOTICES_CSV_PATH,
    all_feed_path,
    department_feed_path,
    department_ics_path,
    department_url,
    project_feed_path,
    project_url,
    to_root,
    year_url,
)

OWNER = re.compile(r"\s+của\s+([^,.;:()\n]+)")  # "… của UBND thành phố": who issued the cited document
# An item's heading and a point's paragraph as Python-Markdown writes them (attributes sorted): where the citation
# goes, and the point's letter that becomes a link.
ITEM_ELEMENT = re.compile(r'(<h[23] class="item") (id="([^"]+)")')
POINT_ELEMENT = re.compile(r'(<p class="point") (id="([^"]+)">)([a-zđ]\))(?=[\s<])')
ITEM_HEADING = re.compile(r'<h([23])\b[^>]*\sid="((?:phan-\d+-)?muc-\d+)"[^>]*>.*?</h\1>', re.S)
MONTHS = {m: f"Tháng {m}" for m in range(1, 13)}


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str  # e.g. "index.md", "don-vi/phong-quan-ly-do-thi.md"
    template: str  # Jinja template in theme/generated/ that writes the page's content (HTML)
    meta: dict  # the page's front matter: title, feed, hide
    # What its template is given, computed when it is rendered (on_page_content): on_files only needs the page list.
    context: Callable[[], dict] = dict

    @property
    def url(self) -> str:
        """Site-relative URL (directory URLs): "index.md" -> "", "don-vi/index.md" -> "don-vi/", "nam/2020.md"
        -> "nam/2020/"."""
        stem = self.src_uri[: -len(".md")]
        if stem == "index":
            return ""
        return stem[: -len("index")] if stem.endswith("/index") else stem + "/"

    def source(self) -> str:
        """The Markdown file the engine sees: front matter only; the content comes from the template."""
        return "---\n" + yaml.safe_dump(self.meta, allow_unicode=True, sort_keys=True) + "---\n"


@dataclass(frozen=True)
class NoticePage:
    source: str  # the Markdown the engine renders: the body with anchors and links to cited notices
    item_meta: dict[str, str]  # item anchor -> the HTML put under its heading (Site.decorate_html)
    cites: dict[str, Markup]  # item or point anchor -> its ready-made citation, escaped (Site.decorate_html)


@dataclass
class Site:
    archive: Archive
    docs_dir: str
    by_src: dict[str, Notice]
    problems: list[Problem]
    today: dt.date = field(default_factory=lambda: build_day())  # the build's day: which deadlines are still open
    env: Environment | None = None  # the theme's Jinja environment, set once per build by the adapter

    @classmethod
    def load(cls, docs_dir: str, today: dt.date | None = None, archive: Archive | None = None) -> Site:
        """The site of an archive: read from docs_dir, or already read (load_archive, through the per-notice cache)."""
        archive = archive if archive is not None else load_archive(docs_dir, today=today)
        site = cls.from_archive(archive, docs_dir, today)
        site.problems = [*archive.problems, *site.permanence_problems(), *site.history_problems()]
        return site

    @classmethod
    def from_archive(cls, archive: Archive, docs_dir: str, today: dt.date | None = None) -> Site:
        return cls(archive, docs_dir, {n.src_uri: n for n in archive.notices}, [], today or build_day())

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

    # Pages ----------------------------------------------------------------------------------------------------

    def generated_pages(self) -> list[GeneratedPage]:
        return list(self._generated.values())

    def generated_for(self, src_uri: str) -> GeneratedPage | None:
        return self._generated.get(src_uri)

    @cached_property
    def _generated(self) -> dict[str, GeneratedPage]:
        reg = self.registry
        pages = [
            GeneratedPage("index.md", "generated/home.html", {
                "title": "Trang chủ", "feed": all_feed_path(), "hide": ["navigation", "toc"]}, lambda: {
                "latest": self.newest_first()[:20], "total": len(self.archive.notices),
                "years": self.years, "n_departments": len(reg.departments), "n_projects": len(reg.projects)}),
            GeneratedPage("don-vi/index.md", "generated/departments.html", {"title": "Đơn vị"}, lambda: {
                "departments": sorted(reg.departments.items(), key=lambda kv: kv[1].name)}),
            GeneratedPage("du-an/index.md", "generated/projects.html", {"title": "Dự án, đề án"}, lambda: {
                "projects": sorted(reg.projects.items(), key=lambda kv: kv[1].name)}),
            GeneratedPage("nam/index.md", "generated/years.html", {"title": "Theo năm"},
                          lambda: {"years": self.groups.years}),
        ]
        for key, dep in sorted(reg.departments.items()):
            pages.append(GeneratedPage(f"{department_url(key).rstrip('/')}.md", "generated/department.html",
                                       {"title": dep.name, "feed": department_feed_path(key)},
                                       lambda key=key, dep=dep: {
                                           "key": key, "department": dep, "entries": self.groups.departments[key],
                                           "open_dues": open_dues(self.groups.departments[key], self.today)}))
        for key, proj in sorted(reg.projects.items()):
            pages.append(GeneratedPage(f"{project_url(key).rstrip('/')}.md", "generated/project.html",
                                       {"title": proj.name, "feed": project_feed_path(key)},
                                       lambda key=key, proj=proj: {
                                           "key": key, "project": proj, "entries": self.groups.projects[key]}))
        for year in self.years:
            pages.append(GeneratedPage(f"{year_url(year).rstrip('/')}.md", "generated/year.html",
                                       {"title": f"Năm {year}"},
                                       lambda year=year: {"year": year, "months": self.groups.by_month(year)}))
        return {page.src_uri: page for page in pages}

    @cached_property
    def pages_env(self) -> Environment:
        """The theme's Jinja environment with autoescape on: generated pages are HTML, every value is escaped."""
        if self.env is None:
            raise RuntimeError("Site.env is set by the adapter before pages are rendered")
        # A cache of its own: the theme's compiled templates (no autoescape) must never be reused here.
        return self.env.overlay(autoescape=True, trim_blocks=True, lstrip_blocks=True, cache_size=100)

    def render_page(self, page: GeneratedPage) -> tuple[str, list[str]]:
        """The page's content as HTML, and its links that lead nowhere (none, unless a template or the model
        is wrong: every link comes from the helpers, which check their target)."""
        broken: list[str] = []
        html = self.pages_env.get_template(page.template).render(site=self, registry=self.registry, groups=self.groups,
                                                      month_names=MONTHS, **page_helpers(self, page, broken),
                                                      **page.context())
        return html, broken

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

    # Notice bodies ---------------------------------------------------------------------------------------------

    def notice_source(self, src_uri: str) -> tuple[str, int]:
        """A notice's body as the engine renders it (the text after the front matter, leading blank lines
        dropped), read without parsing the front matter a second time: the archive already holds it; and the file
        line of its first line."""
        with open(os.path.join(self.docs_dir, src_uri), encoding="utf-8") as fh:
            lines = fh.read().split("\n")
        start = (front_matter_end(lines) or 0) + 1
        while start < len(lines) and not lines[start]:
            start += 1
        return "\n".join(lines[start:]), start + 1

    def page_meta(self, notice: Notice) -> dict:
        """The engine's page metadata of a notice page (its front matter is in the template context as `notice`)."""
        # "updated": the sitemap's <lastmod> (theme/sitemap.xml), the day the file last changed in git.
        return {"title": notice.title, "template": "notice.html", "updated": self.updated(notice).isoformat()}

    def anchored_markdown(self, src_uri: str, markdown: str, first_line: int) -> str:
        """The notice body as Markdown (its first line at ``first_line`` of the file), with item and point anchors
        and links to cited notices."""
        notice = self.by_src[src_uri]
        layout: BodyLayout | ParsedBody = BodyLayout(first_line, notice.sections, notice.items)
        if not same_layout(markdown.split("\n"), layout):
            layout = parse_body(src_uri, markdown, 1)[0]  # not the text the archive read: find the items again
        return self.link_citations(notice, render_markdown(markdown, layout))

    def notice_page(self, src_uri: str) -> NoticePage:
        """What a notice's page needs besides the engine's rendering (made as MkDocs reads the page,
        on_page_read_source): the anchored Markdown, each item's metadata (departments, projects and citation, as
        HTML) and each item's and point's citation, escaped for an HTML attribute."""
        notice = self.by_src[src_uri]
        issuer = self.issuer_name(notice)
        cited = {}
        for item in notice.items:
            cited[item.anchor] = citation(notice, issuer, item)
            for point in item.points:
                cited[point.anchor] = citation(notice, issuer, item, point)
        item_meta = self._item_meta
        base = to_root(notice.url)
        meta = {item.anchor: str(item_meta(item, self.registry, cited[item.anchor], base, department_url,
                                           project_url)).strip() for item in notice.items}
        return NoticePage(self.anchored_markdown(src_uri, *self.notice_source(src_uri)), meta,
                          {anchor: escape(text) for anchor, text in cited.items()})

    @staticmethod
    def decorate_html(html: str, page: NoticePage) -> str:
        """Give each item and point its citation (``data-cite``, which cite.js offers to copy), make each point's
        letter a link to the point, and put each item's metadata (NoticePage.item_meta) under its heading.

        Done on the rendered HTML rather than in Markdown: Python-Markdown's inline processing of the metadata links
        doubled the cost of rendering a notice, and its reading of the citations and point links added a third. The
        links come from registry keys the validator has checked.
        """
        def cite(m: re.Match) -> str:
            text = page.cites.get(m.group(3))
            return m.group(0) if text is None else f'{m.group(1)} data-cite="{text}" {m.group(2)}'

        def point(m: re.Match) -> str:  # its letter, a link to itself: works without JavaScript
            text = page.cites.get(m.group(3))
            cited = "" if text is None else f' data-cite="{text}"'
            return f'{m.group(1)}{cited} {m.group(2)}<a class="point-link" href="#{m.group(3)}">{m.group(4)}</a>'

        def insert(m: re.Match) -> str:
            meta = page.item_meta.get(m.group(2))
            return m.group(0) if meta is None else m.group(0) + "\n" + meta

        return ITEM_HEADING.sub(insert, POINT_ELEMENT.sub(point, ITEM_ELEMENT.sub(cite, html)))

    @cached_property
    def _item_meta(self) -> Any:
        """The item-metadata macro, compiled once per build from the theme's environment."""
        if self.env is None:
            raise RuntimeError("Site.env is set by the adapter before pages are rendered")
        return self.env.get_template("partials/item-meta.html").module.item_meta

    def link_citations(self, notice: Notice, markdown: str) -> str:
        """Link document numbers cited in the text to that document when the archive surely holds it.

        Numbers restart every year and many bodies share a series (every UBND has TB-UBND), so a reference links
        only when its date is written ("370/TB-UBND ngày 15/10/2020") and any "của …" after it names the citing
        notice's own issuer ("của UBND thành phố"). Otherwise the text stays as it is: no link beats a wrong one.
        """
        if CITED.search(markdown) is None:  # most bodies cite no document number at all
            return markdown
        index = self._number_index
        issuer = self.registry.issuers[notice.issuer]
        own_names = [casefold_vi(issuer.short_name), casefold_vi(issuer.name)]
        out = []
        for line in markdown.split("\n"):
            # Only a reference with its date is linked, and its date is written "ngày …" on the same line.
            if "ngày" not in line or line.startswith("#") or line.startswith("{:") or "](" in line:
                out.append(line)
                continue
            pieces, last = [], 0
            for ref in find_references(line):
                if ref.party or ref.year is None:
                    continue
                owner = OWNER.match(line, ref.end)
                if owner and not any(name.startswith(casefold_vi(owner.group(1))) for name in own_names):
                    continue
                target = index.get((notice.issuer, ref.series, ref.year, ref.number))
                if target is None or target is notice:
                    continue
                pieces += [line[last:ref.start], f"[{ref.text}]({rel(notice.src_uri, target.src_uri)})"]
                last = ref.end
            out.append("".join(pieces) + line[last:])
        return "\n".join(out)

    @cached_property
    def static_urls(self) -> frozenset[str]:
        """The site's own pages and files that generated pages may link to (besides notices)."""
        reg = self.registry
        return frozenset([*(p.url for p in self.generated_pages()), all_feed_path(), ARCHIVE_PATH,
                          NOTICES_CSV_PATH, ITEMS_CSV_PATH,
                          *(f(k) for k in reg.departments for f in (department_feed_path, department_ics_path)),
                          *(project_feed_path(k) for k in reg.projects)])

    @cached_property
    def _number_index(self) -> dict[tuple, Notice]:
        return {(n.issuer, n.series, n.date.year, n.number): n for n in self.archive.notices if n.number is not None}


def fallback_day(notice: Notice) -> dt.date:
    """A notice's stand-in for its last change when git cannot tell: its date of issue, or its meeting's."""
    return notice.date.first_day() if notice.date.complete else notice.meeting.date.first_day()


def walk_order(src_uri: str) -> tuple:
    """Where a top-down walk of the source folder, sorted, meets a file: the engine's page order (a folder's files,
    index.md first, then its subfolders)."""
    folder, _, name = src_uri.rpartition("/")
    return (tuple(folder.split("/")) if folder else (), posixpath.splitext(name)[0] not in ("index", "README"), name)


def same_layout(lines: list[str], layout: BodyLayout) -> bool:
    """Whether every section, item and point of the model stands, as read, on its line of this text (the file may
    have changed since the archive read it, under mkdocs serve)."""
    def at(line: int) -> str:
        offset = line - layout.first_line
        return lines[offset] if 0 <= offset < len(lines) else ""

    for section in layout.sections:
        m = SECTION.match(at(section.line))
        if not m or m.group(1) != section.numeral or m.group(2) != section.title:
            return False
    for item in layout.items:
        m = ITEM.match(at(item.line))
        if not m or int(m.group(1)) != item.number or m.group(2) != item.heading:
            return False
        for point in item.points:
            m = POINT.match(at(point.line))
            if not m or m.group(1) != point.letter:
                return False
    return True


def rel(from_src: str, to_src: str, anchor: str = "") -> str:
    """A Markdown link from one source page to another (MkDocs resolves and validates it, anchor included)."""
    path = posixpath.relpath(to_src, posixpath.dirname(from_src) or ".")
    return path + (f"#{anchor}" if anchor else "")


# A heading of a generated page, with its "#" link, or without one inside a folded group's <summary>.
HEADING = re.compile(r'<h([23]) id="([^"]+)"[^>]*>(.*?)(?:<a class="headerlink"|</h\1>)', re.S)
TAG = re.compile(r"<[^>]+>")
ID = re.compile(r'\sid="([^"]+)"')


def anchor_ids(html: str) -> set[str]:
    """Every id in a generated page (its anchors)."""
    return set(ID.findall(html))


def headings(html: str) -> list[dict]:
    """The table of contents of a generated page (its h2 and h3), as the toc extension gives it for Markdown."""
    toc: list[dict] = []
    for level, anchor, text in HEADING.findall(html):
        token = {"level": int(level), "id": anchor, "name": TAG.sub("", text), "children": []}
        if level == "3" and toc:
            toc[-1]["children"].append(token)
        else:
            toc.append(token)
    return toc


def page_helpers(site: Site, page: GeneratedPage, broken: list[str]) -> dict:
    """Functions for the generated-page templates: links relative to the page being written, to targets that exist.

    A link to a notice's anchor that the notice does not have, or to a page that is not published, is added to
    ``broken`` (the adapter reports it; it fails a strict build) instead of being written silently. Passed in each
    page's render context (and so to its includes), not set as globals of the theme's shared Jinja environment.
    """
    base = to_root(page.url)
    years = site.years
    reg = site.registry

    def checked(url: str, exists: bool) -> str:
        if not exists:
            broken.append(url)
        return base + url

    def link_notice(notice: Notice, anchor: str = "") -> str:
        url = notice.url + (f"#{anchor}" if anchor else "")
        return checked(url, site.by_src.get(notice.src_uri) is notice and (not anchor or anchor in notice.anchors))

    def link_page(url: str) -> str:
        return checked(url, url in site.static_urls)

    return {
        "link_notice": link_notice,
        "link_department": lambda key: checked(department_url(key), key in reg.departments),
        "link_project": lambda key: checked(project_url(key), key in reg.projects),
        "link_year": lambda year: checked(year_url(year), year in years),
        "link_page": link_page,
        "item_label": item_label,
        "issuer_name": site.issuer_name,
    }
