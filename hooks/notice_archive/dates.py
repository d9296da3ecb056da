"""Dates as Vietnamese documents write them, including the blank day of a pre-issuance copy; and the build's one
clock (build_day), which every date rule and every shown date goes by."""

from __future__ import annotations

import datetime as dt
import os
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

ISO = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?$")
VIETNAM = dt.timezone(dt.timedelta(hours=7))  # no daylight saving time


def build_day(environ: Mapping[str, str] = os.environ, now: Callable[[], float] = time.time) -> dt.date:
    """The day the build speaks for, in Vietnam time: which dates are in the future, which deadlines are still open.
    SOURCE_DATE_EPOCH when set, so two builds of one commit are identical (the scripts set it from the commit, the
    nightly publication from the clock); otherwise now. Never the machine's own day: CI runners are on UTC, seven
    hours behind, so a notice dated today in Vietnam would be "in the future" before 07:00."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    return dt.datetime.fromtimestamp(int(epoch) if epoch.isdigit() else now(), tz=VIETNAM).date()


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date whose day may be unknown (``2020-11``: "ngày   tháng 11 năm 2020", left blank for the clerk)."""

    year: int
    month: int
    day: int | None = None

    @classmethod
    def parse(cls, text: str, *, allow_partial: bool = True) -> PartialDate:
        m = ISO.match(text.strip())
        if not m:
            expected = "YYYY-MM-DD (hoặc YYYY-MM nếu ngày còn để trống)" if allow_partial else "YYYY-MM-DD"
            raise ValueError(f"ngày '{text}' không đúng dạng {expected}")
        year, month = int(m.group(1)), int(m.group(2))
        day = int(m.group(3)) if m.group(3) else None
        if day is None and not allow_partial:
            raise ValueError(f"ngày '{text}' thiếu ngày trong tháng; cần dạng YYYY-MM-DD")
        if not 1 <= month <= 12:
            raise ValueError(f"ngày '{text}' không có thật: tháng {month}")
        if day is not None:
            try:
                dt.date(year, month, day)
            except ValueError:
                raise ValueError(f"ngày '{text}' không có thật (tháng {month}/{year} không có ngày {day})") from None
        return cls(year, month, day)

    @property
    def complete(self) -> bool:
        return self.day is not None

    def iso(self) -> str:
        return f"{self.year:04d}-{self.month:02d}" + (f"-{self.day:02d}" if self.day else "")

    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, self.day or 1)

    def last_day(self) -> dt.date:
        if self.day:
            return dt.date(self.year, self.month, self.day)
        nxt = dt.date(self.year + (self.month == 12), self.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)

    def vn_long(self) -> str:
        """As on the place-and-date line: "ngày 05 tháng 01 năm 2020" (leading zeros per Decree 30)."""
        month = f"{self.month:02d}" if self.month <= 2 else str(self.month)
        day = f"{self.day:02d}" if self.day else "\u2003\u2003"
        return f"ngày {day} tháng {month} năm {self.year}"

    def vn_short(self) -> str:
        """As in citations: "12/11/2020", or "tháng 11/2020" when the day is blank."""
        if self.day:
            return f"{self.day:02d}/{self.month:02d}/{self.year}"
        return f"tháng {self.month:02d}/{self.year}"

    def __str__(self) -> str:
        return self.iso()
