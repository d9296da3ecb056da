"""Document numbers cited in a notice's text: state style ``370/TB-UBND`` and Party style ``81-CV/TU``."""

from __future__ import annotations

import re
from dataclasses import dataclass

_SYMBOL = r"[A-ZĐ][A-Za-zĐđ]*"
CITED = re.compile(
    rf"(?<![\w/.-])(?:(?P<num>\d{{1,5}})/(?P<series>{_SYMBOL}(?:-{_SYMBOL})+)"  # 370/TB-UBND, 12/UBND-VX
    rf"|(?P<pnum>\d{{1,5}})-(?P<ptype>{_SYMBOL})/(?P<pbody>{_SYMBOL}(?:-{_SYMBOL})*))"  # 81-CV/TU
    r"(?P<date>\s+ngày\s+(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4}))?"
)


@dataclass(frozen=True)
class Reference:
    text: str  # as written, date included
    number: int
    series: str  # "TB-UBND" (state) or "CV/TU" (Party)
    party: bool
    year: int | None
    start: int
    end: int


def find_references(text: str) -> list[Reference]:
    out = []
    for m in CITED.finditer(text):
        party = m.group("pnum") is not None
        number = int(m.group("pnum") if party else m.group("num"))
        series = f"{m.group('ptype')}/{m.group('pbody')}" if party else m.group("series")
        year = int(m.group("year")) if m.group("year") else None
        out.append(Reference(m.group(0), number, series, party, year, m.start(), m.end()))
    return out
