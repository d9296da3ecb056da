"""The build's second process (worker.BuildJob): half the reading there, then the files that are pure functions of
the archive. What it gives must be exactly what one process gives."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from functools import partial
from pathlib import Path

import pytest
from conftest import ROOT, minimal_notice

from notice_archive.outputs import SiteOutputs
from notice_archive.validate import Archive, load_archive
from notice_archive.worker import BuildJob


class ListUrls:
    """Outputs for the tests: the archive's URLs, and which process wrote them."""

    owned = ("danh-sach",)

    def pages(self, archive: Archive):
        for i, n in enumerate(archive.notices):
            yield n.url, partial(lambda i: (i, os.getpid()), i)

    def prepare(self, archive: Archive) -> dict:
        return {"urls": [n.url for n in archive.notices], "pid": os.getpid()}

    def tasks(self, archive: Archive, site_dir: Path) -> list:
        return [partial(self.write_urls, archive, site_dir)]

    def write_urls(self, archive: Archive, site_dir: Path) -> dict:
        shutil.rmtree(site_dir / "danh-sach", ignore_errors=True)  # a task replaces the folder it owns
        (site_dir / "danh-sach").mkdir(parents=True)
        (site_dir / "danh-sach" / "urls.json").write_text(json.dumps([n.url for n in archive.notices]),
                                                          encoding="utf-8")
        return {"notices": len(archive.notices), "files": 1}


class Fails(ListUrls):
    def write_urls(self, archive: Archive, site_dir: Path) -> dict:
        raise ValueError("hỏng có chủ ý")


class FailsQuietly(ListUrls):
    def write_urls(self, archive: Archive, site_dir: Path) -> dict:
        raise EOFError("một tệp bị cắt cụt")  # the error a broken pipe gives: must not pass for "nothing to do"


class ThreeTasks(ListUrls):
    """The worker's first task lasts until the other two are done: the engine, done with its pages, runs them."""

    def tasks(self, archive: Archive, site_dir: Path) -> list:
        return [partial(self.task, site_dir, i) for i in range(3)]

    def task(self, site_dir: Path, i: int) -> dict:
        folder = site_dir / "viec"
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / f"{i}.txt", "a", encoding="utf-8") as fh:  # appended: a task run twice shows twice
            fh.write(f"{os.getpid()}\n")
        deadline = time.monotonic() + 20
        while i == 0 and len(list(folder.iterdir())) < 3 and time.monotonic() < deadline:
            time.sleep(0.01)
        return {"files": 1, f"task_{i}": 1}


def archive_of(tiny_archive, n: int, broken: int | None = None) -> Path:
    files = {f"ubnd-tp-lang-son/2021/tb-{k}.md": minimal_notice(number=f"{k:02d}/TB-UBND", date="2021-03-02",
                                                                meeting="2021-03-01") for k in range(1, n + 1)}
    if broken is not None:
        files[f"ubnd-tp-lang-son/2021/tb-{broken}.md"] = minimal_notice(number=f"{broken:02d}/TB-UBND", date="2021-13-02")
    return tiny_archive(files) / "notices"


def summary(archive: Archive) -> tuple:
    return ([(n.url, n.anchors, n.title) for n in archive.notices], [p.format() for p in archive.problems])


def test_the_split_reading_gives_the_archive_one_process_gives(tiny_archive, tmp_path):
    docs = archive_of(tiny_archive, 7)
    job = BuildJob(str(docs), None, ListUrls(), staging_parent=str(tmp_path))
    assert job.process is not None  # forked: Linux reads half the notices on the other core
    assert summary(job.archive) == summary(load_archive(str(docs)))
    assert len(job.archive.notices) == 8  # the seed and seven more
    prepared = job.prepared()
    assert prepared["urls"] == [n.url for n in job.archive.notices] and prepared["pid"] != os.getpid()
    site = tmp_path / "site"
    (site / "danh-sach").mkdir(parents=True)
    (site / "danh-sach" / "cu.json").write_text("[]", encoding="utf-8")  # from an earlier build: goes
    job.start_writing(site)  # the engine has emptied the site folder: the worker writes straight into it
    report = job.finish(site)
    assert report is not None and report.files == 1 and report.figures == {"notices": 8}
    assert json.loads((site / "danh-sach" / "urls.json").read_text()) == [n.url for n in job.archive.notices]
    assert not (site / "danh-sach" / "cu.json").exists()
    assert not job.staging.exists() and not [p for p in tmp_path.iterdir() if p.name.startswith("notice-archive")]


def test_the_engine_runs_the_writing_tasks_the_worker_has_not_started(tiny_archive, tmp_path):
    job = BuildJob(str(archive_of(tiny_archive, 2)), None, ThreeTasks(), staging_parent=str(tmp_path))
    site = tmp_path / "site"
    report = job.finish(site)  # the worker is on its first task: the engine takes the other two
    runs = {p.name: p.read_text(encoding="utf-8").split() for p in (site / "viec").iterdir()}
    assert runs["0.txt"] != [str(os.getpid())] and len(runs["0.txt"]) == 1  # the first task is always the worker's
    assert runs["1.txt"] == runs["2.txt"] == [str(os.getpid())]  # each task once, here
    assert report is not None and report.engine_tasks == 2 and report.files == 3
    assert report.figures == {"task_0": 1, "task_1": 1, "task_2": 1}


class NoFiles(ListUrls):
    def tasks(self, archive: Archive, site_dir: Path) -> list:
        return []


def test_outputs_without_files_finish_without_waiting_for_a_first_task(tiny_archive, tmp_path):
    job = BuildJob(str(archive_of(tiny_archive, 2)), None, NoFiles(), staging_parent=str(tmp_path))
    report = job.finish(tmp_path / "site")
    assert report is not None and report.files == 0 and report.engine_tasks == 0 and report.figures == {}


def test_with_errors_the_same_problems_are_found_and_nothing_is_written(tiny_archive, tmp_path):
    docs = archive_of(tiny_archive, 4, broken=3)
    job = BuildJob(str(docs), None, ListUrls(), staging_parent=str(tmp_path))
    assert job.archive.errors and summary(job.archive) == summary(load_archive(str(docs)))
    assert job.prepared()["pid"] == os.getpid()  # the worker stopped after reading: prepared here
    assert job.finish(tmp_path / "site") is None
    assert not (tmp_path / "site" / "danh-sach").exists()


def test_a_failing_worker_fails_the_build_with_the_reason(tiny_archive, tmp_path):
    job = BuildJob(str(archive_of(tiny_archive, 2)), None, Fails(), staging_parent=str(tmp_path))
    with pytest.raises(RuntimeError, match="(?s)tiến trình phụ của bản dựng thất bại: Traceback.*hỏng có chủ ý"):
        job.finish(tmp_path / "site")
    assert not job.staging.exists()


def test_a_build_that_stops_half_way_leaves_nothing_behind(tiny_archive, tmp_path):
    job = BuildJob(str(archive_of(tiny_archive, 2)), None, ListUrls(), staging_parent=str(tmp_path))
    job.cancel()
    assert not job.staging.exists() and job.process is not None and not job.process.is_alive()


def test_site_outputs_written_by_the_worker_equal_those_written_inline(tiny_archive, tmp_path):
    from mkdocs.config import load_config

    from notice_archive.site import Site

    docs = archive_of(tiny_archive, 3)
    env = load_config(str(ROOT / "mkdocs.yml")).theme.get_env()
    today = dt.date(2021, 3, 10)
    outputs = SiteOutputs(env, "Thử", "https://example.org/", str(docs), today)
    job = BuildJob(str(docs), None, outputs, staging_parent=str(tmp_path))
    site = Site.load(str(docs), today=today, archive=load_archive(str(docs)))
    site.env = env
    pages = job.prepared()  # published after every page result
    for notice in sorted(site.archive.notices, key=lambda n: n.src_uri, reverse=True):  # not the worker's order
        assert job.page(notice.src_uri) == site.notice_page(notice.src_uri)  # anchored Markdown, citations, metadata
    assert job.page(site.archive.notices[0].src_uri) is None  # handed over once
    assert pages == {p.src_uri: site.render_page(p) for p in site.generated_pages()}
    assert '<a href="../../ubnd-tp-lang-son/2021/1-tb-ubnd/">' in pages["nam/2021.md"][0]
    report = job.finish(tmp_path / "a")
    figures = outputs.write(load_archive(str(docs)), tmp_path / "b")
    files = figures.pop("files")
    a = {p.relative_to(tmp_path / "a"): p.read_bytes() for p in (tmp_path / "a").rglob("*") if p.is_file()}
    b = {p.relative_to(tmp_path / "b"): p.read_bytes() for p in (tmp_path / "b").rglob("*") if p.is_file()}
    assert a == b and report is not None and report.files == files == len(a) and report.figures == figures
    assert {str(p).split("/")[0] for p in a} == {"tim-kiem", "du-lieu", "feeds", "ubnd-tp-lang-son"}


def test_an_error_that_looks_like_a_closed_pipe_still_fails_the_build(tiny_archive, tmp_path):
    job = BuildJob(str(archive_of(tiny_archive, 2)), None, FailsQuietly(), staging_parent=str(tmp_path))
    with pytest.raises(RuntimeError, match="(?s)EOFError: một tệp bị cắt cụt"):
        job.finish(tmp_path / "site")


def test_a_failure_on_the_engine_side_stops_the_worker_and_does_not_hang(tiny_archive, tmp_path, monkeypatch):
    import multiprocessing

    import notice_archive.worker as worker

    engine, real = os.getpid(), worker.inspect_paths

    def gone_on_this_side(docs_dir, paths, *args, **kwargs):
        if os.getpid() == engine:
            raise FileNotFoundError("một thông báo bị xóa giữa chừng")
        return real(docs_dir, paths, *args, **kwargs)

    monkeypatch.setattr(worker, "inspect_paths", gone_on_this_side)
    with pytest.raises(FileNotFoundError):
        BuildJob(str(archive_of(tiny_archive, 4)), None, ListUrls(), staging_parent=str(tmp_path))
    assert not multiprocessing.active_children()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("notice-archive")]


def test_a_new_build_stops_the_worker_of_one_that_failed(tiny_archive, tmp_path):
    job = BuildJob(str(archive_of(tiny_archive, 2)), None, ListUrls(), staging_parent=str(tmp_path))
    BuildJob.cancel_running()  # what on_config and on_build_error do
    assert job.process is not None and not job.process.is_alive() and not job.staging.exists()


def test_page_results_come_in_batches_each_once_and_in_any_order(tiny_archive, tmp_path, monkeypatch):
    from notice_archive import worker

    monkeypatch.setattr(worker, "PAGE_BATCH", 3)  # 8 notices: three files
    job = BuildJob(str(archive_of(tiny_archive, 7)), None, ListUrls(), staging_parent=str(tmp_path))
    urls = [n.url for n in job.archive.notices]
    job.prepared()  # the worker publishes it after the last page result
    assert job.page(urls[4]) == (4, job.process.pid)  # computed by the worker
    assert [job.page(url) for url in urls[:4]] == [(i, job.process.pid) for i in range(4)]
    assert job.page(urls[4]) is None and job.page("khong-co/") is None
    assert [job.page(url) for url in urls[5:]] == [(i, job.process.pid) for i in range(5, 8)]
    assert not list(job.staging.glob("pages-*.pkl"))  # loaded files go
    job.finish(tmp_path / "site")


class WaitsForTheEngine(ListUrls):
    """Starts on the pages only once the engine has asked for some (a worker that fell behind)."""

    def __init__(self, flag: Path) -> None:
        self.flag = flag

    def pages(self, archive: Archive):
        while not self.flag.exists():
            time.sleep(0.01)
        yield from super().pages(archive)


def test_the_engine_never_waits_for_a_page_and_the_worker_skips_those_it_passed(tiny_archive, tmp_path, monkeypatch):
    from notice_archive import worker

    monkeypatch.setattr(worker, "PAGE_BATCH", 4)  # a lead of 4 // 2 = 2 pages past the engine
    flag = tmp_path / "go"
    job = BuildJob(str(archive_of(tiny_archive, 9)), None, WaitsForTheEngine(flag), staging_parent=str(tmp_path))
    urls = [n.url for n in job.archive.notices]
    assert [job.page(url) for url in urls[:3]] == [None] * 3  # not ready: the engine computes them itself
    flag.touch()
    job.prepared()
    assert [job.page(url) for url in urls[3:5]] == [None, None]  # skipped: the engine was about to get there
    assert [job.page(url) for url in urls[5:]] == [(i, job.process.pid) for i in range(5, 10)]
    job.finish(tmp_path / "site")


class FallsBehind(ListUrls):
    """Computes six pages, then stalls (a busy core) until the engine has passed them."""

    def __init__(self, folder: Path) -> None:
        self.ready, self.go = folder / "ready", folder / "go"

    def pages(self, archive: Archive):
        for i, item in enumerate(super().pages(archive)):
            if i == 6:  # asked for the seventh: the first six are computed
                self.ready.touch()
                while not self.go.exists():
                    time.sleep(0.01)
            yield item


def test_results_the_engine_has_passed_are_not_handed_over(tiny_archive, tmp_path):
    outputs = FallsBehind(tmp_path)
    job = BuildJob(str(archive_of(tiny_archive, 9)), None, outputs, staging_parent=str(tmp_path))
    urls = [n.url for n in job.archive.notices]
    while not outputs.ready.exists():
        time.sleep(0.01)
    assert [job.page(url) for url in urls[:8]] == [None] * 8  # nothing published yet: the engine makes them
    outputs.go.touch()
    job.prepared()
    assert not list(job.staging.glob("pages-*.pkl"))  # pages 0-5 were ready too late; 8-9 lie within the lead
    assert [job.page(url) for url in urls[8:]] == [None, None]
    job.finish(tmp_path / "site")


def test_pages_are_computed_by_the_engine_without_a_worker(tiny_archive, tmp_path, monkeypatch):
    import multiprocessing

    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    job = BuildJob(str(archive_of(tiny_archive, 2)), None, ListUrls(), staging_parent=str(tmp_path))
    assert job.process is None and job.page(job.archive.notices[0].url) is None
    job.finish(tmp_path / "site")


def test_the_worker_order_is_the_engine_page_order(tmp_path):
    from mkdocs.config import load_config
    from mkdocs.structure.files import get_files

    from notice_archive.site import walk_order

    docs = tmp_path / "docs"
    for path in ("b/index.md", "b/a.md", "b/z/a.md", "a.md", "b/c.md", "c/b/a.md", "b/A.md", "index.md",
                 "b/README.md", "b/Index.md", "b/z.md", "b-c/a.md", "b0.md"):
        (docs / path).parent.mkdir(parents=True, exist_ok=True)
        (docs / path).write_text("# x\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: x\ndocs_dir: docs\n", encoding="utf-8")
    engine = [f.src_uri for f in get_files(load_config(str(tmp_path / "mkdocs.yml"))).documentation_pages()]
    assert len(engine) == 12  # (MkDocs skips b/README.md beside b/index.md)
    assert sorted(engine, key=walk_order) == engine
