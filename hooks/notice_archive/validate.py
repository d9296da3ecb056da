"""Validate notices against the format, the decree's rules and the registries; build the model.

Every problem is collected (never the first only); errors fail the build, advice is shown and does not.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field

from pydantic import ValidationError

from . import model as m
from .body import ParsedBody, parse_body
from .dates import PartialDate
from .problems import Problem, sort_problems
from .reader import Source, dotted, read_bytes
from .registry import REGISTRY_DIR, Registry, load_registry, mentions
from .schema import NUMBER, FrontMatter
from .urls import notice_url
from .validation_messages import translate, yaml_traps

# Decree 30, appendix III: document-type abbreviations (the symbol's first part).
DOC_TYPES = frozenset({
    "NQ", "QĐ", "CT", "QC", "QyĐ", "TB", "HD", "CTr", "KH", "PA", "ĐA", "DA", "BC", "BB", "TTr", "HĐ", "CĐ",
    "BGN", "UQ", "GM", "GGT", "PB", "GNP", "GXN", "GUQ", "TC", "GCN",
})
AUTHORITY = re.compile(r"^(TM|KT|Q|TL|TUQ)\.\s+(\S.*)$")
ALLOWED_CHAINS = {(), ("TM",), ("KT",), ("Q",), ("TL",), ("TUQ",), ("TM", "KT"), ("TL", "KT")}


@dataclass
class Archive:
    notices: list[m.Notice] = field(default_factory=list)
    registry: Registry = field(default_factory=Registry)
    problems: list[Problem] = field(default_factory=list)
    replaces: dict[str, list[m.Notice]] = field(default_factory=dict)  # url -> the notices it replaces
    replaced_by: dict[str, list[m.Notice]] = field(default_factory=dict)  # url -> the notices replacing it

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def notice_paths(docs_dir: str) -> list[str]:
    """Every Markdown file under notices/, relative, sorted (deterministic)."""
    out = []
    for root, dirs, files in os.walk(docs_dir):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "_")))
        for name in files:
            if name.endswith(".md"):
                out.append(os.path.relpath(os.path.join(root, name), docs_dir).replace(os.sep, "/"))
    return sorted(out)


def load_archive(docs_dir: str, today: dt.date | None = None, display_root: str = "notices",
                 only: list[str] | None = None) -> Archive:
    """Read the registries and notices; ``only`` limits which notices are reported (all are still read, so
    uniqueness is checked against the whole archive)."""
    today = today or dt.date.today()
    registry, problems = load_registry(docs_dir, display_root)
    archive = Archive(registry=registry, problems=problems)
    for rel in notice_paths(docs_dir):
        with open(os.path.join(docs_dir, rel), "rb") as fh:
            raw = fh.read()
        notice, found = check_notice(f"{display_root}/{rel}", rel, raw, registry, today)
        archive.problems.extend(found)
        if notice is not None:
            archive.notices.append(notice)
    archive.problems.extend(check_collection(archive.notices, display_root))
    archive.problems.extend(resolve_replacements(archive, display_root))
    if only is not None:
        wanted = set(only)
        archive.problems = [p for p in archive.problems if p.path in wanted or p.path.startswith(
            f"{display_root}/{REGISTRY_DIR}/")]
    archive.problems = sort_problems(archive.problems)
    archive.notices.sort(key=lambda n: n.url)
    return archive


def check_notice(display: str, src_uri: str, raw: bytes, registry: Registry,
                 today: dt.date) -> tuple[m.Notice | None, list[Problem]]:
    src = read_bytes(display, raw)
    problems = list(src.problems)
    if src.data is None:
        return None, problems
    problems.extend(yaml_traps(src))
    problems = _drop_marked(src, problems) + _marker_problems(src)
    parsed, body_problems = parse_body(display, src.body, src.body_line)
    problems.extend(body_problems)
    try:
        fm = FrontMatter.model_validate(src.data)
    except ValidationError as exc:
        problems.extend(_drop_marked(src, translate(exc, src, FrontMatter)))
        return None, problems
    checker = _Checker(src, fm, parsed, registry, today)
    checker.run()
    problems.extend(_drop_marked(src, checker.problems))
    if any(p.severity == "error" for p in problems):
        return None, problems
    lines = tuple(src.line_of(("replaces", i)) for i in range(len(fm.replaces)))
    return _build(src_uri, fm, parsed, checker.number, lines), problems


MARKER = "TODO"


def _marker_problems(src: Source) -> list[Problem]:
    """Values left as 'TODO: …' (by notices import / notices new) are reported until an editor fills them in."""
    out = []
    for path, scalar in src.scalars.items():
        if scalar.raw.lstrip().startswith(MARKER):
            hint = scalar.raw.lstrip()[len(MARKER):].lstrip(":-– ").strip()
            out.append(Problem(src.path, scalar.line, f"trường '{dotted(path)}' còn chờ biên tập viên điền (dấu "
                               f"{MARKER} do công cụ nhập để lại): {hint or 'điền giá trị như bản gốc'}",
                               "error", "chua-dien"))
    for offset, line in enumerate(src.body.split("\n")):
        if line.startswith(MARKER + ":"):
            out.append(Problem(src.path, src.body_line + offset, "nội dung còn dòng chờ biên tập viên điền (dấu "
                               f"{MARKER}): {line[len(MARKER) + 1:].strip()}", "error", "chua-dien"))
    return out


def _drop_marked(src: Source, problems: list[Problem]) -> list[Problem]:
    """Other errors about a marked value (its form, its key) are left out: the marker says what to write."""
    marked = {s.line for s in src.scalars.values() if s.raw.lstrip().startswith(MARKER)}
    return [p for p in problems if p.line not in marked]


class _Checker:
    def __init__(self, src: Source, fm: FrontMatter, parsed: ParsedBody, registry: Registry, today: dt.date):
        self.src, self.fm, self.parsed, self.reg, self.today = src, fm, parsed, registry, today
        self.problems: list[Problem] = []
        self.number: int | None = None

    def err(self, path: tuple, msg: str, code: str, severity: str = "error") -> None:
        line = self.src.line_of(path) if isinstance(path, tuple) else path
        self.problems.append(Problem(self.src.path, line, msg, severity, code))  # type: ignore[arg-type]

    def run(self) -> None:
        self.issuer()
        self.number_and_status()
        self.dates()
        self.signer()
        self.recipients()
        self.items()
        self.location()

    def issuer(self) -> None:
        fm = self.fm
        issuer = self.reg.issuers.get(fm.issuer)
        if issuer is None:
            self.err(("issuer",), f"trường 'issuer': cơ quan '{fm.issuer}' không có trong danh mục issuers.yml"
                     + self.reg.suggest("issuers", fm.issuer), "khoa-la")
            return
        if fm.place not in issuer.places:
            self.err(("place",), f"trường 'place': địa danh '{fm.place}' chưa khai báo cho {issuer.short_name}; "
                     f"cần một trong: {', '.join(issuer.places)} (thêm vào issuers.yml nếu bản gốc ghi như vậy)",
                     "dia-danh")
        if issuer.valid_from and self.fm.date.last_day() < issuer.valid_from.first_day():
            self.err(("date",), f"{issuer.short_name} chỉ ban hành từ {issuer.valid_from.vn_short()}", "hieu-luc")
        if issuer.valid_to and self.fm.date.first_day() > issuer.valid_to.last_day():
            self.err(("date",), f"{issuer.short_name} đã chấm dứt hoạt động từ sau {issuer.valid_to.vn_short()}",
                     "hieu-luc")

    def number_and_status(self) -> None:
        fm = self.fm
        text = fm.number
        m_num = NUMBER.match(text)
        if not m_num:
            hint = " (bỏ dấu cách)" if " " in text else ""
            self.err(("number",), f"trường 'number': '{text}' không đúng dạng số/ký hiệu như 123/TB-UBND{hint}",
                     "so-ky-hieu")
            return
        digits, symbol = m_num.group("num"), m_num.group("symbol")
        doc_type, _, body = symbol.partition("-")
        if doc_type not in DOC_TYPES:
            self.err(("number",), f"trường 'number': '{doc_type}' không phải chữ viết tắt loại văn bản theo "
                     "Nghị định 30 (phụ lục III)", "so-ky-hieu")
        elif doc_type != "TB":
            self.err(("number",), f"trường 'number': ký hiệu '{symbol}' là của loại văn bản khác; thông báo kết "
                     "luận có ký hiệu bắt đầu bằng 'TB-'", "so-ky-hieu")
        if not body:
            self.err(("number",), f"trường 'number': ký hiệu '{symbol}' thiếu phần tên cơ quan (ví dụ TB-UBND)",
                     "so-ky-hieu")
        issuer = self.reg.issuers.get(fm.issuer)
        if issuer and symbol not in issuer.series:
            self.err(("number",), f"trường 'number': ký hiệu '{symbol}' không thuộc các loạt số của "
                     f"{issuer.short_name}: {', '.join(issuer.series)}", "so-ky-hieu")
        if digits:
            if len(digits) == 1 or (digits.startswith("0") and len(digits) > 2) or int(digits) == 0:
                want = f"{int(digits):02d}" if int(digits) else "01 trở lên"
                self.err(("number",), f"trường 'number': số '{digits}' không đúng Nghị định 30: số nhỏ hơn 10 "
                         f"viết có số 0 đứng trước, ví dụ {want}", "so-ky-hieu")
            self.number = int(digits)
        if fm.status == "ban-hanh":
            if not digits:
                self.err(("number",), "thông báo có status: ban-hanh cần có số (ví dụ 123/TB-UBND); nếu bản chưa "
                         "ghi số, đặt status: chua-so", "tinh-trang")
            if not fm.date.complete:
                self.err(("date",), "thông báo có status: ban-hanh cần đủ ngày ban hành (YYYY-MM-DD)", "tinh-trang")
        elif digits:
            self.err(("status",), f"status: chua-so nhưng 'number' đã có số {digits}; nếu đã ban hành, đặt "
                     "status: ban-hanh", "tinh-trang")

    def dates(self) -> None:
        fm = self.fm
        if fm.date.first_day() > self.today:
            self.err(("date",), f"ngày ban hành {fm.date.iso()} ở tương lai", "ngay")
        if fm.meeting.date.first_day() > self.today:
            self.err(("meeting", "date"), f"ngày họp {fm.meeting.date.iso()} ở tương lai", "ngay")
        if fm.date.last_day() < fm.meeting.date.first_day():
            self.err(("date",), f"ngày ban hành {fm.date.iso()} trước ngày họp {fm.meeting.date.iso()}", "ngay")
        inv = fm.meeting.invitation_date
        if inv and inv.first_day() > fm.meeting.date.first_day():
            self.err(("meeting", "invitation_date"), f"giấy mời ngày {inv.iso()} sau ngày họp "
                     f"{fm.meeting.date.iso()}", "ngay")
        if fm.meeting.invitation and not re.match(r"^\d+/[^\s/]+$|^\d+-[^\s/]+/[^\s/]+$", fm.meeting.invitation):
            self.err(("meeting", "invitation"), f"số giấy mời '{fm.meeting.invitation}' không đúng dạng "
                     "số/ký hiệu như 464/GM-UBND", "so-ky-hieu")

    def signer(self) -> None:
        chain = []
        for i, part in enumerate(self.fm.signer.authority):
            m_auth = AUTHORITY.match(part)
            if not m_auth:
                self.err(("signer", "authority", i), f"thẩm quyền ký '{part}' không đúng dạng; cần bắt đầu bằng "
                         "TM., KT., Q., TL. hoặc TUQ. rồi chức danh, ví dụ 'TL. CHỦ TỊCH'", "tham-quyen")
                return
            chain.append(m_auth.group(1))
        if tuple(chain) not in ALLOWED_CHAINS:
            self.err(("signer", "authority"), f"thẩm quyền ký {' / '.join(self.fm.signer.authority)} không hợp lệ: "
                     "chỉ dùng một trong TM., KT., Q., TL., TUQ., hoặc TM. rồi KT., hoặc TL. rồi KT. "
                     "(Nghị định 30, điều 13)", "tham-quyen")
        if chain and chain[-1] == "KT" and not self.fm.signer.title.upper().startswith("PHÓ"):
            self.err(("signer", "title"), f"ký thay (KT.) thường là cấp phó; chức vụ '{self.fm.signer.title}' "
                     "không bắt đầu bằng 'PHÓ'", "tham-quyen", "advice")

    def recipients(self) -> None:
        rec = self.fm.recipients
        last = rec[-1]
        if not last.startswith("Lưu:"):
            self.err(("recipients", len(rec) - 1), "dòng cuối của nơi nhận phải là 'Lưu: VT, <đơn vị soạn thảo>, "
                     "<số bản>.' (đặt trong dấu nháy kép)", "noi-nhan")
        elif re.fullmatch(r"Lưu:\s*VT\.?", last):
            self.err(("recipients", len(rec) - 1), "dòng 'Lưu:' chỉ có VT, thiếu viết tắt đơn vị soạn thảo "
                     "(Nghị định 30); giữ nguyên nếu bản gốc như vậy", "noi-nhan", "advice")
        for i, line in enumerate(rec):
            if line.startswith("- "):
                self.err(("recipients", i), "không lặp lại dấu '- ' đầu dòng trong giá trị nơi nhận", "noi-nhan")
            if "Lưu:" in line and i != len(rec) - 1:
                self.err(("recipients", i), "dòng 'Lưu:' phải là dòng cuối của nơi nhận", "noi-nhan")

    def items(self) -> None:
        fm, parsed = self.fm, self.parsed
        anchors = {i.anchor: i for i in parsed.items}
        points = {p.anchor: (i, p) for i in parsed.items for p in i.points}
        for item in parsed.items:
            if item.anchor not in fm.items:
                self.err(item.line, f"mục {item.number} (neo #{item.anchor}) chưa có trong trường 'items' của khối "
                         f"thông tin; thêm '{item.anchor}:' với presented_by / lead / projects (hoặc "
                         f"'{item.anchor}: {{}}')", "muc-thieu-thong-tin")
        for key, meta in fm.items.items():
            path = ("items", key)
            if key in anchors:
                item = anchors[key]
                text = "\n".join([item.heading, *item.lines])
                if meta.presented_by is None and not (meta.lead or meta.cooperating or meta.projects):
                    pass
            elif key in points:
                item, point = points[key]
                text = point.text
                if meta.presented_by:
                    self.err((*path, "presented_by"), "điểm không có đơn vị trình; ghi presented_by ở mục",
                             "muc-thong-tin")
            else:
                known = ", ".join(parsed.anchors()) or "(nội dung chưa có mục nào)"
                self.err(path, f"trường 'items': '{key}' không khớp với mục hay điểm nào trong nội dung; "
                         f"các neo hiện có: {known}", "muc-thong-tin")
                continue
            for role in ("presented_by", "lead", "cooperating"):
                value = getattr(meta, role)
                keys = [value] if isinstance(value, str) else (value or [])
                for i, dep in enumerate(keys):
                    where = (*path, role) if isinstance(value, str) else (*path, role, i)
                    if dep not in self.reg.departments:
                        self.err(where, f"đơn vị '{dep}' không có trong danh mục departments.yml"
                                 + self.reg.suggest("departments", dep), "khoa-la")
                    elif not mentions(text, self.reg.department_names(dep)):
                        names = "; ".join(self.reg.department_names(dep))
                        self.err(where, f"'{key}' ghi {role}: {dep} nhưng nội dung không nhắc tới đơn vị này "
                                 f"(tên đã biết: {names}); sửa khóa, hoặc thêm cách viết vào aliases", "khong-khop")
            for i, proj in enumerate(meta.projects):
                if proj not in self.reg.projects:
                    self.err((*path, "projects", i), f"dự án '{proj}' không có trong danh mục projects.yml"
                             + self.reg.suggest("projects", proj), "khoa-la")
                elif not mentions(text, self.reg.project_names(proj)):
                    names = "; ".join(self.reg.project_names(proj))
                    self.err((*path, "projects", i), f"'{key}' ghi dự án {proj} nhưng nội dung không nhắc tới dự "
                             f"án này (tên đã biết: {names})", "khong-khop")
            self.deadlines(path, meta, text)

    def deadlines(self, path: tuple, meta, text: str) -> None:
        """A deadline is a real date after the issue date, set by words that are in the item or point."""
        fm = self.fm
        flat = " ".join(text.split())
        for i, deadline in enumerate(meta.deadlines):
            where = (*path, "deadlines", i)
            if " ".join(deadline.text.split()) not in flat:
                self.err((*where, "text"), f"hạn '{deadline.text}' không có trong nội dung của '{path[-1]}'; ghi "
                         "đúng cụm từ như văn bản (ví dụ 'trước ngày 28/4/2026')", "han")
            if deadline.date.last_day() <= fm.date.first_day():
                self.err((*where, "date"), f"hạn {deadline.date.iso()} không sau ngày ban hành {fm.date.iso()}",
                         "han")

    def location(self) -> None:
        rel = self.src.path.split("/", 1)[-1]
        want = f"{self.fm.issuer}/{self.fm.date.year}/"
        if not rel.startswith(want):
            self.err(1, f"tệp cần nằm trong thư mục notices/{want} (theo cơ quan ban hành và năm ban hành)",
                     "vi-tri")


def _deadlines(meta) -> tuple[m.Deadline, ...]:
    return tuple(m.Deadline(d.date, d.text) for d in meta.deadlines)


def _build(src_uri: str, fm: FrontMatter, parsed: ParsedBody, number: int | None,
           replaces_lines: tuple[int, ...] = ()) -> m.Notice:
    series = fm.number.split("/", 1)[1]
    meta = fm.items
    items = []
    for raw in parsed.items:
        im = meta[raw.anchor]
        pts = tuple(
            m.Point(p.letter, p.anchor, p.text, p.line,
                    tuple(meta[p.anchor].lead) if p.anchor in meta else (),
                    tuple(meta[p.anchor].cooperating) if p.anchor in meta else (),
                    tuple(meta[p.anchor].projects) if p.anchor in meta else (),
                    _deadlines(meta[p.anchor]) if p.anchor in meta else ())
            for p in raw.points)
        items.append(m.Item(raw.number, raw.section, raw.anchor, raw.heading, "\n".join(raw.lines).strip(),
                            raw.line, pts, im.presented_by, tuple(im.lead), tuple(im.cooperating),
                            tuple(im.projects), _deadlines(im)))
    sections = tuple(m.Section(s.numeral, s.number, s.title, s.anchor, s.line) for s in parsed.sections)
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
    )


REPLACED = re.compile(r"^(?P<num>\d+)/(?P<series>[^\s/]+)(?:\s+ngày\s+(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4}))?$")


def resolve_replacements(archive: Archive, display_root: str = "notices") -> list[Problem]:
    """Link replacing and replaced notices both ways (Decree 30, art. 18: the old text stays published)."""
    problems = []
    by_number: dict[tuple, list[m.Notice]] = {}
    for n in archive.notices:
        if n.number is not None:
            by_number.setdefault((n.issuer, n.series, n.number), []).append(n)
    for n in archive.notices:
        path = f"{display_root}/{n.src_uri}"
        for text, line in zip(n.replaces, n.replaces_lines or (1,) * len(n.replaces), strict=False):
            found = REPLACED.match(text.strip())
            if not found:
                problems.append(Problem(path, line, f"trường 'replaces': '{text}' không đúng dạng số ký hiệu, ví dụ "
                                        "123/TB-UBND hoặc 123/TB-UBND ngày 12/11/2020", "error", "thay-the"))
                continue
            candidates = [c for c in by_number.get((n.issuer, found["series"], int(found["num"])), [])
                          if c is not n and c.date.first_day() <= n.date.last_day()]
            if found["y"]:
                candidates = [c for c in candidates if c.date.year == int(found["y"])
                              and (c.date.day in (None, int(found["d"]))) and c.date.month == int(found["m"])]
            if not candidates:
                problems.append(Problem(path, line, f"trường 'replaces': thông báo {text} của cùng cơ quan chưa có "
                                        "trong kho; trang chỉ ghi số, không có liên kết", "advice", "thay-the"))
                continue
            if len(candidates) > 1:
                years = ", ".join(str(c.date.year) for c in candidates)
                problems.append(Problem(path, line, f"trường 'replaces': có nhiều thông báo số {text} (năm {years}); "
                                        "ghi rõ ngày, ví dụ '" + text + " ngày 12/11/2020'", "error", "thay-the"))
                continue
            old = candidates[0]
            archive.replaces.setdefault(n.url, []).append(old)
            archive.replaced_by.setdefault(old.url, []).append(n)
    return problems


def check_collection(notices: list[m.Notice], display_root: str = "notices") -> list[Problem]:
    """Rules across notices: one number per issuer, series and year; one notice per URL."""
    problems = []
    by_number: dict[tuple, m.Notice] = {}
    by_url: dict[str, m.Notice] = {}
    for n in sorted(notices, key=lambda n: n.src_uri):
        path = f"{display_root}/{n.src_uri}"
        if n.number is not None:
            key = (n.issuer, n.series, n.date.year, n.number)
            if key in by_number:
                other = by_number[key]
                problems.append(Problem(path, 1, f"số {n.number_text} năm {n.date.year} đã được dùng cho "
                                        f"{display_root}/{other.src_uri}; mỗi số chỉ dùng một lần trong năm",
                                        "error", "trung-so"))
            by_number.setdefault(key, n)
        if n.url in by_url:
            other = by_url[n.url]
            hint = (" (hai bản chưa ghi số cùng ngày họp)" if n.number is None else "")
            problems.append(Problem(path, 1, f"địa chỉ /{n.url} trùng với {display_root}/{other.src_uri}{hint}",
                                    "error", "trung-dia-chi"))
        by_url.setdefault(n.url, n)
    return problems


def parse_partial(text: str) -> PartialDate:
    return PartialDate.parse(text)
