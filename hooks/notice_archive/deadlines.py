"""Deadlines set by items and points: open deadlines per department, and an iCalendar (.ics) file per department.

A deadline belongs to the rows of a department's index (group.Entry): an item row carries the item's deadlines and
those of its points that name no department of their own; a point row carries the point's deadlines. A month
("trong tháng 4/2026", recorded as 2026-04) falls due on its last day.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from .cite import item_label
from .group import Entry
from .model import Deadline

ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "thong-bao-ket-luan:")


@dataclass(frozen=True)
class Due:
    deadline: Deadline
    entry: Entry
    point_letter: str | None  # a point's deadline listed on its item's row

    @property
    def date(self) -> dt.date:
        return self.deadline.date.last_day()

    @property
    def anchor(self) -> str:
        if self.point_letter is None:
            return self.entry.anchor
        point = next(p for p in self.entry.item.points if p.letter == self.point_letter)
        return point.anchor

    @property
    def label(self) -> str:
        if self.point_letter is None:
            return self.entry.label
        point = next(p for p in self.entry.item.points if p.letter == self.point_letter)
        return item_label(self.entry.notice, self.entry.item, point)

    @property
    def text(self) -> str:
        """What is due: the point's text, or the item's heading."""
        if self.entry.point is not None:
            return self.entry.point.text
        if self.point_letter is not None:
            return next(p.text for p in self.entry.item.points if p.letter == self.point_letter)
        return self.entry.item.heading

    def sort_key(self) -> tuple:
        return (self.date, self.entry.notice.url, self.anchor, self.deadline.text)


def dues(entries: list[Entry]) -> list[Due]:
    """Every deadline on a department's rows, soonest first."""
    out = []
    for entry in entries:
        if entry.point is not None:
            out += [Due(d, entry, None) for d in entry.point.deadlines]
            continue
        out += [Due(d, entry, None) for d in entry.item.deadlines]
        for point in entry.item.points:
            if not (point.lead or point.cooperating):
                out += [Due(d, entry, point.letter) for d in point.deadlines]
    return sorted(out, key=Due.sort_key)


def open_dues(entries: list[Entry], today: dt.date) -> list[Due]:
    """Deadlines not yet passed on the day of the build."""
    return [d for d in dues(entries) if d.date >= today]


def department_ics(name: str, entries: list[Entry], site_url: str | None, site_name: str) -> str:
    """An iCalendar file of all the department's deadlines (all-day events), with links when site_url is known.

    Deterministic: UIDs come from the permanent address of the item or point and the deadline; DTSTAMP is the
    notice's date, not the time of the build.
    """
    import icalendar  # loaded when the calendars are written (on_post_build), not when the hooks are

    cal = icalendar.Calendar()
    cal.add("prodid", "-//Thong bao ket luan//Kho luu tru//VI")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Hạn hoàn thành – {name}")
    cal.add("x-wr-caldesc", f"Các hạn được giao trong Thông báo kết luận ({site_name})")
    for due in dues(entries):
        notice = due.entry.notice
        path = f"{notice.url}#{due.anchor}"
        event = icalendar.Event()
        event.add("uid", f"{uuid.uuid5(ID_NAMESPACE, path + '|' + due.deadline.date.iso() + '|' + due.deadline.text)}")
        event.add("dtstamp", dt.datetime.combine(notice.date.first_day(), dt.time(0, 0), tzinfo=dt.UTC))
        event.add("dtstart", due.date)
        event.add("dtend", due.date + dt.timedelta(days=1))
        event.add("summary", f"{due.deadline.text[:1].upper()}{due.deadline.text[1:]}: {due.label}, "
                             f"Thông báo {notice.display_number}")
        url = site_url.rstrip("/") + "/" + path if site_url else None
        event.add("description", f"{due.text}\n\n{notice.title}\n{url or '/' + path}")
        if url:
            event.add("url", url)
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return cal.to_ical().decode("utf-8")
