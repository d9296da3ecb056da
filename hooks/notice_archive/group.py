"""Group items by department, project and year: the indexes citizens browse. Linear in the archive's size."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from .cite import item_label
from .model import Item, Notice, Point
from .registry import Registry

ROLE_LABELS = {"presented_by": "Trình", "lead": "Chủ trì", "cooperating": "Phối hợp"}


@dataclass(frozen=True)
class Entry:
    """One row of an index: an item (or a point of it) of a notice, with the role it gives the subject."""

    notice: Notice
    item: Item
    point: Point | None
    roles: tuple[str, ...]  # presented_by, lead, cooperating (department pages); () on project pages

    @property
    def anchor(self) -> str:
        return self.point.anchor if self.point else self.item.anchor

    @property
    def label(self) -> str:
        return item_label(self.notice, self.item, self.point)

    @property
    def role_label(self) -> str:
        return ", ".join(ROLE_LABELS[r] for r in self.roles).capitalize()

    def newest_first(self) -> tuple:
        """Notices newest first; inside one notice, items in the order they are written."""
        date, number, url = self.notice.sort_key()
        return (-date.toordinal(), -number, url, self.item.line, self.point.line if self.point else 0)

    def chronological(self) -> tuple:
        return (*self.notice.sort_key(), self.item.line, self.point.line if self.point else 0)


@dataclass
class Groups:
    departments: dict[str, list[Entry]] = field(default_factory=dict)
    projects: dict[str, list[Entry]] = field(default_factory=dict)
    years: dict[int, list[Notice]] = field(default_factory=dict)
    # Each notice's anchors as a set, made on first use: the index pages check every row's link against it.
    _anchors: dict[str, frozenset[str]] = field(default_factory=dict, repr=False, compare=False)

    def has_anchor(self, notice: Notice, anchor: str) -> bool:
        """Whether the notice's page has this anchor (Notice.anchors, built once per notice, not once per row)."""
        anchors = self._anchors.get(notice.url)
        if anchors is None:
            anchors = self._anchors[notice.url] = frozenset(notice.anchors)
        return anchor in anchors

    @staticmethod
    def by_year_month(entries: list[Entry], newest_first: bool = True) -> list[tuple[int, list[tuple[int, list[Entry]]]]]:
        """Entries folded by year, then by month of issue (the pages fold them so that none is endless), in the
        entries' own order inside a month; years and months newest first, or oldest first (a project's history)."""
        years: dict[int, dict[int, list[Entry]]] = defaultdict(lambda: defaultdict(list))
        for entry in entries:
            years[entry.notice.date.year][entry.notice.date.month].append(entry)
        return [(year, sorted(months.items(), reverse=newest_first))
                for year, months in sorted(years.items(), reverse=newest_first)]

    def role_counts(self, department: str) -> dict[str, int]:
        counts = dict.fromkeys(ROLE_LABELS, 0)
        for entry in self.departments.get(department, []):
            for role in entry.roles:
                counts[role] += 1
        return counts

    def by_month(self, year: int) -> list[tuple[int, list[Notice]]]:
        out: dict[int, list[Notice]] = defaultdict(list)
        for notice in sorted(self.years.get(year, []), key=Notice.sort_key, reverse=True):
            out[notice.date.month].append(notice)
        return sorted(out.items(), reverse=True)


def group(notices: list[Notice], registry: Registry) -> Groups:
    # One row per item (or point) and subject; a department's several roles in it are merged into that row.
    deps: dict[str, dict[tuple, list]] = {key: {} for key in registry.departments}
    projs: dict[str, list[Entry]] = {key: [] for key in registry.projects}
    years: dict[int, list[Notice]] = defaultdict(list)

    def add(key: str, notice: Notice, item: Item, point: Point | None, role: str) -> None:
        row = deps[key].setdefault((notice.url, point.anchor if point else item.anchor), [notice, item, point, []])
        if role not in row[3]:
            row[3].append(role)

    for notice in notices:
        years[notice.date.year].append(notice)
        for item in notice.items:
            if item.presented_by:
                add(item.presented_by, notice, item, None, "presented_by")
            for role in ("lead", "cooperating"):
                for key in getattr(item, role):
                    add(key, notice, item, None, role)
            projs_seen = set()
            for key in item.projects:
                projs[key].append(Entry(notice, item, None, ()))
                projs_seen.add(key)
            for point in item.points:
                for role in ("lead", "cooperating"):
                    for key in getattr(point, role):
                        add(key, notice, item, point, role)
                for key in point.projects:
                    if key not in projs_seen:
                        projs[key].append(Entry(notice, item, point, ()))
    dep_entries = {key: sorted((Entry(n, i, p, tuple(r)) for n, i, p, r in rows.values()), key=Entry.newest_first)
                   for key, rows in deps.items()}
    for entries in projs.values():
        entries.sort(key=Entry.chronological)
    return Groups(dep_entries, projs, dict(sorted(years.items(), reverse=True)))
