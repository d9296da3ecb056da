"""A draft -> the archive's notice file: registry keys, markers for the editor, front matter and Markdown body."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from ..registry import Registry
from ..text import casefold_vi, letter_slug, slugify
from .parse import Draft

MARKER = "TODO"
ABBREVIATIONS = (("ỦY BAN NHÂN DÂN", "UBND"), ("UỶ BAN NHÂN DÂN", "UBND"), ("VĂN PHÒNG", "VP"),
                 ("THÀNH PHỐ", "TP"), ("HỘI ĐỒNG NHÂN DÂN", "HĐND"))
PLACE_WORDS = ("TỈNH", "THÀNH PHỐ", "TP", "QUẬN", "HUYỆN", "THỊ XÃ", "XÃ", "PHƯỜNG", "THỊ TRẤN", "ĐẶC KHU")


def marker(hint: str) -> str:
    """A value the validator reports until an editor replaces it."""
    return f"{MARKER}: {hint}"


@dataclass
class Emitted:
    text: str
    issuer: str  # registry key, or the suggested key when the issuer is unknown
    year: int | None
    filename: str
    todo: list[tuple[str, str]] = field(default_factory=list)  # (field, hint)
    notes: list[str] = field(default_factory=list)
    registry_suggestion: str | None = None


# Issuer ---------------------------------------------------------------------------------------------------------

def match_issuer(draft: Draft, reg: Registry, body_text: str) -> tuple[str | None, str]:
    """The issuer's key when the header (or, without header, series + place) names exactly one registry issuer."""
    header = casefold_vi(" ".join(draft.header))
    candidates = [k for k, iss in reg.issuers.items() if not draft.symbol or draft.symbol in iss.series]
    if draft.header:
        found = [k for k in candidates if reg.issuers[k].header
                 and all(casefold_vi(h) in header for h in reg.issuers[k].header)]
        if len(found) == 1:
            return found[0], "theo phần đầu văn bản"
        return None, "phần đầu văn bản không khớp cơ quan nào trong issuers.yml"
    found = [k for k in candidates if draft.place in reg.issuers[k].places
             and casefold_vi(reg.issuers[k].body) in casefold_vi(draft.symbol or "")]
    text = casefold_vi(body_text)
    named = [k for k in found if any(casefold_vi(n) in text for n in _short_names(reg, k))]
    if len(found) == 1 and named:
        return found[0], "suy ra từ loạt số, địa danh và tên cơ quan trong nội dung (văn bản không có phần đầu)"
    return None, "văn bản không có phần đầu ghi tên cơ quan; loạt số và địa danh không đủ xác định"


def _short_names(reg: Registry, key: str) -> list[str]:
    iss = reg.issuers[key]
    short = iss.short_name
    # "UBND thành phố Lạng Sơn" is written "UBND thành phố" inside its own notices.
    words = short.split()
    return [iss.name, short, " ".join(words[:-2]) if len(words) > 3 else short]


def suggest_issuer_key(header: list[str]) -> str:
    """'UBND TỈNH LÀO CAI' + 'VĂN PHÒNG' -> vp-ubnd-tinh-lao-cai; 'ỦY BAN NHÂN DÂN' + 'TỈNH LÂM ĐỒNG' ->
    ubnd-tinh-lam-dong (a line starting with a place word continues the previous one)."""
    names: list[str] = []
    for line in header:
        upper = line.upper()
        if names and upper.startswith(PLACE_WORDS):
            names[-1] += " " + line
        else:
            names.append(line)
    short = []
    for name in names:
        for long, abbr in ABBREVIATIONS:
            name = name.upper().replace(long, abbr)
        short.append(name)
    ordered = list(reversed(short))
    return slugify(" ".join(ordered)) or "co-quan-chua-ro"


def registry_block(key: str, draft: Draft) -> str:
    names = []
    for line in draft.header:
        if names and line.upper().startswith(PLACE_WORDS):
            names[-1] += " " + line
        else:
            names.append(line)
    data = {key: {
        "name": marker("tên đầy đủ của cơ quan"),
        "short_name": marker("tên ngắn"),
        "header": names or [marker("các dòng tên cơ quan ở góc trái phần đầu")],
        "body": (draft.symbol or "TB-?").split("-", 1)[-1],
        "series": [draft.symbol or marker("ký hiệu, ví dụ TB-UBND")],
        "places": [draft.place or marker("địa danh")],
    }}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=200)


# Departments ----------------------------------------------------------------------------------------------------

def match_department(name: str, reg: Registry, issuer: str | None) -> str | None:
    """The registry key whose name or alias is exactly this text (case-insensitive), for this issuer."""
    wanted = casefold_vi(name).rstrip(":;,. ")
    for key, dep in reg.departments.items():
        if issuer and dep.issuer != issuer:
            continue
        if any(casefold_vi(n) == wanted for n in reg.department_names(key)):
            return key
    return None


def find_leads(text: str, reg: Registry, issuer: str | None) -> list[str]:
    """Departments the item gives a task to: 'giao <name> chủ trì / tiếp thu / …', names from the registry."""
    folded = casefold_vi(text)
    found: list[tuple[int, str]] = []
    for key, dep in reg.departments.items():
        if issuer and dep.issuer != issuer:
            continue
        for name in reg.department_names(key):
            m = re.search(r"\bgiao (?:cho )?" + re.escape(casefold_vi(name)) + r"\b", folded)
            if m:
                found.append((m.start(), key))
                break
    return [k for _pos, k in sorted(found)]


# Rendering ------------------------------------------------------------------------------------------------------

_PLAIN_UNSAFE = re.compile(r"^[\s\-?:,\[\]{}#&*!|>'\"%@`]|[:#]\s|\s#|:$|^\s|\s$")


def scalar(value: str, flow: bool = False) -> str:
    """A YAML scalar that every reader (ours, MkDocs' YAML 1.1, GitHub) reads back as the same string."""
    resolved = yaml.resolver.Resolver().resolve(yaml.ScalarNode, value, (True, False))
    unsafe = _PLAIN_UNSAFE.search(value) or (flow and re.search(r"[,\[\]{}]", value))
    if resolved != "tag:yaml.org,2002:str" or unsafe or not value:
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return value


def date_text(date: tuple[int, int, int] | None) -> str | None:
    if date is None:
        return None
    y, m, d = date
    return f"{y:04d}-{m:02d}-{d:02d}"


def render(draft: Draft, reg: Registry, issuer: str | None, issuer_reason: str) -> Emitted:
    todo: list[tuple[str, str]] = []
    notes: list[str] = list(draft.notes)
    fm: list[str] = []

    def put(key: str, value: str | None, hint: str, indent: int = 0) -> None:
        pad = " " * indent
        name = key.rsplit(".", 1)[-1]
        if value is None or value == "":
            todo.append((key, hint))
            fm.append(f"{pad}{name}: {scalar(marker(hint))}")
        elif name in ("date", "invitation_date") and re.fullmatch(r"\d{4}-\d{2}(-\d{2})?", value):
            fm.append(f"{pad}{name}: {value}")  # dates unquoted, as in the archive (the validator allows it)
        else:
            fm.append(f"{pad}{name}: {scalar(value)}")

    suggestion = None
    if issuer is None:
        key = suggest_issuer_key(draft.header) if draft.header else "co-quan-chua-ro"
        put("issuer", None, f"cơ quan ban hành chưa có trong danh mục ({issuer_reason}); thêm vào "
            f"notices/_registry/issuers.yml (gợi ý khóa {key}) rồi ghi khóa ở đây")
        suggestion = registry_block(key, draft)
        issuer_key = key
    else:
        put("issuer", issuer, "")
        issuer_key = issuer
        notes.append(f"cơ quan ban hành: {issuer} ({issuer_reason})")

    symbol = draft.symbol
    if symbol is None:
        put("number", None, "không đọc được số và ký hiệu (dòng 'Số: …/TB-…'); ghi như bản gốc")
        status = None
    elif draft.number:
        put("number", f"{draft.number}/{symbol}", "")
        status = "ban-hanh"
    else:
        put("number", None, f"bản gốc để trống số ('Số: /{symbol}'); bản chưa ban hành thì ghi /{symbol}, bản "
            f"đã ban hành thì ghi số, ví dụ 123/{symbol}, và đặt status: ban-hanh")
        status = "chua-so"
    fm.append(f"status: {status or 'chua-so'}")

    if draft.year is None:
        put("date", None, "không đọc được dòng địa danh, ngày tháng; ghi ngày ban hành YYYY-MM-DD")
    elif draft.day:
        put("date", f"{draft.year:04d}-{draft.month:02d}-{draft.day:02d}", "")
    else:
        put("date", None, f"bản gốc để trống ngày (tháng {draft.month}/{draft.year}); bản chưa ban hành thì ghi "
            f"{draft.year:04d}-{draft.month:02d}, bản đã ban hành thì ghi đủ ngày YYYY-MM-DD")
    put("place", draft.place, "địa danh ở dòng ngày tháng, như bản gốc")
    if issuer and draft.place and draft.place not in reg.issuers[issuer].places:
        notes.append(f"địa danh '{draft.place}' chưa khai báo trong places của {issuer} (issuers.yml)")
    put("title", draft.title, "trích yếu (các dòng dưới chữ THÔNG BÁO)")
    fm.append("meeting:")
    put("meeting.date", date_text(draft.meeting), "ngày họp (ngày làm việc, kiểm tra) YYYY-MM-DD: đoạn mở đầu "
        "không bắt đầu bằng 'Ngày …'", 2)
    if draft.invitation:
        put("meeting.invitation", draft.invitation, "", 2)
        if draft.invitation_date:
            put("meeting.invitation_date", date_text(draft.invitation_date), "", 2)
    fm.append("chair:")
    put("chair.name", draft.chair_name, "họ tên người chủ trì, kết luận (không tìm thấy 'đồng chí … - … kết "
        "luận' trong đoạn mở đầu)", 2)
    put("chair.title", draft.chair_title, "chức vụ người chủ trì, kết luận", 2)
    fm.append("signer:")
    fm.append("  authority: [" + ", ".join(scalar(a, flow=True) for a in draft.authority) + "]")
    if not draft.authority:
        notes.append("không thấy thẩm quyền ký (TL., KT., TM. …): để [] nghĩa là ký trực tiếp; kiểm tra bản gốc")
    put("signer.title", draft.signer_title, "chức vụ người ký (dòng chữ in hoa trên chữ ký)", 2)
    put("signer.name", draft.signer_name, "họ tên người ký", 2)
    fm.append("recipients:")
    if draft.recipients:
        fm.extend(f"  - {scalar(r)}" for r in draft.recipients)
    else:
        todo.append(("recipients", "không tìm thấy 'Nơi nhận:'; ghi nơi nhận như bản gốc"))
        fm.append(f"  - {scalar(marker('không tìm thấy Nơi nhận; ghi nơi nhận như bản gốc'))}")
    _items(draft, reg, issuer, fm, todo, notes)

    body = "\n\n".join(draft.body)
    if draft.footnotes:
        body += "\n\n" + "\n\n".join(draft.footnotes)
    text = "---\n" + "\n".join(fm) + "\n---\n\n" + body + "\n"
    if draft.closing_hint:
        notes.append(draft.closing_hint)
    return Emitted(text, issuer_key, draft.year, _filename(draft), todo, notes, suggestion)


def _items(draft: Draft, reg: Registry, issuer: str | None, fm: list[str], todo: list, notes: list) -> None:
    if not draft.items:
        return
    numbers = [i.number for i in draft.items]
    restarts = len({i.section for i in draft.items}) > 1 and len(set(numbers)) < len(numbers)
    fm.append("items:")
    for item in draft.items:
        anchor = (f"phan-{item.section}-" if restarts and item.section else "") + f"muc-{item.number}"
        lines: list[str] = []
        if item.presenters:
            key = next((k for c in item.presenters if (k := match_department(c, reg, issuer))), None)
            if key:
                lines.append(f"    presented_by: {key}")
            elif item.presented_by:
                hint = (f"đơn vị trình '{item.presented_by}' chưa có trong departments.yml; thêm đơn vị rồi ghi "
                        "khóa (hoặc bỏ dòng này)")
                todo.append((f"items.{anchor}.presented_by", hint))
                lines.append(f"    presented_by: {scalar(marker(hint))}")
        leads = find_leads(" ".join([item.heading, *item.text]), reg, issuer)
        if item.assignee and not leads:
            key = match_department(item.assignee, reg, issuer)
            if key:
                leads = [key]
            else:
                hint = (f"đơn vị được giao '{item.assignee}' chưa có trong departments.yml; thêm đơn vị rồi ghi "
                        "khóa (hoặc bỏ dòng này)")
                todo.append((f"items.{anchor}.lead", hint))
                lines.append(f"    lead: [{scalar(marker(hint), flow=True)}]")
        if leads:
            lines.append("    lead: [" + ", ".join(leads) + "]")
        fm.append(f"  {anchor}:" + ("" if lines else " {}"))
        fm.extend(lines)
        for letter, _line, assignee in item.points:
            if not assignee:
                continue
            key = match_department(assignee, reg, issuer)
            point_anchor = f"{anchor}-{letter_slug(letter)}"
            if key:
                fm.append(f"  {point_anchor}:")
                fm.append(f"    lead: [{key}]")
            else:
                hint = (f"đơn vị được giao '{assignee}' chưa có trong departments.yml; thêm đơn vị rồi ghi khóa "
                        "(hoặc bỏ mục này)")
                todo.append((f"items.{point_anchor}.lead", hint))
                fm.append(f"  {point_anchor}:")
                fm.append(f"    lead: [{scalar(marker(hint), flow=True)}]")


def _filename(draft: Draft) -> str:
    series = slugify(draft.symbol or "tb")
    if draft.number:
        return f"{int(draft.number)}-{series}.md"
    when = date_text(draft.meeting) or (f"{draft.year:04d}-{draft.month:02d}" if draft.year else "khong-ro-ngay")
    return f"chua-so-{series}-{when}.md"
