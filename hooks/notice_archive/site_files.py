"""The site's files that are pure functions of the archive, written after MkDocs has written its pages: the open
data, the search index and the feeds (with the empty sitemaps Material asks for beside them). No MkDocs here."""

from __future__ import annotations

import ctypes
import json
import multiprocessing
import os
import posixpath
import signal
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from multiprocessing.connection import Connection
from pathlib import Path

from .export import export_files_from, notice_data
from .feeds import feed_files
from .model import Notice
from .notice_cache import digest
from .search_index import OUTPUT as SEARCH_FOLDER
from .search_index import assemble, notice_index
from .site import Site
from .urls import (
    ARCHIVE_PATH,
    SEARCH_PATH,
    all_feed_path,
    department_feed_path,
    notice_json_path,
    project_feed_path,
)

# Material's JavaScript asks for sitemap.xml next to every <link rel="alternate"> of a page (it is meant for the same
# page in other languages): beside the feeds, an empty one (well-formed XML) answers it, where a 404 would send the
# ~20 KB 404 page on every visit. The site's sitemap is /sitemap.xml.
ALTERNATE_SITEMAP = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                     '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n')

OPEN_DATA, FEEDS = ARCHIVE_PATH.split("/")[0], all_feed_path().split("/")[0]
OWNED = (SEARCH_PATH, OPEN_DATA, FEEDS)  # top-level folders these files own: written whole, replacing earlier copies
JOB = "notice-archive-site-files"  # the name of Writing's process: how a build that failed finds it (end_writing)


def write_site_files(site: Site, site_dir: str | Path, site_name: str, site_url: str | None) -> dict:
    """Write the open data, the search index and the feeds into the site; figures for the build log. Each notice's
    share of them is made once per content (Site.part: the per-notice cache), then joined. Run by the background
    job (Writing), in a process of its own: it says what it found by its figures or an exception, never by logging
    (a warning logged there would not reach the build's strict count)."""
    site_dir = Path(site_dir)
    archive, registry = site.archive, site.registry
    by_url = sorted(archive.notices, key=lambda n: n.url)
    address = digest("site_url", site_url or "")  # the open data's links are absolute when the site has an address
    shares = [site.part(n, "open-data", address, partial(notice_data, n, registry, site_url)) for n in by_url]
    files = write_files(site_dir, OPEN_DATA, export_files_from(shares, registry, site_url))
    del shares  # (a quarter of a gigabyte at 10,000 notices: freed before the search index is made)
    entries = [site.part(n, "search", b"", partial(notice_index, n, registry))
               for n in sorted(archive.notices, key=Notice.sort_key)]
    search = {"docs": 0, "files": 0, "bytes": 0}
    files += write_files(site_dir, SEARCH_FOLDER, _counted(assemble(entries, registry), search))
    files += write_files(site_dir, FEEDS, feeds(site, site_name, site_url).items())
    return {"files": files, "search_docs": search["docs"], "search_files": search["files"],
            "search_kb": search["bytes"] // 1024}


@dataclass
class Writing:
    """Writing the site's files (write_site_files): the build's one background job. A build alone in its process
    (`mkdocs build`) starts it once the archive is loaded and MkDocs has emptied the site folder (on_files; with
    --dirty it empties nothing, and the job rewrites only the files that changed, as inline): a second process,
    forked, writes the files while MkDocs renders the pages on the other core, and the build waits for it at the
    end (on_post_build), taking its figures or its error. It dies with the build: a build that fails ends it
    (on_build_error: end_writing), it is a daemon (ended when the build's process exits), and the kernel kills it
    if that process dies (PR_SET_PDEATHSIG). With threads beside the build (the live-reload server of `mkdocs
    serve`), forking is not safe: the files are written in the build's own process, when it waits."""

    process: multiprocessing.process.BaseProcess | None
    result: Connection | None
    inline: Callable[[], dict] | None

    @classmethod
    def start(cls, work: Callable[[], dict], background: bool = True) -> Writing:
        """``work`` (write_site_files with its arguments): forked now if ``background``, the process is alone, may
        have children and the system gives it one; else run by wait()."""
        # Linux only: elsewhere no kernel ends the job with a killed build (PR_SET_PDEATHSIG), and macOS' libraries
        # are not safe to fork.
        if (not background or not sys.platform.startswith("linux") or threading.active_count() > 1
                or multiprocessing.current_process().daemon):  # (a pool's worker: multiprocessing forbids it children)
            return cls(None, None, work)
        result, send = multiprocessing.Pipe(duplex=False)
        # Forked, not spawned: the child has the loaded archive as it is, nothing is pickled to it.
        process = multiprocessing.get_context("fork").Process(target=_write_in_child, args=(work, send, os.getpid()),
                                                              name=JOB, daemon=True)
        try:
            process.start()
        except OSError:  # no second process to be had (EAGAIN: a limit of processes; ENOMEM): written here
            result.close()
            return cls(None, None, work)
        finally:
            send.close()
        return cls(process, result, None)

    def wait(self) -> dict:
        """The figures of write_site_files, once its files are written; its error, raised here."""
        if self.process is None:
            assert self.inline is not None
            return self.inline()
        assert self.result is not None
        try:
            outcome, value = self.result.recv()
        except EOFError:  # it ended without a word (killed)
            outcome, value = "ended", None
        except BaseException:  # the build stops while waiting (Ctrl-C): its job now too, not once its work is done
            self.process.kill()
            raise
        finally:
            self.result.close()
            self.process.join()
        if outcome == "ended":
            value = f"tiến trình ghi tệp dừng giữa chừng ({_ended(self.process.exitcode)})"
        if outcome != "ok":
            raise WritingFailed(f"ghi dữ liệu mở, tìm kiếm và nguồn tin thất bại:\n{value}")
        return value


def end_writing() -> None:
    """End this process's job, if it still runs: the build failed before waiting for it. MkDocs gives that event
    (on_build_error) the error alone, not the config that holds the Writing; and a caller of MkDocs' build() that
    goes on (another build into the same folder) would find the job still writing there, until the process exits."""
    for process in multiprocessing.active_children():
        if process.name == JOB:
            process.kill()
            process.join()


def _ended(code: int | None) -> str:
    """How a process ended, for the build log: a negative exit code is the signal that killed it, said by name."""
    if code is None or code >= 0:
        return f"mã thoát {code}"
    name = signal.Signals(-code).name if -code in signal.valid_signals() else f"tín hiệu {-code}"
    hint = ", thường do hệ thống hết bộ nhớ" if -code == signal.SIGKILL else ""
    return f"mã thoát {code}: bị dừng bởi {name}{hint}"


class WritingFailed(Exception):
    """The second process that wrote the site's files failed: its traceback, or how it ended."""


def _write_in_child(work: Callable[[], dict], send: Connection, build: int) -> None:
    ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1: killed with the build
    if os.getppid() != build:  # (it died before the line above)
        os._exit(1)
    try:
        send.send(("ok", work()))
    except BaseException:  # noqa: BLE001 - the build's process raises it
        send.send(("error", traceback.format_exc()))
    finally:
        send.close()


def _counted(index: Iterable[tuple[str, bytes]], figures: dict) -> Iterator[tuple[str, bytes]]:
    """The search index's files as they are made (each one written, then freed), counted into ``figures``."""
    for rel, data in index:
        figures["files"] += 1
        figures["bytes"] += len(data)
        if rel == "manifest.json":
            figures["docs"] = json.loads(data)["docs"]
        yield f"{SEARCH_FOLDER}/{rel}", data


def feeds(site: Site, site_name: str, site_url: str | None) -> dict[str, str]:
    """The Atom and iCalendar feeds, and an empty sitemap in each folder that pages name in <link rel="alternate">."""
    archive = site.archive
    files = feed_files(site.env, archive.notices, site.groups, archive.registry, site_name, site_url)
    linked = [all_feed_path(), *map(department_feed_path, archive.registry.departments),
              *map(project_feed_path, archive.registry.projects)]
    for folder in sorted({posixpath.dirname(path) for path in linked}):
        files.setdefault(f"{folder}/sitemap.xml", ALTERNATE_SITEMAP)  # (a feed of that name stays a feed)
    return files


def clashes(site: Site, dest_uris: Iterable[str]) -> set[str]:
    """The files of the site's source (by destination) that these files would overwrite."""
    notice_json = {notice_json_path(n.url) for n in site.archive.notices}
    return {uri for uri in dest_uris if uri.split("/")[0] in OWNED or uri in notice_json}


def write_files(site_dir: Path, owned: str, files: Iterable[tuple[str, str | bytes | Iterable[bytes]]]) -> int:
    """Write files (paths relative to the site); a file whose bytes are there already is left alone (a preview's
    dirty rebuild rewrites what changed), and any other file in the folder ``owned`` is removed: a rebuild leaves
    no stale file behind. A file given as pieces (bytes one after the other: the open data's files that hold every
    notice) is written piece by piece, never held whole. How many files there are."""
    folders: set[Path] = set()
    kept: set[Path] = set()
    for rel, data in files:
        path = site_dir / rel
        kept.add(path)
        content = data.encode("utf-8") if isinstance(data, str) else data
        if isinstance(content, bytes) and _holds(path, content):
            continue
        if path.parent not in folders:
            if not path.parent.is_dir():  # (most exist: each notice's folder holds its page; a mkdir that finds one
                path.parent.mkdir(parents=True, exist_ok=True)  # there cost a third of a millisecond here)
            folders.add(path.parent)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            with open(path, "wb") as fh:
                fh.writelines(content)
    for path in sorted((site_dir / owned).rglob("*"), reverse=True):
        if path.is_dir():
            if not any(path.iterdir()):
                path.rmdir()
        elif path not in kept:
            path.unlink()
    return len(kept)


def _holds(path: Path, content: bytes) -> bool:
    """Whether the file is there with these bytes (a size that differs settles it without reading)."""
    try:
        return path.stat().st_size == len(content) and path.read_bytes() == content
    except OSError:
        return False
