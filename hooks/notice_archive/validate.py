"""Validate notices against the format, the decree's rules and the registries; build the model.

Every problem is collected (never the first only); errors fail the build, advice is shown and does not.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from . import archive_files, base_branch, limits, originals, permanence
from . import model as m
from .body import ParsedBody, RawItem, RawPoint, parse_body
from .dates import build_day
from .notice_cache import NoticeCache
from .problems import Problem, sort_problems
from .reader import Source, dotted, read_bytes, read_limited
from .registry import REGISTRY_DIR, Registry, load_registry, mentions_folded
from .schema import NUMBER, FrontMatter
from .text import casefold_vi
from .urls import RESERVED, notice_url
from .validation_messages import extra_fields, translate, unsafe_values, yaml_traps

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


@dataclass
class Archive:
    notices: list[m.Notice] = field(default_factory=list)
    registry: Registry = field(default_factory=Registry)
    problems: list[Problem] = field(default_factory=list)
    replaces: dict[str, list[m.Notice]] = field(default_factory=dict)  # url -> the notices it replaces
    replaced_by: dict[str, list[m.Notice]] = field(default_factory=dict)  # url -> the notices replacing it
    replaces_unknown: dict[str, list[str]] = field(default_factory=dict)  # url -> replaced numbers not archived
    attachments: list[str] = field(default_factory=list)  # accepted attachments (archive_files.ATTACHMENTS)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def published_sources(self) -> frozenset[str]:
        """The files of notices/ (relative) the site may publish: the valid notices and accepted attachments.
        Anything else there is not published, whatever the engine finds (archive_files)."""
        return frozenset([*(n.src_uri for n in self.notices), *self.attachments])


def notice_paths(docs_dir: str) -> list[str]:
    """Every notice Markdown file under notices/, relative, sorted (deterministic): what archive_files accepts
    as a notice (not a symlink, not in an unread or reserved folder)."""
    return [rel for rel in archive_files.entries(docs_dir)
            if archive_files.judge(docs_dir, rel).kind == archive_files.NOTICE]


def archive_paths(docs_dir: str) -> list[str]:
    """Every path under notices/ the validator judges, relative, sorted: the notices, the manifest, and whatever
    else is there, to be reported (archive_files.entries); not the registries' YAML."""
    return archive_files.entries(docs_dir)


def load_archive(docs_dir: str, today: dt.date | None = None, display_root: str = "notices",
                 only: list[str] | None = None, base: str | None = None, cache: bool = False) -> Archive:
    """Read the registries and notices; ``only`` limits which notices are reported (all are still read, so
    uniqueness is checked against the whole archive); ``base``: the git ref whose manifest this one must keep
    (default: GITHUB_BASE_REF in a pull-request run); ``cache``: through the per-notice cache (notice_cache)."""
    registry, problems = load_registry(docs_dir, display_root)
    today = today or build_day()
    store = NoticeCache.for_build(docs_dir, REGISTRY_DIR, today, display_root) if cache else None
    checked = inspect_paths(docs_dir, archive_paths(docs_dir), registry, today, display_root, base, store)
    return assemble(registry, problems, checked, display_root, only)


def inspect_paths(docs_dir: str, paths: list[str], registry: Registry, today: dt.date | None = None,
                  display_root: str = "notices", base: str | None = None,
                  cache: NoticeCache | None = None) -> list[Checked]:
    """Read and check each path on its own: a notice (through the per-notice cache, by the file's bytes), the
    manifest, an attachment, or a file the archive refuses (archive_files.judge)."""
    today = today or build_day()
    out = []
    for rel in paths:
        entry = archive_files.judge(docs_dir, rel, display_root)
        display = f"{display_root}/{rel}"
        if entry.kind == archive_files.REFUSED:
            out.append(Checked(None, [entry.problem] if entry.problem else []))
            continue
        if entry.kind == archive_files.ATTACHMENT:
            out.append(Checked(None, [], attachment=rel))
            continue
        limit = limits.MAX_MANIFEST_BYTES if entry.kind == archive_files.MANIFEST_FILE else limits.MAX_NOTICE_BYTES
        try:
            path = os.path.join(docs_dir, rel)
            raw = b"" if entry.kind == archive_files.MANIFEST_FILE and not os.path.lexists(path) else \
                read_limited(path, limit)
        except OSError as exc:  # gone, or replaced by a link, since the folder was listed
            out.append(Checked(None, [Problem(display, 1, f"không đọc được tệp ({exc.strerror})", "error",
                                              "tep-la")]))
            continue
        if entry.kind == archive_files.MANIFEST_FILE:
            out.append(Checked(None, _inspect_manifest(docs_dir, rel, display, raw, base)))
            continue
        # A notice that keeps an original is checked against that file too, which its own bytes do not key: never
        # from the cache.
        cacheable = cache is not None and b"\noriginal:" not in raw
        checked = cache.get(rel, raw) if cacheable else None
        if checked is None:
            checked = inspect_notice(display, rel, raw, registry, today, docs_dir)
            if cacheable:
                cache.put(rel, raw, checked)
        out.append(checked)
    return out


def _inspect_manifest(docs_dir: str, rel: str, display: str, raw: bytes, base: str | None) -> list[Problem]:
    """The manifest's own checks, and against its content at the base branch when there is one."""
    wanted = base_branch.base_ref(base)
    if wanted is None:
        return permanence.inspect_manifest(display, raw)
    found = base_branch.read_at_base(docs_dir, rel, wanted[1], required=base is not None)
    if found is None:
        return permanence.inspect_manifest(display, raw)
    if found.content is None:
        return [*permanence.inspect_manifest(display, raw),
                Problem(display, 1, f"không so được với nhánh gốc {found.ref}: {found.failure}", "error",
                        "dia-chi-xoa")]
    return permanence.inspect_manifest(display, raw, found.content, found.ref)


def assemble(registry: Registry, registry_problems: list[Problem], checked: list[Checked],
             display_root: str = "notices", only: list[str] | None = None) -> Archive:
    """The archive from every notice checked on its own: then the rules across notices (unique identities and
    addresses, replacements). Deterministic: the same checked notices give the same archive in any process."""
    archive = Archive(registry=registry, problems=list(registry_problems))
    identities: list[Identity] = []
    for one in checked:
        archive.problems.extend(one.problems)
        if one.identity is not None:
            identities.append(one.identity)
        if one.notice is not None:
            archive.notices.append(one.notice)
        if one.attachment is not None:
            archive.attachments.append(one.attachment)
    clashes = check_identities(identities) + check_former_urls(identities)
    archive.problems.extend(clashes)
    clashing = {p.path for p in clashes}
    archive.notices = [n for n in archive.notices if f"{display_root}/{n.src_uri}" not in clashing]
    archive.problems.extend(unrecorded_attachments(archive, display_root))
    archive.problems.extend(resolve_replacements(archive, display_root))
    if only is not None:
        archive.problems = only_problems(archive.problems, only, display_root)
    archive.problems = sort_problems(archive.problems)
    archive.notices.sort(key=lambda n: n.url)
    return archive


def unrecorded_attachments(archive: Archive, display_root: str = "notices") -> list[Problem]:
    """Only what a notice records is published: an attachment that no valid notice names as its original is an
    error (and leaves the archive), unless the notice of the same name has errors of its own (reported there)."""
    recorded = {posixpath.join(posixpath.dirname(n.src_uri), n.original.file) for n in archive.notices if n.original}
    failed = {p.path for p in archive.problems if p.severity == "error"}
    out = []
    for rel in archive.attachments:
        if rel not in recorded and f"{display_root}/{posixpath.splitext(rel)[0]}.md" not in failed:
            out.append(Problem(f"{display_root}/{rel}", 1, "tệp bản gốc không thuộc thông báo nào: ghi nó vào trường "
                               "'original' của thông báo cùng tên (notices import làm việc này) hoặc xóa tệp", "error",
                               "ban-goc"))
    archive.attachments = [rel for rel in archive.attachments if rel in recorded]
    return out


def only_problems(problems: list[Problem], only: list[str], display_root: str = "notices") -> list[Problem]:
    """The problems of the given files, and always those of the registries (notices/_registry/…)."""
    wanted = set(only)
    return [p for p in problems if p.path in wanted or p.path.startswith(f"{display_root}/{REGISTRY_DIR}/")]


def locate_permanence(problems: list[Problem], manifest: dict[str, tuple[int, set[str]]],
                      redirects: dict[str, str], archive: Archive, display_root: str = "notices") -> list[Problem]:
    """Permanence problems (permanence.check) about a lost anchor, moved to the notice that lost it: the line of
    the item or point now standing where the anchor was (an item renumbered 6 -> 7 is reported at its heading).
    A lost URL stays at its line of the manifest: the notice that held it is gone or has another identity."""
    by_line = {line: url for url, (line, _anchors) in manifest.items()}
    by_url = {n.url: n for n in archive.notices}
    out = []
    for p in problems:
        url = by_line.get(p.line)
        notice = by_url.get(redirects.get(url, url)) if url else None
        lost = re.search(r"#(\S+) không còn", p.message)
        if p.code != "neo-mat" or notice is None or lost is None:
            out.append(p)
            continue
        key = _anchor_key(lost.group(1))
        places = sorted([(_anchor_key(i.anchor), i.line) for i in notice.items]
                        + [(_anchor_key(pt.anchor), pt.line) for i in notice.items for pt in i.points])
        after = [line for k, line in places if k > key]
        line = after[0] if after else (places[-1][1] if places else 1)
        out.append(Problem(f"{display_root}/{notice.src_uri}", line, f"{p.message}; ghi ở {p.path}:{p.line}",
                           p.severity, p.code))
    return out


def _anchor_key(anchor: str) -> tuple:
    """Numbers in numeric order, without int() (an anchor of the manifest is text from a file)."""
    return tuple((0, len(part), part) if part.isascii() and part.isdigit() else (1, 0, part)
                 for part in anchor.split("-"))


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
    former: tuple[tuple[str, int, int], ...] = ()  # well-formed former_urls: (normalised "a/b/c/", index, line)


@dataclass
class Checked:
    notice: m.Notice | None
    problems: list[Problem]
    identity: Identity | None = None
    attachment: str | None = None  # an accepted attachment (relative path)


def check_notice(display: str, src_uri: str, raw: bytes, registry: Registry,
                 today: dt.date) -> tuple[m.Notice | None, list[Problem]]:
    checked = inspect_notice(display, src_uri, raw, registry, today)
    return checked.notice, checked.problems


# One adapter per front-matter field: when some fields are wrong, the others are still checked (all problems at
# once), from values validated exactly as the model validates them.
_FIELD_ADAPTERS = {name: TypeAdapter(Annotated[info.annotation, info])
                   for name, info in FrontMatter.model_fields.items()}


def _partial(data: dict[str, Any], exc: ValidationError) -> SimpleNamespace:
    """The front matter's valid fields; ``None`` for those that are missing or wrong."""
    bad = {e["loc"][0] for e in exc.errors() if e["loc"]}
    values: dict[str, Any] = {}
    for name, info in FrontMatter.model_fields.items():
        if name in bad:
            values[name] = None
        elif name in data:
            values[name] = _FIELD_ADAPTERS[name].validate_python(data[name])
        else:
            values[name] = None if info.is_required() else info.get_default(call_default_factory=True)
    return SimpleNamespace(**values)


def inspect_notice(display: str, src_uri: str, raw: bytes, registry: Registry, today: dt.date,
                   docs_dir: str | None = None) -> Checked:
    src = read_bytes(display, raw)
    problems = list(src.problems)
    if src.data is None:
        return Checked(None, problems)
    problems = _drop_marked(src, problems) + _marker_problems(src)
    parsed, body_problems = parse_body(display, src.body, src.body_line)
    problems.extend(body_problems)
    problems.extend(_drop_marked(src, unsafe_values(src)))
    complete = True
    try:
        fm: Any = FrontMatter.model_validate(src.data)
        problems.extend(_drop_marked(src, yaml_traps(src)))
    except ValidationError as exc:
        problems.extend(_drop_marked(src, translate(exc, src, FrontMatter)))
        problems.extend(_drop_marked(src, yaml_traps(src, skip=extra_fields(exc))))
        fm = _partial(src.data, exc)
        complete = False
    checker = _Checker(src, src_uri, fm, parsed, registry, today)
    checker.run()
    problems.extend(_drop_marked(src, checker.problems))
    problems.extend(originals.problems(display, src_uri, fm.original, src.line_of, docs_dir))
    if not complete or any(p.severity == "error" for p in problems):
        return Checked(None, problems, checker.identity)
    lines = tuple(src.line_of(("replaces", i)) for i in range(len(fm.replaces)))
    return Checked(_build(src_uri, fm, parsed, checker.number, lines), problems, checker.identity)


MARKER = "TODO"


def _marker_problems(src: Source) -> list[Problem]:
    """Values left as 'TODO: …' (by notices import / notices new) are reported until an editor fills them in."""
    out = []
    for path, scalar in src.scalars.items():
        if scalar.raw.lstrip().startswith(MARKER):
            hint = scalar.raw.lstrip()[len(MARKER):].lstrip(":-– ").strip()
            out.append(Problem(src.path, scalar.line, f"trường {dotted(path)} còn chờ biên tập viên điền (dấu "
                               f"{MARKER} do công cụ nhập để lại): {hint or 'điền giá trị như bản gốc'}",
                               "error", "chua-dien"))
    for offset, line in enumerate(src.body.split("\n")):
        if line.startswith(MARKER + ":"):
            out.append(Problem(src.path, src.body_line + offset, "nội dung còn dòng chờ biên tập viên điền (dấu "
                               f"{MARKER}): {line[len(MARKER) + 1:].strip()}", "error", "chua-dien"))
    return out


def _drop_marked(src: Source, problems: list[Problem]) -> list[Problem]:
    """Other errors about a marked value (its form, its key) are left out: the marker says what to write."""
    if src.marked_lines is None:  # worked out once per notice
        src.marked_lines = frozenset(s.line for s in src.scalars.values() if s.raw.lstrip().startswith(MARKER))
    if not src.marked_lines or not problems:
        return problems
    return [p for p in problems if p.line not in src.marked_lines]


class _Checker:
    """The rules beyond the schema. Each rule runs when the fields it needs are valid (``None`` = wrong or
    missing, already reported), so one broken field never hides the other problems."""

    def __init__(self, src: Source, src_uri: str, fm: Any, parsed: ParsedBody, registry: Registry,
                 today: dt.date):
        self.src, self.src_uri, self.fm, self.parsed, self.reg, self.today = src, src_uri, fm, parsed, registry, today
        self.problems: list[Problem] = []
        self.number: int | None = None
        self.number_ok = False
        self.identity: Identity | None = None

    def has(self, *names: str) -> bool:
        return all(getattr(self.fm, name) is not None for name in names)

    def err(self, where: tuple | int, msg: str, code: str, severity: str = "error") -> None:
        """A problem at a field (named at the start of the message) or at a line of the body."""
        if isinstance(where, tuple):
            line = self.src.line_of(where)
            msg = f"trường {dotted(where)}: {msg}"
        else:
            line = where
        self.problems.append(Problem(self.src.path, line, msg, severity, code))  # type: ignore[arg-type]

    def run(self) -> None:
        self.issuer()
        self.number_and_status()
        self.dates()
        self.signer()
        self.recipients()
        self.items()
        self.location()
        self.former_urls()
        self.identify()

    def issuer(self) -> None:
        fm = self.fm
        if not self.has("issuer"):
            return
        issuer = self.reg.issuers.get(fm.issuer)
        if issuer is None:
            self.err(("issuer",), f"cơ quan '{fm.issuer}' không có trong danh mục issuers.yml"
                     + self.reg.suggest("issuers", fm.issuer), "khoa-la")
            return
        if self.has("place") and fm.place not in issuer.places:
            self.err(("place",), f"địa danh '{fm.place}' chưa khai báo cho {issuer.short_name}; cần một trong: "
                     f"{', '.join(issuer.places)} (thêm vào issuers.yml nếu bản gốc ghi như vậy)", "dia-danh")
        if not self.has("date"):
            return
        if issuer.valid_from and fm.date.last_day() < issuer.valid_from.first_day():
            self.err(("date",), f"{issuer.short_name} chỉ ban hành văn bản từ {issuer.valid_from.vn_short()}",
                     "hieu-luc")
        if issuer.valid_to and fm.date.first_day() > issuer.valid_to.last_day():
            self.err(("date",), f"{issuer.short_name} đã chấm dứt hoạt động sau {issuer.valid_to.vn_short()}; "
                     "kiểm tra lại ngày ban hành hoặc cơ quan ban hành", "hieu-luc")

    def number_and_status(self) -> None:
        fm = self.fm
        if not self.has("number"):
            return
        text = fm.number
        m_num = NUMBER.match(text)
        if not m_num:
            hint = "; bỏ dấu cách" if " " in text else ""
            self.err(("number",), f"'{text}' không đúng dạng số/ký hiệu như 123/TB-UBND (hoặc /TB-UBND nếu "
                     f"chưa ghi số){hint}", "so-ky-hieu")
            return
        digits, symbol = m_num.group("num"), m_num.group("symbol")
        doc_type, _, body = symbol.partition("-")
        self.number_ok = True
        if doc_type not in DOC_TYPES:
            self.err(("number",), f"'{doc_type}' trong '{text}' không phải chữ viết tắt loại văn bản theo Nghị "
                     "định 30 (phụ lục III); thông báo viết TB, ví dụ 123/TB-UBND", "so-ky-hieu")
            self.number_ok = False
        elif doc_type != "TB":
            self.err(("number",), f"ký hiệu '{symbol}' là của loại văn bản khác ({doc_type}); thông báo kết luận "
                     "có ký hiệu bắt đầu bằng 'TB-'", "so-ky-hieu")
            self.number_ok = False
        elif not body:
            self.err(("number",), f"ký hiệu '{symbol}' thiếu phần viết tắt tên cơ quan (ví dụ TB-UBND)",
                     "so-ky-hieu")
            self.number_ok = False
        else:
            issuer = self.reg.issuers.get(fm.issuer) if self.has("issuer") else None
            if issuer and symbol not in issuer.series:
                self.err(("number",), f"ký hiệu '{symbol}' không thuộc loạt số của {issuer.short_name}; cần "
                         f"{' hoặc '.join(issuer.series)} (thêm loạt mới vào issuers.yml nếu cơ quan có)",
                         "so-ky-hieu")
                self.number_ok = False
        if len(digits) > limits.MAX_NUMBER_DIGITS:
            self.err(("number",), f"số '{digits}' có {len(digits)} chữ số, quá {limits.MAX_NUMBER_DIGITS} chữ số "
                     "(số văn bản đánh lại từ 01 mỗi năm); kiểm tra lại số", "so-ky-hieu")
            self.number_ok = False
        elif digits:
            value = int(digits)
            if value == 0:
                self.err(("number",), f"số '{digits}' không hợp lệ: số văn bản bắt đầu từ 01", "so-ky-hieu")
                self.number_ok = False
            elif len(digits) == 1:
                self.err(("number",), f"số '{digits}' không đúng Nghị định 30: số nhỏ hơn 10 viết có số 0 "
                         f"đứng trước, tức {value:02d}/{symbol}", "so-ky-hieu")
            elif digits != f"{value:02d}":
                self.err(("number",), f"số '{digits}' thừa số 0 đứng đầu; viết {value:02d}/{symbol}",
                         "so-ky-hieu")
            self.number = value or None
        if not self.has("status"):
            return
        if fm.status == "ban-hanh":
            if not digits:
                self.err(("number",), "thông báo có status: ban-hanh cần có số (ví dụ 123/TB-UBND); nếu bản chưa "
                         "ghi số, đặt status: chua-so", "tinh-trang")
            if self.has("date") and not fm.date.complete:
                self.err(("date",), f"thông báo có status: ban-hanh cần đủ ngày ban hành YYYY-MM-DD, không phải "
                         f"'{fm.date.iso()}'; nếu ngày còn để trống, đặt status: chua-so", "tinh-trang")
        elif digits:
            self.err(("status",), f"chua-so (bản chưa ghi số) nhưng 'number' đã có số {digits}; nếu đã ban "
                     "hành, đặt status: ban-hanh", "tinh-trang")

    def dates(self) -> None:
        fm = self.fm
        if self.has("date") and fm.date.first_day() > self.today:
            self.err(("date",), f"ngày ban hành {fm.date.iso()} ở tương lai (hôm nay là {self.today.isoformat()})",
                     "ngay")
        if not self.has("meeting"):
            return
        meeting = fm.meeting
        if meeting.date.first_day() > self.today:
            self.err(("meeting", "date"), f"ngày họp {meeting.date.iso()} ở tương lai (hôm nay là "
                     f"{self.today.isoformat()})", "ngay")
        if self.has("date") and fm.date.last_day() < meeting.date.first_day():
            self.err(("date",), f"ngày ban hành {fm.date.iso()} trước ngày họp {meeting.date.iso()} "
                     "(meeting.date); thông báo kết luận ban hành sau cuộc họp", "ngay")
        inv = meeting.invitation_date
        if inv and inv.first_day() > meeting.date.first_day():
            self.err(("meeting", "invitation_date"), f"giấy mời ngày {inv.iso()} sau ngày họp "
                     f"{meeting.date.iso()} (meeting.date); giấy mời phải có trước cuộc họp", "ngay")
        if meeting.invitation and not INVITATION.match(meeting.invitation):
            self.err(("meeting", "invitation"), f"số giấy mời '{meeting.invitation}' không đúng dạng "
                     "số/ký hiệu như 464/GM-UBND", "so-ky-hieu")

    def signer(self) -> None:
        if not self.has("signer"):
            return
        signer = self.fm.signer
        chain = []
        for i, part in enumerate(signer.authority):
            m_auth = AUTHORITY.match(part)
            if not m_auth:
                self.err(("signer", "authority", i), f"'{part}' không đúng dạng; cần TM., KT., Q., TL. hoặc TUQ. "
                         "(có dấu chấm, rồi dấu cách) và chức danh, ví dụ 'TL. CHỦ TỊCH'", "tham-quyen")
                continue
            chain.append(m_auth.group(1))
        if len(chain) == len(signer.authority) and tuple(chain) not in ALLOWED_CHAINS:
            self.err(("signer", "authority"), f"thẩm quyền ký {' / '.join(signer.authority)} không hợp lệ: "
                     "chỉ dùng một trong TM., KT., Q., TL., TUQ., hoặc TM. rồi KT., hoặc TL. rồi KT. "
                     "(Nghị định 30, điều 13)", "tham-quyen")
        if chain and chain[-1] == "KT" and not signer.title.upper().startswith("PHÓ"):
            self.err(("signer", "title"), f"ký thay (KT.) thường là cấp phó; chức vụ '{signer.title}' "
                     "không bắt đầu bằng 'PHÓ'", "tham-quyen", "advice")

    def recipients(self) -> None:
        if not self.has("recipients"):
            return
        rec = self.fm.recipients
        last = rec[-1]
        where = ("recipients", len(rec) - 1)
        if not last.startswith("Lưu:"):
            self.err(where, f"dòng cuối của nơi nhận là '{last}'; cần dòng \"Lưu: VT, <đơn vị soạn thảo>.\" "
                     "(đặt trong dấu nháy kép) như bản gốc", "noi-nhan")
        elif LUU_VT_ONLY.fullmatch(last):
            self.err(where, f"'{last}' chỉ có VT, thiếu viết tắt đơn vị soạn thảo (Nghị định 30); giữ nguyên nếu "
                     "bản gốc như vậy", "noi-nhan", "advice")
        for i, line in enumerate(rec):
            if line.startswith("- "):
                self.err(("recipients", i), f"'{line}' lặp lại dấu '- ' đầu dòng; viết nơi nhận không có '- ' "
                         "(dấu '- ' của danh sách YAML đã đủ)", "noi-nhan")
            if line.startswith("Lưu:") and i != len(rec) - 1:
                self.err(("recipients", i), "dòng 'Lưu:' phải là dòng cuối của nơi nhận", "noi-nhan")

    def items(self) -> None:
        fm, parsed = self.fm, self.parsed
        if not self.has("items"):
            return
        anchors: dict[str, RawItem] = {}
        for item in parsed.items:
            anchors.setdefault(item.anchor, item)  # a duplicate anchor is reported by the body parser
        points: dict[str, tuple[RawItem, RawPoint]] = {}
        for item in parsed.items:
            for point in item.points:
                points.setdefault(point.anchor, (item, point))
        for anchor, item in anchors.items():
            if anchor not in fm.items:
                self.err(item.line, f"mục {item.number} (neo #{anchor}) chưa có trong trường 'items' của khối "
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
                    self.err((*path, "presented_by"), "một điểm không có đơn vị trình riêng; ghi presented_by ở "
                             f"mục '{item.anchor}'", "muc-thong-tin")
            else:
                known = ", ".join(dict.fromkeys(parsed.anchors())) or "(nội dung chưa có mục nào)"
                self.err(path, f"'{key}' không khớp với mục hay điểm nào trong nội dung; các neo hiện có: {known}",
                         "muc-thong-tin")
                continue
            folded = casefold_vi(text)  # once per item, not once per name asked about
            for role in ("presented_by", "lead", "cooperating"):
                value = getattr(meta, role)
                keys = [value] if isinstance(value, str) else (value or [])
                for i, dep in enumerate(keys):
                    where = (*path, role) if isinstance(value, str) else (*path, role, i)
                    if dep not in self.reg.departments:
                        self.err(where, f"đơn vị '{dep}' không có trong danh mục departments.yml"
                                 + self.reg.suggest("departments", dep), "khoa-la")
                    elif not mentions_folded(folded, self.reg.department_names(dep)):
                        names = "; ".join(dict.fromkeys(self.reg.department_names(dep)))
                        self.err(where, f"{what} không nhắc tới đơn vị '{dep}' (tên đã biết: {names}); sửa khóa, "
                                 "hoặc thêm cách viết trong bản gốc vào aliases của đơn vị", "khong-khop")
            for i, proj in enumerate(meta.projects):
                if proj not in self.reg.projects:
                    self.err((*path, "projects", i), f"dự án '{proj}' không có trong danh mục projects.yml"
                             + self.reg.suggest("projects", proj), "khoa-la")
                elif not mentions_folded(folded, self.reg.project_names(proj)):
                    names = "; ".join(dict.fromkeys(self.reg.project_names(proj)))
                    self.err((*path, "projects", i), f"{what} không nhắc tới dự án '{proj}' (tên đã biết: "
                             f"{names}); sửa khóa, hoặc thêm cách viết trong bản gốc vào aliases của dự án",
                             "khong-khop")
            self.deadlines(path, meta, text)

    def deadlines(self, path: tuple, meta, text: str) -> None:
        """A deadline is a real date after the issue date, set by words that are in the item or point."""
        flat = " ".join(text.split()) if meta.deadlines else ""
        for i, deadline in enumerate(meta.deadlines):
            where = (*path, "deadlines", i)
            if " ".join(deadline.text.split()) not in flat:
                self.err((*where, "text"), f"hạn '{deadline.text}' không có trong nội dung của '{path[-1]}'; ghi "
                         "đúng cụm từ như văn bản (ví dụ 'trước ngày 28/4/2026')", "han")
            if self.has("date") and deadline.date.last_day() <= self.fm.date.first_day():
                self.err((*where, "date"), f"hạn {deadline.date.iso()} không sau ngày ban hành "
                         f"{self.fm.date.iso()}", "han")

    def location(self) -> None:
        if not self.has("issuer", "date") or self.fm.issuer not in self.reg.issuers:
            return
        want = f"{self.fm.issuer}/{self.fm.date.year}"
        folder = self.src_uri.rpartition("/")[0]
        if folder != want:
            self.err(1, f"tệp cần nằm trong thư mục notices/{want}/ (theo issuer và năm của date), không phải "
                     f"notices/{folder + '/' if folder else ''}", "vi-tri")

    def former_urls(self) -> None:
        """Old addresses become redirect pages: only a notice URL of this site, never a site page or outside."""
        self.former: list[tuple[str, int, int]] = []
        for i, url in enumerate(self.fm.former_urls or ()):
            where = ("former_urls", i)
            m_url = FORMER_URL.match(url)
            first = url.strip("/").split("/", 1)[0]
            if SCHEME.match(url):
                self.err(where, f"'{url}' là địa chỉ của trang khác; chỉ ghi địa chỉ cũ của thông báo trên trang này, "
                         "dạng <cơ quan>/<năm>/<số-ký-hiệu>/, ví dụ ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/",
                         "dia-chi-cu")
            elif ".." in url.split("/") or "\\" in url:
                self.err(where, f"'{url}' có '..' hoặc '\\': địa chỉ cũ không được trỏ ra ngoài trang", "dia-chi-cu")
            elif first in RESERVED or first == "index.html":
                self.err(where, f"'{url}' là địa chỉ của một trang của hệ thống (/{first}/), không phải của thông báo",
                         "dia-chi-cu")
            elif not m_url:
                self.err(where, f"'{url}' không đúng dạng địa chỉ thông báo <cơ quan>/<năm>/<số-ký-hiệu>/ (chữ "
                         "thường không dấu, kết thúc bằng '/'), ví dụ ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/",
                         "dia-chi-cu")
            elif m_url["issuer"] not in self.reg.issuers:
                self.err(where, f"'{url}': cơ quan '{m_url['issuer']}' không có trong issuers.yml"
                         + self.reg.suggest("issuers", m_url["issuer"]), "dia-chi-cu")
            else:
                self.former.append((url.strip("/") + "/", i, self.src.line_of(where)))

    def identify(self) -> None:
        fm = self.fm
        if not (self.number_ok and self.has("issuer", "date", "meeting")):
            return
        series = fm.number.split("/", 1)[1]
        self.identity = Identity(self.src.path, self.src.line_of(("number",)), fm.issuer, series, fm.date.year,
                                 self.number, fm.number,
                                 notice_url(fm.issuer, series, self.number, fm.date, fm.meeting.date),
                                 tuple(self.former))


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
            m.Point(p.letter, p.anchor, p.full_text, p.line,
                    tuple(meta[p.anchor].lead) if p.anchor in meta else (),
                    tuple(meta[p.anchor].cooperating) if p.anchor in meta else (),
                    tuple(meta[p.anchor].projects) if p.anchor in meta else (),
                    _deadlines(meta[p.anchor]) if p.anchor in meta else ())
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
                archive.replaces_unknown.setdefault(n.url, []).append(text.strip())
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


def check_identities(identities: list[Identity]) -> list[Problem]:
    """Rules across notices: one number per issuer, series and year; one notice per URL."""
    problems = []
    by_number: dict[tuple, Identity] = {}
    by_url: dict[str, Identity] = {}
    for n in sorted(identities, key=lambda n: n.path):
        if n.number is not None:
            key = (n.issuer, n.series, n.year, n.number)
            if key in by_number:
                problems.append(Problem(n.path, n.line, f"trường 'number': số {n.number_text} năm {n.year} đã "
                                        f"được dùng cho {by_number[key].path}; mỗi số chỉ dùng một lần trong một "
                                        "năm của cùng cơ quan và loạt ký hiệu", "error", "trung-so"))
                continue  # the URL collision follows from the number: one message is enough
            by_number[key] = n
        if n.url in by_url:
            hint = " (hai bản chưa ghi số của cùng loạt ký hiệu và cùng ngày họp)" if n.number is None else ""
            problems.append(Problem(n.path, n.line, f"địa chỉ /{n.url} trùng với {by_url[n.url].path}{hint}",
                                    "error", "trung-dia-chi"))
        by_url.setdefault(n.url, n)
    return problems


def check_former_urls(identities: list[Identity]) -> list[Problem]:
    """A former URL redirects: it must not be a page the build publishes, nor be claimed by two notices."""
    problems = []
    current = {n.url: n for n in sorted(identities, key=lambda n: n.path)}
    claimed: dict[str, tuple[Identity, int]] = {}
    for n in sorted(identities, key=lambda n: n.path):
        for url, i, line in n.former:
            field_name = dotted(("former_urls", i))
            if url in current:
                owner = "chính thông báo này" if current[url] is n else current[url].path
                problems.append(Problem(n.path, line, f"trường {field_name}: /{url} là địa chỉ hiện tại của "
                                        f"{owner}; chỉ ghi địa chỉ không còn dùng", "error", "dia-chi-cu"))
            elif url in claimed:
                other, other_line = claimed[url]
                problems.append(Problem(n.path, line, f"trường {field_name}: /{url} đã được ghi ở "
                                        f"{other.path}:{other_line}; một địa chỉ cũ chỉ chuyển hướng về một thông báo",
                                        "error", "dia-chi-cu"))
            else:
                claimed[url] = (n, line)
    return problems

