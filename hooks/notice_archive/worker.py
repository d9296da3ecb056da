"""The build's second process. A site build is one Python process on one core; this puts the other core to work.

While the engine starts up, each process reads and checks part of the notices and the parts are exchanged, so both
hold the same archive. The engine then renders pages while the worker computes what the engine will need from it
(per-page results in the engine's page order, then one prepared result) and writes, straight into the site, every
file that is a pure function of the archive: the open data, the search index and the feeds (tasks that the engine,
done with its pages, takes over when the worker has not started them). Where processes cannot be forked, the same
work runs in this process. No MkDocs here.

    job = BuildJob(docs_dir, today, outputs)                   # forks and reads its part of the notices
    job.archive                                                # the whole archive, identical to load_archive's
    job.page(key)                                              # one page's result if ready (None: compute it)
    job.prepared()                                             # the prepared result
    job.start_writing(site_dir)                                # once the engine has emptied the site folder
    report = job.finish(site_dir)                              # after the pages: helps, then waits
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import json
import multiprocessing
import os
import pickle
import shutil
import signal
import tempfile
import time
import traceback
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol

from .registry import load_registry
from .validate import Archive, Checked, archive_paths, assemble, inspect_paths

REPORT, ERROR, PREPARED = "report.json", "error.txt", "prepared.pkl"
PAGE_BATCH = 100  # page results per file
POLL = 0.02  # seconds between looks for the worker's prepared result


class Outputs(Protocol):
    """What is a pure function of the archive: something the engine will need (prepared first), and files."""

    owned: tuple[str, ...]  # top-level folders written whole: an earlier copy in the site is replaced

    def pages(self, archive: Archive) -> Iterator[tuple[str, Callable[[], Any]]]:
        """Per-page results (a key, and how to compute its result), computed by the worker first, in the engine's
        page order, and handed over in batches by ``BuildJob.page``. The engine computes a page's result itself when
        the worker has not got there yet: so the worker skips the pages the engine has passed."""

    def prepare(self, archive: Archive) -> Any:
        """Computed by the worker next, handed to the engine (pickled) by ``BuildJob.prepared``."""

    def tasks(self, archive: Archive, site_dir: Path) -> list[Callable[[], dict]]:
        """Writing the files into the site, as tasks that either process can run: each writes its own files
        (replacing any folder of ``owned`` it writes) and returns figures for the build log, with "files" (how
        many). The worker takes them in this order; the engine, done with its pages, takes those the worker has
        not started (``BuildJob.finish``)."""


_NOTHING = object()


@dataclass(frozen=True)
class WorkerReport:
    files: int
    seconds: float  # spent writing them (on the other core when forked)
    waited: float  # how long the engine, done with its pages, then waited for the worker
    figures: dict  # what the outputs reported (search index size, …)
    ahead: float = 0.0  # spent before writing, on what the engine needs from it (notice pages, index pages)
    engine_tasks: int = 0  # writing tasks the engine ran itself, the worker not having started them
    engine_seconds: float = 0.0


class BuildJob:
    _running: ClassVar[weakref.WeakSet[BuildJob]] = weakref.WeakSet()  # this process's jobs not yet finished

    def __init__(self, docs_dir: str, today: dt.date | None, outputs: Outputs, staging_parent: str | None = None,
                 display_root: str = "notices"):
        self.outputs = outputs
        self.staging = Path(tempfile.mkdtemp(prefix="notice-archive-", dir=staging_parent))  # parts, report, error
        self._holder: list[multiprocessing.process.BaseProcess | None] = [None]
        # A build that stops half way (an exception in the engine) leaves neither the worker nor its folder behind.
        self._cleanup = weakref.finalize(self, _cleanup, self._holder, str(self.staging))
        BuildJob._running.add(self)
        self.writing = False
        self._prepared: Any = _NOTHING
        self._pages: dict[str, Any] = {}  # loaded page results not yet asked for
        self._batches_loaded = 0
        today = today or dt.date.today()  # one day for both processes, even across midnight
        registry, registry_problems = load_registry(docs_dir, display_root)
        paths = archive_paths(docs_dir)  # notices, and every other file of notices/: each judged (archive_files)
        cut = len(paths) // 2  # both wait for the whole archive before going on: even halves are quickest

        def read(part: list[str]) -> list[Checked]:
            return inspect_paths(docs_dir, part, registry, today, display_root)

        self.process: multiprocessing.process.BaseProcess | None = None
        if "fork" not in multiprocessing.get_all_start_methods():
            checked = read(paths)
        else:
            ctx = multiprocessing.get_context("fork")
            self.conn, child_conn = ctx.Pipe()
            self._progress = ctx.RawValue("q", 0)  # how many pages the engine has asked for (shared memory)
            # fork: the child shares everything read so far; nothing but the two parts is ever pickled.
            self.process = ctx.Process(target=_child, daemon=True, args=(
                child_conn, self.staging, self._progress, lambda: read(paths[cut:]),
                lambda checked: assemble(registry, registry_problems, checked, display_root), outputs))
            self.process.start()
            self._holder[0] = self.process
            child_conn.close()
            try:
                first = read(paths[:cut])
                _dump(self.staging / "part-0.pkl", first)
                self.conn.send("ok")
                if self.conn.recv() != "ok":
                    raise RuntimeError(self._child_error())
                checked = first + _load(self.staging / "part-1.pkl")
            except (EOFError, BrokenPipeError, ConnectionResetError) as exc:  # the pipe broke: the worker died
                self.process.join()
                message = self._child_error()
                self._cleanup()
                raise RuntimeError(message) from exc
            except BaseException:  # this side failed (a file gone, a full disk, Ctrl-C): stop the worker too
                self._cleanup()
                raise
        self.archive = assemble(registry, registry_problems, checked, display_root)

    @classmethod
    def cancel_running(cls) -> None:
        """Stop every job of this process not yet finished (a build that failed, or a new one under mkdocs serve)."""
        for job in list(cls._running):
            job.cancel()

    def page(self, key: str) -> Any | None:
        """The worker's result for one page (``Outputs.pages``) if it is ready, or None: the engine then computes
        it itself rather than wait (so neither process waits for the other, whichever is ahead). Ask in the
        engine's page order: the worker follows that count. Each result is handed over once."""
        if self.process is None or self.archive.errors:  # (with errors the worker stops after reading)
            return None
        self._progress.value += 1
        while (batch := self.staging / f"pages-{self._batches_loaded}.pkl").exists():  # published whole
            self._pages.update(_load(batch))
            batch.unlink()
            self._batches_loaded += 1
        return self._pages.pop(key, None)

    def prepared(self) -> Any:
        """The outputs' prepared result, for the whole archive (the worker's copy, or computed here without one)."""
        if self._prepared is not _NOTHING:
            return self._prepared
        if self.process is None or self.archive.errors:  # (with errors the worker stops after reading)
            self._prepared = self.outputs.prepare(self.archive)
            return self._prepared
        self._prepared = _load(self._await(self.staging / PREPARED))  # usually long done when the engine asks
        return self._prepared

    def _await(self, path: Path) -> Path:
        """The file, once the worker has published it; its error if it stops first."""
        assert self.process is not None
        while True:
            alive = self.process.is_alive()  # asked first: a file published just before it stopped is still found
            if path.exists():
                return path
            if not alive:
                self.process.join()
                raise RuntimeError(self._child_error())
            time.sleep(POLL)

    def start_writing(self, site_dir: str | Path) -> None:
        """Let the worker write into the site (the engine empties that folder after reading its configuration)."""
        if self.process is not None and not self.writing:
            with contextlib.suppress(OSError):  # the worker has already stopped: no files, or an error (finish)
                self.conn.send(("go", str(site_dir)))
        self.writing = True

    def finish(self, site_dir: str | Path) -> WorkerReport | None:
        """Help with the files the worker has not started writing, then wait for the rest. None when the archive
        has errors (the build fails and nothing is published from it)."""
        self.start_writing(site_dir)
        start = time.perf_counter()
        try:
            taken, taken_seconds, figures = 0, 0.0, {}
            if self.process is None:
                if not self.archive.errors:
                    _write(self.staging, Path(site_dir), self.archive, self.outputs)
            else:
                if not self.archive.errors:  # (with errors the worker stops after reading: nothing is written)
                    # The engine is done with its pages: once the worker is writing, it runs the tasks the worker
                    # has not started, from the last (the first is always the worker's), while the worker goes on
                    # from the first.
                    tasks = self.outputs.tasks(self.archive, Path(site_dir))
                    if tasks:
                        self._await(self.staging / "task-0")
                    ran = time.perf_counter()
                    for task in _claimed(self.staging, tasks, reverse=True):
                        if self.process.exitcode not in (None, 0):  # the worker failed: its error, not more work
                            raise RuntimeError(self._child_error())
                        merge_figures(figures, task())
                        taken += 1
                    taken_seconds = time.perf_counter() - ran
                self.process.join()
                if self.process.exitcode != 0:
                    raise RuntimeError(self._child_error())
            waited = time.perf_counter() - start - taken_seconds
            report = self.staging / REPORT
            if not report.exists():
                if self.archive.errors:
                    return None  # nothing is published from an archive with errors
                raise RuntimeError(self._child_error())
            data = json.loads(report.read_text(encoding="utf-8"))
            merge_figures(figures, {**data["figures"], "files": data["files"]})
            files = figures.pop("files")
            return WorkerReport(files, data["seconds"], round(waited, 2), figures, data["ahead"], taken,
                                round(taken_seconds, 2))
        finally:
            self.cancel()

    def cancel(self) -> None:
        self._cleanup()
        BuildJob._running.discard(self)

    def _child_error(self) -> str:
        error = self.staging / ERROR
        detail = error.read_text(encoding="utf-8") if error.exists() else f"mã {getattr(self.process, 'exitcode', '?')}"
        return f"tiến trình phụ của bản dựng thất bại: {detail}"


def _cleanup(holder: list, staging: str) -> None:
    process = holder[0]
    if process is not None and process.is_alive():
        process.kill()
        process.join()
    shutil.rmtree(staging, ignore_errors=True)


def _child(conn, staging: Path, progress, read_mine: Callable[[], list[Checked]],
           assemble_all: Callable[[list[Checked]], Archive], outputs: Outputs) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the engine's to handle: it stops this process
    try:
        mine = read_mine()
        _dump(staging / "part-1.pkl", mine)
        conn.send("ok")
        if _receive(conn) != "ok":
            return
        archive = assemble_all(_load(staging / "part-0.pkl") + mine)
        if archive.errors:
            return
        start = time.perf_counter()
        _hand_over_pages(staging, progress, outputs.pages(archive))
        _publish(staging / PREPARED, outputs.prepare(archive))
        ahead = time.perf_counter() - start
        message = _receive(conn)  # ("go", site_dir): the engine has emptied the site folder
        if message is None:
            return
        _write(staging, Path(message[1]), archive, outputs, ahead)
    except BaseException:
        with contextlib.suppress(OSError):
            (staging / ERROR).write_text(traceback.format_exc(), encoding="utf-8")
        with contextlib.suppress(OSError):
            conn.send("error")
        raise


def _hand_over_pages(staging: Path, progress, pages: Iterator[tuple[str, Callable[[], Any]]]) -> None:
    """Compute the page results the engine has not reached, and publish them in batches (pages-0.pkl, …)."""
    pending: list[tuple[int, str, Any]] = []
    batches = 0

    def publish() -> None:
        nonlocal batches
        passed = progress.value
        kept = {key: result for i, key, result in pending if i >= passed}  # the engine made the others itself
        pending.clear()
        if kept:
            _publish(staging / f"pages-{batches}.pkl", kept)
            batches += 1

    skip_to = 0
    for i, (key, compute) in enumerate(pages):
        if i < progress.value:  # the engine has passed this page: hand over what is ready, then jump ahead of it
            publish()
            skip_to = progress.value + PAGE_BATCH // 2  # about what it renders while a batch is computed
        if i < skip_to:
            continue
        pending.append((i, key, compute()))
        if len(pending) == PAGE_BATCH:
            publish()
    publish()


def _receive(conn) -> Any:
    """The engine's next message, or None when it has gone (a failed build): then there is nothing to write."""
    try:
        return conn.recv()
    except EOFError:
        return None


def _write(staging: Path, site_dir: Path, archive: Archive, outputs: Outputs, ahead: float = 0.0) -> None:
    start = time.perf_counter()
    site_dir.mkdir(parents=True, exist_ok=True)
    figures: dict = {"files": 0}
    for task in _claimed(staging, outputs.tasks(archive, site_dir)):
        merge_figures(figures, task())
    (staging / REPORT).write_text(json.dumps({"seconds": round(time.perf_counter() - start, 2), "ahead": round(ahead, 2),
                                              "files": figures.pop("files"), "figures": figures}),
                                  encoding="utf-8")


def _claimed(staging: Path, tasks: list[Callable[[], dict]], reverse: bool = False) -> Iterator[Callable[[], dict]]:
    """The tasks this process takes, in order (or from the last): each is claimed by creating its file in the staging
    folder, which only one process can do (O_EXCL), so each runs once, in whichever process gets there first."""
    order = range(len(tasks) - 1, -1, -1) if reverse else range(len(tasks))
    for i in order:
        task = tasks[i]
        try:
            os.close(os.open(staging / f"task-{i}", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
        except FileExistsError:
            continue
        yield task


def merge_figures(total: dict, figures: dict) -> dict:
    """Figures of several tasks as one: counts add up (each other figure comes from one task)."""
    for key, value in figures.items():
        total[key] = total.get(key, 0) + value
    return total


def _publish(path: Path, data: Any) -> None:
    """Pickle to a file that appears whole or not at all (the engine may be looking for it)."""
    _dump(path.with_name(path.name + ".tmp"), data)
    os.replace(path.with_name(path.name + ".tmp"), path)


def _dump(path: Path, checked: Any) -> None:
    with open(path, "wb") as fh:
        pickle.dump(checked, fh, protocol=pickle.HIGHEST_PROTOCOL)


def _load(path: Path) -> Any:
    # Tens of thousands of small objects: the cyclic GC would walk them again and again while they are created.
    enabled = gc.isenabled()
    gc.disable()
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    finally:
        if enabled:
            gc.enable()
