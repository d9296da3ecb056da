"""Open data: every notice as JSON (one file for the archive, one per notice) with a published JSON Schema.

The export is built from the same model as the site, in the same build, so the two cannot disagree. The schema is
generated from the pydantic models below; ``VERSION`` follows semantic versioning: a new optional field raises the
minor number, removing or renaming a field (or changing its meaning) raises the major number.

Published paths (relative to the site root):

    du-lieu/thong-bao.json                   every notice (and the registries)
    <notice url>index.json                   one notice, next to its page: /ubnd-tp-lang-son/2020/123-tb-ubnd/index.json
    du-lieu/schema/kho-thong-bao.json        JSON Schema of the archive file
    du-lieu/schema/thong-bao.json            JSON Schema of a one-notice file
    du-lieu/thong-bao.csv                    one row per notice (for spreadsheets), from the same records as the JSON
    du-lieu/cac-muc.csv                      one row per item, with its departments, projects and deadlines
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from pydantic_core import to_json

from . import model as m
from .registry import Registry
from .urls import ARCHIVE_PATH, ITEMS_CSV_PATH, NOTICES_CSV_PATH, href, notice_json_path, site_base

VERSION = "1.1"  # 1.1: "original" (the issued PDF or Word file kept beside the notice)
ARCHIVE_SCHEMA_PATH = "du-lieu/schema/kho-thong-bao.json"
NOTICE_SCHEMA_PATH = "du-lieu/schema/thong-bao.json"


# The export's shape ---------------------------------------------------------------------------------------------


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Link(_Out):
    path: str = Field(description="địa chỉ tương đối so với gốc trang, không có '/' đầu, ví dụ "
                                  "'ubnd-tp-lang-son/2020/123-tb-ubnd/#muc-4'")
    url: str | None = Field(description="địa chỉ đầy đủ (khi trang khai báo site_url), nếu không thì null")


class DeadlineOut(_Out):
    date: str = Field(description="hạn YYYY-MM-DD, hoặc YYYY-MM khi văn bản ghi cả tháng (hạn là ngày cuối tháng)",
                      pattern=r"^\d{4}-\d{2}(-\d{2})?$")
    due: str = Field(description="ngày đến hạn YYYY-MM-DD (ngày cuối tháng khi 'date' chỉ có tháng)",
                     pattern=r"^\d{4}-\d{2}-\d{2}$")
    text: str = Field(description="cụm từ ghi hạn trong văn bản, ví dụ 'trước ngày 28/4/2026'")


class Assignment(_Out):
    lead: list[str] = Field(description="đơn vị chủ trì (khóa trong 'departments')")
    cooperating: list[str] = Field(description="đơn vị phối hợp (khóa)")
    projects: list[str] = Field(description="dự án, đề án liên quan (khóa trong 'projects')")
    deadlines: list[DeadlineOut] = Field(description="các hạn hoàn thành được giao")


class PointOut(Assignment):
    letter: str = Field(description="chữ cái của điểm như bản gốc: a, b, … đ")
    anchor: str = Field(description="neo vĩnh viễn trong trang, ví dụ muc-4-dd")
    link: Link
    text: str = Field(description="nội dung điểm như bản gốc (Markdown)")


class ItemOut(Assignment):
    number: int = Field(description="số mục")
    section: int | None = Field(description="số phần (I = 1) chứa mục, nếu có")
    anchor: str = Field(description="neo vĩnh viễn trong trang, ví dụ muc-4 hoặc phan-2-muc-1")
    link: Link
    heading: str = Field(description="tiêu đề mục như bản gốc")
    text: str = Field(description="nội dung mục như bản gốc (Markdown, gồm cả các điểm)")
    presented_by: str | None = Field(description="đơn vị trình (khóa)")
    points: list[PointOut]


class SectionOut(_Out):
    numeral: str = Field(description="số La Mã như bản gốc")
    number: int
    title: str
    anchor: str
    link: Link


class PersonOut(_Out):
    name: str
    title: str


class SignerOut(_Out):
    authority: list[str] = Field(description="thẩm quyền ký theo thứ tự, ví dụ ['TL. CHỦ TỊCH', 'KT. CHÁNH VĂN PHÒNG']")
    title: str
    name: str


class MeetingOut(_Out):
    date: str = Field(description="ngày họp YYYY-MM-DD")
    invitation: str | None = Field(description="số giấy mời")
    invitation_date: str | None = Field(description="ngày giấy mời YYYY-MM-DD")


class OriginalOut(_Out):
    link: Link = Field(description="tệp bản gốc đã ban hành (PDF, Word), xuất bản cạnh thông báo")
    media_type: str = Field(description="kiểu tệp, ví dụ application/pdf")
    sha256: str = Field(description="mã băm SHA-256 của tệp (đã kiểm tra khi dựng trang)", pattern=r"^[0-9a-f]{64}$")
    size: int = Field(description="cỡ tệp, byte")


class NoticeOut(_Out):
    link: Link = Field(description="trang của thông báo")
    json_link: Link = Field(description="tệp JSON riêng của thông báo")
    source: str = Field(description="tệp nguồn trong kho, ví dụ notices/ubnd-tp-lang-son/2020/….md")
    issuer: str = Field(description="cơ quan ban hành (khóa trong 'issuers' của tệp kho)")
    issuer_name: str
    number: int | None = Field(description="số (null khi bản chưa ghi số)")
    number_text: str = Field(description="số và ký hiệu như in sau 'Số:', ví dụ 123/TB-UBND hoặc /TB-UBND")
    series: str = Field(description="ký hiệu loạt số, ví dụ TB-UBND")
    status: str = Field(description="ban-hanh (đã ban hành) hoặc chua-so (bản chưa ghi số, ngày)")
    status_label: str
    date: str = Field(description="ngày ban hành YYYY-MM-DD, hoặc YYYY-MM khi ngày còn để trống",
                      pattern=r"^\d{4}-\d{2}(-\d{2})?$")
    place: str
    title: str = Field(description="trích yếu")
    meeting: MeetingOut
    chair: PersonOut
    signer: SignerOut
    recipients: list[str] = Field(description="nơi nhận theo thứ tự; dòng cuối 'Lưu: …'")
    replaces: list[str]
    former_urls: list[str]
    departments: list[str] = Field(description="mọi đơn vị được nhắc trong phần 'items' (khóa, sắp xếp)")
    projects: list[str] = Field(description="mọi dự án được nhắc trong phần 'items' (khóa, sắp xếp)")
    preamble: str = Field(description="đoạn mở đầu (Markdown)")
    sections: list[SectionOut]
    items: list[ItemOut]
    closing: str = Field(description="đoạn kết (Markdown)")
    original: OriginalOut | None = Field(None, description="bản gốc đã ban hành, nếu kho lưu; null nếu không")


class IssuerOut(_Out):
    key: str
    name: str
    short_name: str
    valid_from: str | None
    valid_to: str | None


class DepartmentOut(_Out):
    key: str
    name: str
    issuer: str
    kind: str
    valid_from: str | None
    valid_to: str | None
    successor: str | None


class ProjectOut(_Out):
    key: str
    name: str
    lead: str | None
    period: list[int]


class ArchiveExport(_Out):
    """Kho Thông báo kết luận: mọi thông báo và các danh mục."""

    model_config = ConfigDict(title="Kho Thông báo kết luận")
    schema_: str = Field(alias="$schema", description="địa chỉ JSON Schema của tệp này")
    version: str = Field(description="phiên bản định dạng dữ liệu (semver: MAJOR.MINOR)", pattern=r"^\d+\.\d+$")
    issuers: list[IssuerOut]
    departments: list[DepartmentOut]
    projects: list[ProjectOut]
    notices: list[NoticeOut] = Field(description="mọi thông báo, theo địa chỉ")


class NoticeExport(_Out):
    """Một Thông báo kết luận."""

    model_config = ConfigDict(title="Thông báo kết luận")
    schema_: str = Field(alias="$schema", description="địa chỉ JSON Schema của tệp này")
    version: str = Field(description="phiên bản định dạng dữ liệu (semver: MAJOR.MINOR)", pattern=r"^\d+\.\d+$")
    notice: NoticeOut


# Building it from the model -------------------------------------------------------------------------------------
#
# The models above define the shape and the published schemas; the records are plain dicts built in the models' field
# order and encoded by pydantic-core's own JSON encoder (to_json), so the text is the one model_dump_json would write,
# without building ~50 models per notice only to serialize them (tests check the records against the models).
# A notice's share of the open data is a pure function of the notice, the registry and site_url (notice_data): the
# files are concatenations of those shares.


@dataclass(frozen=True)
class NoticeData:
    """One notice's share of the open data, as UTF-8 (picklable, cacheable per notice): what notice_data gives. Bytes,
    not str: 10,000 notices' shares are held together while the files are written, and Vietnamese text takes two
    bytes a character in a Python str, about one and a half in UTF-8; the files are written from them as they are."""

    url: str  # the notice's URL (its JSON file is notice_json_path(url))
    json: bytes  # the notice object, compact JSON (an element of "notices"; "notice" of its own file)
    notice_row: bytes  # its line of thong-bao.csv
    item_rows: bytes  # its lines of cac-muc.csv (one per item)


def _json(data: Any) -> str:
    """Compact JSON, UTF-8 text, by pydantic-core's encoder: what model_dump_json writes for the same fields."""
    return to_json(data).decode("utf-8")


def _iso(date: Any) -> str | None:
    return date.iso() if date is not None else None


def _deadlines(deadlines: tuple[m.Deadline, ...]) -> list[dict[str, str]]:
    return [{"date": d.date.iso(), "due": d.date.last_day().isoformat(), "text": d.text} for d in deadlines]


def notice_record(n: m.Notice, reg: Registry, site_url: str | None) -> dict:
    """A notice as the open data's record (NoticeOut's fields, in its order): plain data."""
    base = site_base(site_url)

    def link(path: str) -> dict[str, str | None]:
        return {"path": path, "url": base + path if base else None}

    deps: set[str] = set()
    projs: set[str] = set()
    items = []
    for item in n.items:
        deps.update(item.lead, item.cooperating, [item.presented_by] if item.presented_by else [])
        projs.update(item.projects)
        points = []
        for p in item.points:
            deps.update(p.lead, p.cooperating)
            projs.update(p.projects)
            points.append({"lead": list(p.lead), "cooperating": list(p.cooperating), "projects": list(p.projects),
                           "deadlines": _deadlines(p.deadlines), "letter": p.letter, "anchor": p.anchor,
                           "link": link(f"{n.url}#{p.anchor}"), "text": p.text})
        items.append({"lead": list(item.lead), "cooperating": list(item.cooperating),
                      "projects": list(item.projects), "deadlines": _deadlines(item.deadlines),
                      "number": item.number, "section": item.section, "anchor": item.anchor,
                      "link": link(f"{n.url}#{item.anchor}"), "heading": item.heading, "text": item.text,
                      "presented_by": item.presented_by, "points": points})
    return {
        "link": link(n.url), "json_link": link(notice_json_path(n.url)), "source": f"notices/{n.src_uri}",
        "issuer": n.issuer, "issuer_name": reg.issuers[n.issuer].name, "number": n.number,
        "number_text": n.number_text, "series": n.series, "status": n.status, "status_label": n.status_label,
        "date": n.date.iso(), "place": n.place, "title": n.title,
        "meeting": {"date": n.meeting.date.iso(), "invitation": n.meeting.invitation,
                    "invitation_date": _iso(n.meeting.invitation_date)},
        "chair": {"name": n.chair.name, "title": n.chair.title},
        "signer": {"authority": list(n.signer.authority), "title": n.signer.title, "name": n.signer.name},
        "recipients": list(n.recipients), "replaces": list(n.replaces), "former_urls": list(n.former_urls),
        "departments": sorted(deps), "projects": sorted(projs), "preamble": n.preamble,
        "sections": [{"numeral": s.numeral, "number": s.number, "title": s.title, "anchor": s.anchor,
                      "link": link(f"{n.url}#{s.anchor}")} for s in n.sections],
        "items": items, "closing": n.closing,
        "original": n.original and {"link": link(n.original.url), "media_type": n.original.media_type,
                                    "sha256": n.original.sha256, "size": n.original.size},
    }


def notice_data(n: m.Notice, reg: Registry, site_url: str | None) -> NoticeData:
    """One notice's share of the open data (its JSON object and its CSV lines). Pure: depends on the notice, the
    registry (issuer, department and project names) and site_url only."""
    record = notice_record(n, reg, site_url)
    return NoticeData(n.url, to_json(record), _csv_lines(NOTICE_COLUMNS, [notice_row(record)]).encode(),
                      _csv_lines(ITEM_COLUMNS, [item_row(record, item, reg) for item in record["items"]]).encode())


def _registries(reg: Registry) -> dict[str, list]:
    """The registries as the archive file holds them (IssuerOut, DepartmentOut, ProjectOut fields, in order)."""
    return {
        "issuers": [{"key": k, "name": v.name, "short_name": v.short_name, "valid_from": _iso(v.valid_from),
                     "valid_to": _iso(v.valid_to)} for k, v in sorted(reg.issuers.items())],
        "departments": [{"key": k, "name": v.name, "issuer": v.issuer, "kind": v.kind,
                         "valid_from": _iso(v.valid_from), "valid_to": _iso(v.valid_to), "successor": v.successor}
                        for k, v in sorted(reg.departments.items())],
        "projects": [{"key": k, "name": v.name, "lead": v.lead, "period": list(v.period)}
                     for k, v in sorted(reg.projects.items())],
    }


def schemas(site_url: str | None = None) -> dict[str, str]:
    """The published JSON Schemas (Draft 2020-12), generated from the models above."""
    base = site_base(site_url)
    out = {}
    for path, model_cls in ((ARCHIVE_SCHEMA_PATH, ArchiveExport), (NOTICE_SCHEMA_PATH, NoticeExport)):
        schema = model_cls.model_json_schema(by_alias=True, mode="serialization")
        head = {"$schema": "https://json-schema.org/draft/2020-12/schema"}
        if base:  # a schema's $id must be absolute: without a site_url it has none
            head["$id"] = base + path
        schema = {**head, **schema}
        out[path] = json.dumps(schema, ensure_ascii=False, indent=1) + "\n"
    return out


def export_files(notices: list[m.Notice], registry: Registry, site_url: str | None = None) -> dict[str, str]:
    """Every open-data file of the site: {path relative to the site root: JSON text}. Deterministic."""
    return {path: data.decode() if isinstance(data, bytes) else b"".join(data).decode()
            for path, data in iter_export_files(notices, registry, site_url)}


def iter_export_files(notices: list[m.Notice], registry: Registry,
                      site_url: str | None = None) -> Iterator[tuple[str, bytes | Iterator[bytes]]]:
    """The same files one at a time, so a writer need not hold 10,000 of them in memory."""
    return export_files_from(sorted((notice_data(n, registry, site_url) for n in notices), key=lambda d: d.url),
                             registry, site_url)


def export_files_from(data: list[NoticeData], registry: Registry,
                      site_url: str | None = None) -> Iterator[tuple[str, bytes | Iterator[bytes]]]:
    """The open-data files from each notice's share (notice_data, in URL order), as UTF-8: concatenations, nothing
    encoded twice. The archive file and the CSVs, which hold every notice, come as pieces to be written one after
    the other (never joined: at 10,000 notices each would be another hundred megabytes held at once); the archive
    file and each notice's file carry the same notice text."""
    # Each head is an object whose closing brace is cut off ([:-1]) to append the notices' text.
    head = _json({"$schema": href(ARCHIVE_SCHEMA_PATH, site_url, ARCHIVE_PATH), "version": VERSION,
                  **_registries(registry)})
    yield ARCHIVE_PATH, _joined(f'{head[:-1]},"notices":['.encode(), (d.json for d in data), b",", b"]}\n")
    yield NOTICES_CSV_PATH, _joined(_csv_head(NOTICE_COLUMNS), (d.notice_row for d in data))
    yield ITEMS_CSV_PATH, _joined(_csv_head(ITEM_COLUMNS), (d.item_rows for d in data))
    for d in data:
        path = notice_json_path(d.url)
        one = _json({"$schema": href(NOTICE_SCHEMA_PATH, site_url, path), "version": VERSION})
        yield path, b"".join([one[:-1].encode(), b',"notice":', d.json, b"}\n"])
    for path, text in schemas(site_url).items():
        yield path, text.encode()


def _joined(head: bytes, parts: Iterable[bytes], separator: bytes = b"", tail: bytes = b"") -> Iterator[bytes]:
    """head, the parts with the separator between them, tail: the pieces of one file."""
    yield head
    for i, part in enumerate(parts):
        if i and separator:
            yield separator
        yield part
    if tail:
        yield tail


# CSV: the same records as the JSON, flattened for spreadsheets ----------------------------------------------------

# A cell a spreadsheet would read as a formula (OWASP, "CSV Injection") gets a leading apostrophe, which Excel and
# LibreOffice show as text and do not display; a reader of the data drops it (README, "Dữ liệu mở").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SEP = "; "  # between the keys or names of one cell (no key or registry name contains it)

NOTICE_COLUMNS = ("path", "url", "json_path", "source", "issuer", "issuer_name", "number", "number_text", "series",
                  "status", "status_label", "date", "place", "title", "meeting_date", "meeting_invitation",
                  "chair_name", "chair_title", "signer_title", "signer_name", "departments", "projects", "items")
ITEM_COLUMNS = ("path", "url", "notice_path", "notice_number_text", "notice_date", "issuer", "section", "number",
                "anchor", "heading", "presented_by", "presented_by_name", "lead", "lead_names", "cooperating",
                "cooperating_names", "projects", "project_names", "deadlines", "deadline_texts", "text")


def csv_safe(value: object) -> str:
    """A cell's text: None is empty; text a spreadsheet would run as a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def _csv_lines(columns: tuple[str, ...], rows: list[dict]) -> str:
    """Rows as CSV lines (CRLF), each cell csv_safe."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    # csv_safe, inline: it runs on every cell (~150,000 per 1,000 notices).
    writer.writerows([("'" + t if (t := "" if (v := row[c]) is None else str(v)).startswith(FORMULA_START) else t)
                      for c in columns] for row in rows)
    return out.getvalue()


def _csv_head(columns: tuple[str, ...]) -> bytes:
    # UTF-8 with a byte-order mark: Excel (the office's spreadsheet) reads a CSV without one as the local code page
    # and garbles every Vietnamese letter; LibreOffice and csv readers opened with "utf-8-sig" skip it.
    head = io.StringIO()
    csv.writer(head, lineterminator="\r\n").writerow(columns)
    return ("\ufeff" + head.getvalue()).encode()


def _unique(values: list[str]) -> list[str]:
    return list(dict.fromkeys(values))


def item_row(notice: dict, item: dict, registry: Registry) -> dict:
    """One item (a record of notice_record) as a CSV row: its own assignments and its points' (in order, each key
    once), names beside keys."""
    deps, projs = registry.departments, registry.projects
    parts: list[dict] = [item, *item["points"]]
    lead = _unique([k for p in parts for k in p["lead"]])
    cooperating = _unique([k for p in parts for k in p["cooperating"]])
    projects = _unique([k for p in parts for k in p["projects"]])
    deadlines = [d for p in parts for d in p["deadlines"]]
    presented_by = item["presented_by"]
    return {
        "path": item["link"]["path"], "url": item["link"]["url"], "notice_path": notice["link"]["path"],
        "notice_number_text": notice["number_text"], "notice_date": notice["date"], "issuer": notice["issuer"],
        "section": item["section"], "number": item["number"], "anchor": item["anchor"], "heading": item["heading"],
        "presented_by": presented_by, "presented_by_name": deps[presented_by].name if presented_by else None,
        "lead": SEP.join(lead), "lead_names": SEP.join(deps[k].name for k in lead),
        "cooperating": SEP.join(cooperating), "cooperating_names": SEP.join(deps[k].name for k in cooperating),
        "projects": SEP.join(projects), "project_names": SEP.join(projs[k].name for k in projects),
        "deadlines": SEP.join(d["due"] for d in deadlines), "deadline_texts": SEP.join(d["text"] for d in deadlines),
        "text": item["text"],
    }


def notice_row(notice: dict) -> dict:
    """A notice (a record of notice_record) as a CSV row."""
    return {
        "path": notice["link"]["path"], "url": notice["link"]["url"], "json_path": notice["json_link"]["path"],
        "source": notice["source"], "issuer": notice["issuer"], "issuer_name": notice["issuer_name"],
        "number": notice["number"], "number_text": notice["number_text"], "series": notice["series"],
        "status": notice["status"], "status_label": notice["status_label"], "date": notice["date"],
        "place": notice["place"], "title": notice["title"], "meeting_date": notice["meeting"]["date"],
        "meeting_invitation": notice["meeting"]["invitation"], "chair_name": notice["chair"]["name"],
        "chair_title": notice["chair"]["title"], "signer_title": notice["signer"]["title"],
        "signer_name": notice["signer"]["name"], "departments": SEP.join(notice["departments"]),
        "projects": SEP.join(notice["projects"]), "items": len(notice["items"]),
    }
