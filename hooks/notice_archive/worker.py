"""The build's second process. A site build is one Python process on one core; this puts the other core to work.

While the engine starts up, each process reads and checks part of the notices and the parts are exchanged, so both
hold the same archive. The engine then renders pages while the worker writes, straight into the site, every file that
is a pure function of the archive: the search index, the open data and the feeds. Where processes cannot be forked,
the same work runs in this process, in ``finish``. No MkDocs here.

    job = BuildJob(docs_dir, today, outputs, staging_parent)   # forks and reads its part of the notices
    job.archive                                                # the whole archive, identical to load_archive's
    job.start_writing(site_dir)                                # once the engine has emptied the site folder
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
from typing import Any, Protocol

from .registry import load_registry
from .validate import Archive, Checked, assemble, inspect_paths, notice_paths

# The engine's share of the reading. Both wait for the whole archive before going on, so even halves are quickest.
ENGINE_SHARE = 0.5
REPORT, ERROR, PREPARED = "report.json", "error.txt", "prepared.pkl"
POLL = 0.05  # seconds between looks for the worker's prepared result


class Outputs(Protocol):
    """What is a pure function of the archive: something the engine will need (prepared first), and files."""

    owned: tuple[str, ...]  # top-level folders written whole: an earlier copy in the site is replaced

    def prepare(self, archive: Archive) -> Any:
        """Computed by the worker first, handed to the engine (pickled) by ``BuildJob.prepared``."""

    def write(self, archive: Archive, site_dir: Path) -> dict:
        """Write the files into the site; return figures for the build log, with "files" (how many)."""


_NOTHING = object()


@dataclass(frozen=True)
class WorkerReport:
    files: int
    seconds: float  # spent writing them (on the other core when forked)
    waited: float  # how long the engine, done with its pages, then waited for the worker
    figures: dict  # what the outputs reported (search index size, …)


class BuildJob:
    def __init__(self, docs_dir: str, today, outputs: Outputs, staging_parent: str | None = None,
                 display_root: str = "notices", engine_share: float = ENGINE_SHARE):
        self.outputs = outputs
        self.staging = Path(_mkdtemp(staging_parent))  # the exchanged parts, the worker's report or error
        self.writing = False
        self._prepared: Any = _NOTHING
        registry, registry_problems = load_registry(docs_dir, display_root)
        paths = notice_paths(docs_dir)
        cut = round(len(paths) * engine_share)

        def read(part: list[str]) -> list[Checked]:
            return inspect_paths(docs_dir, part, registry, today, display_root)

        self.process: multiprocessing.process.BaseProcess | None = None
        if "fork" not in multiprocessing.get_all_start_methods():
            checked = read(paths)
        else:
            ctx = multiprocessing.get_context("fork")
            self.conn, child_conn = ctx.Pipe()
            # fork: the child shares everything read so far; nothing but the two parts is ever pickled.
            self.process = ctx.Process(target=_child, daemon=True, args=(
                child_conn, self.staging, lambda: read(paths[cut:]),
                lambda checked: assemble(registry, registry_problems, checked, display_root), outputs))
            self.process.start()
            child_conn.close()
        # A build that stops half way (an exception in the engine) leaves neither the worker nor its folder behind.
        self._cleanup = weakref.finalize(self, _cleanup, self.process, str(self.staging))
        if self.process is not None:
            try:
                first = read(paths[:cut])
                _dump(self.staging / "part-0.pkl", first)
                self.conn.send("ok")
                if self.conn.recv() != "ok":
                    raise RuntimeError(self._child_error())
                checked = first + _load(self.staging / "part-1.pkl")
            except (EOFError, OSError) as exc:  # the worker died
                self.process.join()
                message = self._child_error()
                self._cleanup()
                raise RuntimeError(message) from exc
            except BaseException:
                self._cleanup()
                raise
        self.archive = assemble(registry, registry_problems, checked, display_root)

    def prepared(self) -> Any:
        """The outputs' prepared result, for the whole archive (the worker's copy, or computed here without one)."""
        if self._prepared is not _NOTHING:
            return self._prepared
        if self.process is None or self.archive.errors:  # (with errors the worker stops after reading)
            self._prepared = self.outputs.prepare(self.archive)
            return self._prepared
        path = self.staging / PREPARED
        while not path.exists():  # the worker prepares it first: usually long done when the engine asks
            if not self.process.is_alive():
                if path.exists():
                    break
                self.process.join()
                raise RuntimeError(self._child_error())
            time.sleep(POLL)
        self._prepared = _load(path)
        return self._prepared

    def start_writing(self, site_dir: str | Path) -> None:
        """Let the worker write into the site (the engine empties that folder after reading its configuration)."""
        if self.process is not None and not self.writing:
            with contextlib.suppress(OSError):  # the worker has already stopped: no files, or an error (finish)
                self.conn.send(("go", str(site_dir)))
        self.writing = True

    def finish(self, site_dir: str | Path) -> WorkerReport | None:
        """Wait for the worker's files. None when the archive has errors (the build fails and nothing is published
        from it)."""
        self.start_writing(site_dir)
        start = time.perf_counter()
        try:
            if self.process is None:
                if not self.archive.errors:
                    _write(self.staging, Path(site_dir), self.archive, self.outputs)
            else:
                self.process.join()
                if self.process.exitcode != 0:
                    raise RuntimeError(self._child_error())
            waited = time.perf_counter() - start
            report = self.staging / REPORT
            if not report.exists():
                return None
            data = json.loads(report.read_text(encoding="utf-8"))
            return WorkerReport(data["files"], data["seconds"], round(waited, 2), data["figures"])
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


def _child(conn, staging: Path, read_mine: Callable[[], list[Checked]],
           assemble_all: Callable[[list[Checked]], Archive], outputs: Outputs) -> None:
    try:
        mine = read_mine()
        _dump(staging / "part-1.pkl", mine)
        conn.send("ok")
        if conn.recv() != "ok":
            return
        archive = assemble_all(_load(staging / "part-0.pkl") + mine)
        if archive.errors:
            return
        _dump(staging / (PREPARED + ".tmp"), outputs.prepare(archive))
        os.replace(staging / (PREPARED + ".tmp"), staging / PREPARED)  # whole or absent
        message = conn.recv()  # ("go", site_dir): the engine has emptied the site folder
        _write(staging, Path(message[1]), archive, outputs)
    except EOFError:
        return  # the engine stopped (a failed build): nothing to write
    except BaseException:
        (staging / ERROR).write_text(traceback.format_exc(), encoding="utf-8")
        with contextlib.suppress(OSError):
            conn.send("error")
        raise


def _write(staging: Path, site_dir: Path, archive: Archive, outputs: Outputs) -> None:
    start = time.perf_counter()
    for name in outputs.owned:  # written whole: a rebuild (mkdocs serve) leaves no stale file behind
        shutil.rmtree(site_dir / name, ignore_errors=True)
    site_dir.mkdir(parents=True, exist_ok=True)
    figures = outputs.write(archive, site_dir)
    (staging / REPORT).write_text(json.dumps({"seconds": round(time.perf_counter() - start, 2),
                                              "files": figures.pop("files"), "figures": figures}),
                                  encoding="utf-8")


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


def _mkdtemp(parent: str | None) -> str:
    """A staging folder beside the site when possible, so its files are moved into the site, not copied."""
    if parent:
        try:
            os.makedirs(parent, exist_ok=True)
            return tempfile.mkdtemp(prefix=".notice-archive-", dir=parent)
        except OSError:
            pass
    return tempfile.mkdtemp(prefix="notice-archive-")
