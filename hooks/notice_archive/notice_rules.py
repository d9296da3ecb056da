"""The rules of one notice beyond its schema (Decree 30 and the registries), one function per part of the notice.

Each rule runs when the fields it needs are valid (``None`` = wrong or missing, already reported), so one broken
field never hides the other problems. Every rule takes what it reads and returns what it found: ``check_rules``
runs them all and gives the problems in the order of the notice's parts.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from . import limits
from .body import ParsedBody, RawItem, RawPoint
from .problems import Problem
from .reader import Source, dotted
from .registry import Registry, mentions_folded
from .schema import NUMBER
from .text import casefold_vi
from .urls import RESERVED, notice_url

# Decree 30, appendix III: document-type abbreviations (the symbol's first part).
DOC_TYPES = frozenset({
    "NQ", "QĐ", "CT", "QC", "QyĐ", "TB", "HD", "CTr", "KH", "PA", "ĐA", "DA", "BC", "BB", "TTr", "HĐ", "CĐ",
    "BGN", "UQ", "GM", "GGT", "PB", "GNP", "GXN", "GUQ", "TC", "GCN",
})
AUTHORITY = re.compile(r"^(TM|KT|Q|TL|TUQ)\.\s+(\S.*)$")
ALLOWED_CHAINS = {(), ("TM",), ("KT",), ("Q",), ("TL",), ("TUQ",), ("TM", "KT"), ("TL", "KT")}
INVITATION = re.compile(r"^\d+/[^\s/]+$|^\d+-[^\s/]+/[^\s/]+$")
LUU_VT_ONLY = re.compile(r"Lưu:\s*VT\.?")
# A former URL is a notice URL of this site (urls.notice_url): <issuer>/<yyyy>/<slug>/, leading '/' optional.
FORMER_URL = re.compile(r"^/?(?P<issuer>[a-z0-9]+(?:-[a-z0-9]+)*)/(?P<year>\d{4})/[a-z0-9]+(?:-[a-z0-9]+)*/$")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^//")

Former = tuple[str, int, int]  # a well-formed former URL: (normalised "a/b/c/", its index in former_urls, line)


@dataclass(frozen=True)
class Identity:
    """What must be unique across the archive, known even when other parts of the notice are wrong."""

    path: str
    line: int  # the 'number' line
    issuer: str
    series: str
    year: int
    number: int | None
    number_text: str
    url: str
    former: tuple[Former, ...] = ()  # well-formed former_urls


@dataclass(frozen=True)
class NumberCheck:
    """What the number rules found: their problems, the number's value, and whether the number can identify the
    notice (its symbol is one of the issuer's series)."""

    problems: list[Problem]
    value: int | None
    usable: bool


@dataclass(frozen=True)
class Ruled:
    """What the rules of one notice found: every problem, in the order of the notice's parts, and its identity."""

    problems: list[Problem]
    number: int | None
    identity: Identity | None


class Findings:
    """The problems of one notice: at a field (named at the start of the message) or at a line of the body."""

    def __init__(self, src: Source):
        self.src = src
        self.problems: list[Problem] = []

    def err(self, where: tuple | int, msg: str, code: str, severity: str = "error") -> None:
        if isinstance(where, tuple):
            line = self.src.line_of(where)
            msg = f"trường {dotted(where)}: {msg}"
        else:
            line = where
        self.problems.append(Problem(self.src.path, line, msg, severity, code))  # type: ignore[arg-type]


def _has(fm: Any, *names: str) -> bool:
    return all(getattr(fm, name) is not None for name in names)


def check_rules(src: Source, src_uri: str, fm: Any, parsed: ParsedBody, registry: Registry,
                today: dt.date) -> Ruled:
    """Every rule of one notice; ``fm``: its front matter, with ``None`` for fields that are wrong or missing."""
    number = number_rules(fm, registry, src)
    former_problems, former = former_url_rules(fm, registry, src)
    problems = [*issuer_rules(fm, registry, src), *number.problems, *date_rules(fm, today, src),
                *signer_rules(fm, src), *recipient_rules(fm, src), *item_rules(fm, parsed, registry, src),
                *location_rules(fm, src_uri, registry, src), *former_problems]
    return Ruled(problems, number.value, identity_of(src, fm, number, former))


def issuer_rules(fm: Any, registry: Registry, src: Source) -> list[Problem]:
    """The issuer is in the registry; the place is one of its places; the date is in its years of activity."""
    diag = Findings(src)
    if not _has(fm, "issuer"):
        return diag.problems
    issuer = registry.issuers.get(fm.issuer)
    if issuer is None:
        diag.err(("issuer",), f"cơ quan '{fm.issuer}' không có trong danh mục issuers.yml"
                 + registry.suggest("issuers", fm.issuer), "khoa-la")
        return diag.problems
    if _has(fm, "place") and fm.place not in issuer.places:
        diag.err(("place",), f"địa danh '{fm.place}' chưa khai báo cho {issuer.short_name}; cần một trong: "
                 f"{', '.join(issuer.places)} (thêm vào issuers.yml nếu bản gốc ghi như vậy)", "dia-danh")
    if not _has(fm, "date"):
        return diag.problems
    if issuer.valid_from and fm.date.last_day() < issuer.valid_from.first_day():
        diag.err(("date",), f"{issuer.short_name} chỉ ban hành văn bản từ {issuer.valid_from.vn_short()}",
                 "hieu-luc")
    if issuer.valid_to and fm.date.first_day() > issuer.valid_to.last_day():
        diag.err(("date",), f"{issuer.short_name} đã chấm dứt hoạt động sau {issuer.valid_to.vn_short()}; "
                 "kiểm tra lại ngày ban hành hoặc cơ quan ban hành", "hieu-luc")
    return diag.problems


def number_rules(fm: Any, registry: Registry, src: Source) -> NumberCheck:
    """The number and symbol (Decree 30: two digits at least, a TB- symbol of the issuer's series) and the status
    they go with."""
    diag = Findings(src)
    number: int | None = None
    usable = False
    if not _has(fm, "number"):
        return NumberCheck(diag.problems, number, usable)
    text = fm.number
    m_num = NUMBER.match(text)
    if not m_num:
        hint = "; bỏ dấu cách" if " " in text else ""
        diag.err(("number",), f"'{text}' không đúng dạng số/ký hiệu như 123/TB-UBND (hoặc /TB-UBND nếu "
                 f"chưa ghi số){hint}", "so-ky-hieu")
        return NumberCheck(diag.problems, number, usable)
    digits, symbol = m_num.group("num"), m_num.group("symbol")
    doc_type, _, body = symbol.partition("-")
    usable = True
    if doc_type not in DOC_TYPES:
        diag.err(("number",), f"'{doc_type}' trong '{text}' không phải chữ viết tắt loại văn bản theo Nghị "
                 "định 30 (phụ lục III); thông báo viết TB, ví dụ 123/TB-UBND", "so-ky-hieu")
        usable = False
    elif doc_type != "TB":
        diag.err(("number",), f"ký hiệu '{symbol}' là của loại văn bản khác ({doc_type}); thông báo kết luận "
                 "có ký hiệu bắt đầu bằng 'TB-'", "so-ky-hieu")
        usable = False
    elif not body:
        diag.err(("number",), f"ký hiệu '{symbol}' thiếu phần viết tắt tên cơ quan (ví dụ TB-UBND)",
                 "so-ky-hieu")
        usable = False
    else:
        issuer = registry.issuers.get(fm.issuer) if _has(fm, "issuer") else None
        if issuer and symbol not in issuer.series:
            diag.err(("number",), f"ký hiệu '{symbol}' không thuộc loạt số của {issuer.short_name}; cần "
                     f"{' hoặc '.join(issuer.series)} (thêm loạt mới vào issuers.yml nếu cơ quan có)",
                     "so-ky-hieu")
            usable = False
    if len(digits) > limits.MAX_NUMBER_DIGITS:
        diag.err(("number",), f"số '{digits}' có {len(digits)} chữ số, quá {limits.MAX_NUMBER_DIGITS} chữ số "
                 "(số văn bản đánh lại từ 01 mỗi năm); kiểm tra lại số", "so-ky-hieu")
        usable = False
    elif digits:
        value = int(digits)
        if value == 0:
            diag.err(("number",), f"số '{digits}' không hợp lệ: số văn bản bắt đầu từ 01", "so-ky-hieu")
            usable = False
        elif len(digits) == 1:
            diag.err(("number",), f"số '{digits}' không đúng Nghị định 30: số nhỏ hơn 10 viết có số 0 "
                     f"đứng trước, tức {value:02d}/{symbol}", "so-ky-hieu")
        elif digits != f"{value:02d}":
            diag.err(("number",), f"số '{digits}' thừa số 0 đứng đầu; viết {value:02d}/{symbol}",
                     "so-ky-hieu")
        number = value or None
    if not _has(fm, "status"):
        return NumberCheck(diag.problems, number, usable)
    if fm.status == "ban-hanh":
        if not digits:
            diag.err(("number",), "thông báo có status: ban-hanh cần có số (ví dụ 123/TB-UBND); nếu bản chưa "
                     "ghi số, đặt status: chua-so", "tinh-trang")
        if _has(fm, "date") and not fm.date.complete:
            diag.err(("date",), f"thông báo có status: ban-hanh cần đủ ngày ban hành YYYY-MM-DD, không phải "
                     f"'{fm.date.iso()}'; nếu ngày còn để trống, đặt status: chua-so", "tinh-trang")
    elif digits:
        diag.err(("status",), f"chua-so (bản chưa ghi số) nhưng 'number' đã có số {digits}; nếu đã ban "
                 "hành, đặt status: ban-hanh", "tinh-trang")
    return NumberCheck(diag.problems, number, usable)


def date_rules(fm: Any, today: dt.date, src: Source) -> list[Problem]:
    """Dates in order: invitation, meeting, issue; none after the build day."""
    diag = Findings(src)
    if _has(fm, "date") and fm.date.first_day() > today:
        diag.err(("date",), f"ngày ban hành {fm.date.iso()} ở tương lai (hôm nay là {today.isoformat()})",
                 "ngay")
    if not _has(fm, "meeting"):
        return diag.problems
    meeting = fm.meeting
    if meeting.date.first_day() > today:
        diag.err(("meeting", "date"), f"ngày họp {meeting.date.iso()} ở tương lai (hôm nay là "
                 f"{today.isoformat()})", "ngay")
    if _has(fm, "date") and fm.date.last_day() < meeting.date.first_day():
        diag.err(("date",), f"ngày ban hành {fm.date.iso()} trước ngày họp {meeting.date.iso()} "
                 "(meeting.date); thông báo kết luận ban hành sau cuộc họp", "ngay")
    inv = meeting.invitation_date
    if inv and inv.first_day() > meeting.date.first_day():
        diag.err(("meeting", "invitation_date"), f"giấy mời ngày {inv.iso()} sau ngày họp "
                 f"{meeting.date.iso()} (meeting.date); giấy mời phải có trước cuộc họp", "ngay")
    if meeting.invitation and not INVITATION.match(meeting.invitation):
        diag.err(("meeting", "invitation"), f"số giấy mời '{meeting.invitation}' không đúng dạng "
                 "số/ký hiệu như 464/GM-UBND", "so-ky-hieu")
    return diag.problems


def signer_rules(fm: Any, src: Source) -> list[Problem]:
    """The signing authority (Decree 30, art. 13)."""
    diag = Findings(src)
    if not _has(fm, "signer"):
        return diag.problems
    signer = fm.signer
    chain = []
    for i, part in enumerate(signer.authority):
        m_auth = AUTHORITY.match(part)
        if not m_auth:
            diag.err(("signer", "authority", i), f"'{part}' không đúng dạng; cần TM., KT., Q., TL. hoặc TUQ. "
                     "(có dấu chấm, rồi dấu cách) và chức danh, ví dụ 'TL. CHỦ TỊCH'", "tham-quyen")
            continue
        chain.append(m_auth.group(1))
    if len(chain) == len(signer.authority) and tuple(chain) not in ALLOWED_CHAINS:
        diag.err(("signer", "authority"), f"thẩm quyền ký {' / '.join(signer.authority)} không hợp lệ: "
                 "chỉ dùng một trong TM., KT., Q., TL., TUQ., hoặc TM. rồi KT., hoặc TL. rồi KT. "
                 "(Nghị định 30, điều 13)", "tham-quyen")
    if chain and chain[-1] == "KT" and not signer.title.upper().startswith("PHÓ"):
        diag.err(("signer", "title"), f"ký thay (KT.) thường là cấp phó; chức vụ '{signer.title}' "
                 "không bắt đầu bằng 'PHÓ'", "tham-quyen", "advice")
    return diag.problems


def recipient_rules(fm: Any, src: Source) -> list[Problem]:
    """The recipients end with the line 'Lưu: VT, …'."""
    diag = Findings(src)
    if not _has(fm, "recipients"):
        return diag.problems
    rec = fm.recipients
    last = rec[-1]
    where = ("recipients", len(rec) - 1)
    if not last.startswith("Lưu:"):
        diag.err(where, f"dòng cuối của nơi nhận là '{last}'; cần dòng \"Lưu: VT, <đơn vị soạn thảo>.\" "
                 "(đặt trong dấu nháy kép) như bản gốc", "noi-nhan")
    elif LUU_VT_ONLY.fullmatch(last):
        diag.err(where, f"'{last}' chỉ có VT, thiếu viết tắt đơn vị soạn thảo (Nghị định 30); giữ nguyên nếu "
                 "bản gốc như vậy", "noi-nhan", "advice")
    for i, line in enumerate(rec):
        if line.startswith("- "):
            diag.err(("recipients", i), f"'{line}' lặp lại dấu '- ' đầu dòng; viết nơi nhận không có '- ' "
                     "(dấu '- ' của danh sách YAML đã đủ)", "noi-nhan")
        if line.startswith("Lưu:") and i != len(rec) - 1:
            diag.err(("recipients", i), "dòng 'Lưu:' phải là dòng cuối của nơi nhận", "noi-nhan")
    return diag.problems


def location_rules(fm: Any, src_uri: str, registry: Registry, src: Source) -> list[Problem]:
    """The file sits in notices/<issuer>/<year>/."""
    diag = Findings(src)
    if not _has(fm, "issuer", "date") or fm.issuer not in registry.issuers:
        return diag.problems
    want = f"{fm.issuer}/{fm.date.year}"
    folder = src_uri.rpartition("/")[0]
    if folder != want:
        diag.err(1, f"tệp cần nằm trong thư mục notices/{want}/ (theo issuer và năm của date), không phải "
                 f"notices/{folder + '/' if folder else ''}", "vi-tri")
    return diag.problems


def item_rules(fm: Any, parsed: ParsedBody, registry: Registry, src: Source) -> list[Problem]:
    """Each item of the body has its entry in 'items'; each entry names an item or point, and departments and
    projects of the registries that its text mentions."""
    diag = Findings(src)
    if not _has(fm, "items"):
        return diag.problems
    anchors: dict[str, RawItem] = {}
    for item in parsed.items:
        anchors.setdefault(item.anchor, item)  # a duplicate anchor is reported by the body parser
    points: dict[str, tuple[RawItem, RawPoint]] = {}
    for item in parsed.items:
        for point in item.points:
            points.setdefault(point.anchor, (item, point))
    for anchor, item in anchors.items():
        if anchor not in fm.items:
            diag.err(item.line, f"mục {item.number} (neo #{anchor}) chưa có trong trường 'items' của khối "
                     f"thông tin; thêm '{anchor}:' với presented_by / lead / projects (hoặc "
                     f"'{anchor}: {{}}' nếu mục không giao việc cho đơn vị nào)", "muc-thieu-thong-tin")
    for key, meta in fm.items.items():
        path = ("items", key)
        if key in anchors:
            item = anchors[key]
            text = "\n".join([item.heading, *item.lines])
            what = f"mục {item.number}"
        elif key in points:
            item, point = points[key]
            text = point.full_text
            what = f"điểm {point.letter}) của mục {item.number}"
            if meta.presented_by:
                diag.err((*path, "presented_by"), "một điểm không có đơn vị trình riêng; ghi presented_by ở "
                         f"mục '{item.anchor}'", "muc-thong-tin")
        else:
            known = ", ".join(dict.fromkeys(parsed.anchors())) or "(nội dung chưa có mục nào)"
            diag.err(path, f"'{key}' không khớp với mục hay điểm nào trong nội dung; các neo hiện có: {known}",
                     "muc-thong-tin")
            continue
        folded = casefold_vi(text)  # once per item, not once per name asked about
        for role in ("presented_by", "lead", "cooperating"):
            value = getattr(meta, role)
            keys = [value] if isinstance(value, str) else (value or [])
            for i, dep in enumerate(keys):
                where = (*path, role) if isinstance(value, str) else (*path, role, i)
                if dep not in registry.departments:
                    diag.err(where, f"đơn vị '{dep}' không có trong danh mục departments.yml"
                             + registry.suggest("departments", dep), "khoa-la")
                elif not mentions_folded(folded, registry.department_names(dep)):
                    names = "; ".join(dict.fromkeys(registry.department_names(dep)))
                    diag.err(where, f"{what} không nhắc tới đơn vị '{dep}' (tên đã biết: {names}); sửa khóa, "
                             "hoặc thêm cách viết trong bản gốc vào aliases của đơn vị", "khong-khop")
        for i, proj in enumerate(meta.projects):
            if proj not in registry.projects:
                diag.err((*path, "projects", i), f"dự án '{proj}' không có trong danh mục projects.yml"
                         + registry.suggest("projects", proj), "khoa-la")
            elif not mentions_folded(folded, registry.project_names(proj)):
                names = "; ".join(dict.fromkeys(registry.project_names(proj)))
                diag.err((*path, "projects", i), f"{what} không nhắc tới dự án '{proj}' (tên đã biết: "
                         f"{names}); sửa khóa, hoặc thêm cách viết trong bản gốc vào aliases của dự án",
                         "khong-khop")
        diag.problems.extend(deadline_rules(fm, path, meta, text, src))
    return diag.problems


def deadline_rules(fm: Any, path: tuple, meta: Any, text: str, src: Source) -> list[Problem]:
    """A deadline is a real date after the issue date, set by words that are in the item or point."""
    diag = Findings(src)
    flat = " ".join(text.split()) if meta.deadlines else ""
    for i, deadline in enumerate(meta.deadlines):
        where = (*path, "deadlines", i)
        if " ".join(deadline.text.split()) not in flat:
            diag.err((*where, "text"), f"hạn '{deadline.text}' không có trong nội dung của '{path[-1]}'; ghi "
                     "đúng cụm từ như văn bản (ví dụ 'trước ngày 28/4/2026')", "han")
        if _has(fm, "date") and deadline.date.last_day() <= fm.date.first_day():
            diag.err((*where, "date"), f"hạn {deadline.date.iso()} không sau ngày ban hành "
                     f"{fm.date.iso()}", "han")
    return diag.problems


def former_url_rules(fm: Any, registry: Registry, src: Source) -> tuple[list[Problem], tuple[Former, ...]]:
    """Old addresses become redirect pages: only a notice URL of this site, never a site page or outside. Gives
    the well-formed ones, which the rules across notices check (archive_rules.check_former_urls)."""
    diag = Findings(src)
    former: list[Former] = []
    for i, url in enumerate(fm.former_urls or ()):
        where = ("former_urls", i)
        m_url = FORMER_URL.match(url)
        first = url.strip("/").split("/", 1)[0]
        if SCHEME.match(url):
            diag.err(where, f"'{url}' là địa chỉ của trang khác; chỉ ghi địa chỉ cũ của thông báo trên trang này, "
                     "dạng <cơ quan>/<năm>/<số-ký-hiệu>/, ví dụ ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/",
                     "dia-chi-cu")
        elif ".." in url.split("/") or "\\" in url:
            diag.err(where, f"'{url}' có '..' hoặc '\\': địa chỉ cũ không được trỏ ra ngoài trang", "dia-chi-cu")
        elif first in RESERVED or first == "index.html":
            diag.err(where, f"'{url}' là địa chỉ của một trang của hệ thống (/{first}/), không phải của thông báo",
                     "dia-chi-cu")
        elif not m_url:
            diag.err(where, f"'{url}' không đúng dạng địa chỉ thông báo <cơ quan>/<năm>/<số-ký-hiệu>/ (chữ "
                     "thường không dấu, kết thúc bằng '/'), ví dụ ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/",
                     "dia-chi-cu")
        elif m_url["issuer"] not in registry.issuers:
            diag.err(where, f"'{url}': cơ quan '{m_url['issuer']}' không có trong issuers.yml"
                     + registry.suggest("issuers", m_url["issuer"]), "dia-chi-cu")
        else:
            former.append((url.strip("/") + "/", i, src.line_of(where)))
    return diag.problems, tuple(former)


def identity_of(src: Source, fm: Any, number: NumberCheck, former: tuple[Former, ...]) -> Identity | None:
    """The notice's identity, when its number, issuer, date and meeting are valid."""
    if not (number.usable and _has(fm, "issuer", "date", "meeting")):
        return None
    series = fm.number.split("/", 1)[1]
    return Identity(src.path, src.line_of(("number",)), fm.issuer, series, fm.date.year, number.value, fm.number,
                    notice_url(fm.issuer, series, number.value, fm.date, fm.meeting.date), former)
