"""The rules across notices, run on the whole archive once every notice is checked on its own: one number per
issuer, series and year, one notice per URL, former URLs that redirect to one notice, replacements resolved both
ways, attachments that a notice records, and lost published anchors reported at the notice that lost them.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from . import model as m
from .archive_files import GENERATED_AT_ROOT
from .notice_rules import Identity
from .permanence import Loss, anchor_key
from .problems import Problem
from .reader import dotted
from .registry import Registry
from .urls import RESERVED, generated_sources


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


@dataclass
class Replacements:
    """Replacing and replaced notices, linked both ways, and what the links could not resolve."""

    problems: list[Problem] = field(default_factory=list)
    replaces: dict[str, list[m.Notice]] = field(default_factory=dict)  # url -> the notices it replaces
    replaced_by: dict[str, list[m.Notice]] = field(default_factory=dict)  # url -> the notices replacing it
    unknown: dict[str, list[str]] = field(default_factory=dict)  # url -> replaced numbers not archived


REPLACED = re.compile(r"^(?P<num>\d+)/(?P<series>[^\s/]+)(?:\s+ngày\s+(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4}))?$")


def resolve_replacements(notices: list[m.Notice], display_root: str = "notices") -> Replacements:
    """Link replacing and replaced notices both ways (Decree 30, art. 18: the old text stays published)."""
    out = Replacements()
    problems = out.problems
    by_number: dict[tuple, list[m.Notice]] = {}
    for n in notices:
        if n.number is not None:
            by_number.setdefault((n.issuer, n.series, n.number), []).append(n)
    for n in notices:
        path = f"{display_root}/{n.src_uri}"
        for text, line in zip(n.replaces, n.replaces_lines or (1,) * len(n.replaces), strict=False):
            found = REPLACED.match(text.strip())
            if not found:
                problems.append(Problem(path, line, f"trường 'replaces': '{text}' không đúng dạng số ký hiệu, ví dụ "
                                        "123/TB-UBND hoặc 123/TB-UBND ngày 12/11/2020", "error", "thay-the"))
                continue
            if (n.issuer, found["series"], int(found["num"])) == (n.issuer, n.series, n.number) and (
                    not found["y"] or int(found["y"]) == n.date.year):
                problems.append(Problem(path, line, f"trường 'replaces': '{text}' là số của chính thông báo này; "
                                        "ghi số của văn bản được thay thế", "error", "thay-the"))
                continue
            candidates = [c for c in by_number.get((n.issuer, found["series"], int(found["num"])), [])
                          if c is not n and c.date.first_day() <= n.date.last_day()]
            if found["y"]:
                candidates = [c for c in candidates if c.date.year == int(found["y"])
                              and (c.date.day in (None, int(found["d"]))) and c.date.month == int(found["m"])]
            if not candidates:
                problems.append(Problem(path, line, f"trường 'replaces': thông báo {text} của cùng cơ quan chưa có "
                                        "trong kho; trang chỉ ghi số, không có liên kết", "advice", "thay-the"))
                out.unknown.setdefault(n.url, []).append(text.strip())
                continue
            if len(candidates) > 1:
                years = ", ".join(str(c.date.year) for c in candidates)
                problems.append(Problem(path, line, f"trường 'replaces': có nhiều thông báo số {text} (năm {years}); "
                                        "ghi rõ ngày, ví dụ '" + text + " ngày 12/11/2020'", "error", "thay-the"))
                continue
            old = candidates[0]
            out.replaces.setdefault(n.url, []).append(old)
            out.replaced_by.setdefault(old.url, []).append(n)
    return out


def unrecorded_attachments(notices: list[m.Notice], attachments: list[str], problems: list[Problem],
                           display_root: str = "notices") -> tuple[list[Problem], list[str]]:
    """Only what a notice records is published: an attachment that no valid notice names as its original is an
    error (and leaves the archive), unless the notice of the same name has errors of its own (reported there).
    Gives the new problems and the attachments kept."""
    recorded = {posixpath.join(posixpath.dirname(n.src_uri), n.original.file) for n in notices if n.original}
    failed = {p.path for p in problems if p.severity == "error"}
    out = []
    for rel in attachments:
        if rel not in recorded and f"{display_root}/{posixpath.splitext(rel)[0]}.md" not in failed:
            out.append(Problem(f"{display_root}/{rel}", 1, "tệp bản gốc không thuộc thông báo nào: ghi nó vào trường "
                               "'original' của thông báo cùng tên (notices import làm việc này) hoặc xóa tệp", "error",
                               "ban-goc"))
    return out, [rel for rel in attachments if rel in recorded]


def refuse_broken_links(links: dict[str, tuple[tuple[int, str], ...]], notices: list[m.Notice], attachments: list[str],
                        registry: Registry, display_root: str = "notices") -> tuple[list[Problem], list[m.Notice],
                                                                                    list[str]]:
    """check_link_targets, until every notice left links only to what is left: a notice with a broken link leaves
    the site (like any notice in error: not rendered, so the engine does not warn again, in English and with no
    line), its original with it, and a link to it from another notice is broken in turn (or to its year's page,
    when it was that year's last notice). Gives the problems and the notices and attachments kept."""
    # Which notices link to each path (as the engine resolves it), so that a round after the first reads only the
    # links into what the round before removed: a chain of notices, each linking to the next, costs its length.
    linking: dict[str, set[str]] = {}
    for src_uri, found in links.items():
        for _, url in found:
            linking.setdefault(_link_path(src_uri, url), set()).add(src_uri)
    problems: list[Problem] = []
    to_check = links
    pages = _generated(registry, notices)
    while found := check_link_targets(to_check, notices, frozenset([*(n.src_uri for n in notices), *attachments,
                                                                    *pages]), display_root):
        problems.extend(found)
        failed = {p.path for p in found}
        gone = {n.src_uri for n in notices if f"{display_root}/{n.src_uri}" in failed}
        notices = [n for n in notices if n.src_uri not in gone]
        recorded = {posixpath.join(posixpath.dirname(n.src_uri), n.original.file) for n in notices if n.original}
        gone.update(rel for rel in attachments if rel not in recorded)
        attachments = [rel for rel in attachments if rel in recorded]
        pages, before = _generated(registry, notices), pages
        gone.update(before - pages)
        to_check = {src: links[src] for path in gone for src in linking.get(path, ())}
    return problems, notices, attachments


def _generated(registry: Registry, notices: list[m.Notice]) -> frozenset[str]:
    return generated_sources(registry.departments, registry.projects, {n.date.year for n in notices})


def _link_path(src_uri: str, url: str) -> str:
    """The file of notices/ a relative link of notice ``src_uri`` leads to, as the engine resolves it."""
    return posixpath.normpath(posixpath.join(posixpath.dirname(src_uri), unquote(urlsplit(url).path)).lstrip("/"))


def check_link_targets(links: dict[str, tuple[tuple[int, str], ...]], notices: list[m.Notice],
                       published: frozenset[str], display_root: str = "notices") -> list[Problem]:
    """Where each relative link of a published notice leads (``links``: its src_uri -> (line, destination), from
    safe_markdown.relative_links), resolved as the engine resolves it: a path from the notice's folder to a
    published file of notices/ (a notice or an attachment), and an #anchor one of that notice's. The engine's own
    warning for any other would stop the build in English, with no line. A link to a page the build generates
    (``../../don-vi/phong-kinh-te.md#han-dang-mo``: urls.generated_sources, in ``published``) must name one; its
    anchor, and a link to any other file the build writes (urls.RESERVED), is left to the engine, which knows them
    once they are rendered."""
    by_src = {n.src_uri: n for n in notices}
    out = []
    for src_uri, found in links.items():
        notice = by_src.get(src_uri)
        if notice is None:
            continue  # not published: its page is not rendered
        for line, url in found:
            message = _link_target_problem(notice, url, by_src, published)
            if message:
                out.append(Problem(f"{display_root}/{src_uri}", line, f"nội dung: liên kết '{url[:80]}' {message}",
                                   "error", "lien-ket-hong"))
    return out


def _link_target_problem(notice: m.Notice, url: str, by_src: dict[str, m.Notice],
                         published: frozenset[str]) -> str | None:
    parts = urlsplit(url)
    if url.startswith(("/", "\\")):
        return ("bắt đầu bằng '/' (đường dẫn tuyệt đối): viết đường dẫn tương đối tới tệp .md của thông báo (ví dụ "
                "../2021/ten-tep.md#muc-1) hoặc địa chỉ https://… đầy đủ")
    target = notice
    if parts.path:
        path = _link_path(notice.src_uri, url)
        if path.split("/")[0] in RESERVED or path in GENERATED_AT_ROOT:
            if path.endswith(".md") and path not in published:  # where the build generates pages, but not this one
                return (f"trỏ tới trang '{path[:80]}', không có trong các trang tra cứu bản dựng sinh ra (trang chủ, "
                        "don-vi/<đơn vị>.md, du-an/<dự án>.md, nam/<năm có thông báo>.md); kiểm tra tên trong "
                        "notices/_registry/ hoặc năm")
            return None  # the page (or file) is generated: the engine checks its anchors once rendered
        if path not in published:
            return (f"trỏ tới '{path[:80]}', không phải tệp thông báo (.md) hay bản gốc nào được xuất bản trong "
                    "notices/; sửa đường dẫn (tính từ thư mục của thông báo này) hoặc dùng địa chỉ https://… đầy đủ")
        target = by_src.get(path)
    if parts.fragment and target is not None and parts.fragment not in target.anchors:
        where = "thông báo này" if target is notice else f"notices/{target.src_uri}"
        return (f"trỏ tới neo '#{parts.fragment[:40]}', không có trong {where}; neo của một thông báo là số phần, mục, "
                "điểm: phan-1, muc-4, muc-4-a")
    return None


def locate_permanence(losses: list[Loss], redirects: dict[str, str], notices: list[m.Notice],
                      display_root: str = "notices") -> list[Problem]:
    """Permanence problems (permanence.check), a lost anchor moved to the notice that lost it: the line of the item
    or point now standing where the anchor was (an item renumbered 6 -> 7 is reported at its heading). A lost URL
    stays at its line of the manifest: the notice that held it is gone or has another identity."""
    by_url = {n.url: n for n in notices}
    out = []
    for loss in losses:
        p = loss.problem
        notice = by_url.get(redirects.get(loss.url, loss.url)) if loss.url else None
        if loss.anchor is None or notice is None:
            out.append(p)
            continue
        key = anchor_key(loss.anchor)
        places = sorted([(anchor_key(i.anchor), i.line) for i in notice.items]
                        + [(anchor_key(pt.anchor), pt.line) for i in notice.items for pt in i.points])
        after = [line for k, line in places if k > key]
        line = after[0] if after else (places[-1][1] if places else 1)
        out.append(Problem(f"{display_root}/{notice.src_uri}", line, f"{p.message}; ghi ở {p.path}:{p.line}",
                           p.severity, p.code))
    return out
