"""Ready-made citations, as officials write them: "Mục 4, Thông báo số 123/TB-UBND ngày 12/11/2020 của …"."""

from __future__ import annotations

from .model import Item, Notice, Point


def notice_phrase(notice: Notice, issuer_short_name: str) -> str:
    if notice.number is not None and notice.date.complete:
        return f"Thông báo số {notice.number_text} ngày {notice.date.vn_short()} của {issuer_short_name}"
    # Honest about a copy whose number and day are still blank: identify it by its meeting instead.
    return (f"Thông báo {notice.series} (bản chưa ghi số) kết luận cuộc họp ngày {notice.meeting.date.vn_short()} "
            f"của {issuer_short_name}")


def item_label(notice: Notice, item: Item, point: Point | None = None) -> str:
    section = ""
    if item.section is not None and item.anchor.startswith("phan-"):
        numeral = next(s.numeral for s in notice.sections if s.number == item.section)
        section = f" phần {numeral}"
    if point is not None:
        return f"Điểm {point.letter}) mục {item.number}{section}"
    return f"Mục {item.number}{section}"


def citation(notice: Notice, issuer_short_name: str, item: Item, point: Point | None = None) -> str:
    return f"{item_label(notice, item, point)}, {notice_phrase(notice, issuer_short_name)}"
