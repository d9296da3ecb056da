"""The build's second process. A site build is one Python process on one core; this puts the other core to work.

While the engine starts up, each process reads and checks half of the notices and the halves are exchanged, so both
hold the same archive. The engine then renders pages while the worker writes every file that is a pure function of
the archive: the search index, the open data and the feeds. ``finish`` waits for it and moves those files into the
built site. Where processes cannot be forked, the same work runs in this process, in ``finish``. No MkDocs here.

    job = BuildJob(docs_dir, today, outputs, staging_parent)   # forks and reads half the notices
    job.archive                                                # the whole archive, identical to load_archive's
    report = job.finish(site_dir)                              # after the pages are written
"""

from __future__ import annotations

import contextlib
import gc
import json
import multiprocessing
import os
import pickle
import shutil
import tempfile
import time
import traceback
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from .registry import load_registry
from .validate import Archive, Checked, assemble, inspect_paths, notice_paths


class Outputs(Protocol):
    """Files that are a pure function of the archive."""

    owned: tuple[str, ...]  # top-level folders written whole: an earlier copy in the site is replaced

    def write(self, archive: Archive, out: Path) -> dict:
        """Write the files under ``out`` (paths as in the site); return figures for the build log."""

OUT, REPORT, ERROR = "out", "report.json", "error.txt"


@dataclass(frozen=True)
class WorkerReport:
    files: int
    seconds: float  # spent writing them (on the other core when forked)
    waited: float  # how long the engine, done with its pages, then waited for the worker
    figures: dict  # what the outputs reported (search index size, …)


class BuildJob:
    def __init__(self, docs_dir: str, today, outputs: Outputs, staging_parent: str | None = None,
                 display_root: str = "notices"):
        self.outputs = outputs
        self.staging = Path(_mkdtemp(staging_parent))
        registry, registry_problems = load_registry(docs_dir, display_root)
        paths = notice_paths(docs_dir)
        mid = len(paths) // 2

        def read(part: list[str]) -> list[Checked]:
            return inspect_paths(docs_dir, part, registry, today, display_root)

        self.process: multiprocessing.process.BaseProcess | None = None
        if "fork" not in multiprocessing.get_all_start_methods():
            checked = read(paths)
        else:
            ctx = multiprocessing.get_context("fork")
            conn, child_conn = ctx.Pipe()
            # fork: the child shares everything read so far; nothing but the two halves is ever pickled.
            self.process = ctx.Process(target=_child, daemon=True, args=(
                child_conn, self.staging, lambda: read(paths[mid:]),
                lambda checked: assemble(registry, registry_problems, checked, display_root), outputs))
            self.process.start()
            child_conn.close()
        # A build that stops half way (an exception in the engine) leaves neither the worker nor its folder behind.
        self._cleanup = weakref.finalize(self, _cleanup, self.process, str(self.staging))
        if self.process is not None:
            try:
                first = read(paths[:mid])
                _dump(self.staging / "half-0.pkl", first)
                conn.send("ok")
                if conn.recv() != "ok":
                    raise RuntimeError(self._child_error())
                checked = first + _load(self.staging / "half-1.pkl")
            except (EOFError, OSError) as exc:  # the worker died
                self.process.join()
                message = self._child_error()
                self._cleanup()
                raise RuntimeError(message) from exc
            except BaseException:
                self._cleanup()
                raise
        self.archive = assemble(registry, registry_problems, checked, display_root)

    def finish(self, site_dir: str | Path) -> WorkerReport | None:
        """Wait for the worker, then move its files into the site. None when the archive has errors (the build
        fails and nothing is published from it)."""
        start = time.perf_counter()
        try:
            if self.process is None:
                if not self.archive.errors:
                    _write(self.staging, self.archive, self.outputs)
            else:
                self.process.join()
                if self.process.exitcode != 0:
                    raise RuntimeError(self._child_error())
            waited = time.perf_counter() - start
            report = self.staging / OUT / REPORT
            if not report.exists():
                return None
            data = json.loads(report.read_text(encoding="utf-8"))
            report.unlink()
            files = _move_tree(self.staging / OUT, Path(site_dir), self.outputs.owned)
            return WorkerReport(files, data["seconds"], round(waited, 2), data["figures"])
        finally:
            self._cleanup()

    def cancel(self) -> None:
        self._cleanup()

    def _child_error(self) -> str:
        error = self.staging / ERROR
        detail = error.read_text(encoding="utf-8") if error.exists() else f"mã {getattr(self.process, 'exitcode', '?')}"
        return f"tiến trình phụ của bản dựng thất bại: {detail}"


def _cleanup(process: multiprocessing.process.BaseProcess | None, staging: str) -> None:
    if process is not None and process.is_alive():
        process.kill()
        process.join()
    shutil.rmtree(staging, ignore_errors=True)


def _child(conn, staging: Path, read_second: Callable[[], list[Checked]],
           assemble_all: Callable[[list[Checked]], Archive], outputs: Outputs) -> None:
    try:
        second = read_second()
        _dump(staging / "half-1.pkl", second)
        conn.send("ok")
        if conn.recv() != "ok":
            return
        archive = assemble_all(_load(staging / "half-0.pkl") + second)
        if not archive.errors:
            _write(staging, archive, outputs)
    except BaseException:
        (staging / ERROR).write_text(traceback.format_exc(), encoding="utf-8")
        with contextlib.suppress(OSError):
            conn.send("error")
        raise


def _write(staging: Path, archive: Archive, outputs: Outputs) -> None:
    start = time.perf_counter()
    out = staging / OUT
    figures = outputs.write(archive, out)
    (out / REPORT).write_text(json.dumps({"seconds": round(time.perf_counter() - start, 2), "figures": figures}),
                              encoding="utf-8")


def _dump(path: Path, checked: list[Checked]) -> None:
    with open(path, "wb") as fh:
        pickle.dump(checked, fh, protocol=pickle.HIGHEST_PROTOCOL)


def _load(path: Path) -> list[Checked]:
    # Tens of thousands of small objects: the cyclic GC would walk them again and again while they are created.
    enabled = gc.isenabled()
    gc.disable()
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    finally:
        if enabled:
            gc.enable()


def _mkdtemp(parent: str | None) -> str:
    """A staging folder beside the site when possible, so its files are moved into the site, not copied."""
    if parent:
        try:
            os.makedirs(parent, exist_ok=True)
            return tempfile.mkdtemp(prefix=".notice-archive-", dir=parent)
        except OSError:
            pass
    return tempfile.mkdtemp(prefix="notice-archive-")


def _move_tree(src: Path, dest: Path, owned: tuple[str, ...]) -> int:
    """Move every file of src to the same place under dest; the owned folders replace any earlier copy, so a
    rebuild (mkdocs serve) leaves no stale file behind."""
    for name in owned:
        shutil.rmtree(dest / name, ignore_errors=True)
    count = 0
    for root, _dirs, files in os.walk(src):
        target = dest / os.path.relpath(root, src)
        target.mkdir(parents=True, exist_ok=True)
        for name in files:
            shutil.move(os.path.join(root, name), target / name)  # a rename on the same file system
            count += 1
    return count
