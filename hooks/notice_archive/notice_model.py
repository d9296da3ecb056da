"""A notice's model (model.Notice) from its checked front matter and body: made only when the notice has no error."""

from __future__ import annotations

from . import model as m
from . import originals
from .body import ParsedBody
from .schema import FrontMatter
from .urls import notice_url


def _deadlines(meta) -> tuple[m.Deadline, ...]:
    return tuple(m.Deadline(d.date, d.text) for d in meta.deadlines)


def build_notice(src_uri: str, fm: FrontMatter, parsed: ParsedBody, number: int | None,
                 replaces_lines: tuple[int, ...] = ()) -> m.Notice:
    series = fm.number.split("/", 1)[1]
    meta = fm.items
    items = []
    for raw in parsed.items:
        im = meta[raw.anchor]
        pts = tuple(
            m.Point(p.letter, p.anchor, p.full_text, p.line, tuple(pm.lead), tuple(pm.cooperating),
                    tuple(pm.projects), _deadlines(pm)) if (pm := meta.get(p.anchor)) is not None
            else m.Point(p.letter, p.anchor, p.full_text, p.line)
            for p in raw.points)
        items.append(m.Item(raw.number, raw.section, raw.anchor, raw.heading, "\n".join(raw.lines).strip(),
                            raw.line, pts, im.presented_by, tuple(im.lead), tuple(im.cooperating),
                            tuple(im.projects), _deadlines(im)))
    sections = tuple(m.Section(s.numeral, s.number, s.title, s.anchor, s.line, "\n".join(s.lines).strip())
                     for s in parsed.sections)
    return m.Notice(
        src_uri=src_uri, issuer=fm.issuer, number=number, number_text=fm.number, series=series,
        status=fm.status, date=fm.date, place=fm.place, title=fm.title,
        meeting=m.Meeting(fm.meeting.date, fm.meeting.invitation, fm.meeting.invitation_date),
        chair=m.Person(fm.chair.name, fm.chair.title),
        signer=m.Signer(tuple(fm.signer.authority), fm.signer.title, fm.signer.name),
        recipients=tuple(fm.recipients), sections=sections, items=tuple(items),
        preamble="\n".join(parsed.preamble).strip(), closing="\n".join(parsed.closing).strip(),
        url=notice_url(fm.issuer, series, number, fm.date, fm.meeting.date),
        replaces=tuple(fm.replaces), former_urls=tuple(fm.former_urls), replaces_lines=replaces_lines,
        original=originals.of_notice(src_uri, fm.original),
    )
