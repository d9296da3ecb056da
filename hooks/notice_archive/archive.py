"""The archive: every notice of notices/ read and checked (notice_check, through the per-notice cache), then the
rules across notices (archive_rules). Every problem is collected (never the first only); errors fail the build,
advice is shown and does not.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

from . import archive_files, base_branch, limits, permanence
from . import model as m
from .archive_rules import (
    check_former_urls,
    check_identities,
    refuse_broken_links,
    resolve_replacements,
    unrecorded_attachments,
)
from .dates import build_day
from .notice_cache import NoticeCache
from .notice_check import Checked, inspect_notice
from .notice_rules import Identity
from .problems import Problem, sort_problems
from .reader import read_limited
from .registry import REGISTRY_DIR, Registry, load_registry


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
                 only: list[str] | None = None, base: str | None = None,
                 cache: bool | NoticeCache | None = False) -> Archive:
    """Read the registries and notices; ``only`` limits which notices are reported (all are still read, so
    uniqueness is checked against the whole archive); ``base``: the git ref whose manifest this one must keep
    (default: GITHUB_BASE_REF in a pull-request run); ``cache``: through the per-notice cache (notice_cache; True:
    the one NOTICE_ARCHIVE_CACHE names, for this archive and day)."""
    registry, problems = load_registry(docs_dir, display_root)
    today = today or build_day()
    store = NoticeCache.for_build(docs_dir, REGISTRY_DIR, today, display_root) if cache is True else cache or None
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
        # from the cache. YAML spells the key many ways ("original":, original :, an escape in quotes): the bytes
        # rule out most, and a notice whose check found an original is never kept.
        cacheable = cache is not None and b"original" not in raw
        checked = cache.get(rel, raw) if cacheable else None
        if checked is None:
            checked = inspect_notice(display, rel, raw, registry, today, docs_dir)
            if cacheable and not _keeps_original(checked):
                cache.put(rel, raw, checked)
        out.append(checked)
    return out


def _keeps_original(checked: Checked) -> bool:
    return checked.notice is not None and checked.notice.original is not None


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
    links: dict[str, tuple[tuple[int, str], ...]] = {}
    for one in checked:
        archive.problems.extend(one.problems)
        if one.links and one.notice is not None:
            links[one.notice.src_uri] = one.links
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
    unrecorded, archive.attachments = unrecorded_attachments(archive.notices, archive.attachments, archive.problems,
                                                             display_root)
    archive.problems.extend(unrecorded)
    broken, archive.notices, archive.attachments = refuse_broken_links(links, archive.notices, archive.attachments,
                                                                       archive.registry, display_root)
    archive.problems.extend(broken)
    replacements = resolve_replacements(archive.notices, display_root)
    archive.problems.extend(replacements.problems)
    archive.replaces, archive.replaced_by = replacements.replaces, replacements.replaced_by
    archive.replaces_unknown = replacements.unknown
    if only is not None:
        archive.problems = only_problems(archive.problems, only, display_root)
    archive.problems = sort_problems(archive.problems)
    archive.notices.sort(key=lambda n: n.url)
    return archive


def only_problems(problems: list[Problem], only: list[str], display_root: str = "notices") -> list[Problem]:
    """The problems of the given files, and always those of the registries (notices/_registry/…)."""
    wanted = set(only)
    return [p for p in problems if p.path in wanted or p.path.startswith(f"{display_root}/{REGISTRY_DIR}/")]
