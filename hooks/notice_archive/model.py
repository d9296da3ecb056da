"""The domain model: frozen, so nothing downstream can rewrite a notice."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .dates import PartialDate
from .originals import Original

STATUS_LABELS = {
    "ban-hanh": "Đã ban hành",
    "chua-so": "Bản chưa ghi số và ngày ban hành",
}


@dataclass(frozen=True)
class Deadline:
    """A date by which an item or point assigns work, and the words that set it ("trước ngày 28/4/2026")."""

    date: PartialDate  # a month ("trong tháng 4/2026") means its last day
    text: str


@dataclass(frozen=True)
class Point:
    letter: str
    anchor: str
    text: str
    line: int
    lead: tuple[str, ...] = ()
    cooperating: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    deadlines: tuple[Deadline, ...] = ()


@dataclass(frozen=True)
class Section:
    numeral: str
    number: int
    title: str
    anchor: str
    line: int
    text: str = ""  # the section's own text before its first item (searchable)


@dataclass(frozen=True)
class Item:
    number: int
    section: int | None
    anchor: str
    heading: str
    text: str
    line: int
    points: tuple[Point, ...] = ()
    presented_by: str | None = None
    lead: tuple[str, ...] = ()
    cooperating: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    deadlines: tuple[Deadline, ...] = ()


@dataclass(frozen=True)
class Person:
    name: str
    title: str


@dataclass(frozen=True)
class Signer:
    authority: tuple[str, ...]
    title: str
    name: str


@dataclass(frozen=True)
class Meeting:
    date: PartialDate
    invitation: str | None
    invitation_date: PartialDate | None


@dataclass(frozen=True)
class Notice:
    src_uri: str  # path relative to notices/, as MkDocs names it
    issuer: str
    number: int | None  # None for a pre-issuance copy whose number is still blank
    number_text: str  # as printed after "Số:"
    series: str  # e.g. TB-UBND
    status: str
    date: PartialDate
    place: str
    title: str
    meeting: Meeting
    chair: Person
    signer: Signer
    recipients: tuple[str, ...]
    sections: tuple[Section, ...]
    items: tuple[Item, ...]
    preamble: str
    closing: str
    url: str  # site-relative, ends with "/"
    replaces: tuple[str, ...] = ()
    former_urls: tuple[str, ...] = ()
    replaces_lines: tuple[int, ...] = ()  # where each `replaces` entry is written, for messages
    original: Original | None = None  # the issued PDF or Word file kept beside the notice (originals.py)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def display_number(self) -> str:
        return self.number_text if self.number is not None else f"…/{self.series} (chưa ghi số)"

    @cached_property
    def anchors(self) -> tuple[str, ...]:
        """Every anchor of the page, in order: worked out once (index pages ask at every link to the notice)."""
        out = [s.anchor for s in self.sections]
        for item in self.items:
            out.append(item.anchor)
            out.extend(p.anchor for p in item.points)
        return tuple(out)

    def sort_key(self) -> tuple:
        """Newest first in listings; stable for equal dates."""
        return (self.date.first_day(), self.number or 0, self.url)
