"""The generated pages (home, departments, projects, years, and one page per department, project and year): their
catalogue, what each template is given, and their rendering to HTML with links checked against what the build
publishes. Their table of contents and anchors are read back from the HTML they contain.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

import yaml
from jinja2 import Environment
from jinja2.filters import do_truncate
from markupsafe import Markup

from .cite import item_label
from .deadlines import open_dues
from .group import Entry
from .markup import escape_text
from .model import Notice
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

if TYPE_CHECKING:
    from .site import Site

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


def catalogue(site: Site) -> dict[str, GeneratedPage]:
    """Every generated page of the archive, by src_uri: what on_files adds; each one's context is computed when it
    is rendered (on_page_content)."""
    reg = site.registry
    pages = [
        GeneratedPage("index.md", "generated/home.html", {
            "title": "Trang chủ", "feed": all_feed_path(), "hide": ["navigation", "toc"]}, partial(home, site)),
        GeneratedPage("don-vi/index.md", "generated/departments.html", {"title": "Đơn vị"},
                      partial(departments, site)),
        GeneratedPage("du-an/index.md", "generated/projects.html", {"title": "Dự án, đề án"},
                      partial(projects, site)),
        GeneratedPage("nam/index.md", "generated/years.html", {"title": "Theo năm"}, partial(years, site)),
    ]
    for key, dep in sorted(reg.departments.items()):
        pages.append(GeneratedPage(f"{department_url(key).rstrip('/')}.md", "generated/department.html",
                                   {"title": dep.name, "feed": department_feed_path(key)},
                                   partial(department, site, key)))
    for key, proj in sorted(reg.projects.items()):
        pages.append(GeneratedPage(f"{project_url(key).rstrip('/')}.md", "generated/project.html",
                                   {"title": proj.name, "feed": project_feed_path(key)}, partial(project, site, key)))
    for year in site.years:
        pages.append(GeneratedPage(f"{year_url(year).rstrip('/')}.md", "generated/year.html",
                                   {"title": f"Năm {year}"}, partial(one_year, site, year)))
    return {page.src_uri: page for page in pages}


# What each template is given.

def home(site: Site) -> dict:
    reg = site.registry
    return {"latest": site.newest_first()[:20], "total": len(site.archive.notices), "years": site.years,
            "n_departments": len(reg.departments), "n_projects": len(reg.projects)}


def departments(site: Site) -> dict:
    return {"departments": sorted(site.registry.departments.items(), key=lambda kv: kv[1].name)}


def projects(site: Site) -> dict:
    return {"projects": sorted(site.registry.projects.items(), key=lambda kv: kv[1].name)}


def years(site: Site) -> dict:
    return {"years": site.groups.years}


def department(site: Site, key: str) -> dict:
    entries = site.groups.departments[key]
    return {"key": key, "department": site.registry.departments[key], "entries": entries,
            "open_dues": open_dues(entries, site.today)}


def project(site: Site, key: str) -> dict:
    return {"key": key, "project": site.registry.projects[key], "entries": site.groups.projects[key]}


def one_year(site: Site, year: int) -> dict:
    return {"year": year, "months": site.groups.by_month(year)}


def static_urls(site: Site) -> frozenset[str]:
    """The site's own pages and files that generated pages may link to (besides notices)."""
    reg = site.registry
    return frozenset([*(p.url for p in site.generated_pages()), all_feed_path(), ARCHIVE_PATH,
                      NOTICES_CSV_PATH, ITEMS_CSV_PATH,
                      *(f(k) for k in reg.departments for f in (department_feed_path, department_ics_path)),
                      *(project_feed_path(k) for k in reg.projects)])


def autoescaped(env: Environment) -> Environment:
    """The theme's Jinja environment with autoescape on: generated pages are HTML, every value is escaped."""
    # A cache of its own: the theme's compiled templates (no autoescape) must never be reused here; nor those kept
    # on disk for the theme's environment (a bytecode cache's key is the template's name and source, not its
    # environment's settings).
    return env.overlay(autoescape=True, trim_blocks=True, lstrip_blocks=True, cache_size=100, bytecode_cache=None)


def render(site: Site, env: Environment, page: GeneratedPage) -> tuple[str, list[str]]:
    """The page's content as HTML (``env``: autoescaped), and its links that lead nowhere (none, unless a template
    or the model is wrong: every link comes from the helpers, which check their target)."""
    broken: list[str] = []
    html = env.get_template(page.template).render(site=site, registry=site.registry, groups=site.groups,
                                                  month_names=MONTHS, **page_helpers(site, page, broken, env),
                                                  **page.context())
    return html, broken


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


def notice_row(n: Notice, href: str) -> str:
    """A notice's line in a listing (home page, year pages), every value escaped."""
    status = "" if n.status == "ban-hanh" else f" — <em>{escape_text(n.status_label)}</em>"
    return (f'<li><a href="{escape_text(href)}">{escape_text(n.display_number)}, {escape_text(n.date.vn_short())}: '
            f'{escape_text(n.title)}</a>{status}</li>\n')


def department_row(e: Entry, href: str, text: str) -> str:
    """An item's (or point's) line on a department's page: its label, the department's roles, its notice; ``text``
    the item's heading or the point's text as shown (shortened)."""
    return (f'<li><a href="{escape_text(href)}"><strong>{escape_text(e.label)}</strong></a> · {escape_text(e.role_label)} · '
            f'Thông báo {escape_text(e.notice.display_number)}, {escape_text(e.notice.date.vn_short())}<br>\n'
            f'{escape_text(text)}</li>\n')


def project_row(e: Entry, href: str, text: str) -> str:
    """An item's (or point's) line in a project's history: the meeting's day, the item, its notice."""
    return (f'<li><strong>{escape_text(e.notice.meeting.date.vn_short())}</strong> — <a href="{escape_text(href)}">'
            f'{escape_text(e.label)}, {escape_text(e.notice.display_number)}</a>: {escape_text(text)}</li>\n')


def page_helpers(site: Site, page: GeneratedPage, broken: list[str], env: Environment | None = None) -> dict:
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
        return checked(url, site.by_src.get(notice.src_uri) is notice
                       and (not anchor or site.groups.has_anchor(notice, anchor)))

    def link_page(url: str) -> str:
        return checked(url, url in site.static_urls)

    # The rows of the listings, written in Python (a Jinja loop over thousands of rows was most of these pages'
    # time): the same HTML as the templates wrote, every value escaped, every link checked.
    shortening = env or Environment()  # the truncate filter's policies (leeway) are the environment's

    def shown(e: Entry) -> str:
        return do_truncate(shortening, e.point.text if e.point else e.item.heading, 240)

    def department_rows(entries: list[Entry]) -> Markup:
        return Markup("".join(department_row(e, link_notice(e.notice, e.anchor), shown(e)) for e in entries))

    def project_rows(entries: list[Entry]) -> Markup:
        return Markup("".join(project_row(e, link_notice(e.notice, e.anchor), shown(e)) for e in entries))

    def notice_rows(notices: list[Notice]) -> Markup:
        return Markup("".join(notice_row(n, link_notice(n)) for n in notices))

    return {
        "link_notice": link_notice,
        "link_department": lambda key: checked(department_url(key), key in reg.departments),
        "link_project": lambda key: checked(project_url(key), key in reg.projects),
        "link_year": lambda year: checked(year_url(year), year in years),
        "link_page": link_page,
        "department_rows": department_rows,
        "project_rows": project_rows,
        "notice_rows": notice_rows,
        "item_label": item_label,
        "issuer_name": site.issuer_name,
    }
