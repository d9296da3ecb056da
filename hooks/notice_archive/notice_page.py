"""A notice's page as the site publishes it: its body as the engine renders it (anchored, citing links), and
what the rendered HTML gets besides (each item's metadata, each item's and point's citation, point links).
"""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from markupsafe import escape

from .body import ITEM, POINT, SECTION, BodyLayout, ParsedBody, parse_body, render_markdown
from .cite import citation
from .model import Item, Notice
from .reader import front_matter_end
from .references import find_references
from .registry import Registry
from .text import casefold_vi
from .urls import department_url, project_url, to_root

OWNER = re.compile(r"\s+của\s+([^,.;:()\n]+)")  # "… của UBND thành phố": who issued the cited document
# An item's heading and a point's paragraph as Python-Markdown writes them (attributes sorted): where the citation
# goes, and the point's letter that becomes a link.
ITEM_ELEMENT = re.compile(r'(<h[23] class="item") (id="([^"]+)")')
POINT_ELEMENT = re.compile(r'(<p class="point") (id="([^"]+)">)([a-zđ]\))(?=[\s<])')
# What every match of references.CITED holds ("370/TB-UBND", "81-CV/TU"), found several times faster: CITED opens
# with a lookbehind, which makes the regex engine try it at every position of the body.
MAY_CITE = re.compile(r"\d/[A-ZĐ][A-Za-zĐđ]*-[A-ZĐ]|\d-[A-ZĐ][A-Za-zĐđ]*/[A-ZĐ]")
ITEM_HEADING = re.compile(r'<h([23])\b[^>]*\sid="((?:phan-\d+-)?muc-\d+)"[^>]*>.*?</h\1>', re.S)


@dataclass(frozen=True)
class NoticePage:
    source: str  # the Markdown the engine renders: the body with anchors and links to cited notices
    item_meta: dict[str, str]  # item anchor -> the HTML put under its heading (decorate_html)
    cites: dict[str, str]  # item or point anchor -> its ready-made citation, escaped (decorate_html); plain str, not
    # Markup: a page is kept in the per-notice cache, and a Markup object costs ~10x a str to unpickle


def with_citations(page: NoticePage, notice: Notice, registry: Registry, by_number: dict[tuple, Notice]) -> NoticePage:
    """A notice's page (own_page, which the per-notice cache keeps) with the links to the notices it cites
    (``by_number``: number_index): the one part that depends on the other notices, made each build."""
    return replace(page, source=link_citations(notice, page.source, registry, by_number))


def own_page(notice: Notice, markdown: str, first_line: int, registry: Registry, issuer: str) -> NoticePage:
    """What a notice's page needs from the notice alone: its body (``markdown``, from the file line ``first_line``:
    notice_source) anchored, each item's metadata (departments, projects and citation, as HTML: item_meta) and each
    item's and point's citation, escaped for an HTML attribute. ``issuer``: the issuer's short name, as citations
    give it. A pure function of the notice's file and the registry; the links to cited notices, which depend on the
    other notices, are added after it (link_citations)."""
    cited = {}
    for item in notice.items:
        cited[item.anchor] = citation(notice, issuer, item)
        for point in item.points:
            cited[point.anchor] = citation(notice, issuer, item, point)
    base = to_root(notice.url)
    meta = {item.anchor: item_meta(item, registry, cited[item.anchor], base) for item in notice.items}
    return NoticePage(anchored_source(notice, markdown, first_line), meta,
                      {anchor: str(escape(text)) for anchor, text in cited.items()})


def item_meta(item: Item, registry: Registry, cite: str, base: str) -> str:
    """The HTML under an item's heading: who presented it, who must act, which projects (links to their pages,
    ``base``: the way up to the site root) and its ready-made citation. Every value is text, escaped; the links come
    from registry keys the validator has checked. (Written here, not by a template macro: a Jinja macro call per
    item was half the cost of preparing a notice page.)"""
    def links(keys: Iterable[str], names: dict, url: Callable[[str], str]) -> str:
        return ", ".join(f'<a href="{escape(base + url(key))}">{escape(names[key].name)}</a>' for key in keys)

    parts = []
    if item.presented_by:
        parts.append("Đơn vị trình: " + links((item.presented_by,), registry.departments, department_url))
    if item.lead:
        parts.append("Chủ trì: " + links(item.lead, registry.departments, department_url))
    if item.cooperating:
        parts.append("Phối hợp: " + links(item.cooperating, registry.departments, department_url))
    if item.projects:
        parts.append("Dự án: " + links(item.projects, registry.projects, project_url))
    return (f'<p class="item-meta">{" · ".join(parts)}<br><span class="item-cite">Trích dẫn: <em>{escape(cite)}'
            "</em></span></p>")


def notice_source(docs_dir: str, src_uri: str) -> tuple[str, int]:
    """A notice's body as the engine renders it, from its file: body_source."""
    with open(os.path.join(docs_dir, src_uri), encoding="utf-8") as fh:
        return body_source(fh.read())


def body_source(text: str) -> tuple[str, int]:
    """The body of a notice file's text as the engine renders it (the text after the front matter, leading blank
    lines dropped), found without parsing the front matter a second time: the archive already holds it; and the
    file line of its first line."""
    lines = text.split("\n")
    start = (front_matter_end(lines) or 0) + 1
    while start < len(lines) and not lines[start]:
        start += 1
    return "\n".join(lines[start:]), start + 1


def anchored_source(notice: Notice, markdown: str, first_line: int) -> str:
    """The notice body as Markdown (its first line at ``first_line`` of the file), with item and point anchors."""
    layout: BodyLayout | ParsedBody = BodyLayout(first_line, notice.sections, notice.items)
    if not same_layout(markdown.split("\n"), layout):
        layout = parse_body(notice.src_uri, markdown, 1)[0]  # not the text the archive read: find the items again
    return render_markdown(markdown, layout)


def number_index(notices: list[Notice]) -> dict[tuple, Notice]:
    """The notices by (issuer, series, year, number): what a cited document number can link to."""
    return {(n.issuer, n.series, n.date.year, n.number): n for n in notices if n.number is not None}


def page_meta(notice: Notice, updated: str) -> dict:
    """The engine's page metadata of a notice page (its front matter is in the template context as `notice`);
    ``updated``: the sitemap's <lastmod> (theme/sitemap.xml), the day the file last changed in git."""
    return {"title": notice.title, "template": "notice.html", "updated": updated}


def link_citations(notice: Notice, markdown: str, registry: Registry, by_number: dict[tuple, Notice]) -> str:
    """Link document numbers cited in the text to that document when the archive surely holds it.

    Numbers restart every year and many bodies share a series (every UBND has TB-UBND), so a reference links
    only when its date is written ("370/TB-UBND ngày 15/10/2020") and any "của …" after it names the citing
    notice's own issuer ("của UBND thành phố"). Otherwise the text stays as it is: no link beats a wrong one.
    """
    cited_lines = _lines_that_may_cite(markdown)
    if not cited_lines:  # most bodies cite no document number at all
        return markdown
    issuer = registry.issuers[notice.issuer]
    own_names = [casefold_vi(issuer.short_name), casefold_vi(issuer.name)]
    out = []
    for number, line in enumerate(markdown.split("\n")):
        # Only a reference with its date is linked, and its date is written "ngày …" on the same line.
        if (number not in cited_lines or "ngày" not in line or line.startswith("#") or line.startswith("{:")
                or "](" in line):
            out.append(line)
            continue
        pieces, last = [], 0
        for ref in find_references(line):
            if ref.party or ref.year is None:
                continue
            owner = OWNER.match(line, ref.end)
            if owner and not any(name.startswith(casefold_vi(owner.group(1))) for name in own_names):
                continue
            target = by_number.get((notice.issuer, ref.series, ref.year, ref.number))
            if target is None or target is notice:
                continue
            pieces += [line[last:ref.start], f"[{ref.text}]({rel(notice.src_uri, target.src_uri)})"]
            last = ref.end
        out.append("".join(pieces) + line[last:])
    return "\n".join(out)


def _lines_that_may_cite(markdown: str) -> set[int]:
    """The lines (from 0) that can hold a cited document number: those with a match of MAY_CITE, which every match
    of CITED holds and which never spans lines. One pass over the text (CITED, asked line by line, was most of the
    cost of preparing a page)."""
    out: set[int] = set()
    line, last = 0, 0
    for m in MAY_CITE.finditer(markdown):
        line += markdown.count("\n", last, m.start())
        last = m.start()
        out.add(line)
    return out


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
