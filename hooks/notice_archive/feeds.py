"""Atom feeds and iCalendar files: all notices; per department and per project, one entry per item (or point)
linking to its permanent anchor; the deadlines of each department as .ics.

mkdocs-rss-plugin builds feeds of whole pages from page metadata; it cannot make item-level entries per department,
so the feeds are written here, from the same model as the pages, through a Jinja template (theme/feeds/).

Paths (relative to the site root):

    feeds/thong-bao.xml          the newest notices
    feeds/don-vi/<key>.xml       items and points that involve a department
    feeds/du-an/<key>.xml        items and points about a project
    feeds/don-vi/<key>.ics       a department's deadlines
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from jinja2 import Environment

from . import urls
from .cite import item_label
from .deadlines import ID_NAMESPACE, department_ics
from .group import Entry, Groups
from .model import Item, Notice, Point
from .registry import Registry
from .urls import (
    all_feed_path,
    department_feed_path,
    department_ics_path,
    department_url,
    project_feed_path,
    project_url,
)

TEMPLATE = "feeds/atom.xml.html"  # *.html so that MkDocs does not also copy the template into the site
MAX_NOTICES = 50
MAX_ENTRIES = 100
VN = dt.timezone(dt.timedelta(hours=7))
# Characters XML 1.0 does not allow even escaped (C0 controls but tab and line breaks, lone surrogates, U+FFFE/F), and
# those iCalendar TEXT does not allow (controls): one in a title would make the whole feed unreadable.
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
NOT_ICS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class FeedEntry:
    id: str
    title: str
    href: str
    updated: str
    summary: str
    category: str | None = None


@dataclass(frozen=True)
class Feed:
    path: str
    id: str
    title: str
    subtitle: str
    author: str
    self_href: str
    page_href: str
    updated: str
    entries: tuple[FeedEntry, ...]


def _urn(path: str) -> str:
    """A permanent id from a permanent address (unchanged if the site later gets a site_url or moves host)."""
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, path)}"


def _when(notice: Notice) -> dt.date:
    """The date an entry carries: the issue date, or the meeting date for a copy whose day is still blank."""
    return max(notice.date.first_day(), notice.meeting.date.first_day())


def _stamp(day: dt.date) -> str:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=VN).isoformat()


@dataclass(frozen=True)
class EntryText:
    """What an item's (or point's) entry says in every feed that holds it; the feed adds its category."""

    id: str
    target: str  # site-relative address: the notice's URL and the anchor
    updated: str
    title: str
    summary: str


def entry_text(notice: Notice, item: Item, point: Point | None, issuer_short_name: str) -> EntryText:
    """An entry's text. Pure: depends on the notice (its item or point) and its issuer's short name only."""
    anchor = point.anchor if point else item.anchor
    target = f"{notice.url}#{anchor}"
    text = point.text if point else item.heading
    return EntryText(
        id=_urn(target), target=target, updated=_stamp(_when(notice)),
        title=f"{item_label(notice, item, point)}, Thông báo {notice.display_number} ({notice.date.vn_short()}): "
              f"{text}",
        summary=f"{notice.title} – {issuer_short_name}. {point.text if point else item.text}")


def _entry_feed(path: str, page: str, title: str, subtitle: str, author: str, entries: list[Entry],
                text_of: Callable[[Entry], EntryText], site_url: str | None) -> Feed:
    href = partial(urls.href, site_url=site_url, from_file=path)
    out = []
    for e in sorted(entries, key=Entry.newest_first)[:MAX_ENTRIES]:
        t = text_of(e)
        out.append(FeedEntry(id=t.id, href=href(t.target), updated=t.updated, title=t.title, summary=t.summary,
                             category=e.role_label or None))
    updated = max((x.updated for x in out), default=_stamp(dt.date(2000, 1, 1)))
    return Feed(path, _urn(path), title, subtitle, author, href(path), href(page), updated, tuple(out))


def build_feeds(notices: list[Notice], groups: Groups, registry: Registry, site_name: str,
                site_url: str | None) -> list[Feed]:
    def issuer_name(n: Notice) -> str:
        return registry.issuers[n.issuer].short_name

    # An item is in the feed of each department and project it names: its entry's text is made once.
    texts: dict[tuple[str, str], EntryText] = {}

    def text_of(e: Entry) -> EntryText:
        key = (e.notice.url, e.anchor)
        if key not in texts:
            texts[key] = entry_text(e.notice, e.item, e.point, issuer_name(e.notice))
        return texts[key]

    feeds = []
    path = all_feed_path()
    href = partial(urls.href, site_url=site_url, from_file=path)
    newest = sorted(notices, key=lambda n: (_when(n), *n.sort_key()), reverse=True)[:MAX_NOTICES]
    entries = tuple(FeedEntry(
        id=_urn(n.url), href=href(n.url), updated=_stamp(_when(n)),
        title=f"Thông báo {n.display_number} ({n.date.vn_short()}): {n.title}",
        summary=f"{issuer_name(n)}. Cuộc họp ngày {n.meeting.date.vn_short()}, {n.chair.name} – {n.chair.title} "
                f"chủ trì. {len(n.items)} mục.") for n in newest)
    feeds.append(Feed(path, _urn(path), f"{site_name}: thông báo mới", "Các Thông báo kết luận mới nhất",
                      site_name, href(path), href(""), max((e.updated for e in entries),
                                                            default=_stamp(dt.date(2000, 1, 1))), entries))
    for key, dep in sorted(registry.departments.items()):
        feeds.append(_entry_feed(department_feed_path(key), department_url(key), f"{dep.name}: mục được giao",
                                 f"Các mục, điểm trong Thông báo kết luận có {dep.name} trình, chủ trì hoặc phối hợp",
                                 site_name, groups.departments.get(key, []), text_of, site_url))
    for key, proj in sorted(registry.projects.items()):
        feeds.append(_entry_feed(project_feed_path(key), project_url(key), f"{proj.name}: diễn biến",
                                 f"Các mục, điểm trong Thông báo kết luận về {proj.name}", site_name,
                                 groups.projects.get(key, []), text_of, site_url))
    return feeds


def render_feed(env: Environment, feed: Feed) -> str:
    """A feed as Atom XML: well-formed whatever its text (the template escapes; what XML cannot hold is replaced)."""
    return NOT_XML.sub("\ufffd", env.get_template(TEMPLATE).render(feed=feed))


def feed_files(env: Environment, notices: list[Notice], groups: Groups, registry: Registry, site_name: str,
               site_url: str | None) -> dict[str, str]:
    """Every feed and calendar file: {path relative to the site root: text}. Deterministic."""
    files = {f.path: render_feed(env, f) for f in build_feeds(notices, groups, registry, site_name, site_url)}
    for key, dep in sorted(registry.departments.items()):
        files[department_ics_path(key)] = NOT_ICS.sub("\ufffd", department_ics(
            dep.name, groups.departments.get(key, []), site_url, site_name))
    return files
