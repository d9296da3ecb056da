"""``notices new --issuer KEY``: a notice skeleton with front matter from the registries, at the right path.

The number is a suggestion (the next free number of the issuer's series in that year, from the archive); every
value the editor must write is a ``TODO:`` marker, which the validator reports until it is filled in.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass

from .archive import notice_paths
from .importer.emit import marker, scalar
from .reader import read_file
from .registry import load_registry
from .schema import NUMBER
from .text import slugify


class ScaffoldError(Exception):
    """A reason (Vietnamese) why no skeleton was written."""


@dataclass
class Scaffold:
    path: str  # relative to the archive root, e.g. notices/ubnd-tp-lang-son/2020/124-tb-ubnd.md
    text: str
    number: int


def used_numbers(docs_dir: str, issuer: str, series: str, year: int) -> set[int]:
    """Numbers already written in the archive for this issuer, series and year (read from the files as they are,
    so a notice that does not validate yet still holds its number)."""
    out = set()
    for rel in notice_paths(docs_dir):
        src = read_file(os.path.join(docs_dir, rel), rel)
        data = src.data or {}
        m = NUMBER.match(str(data.get("number", "")))
        if not m or data.get("issuer") != issuer or m.group("symbol") != series or not m.group("num"):
            continue
        if str(data.get("date", ""))[:4] == str(year):
            out.add(int(m.group("num")))
    return out


def scaffold(docs_dir: str, issuer: str, date: dt.date, series: str | None = None) -> Scaffold:
    reg, _problems = load_registry(docs_dir)
    if issuer not in reg.issuers:
        hint = reg.suggest("issuers", issuer)
        known = ", ".join(sorted(reg.issuers))
        raise ScaffoldError(f"cơ quan '{issuer}' không có trong notices/_registry/issuers.yml{hint} "
                            f"(các cơ quan đã có: {known})")
    iss = reg.issuers[issuer]
    series = series or iss.series[0]
    if series not in iss.series:
        raise ScaffoldError(f"ký hiệu '{series}' không thuộc các loạt số của {iss.short_name}: "
                            f"{', '.join(iss.series)}")
    used = used_numbers(docs_dir, issuer, series, date.year)
    number = max(used, default=0) + 1
    number_text = f"{number:02d}/{series}"
    lines = [
        "---",
        f"issuer: {issuer}",
        f"number: {number_text}  # gợi ý: số tiếp theo chưa dùng trong năm {date.year}; sửa theo bản gốc",
        "status: ban-hanh",
        f"date: {date.isoformat()}",
        f"place: {scalar(iss.places[0])}",
        f"title: {scalar(marker('trích yếu (các dòng dưới chữ THÔNG BÁO), như bản gốc'))}",
        "meeting:",
        f"  date: {scalar(marker('ngày họp YYYY-MM-DD'))}",
        "chair:",
        f"  name: {scalar(marker('họ tên người chủ trì, kết luận'))}",
        f"  title: {scalar(marker('chức vụ người chủ trì'))}",
        "signer:",
        "  authority: []  # ví dụ [TL. CHỦ TỊCH, KT. CHÁNH VĂN PHÒNG]; để [] nếu ký trực tiếp",
        f"  title: {scalar(marker('chức vụ người ký, chữ in hoa như bản gốc'))}",
        f"  name: {scalar(marker('họ tên người ký'))}",
        "recipients:",
        f"  - {scalar(marker('mỗi nơi nhận một dòng, như bản gốc'))}",
        f"  - {scalar('Lưu: VT.')}",
        "items: {}  # mỗi mục '### 1. …' cần một dòng muc-1: {} (thêm presented_by, lead, projects nếu có)",
        "---",
        "",
        marker("dán nội dung thông báo ở đây: đoạn mở đầu, '### 1. …' cho mỗi mục, 'a) …' cho điểm, dòng '***' "
               "sau mục cuối, rồi đoạn kết 'Trên đây là …'"),
        "",
    ]
    filename = f"{number}-{slugify(series)}.md"
    rel = f"{issuer}/{date.year}/{filename}"
    return Scaffold(f"{os.path.basename(os.path.abspath(docs_dir))}/{rel}", "\n".join(lines), number)


def write(docs_dir: str, sc: Scaffold) -> str:
    target = os.path.join(os.path.dirname(os.path.abspath(docs_dir)), sc.path)
    if os.path.exists(target):
        raise ScaffoldError(f"tệp {sc.path} đã có; không ghi đè")
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(sc.text)
    return target
