"""site_files: what a rebuild into an existing site (a preview's dirty rebuild) leaves and removes (write_files);
the build's one background job that writes these files (Writing)."""

from __future__ import annotations

import json
import multiprocessing
import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest
import yaml
from conftest import build

from notice_archive.site_files import Writing, write_files


def test_a_rebuild_rewrites_what_changed_and_removes_what_is_gone(tmp_path):
    assert write_files(tmp_path, "tim-kiem", [("tim-kiem/a.json", "một"), ("tim-kiem/x/b.json", b"hai"),
                                              ("tim-kiem/x/c.json", "ba"), ("tb/index.json", "bốn"),
                                              ("tim-kiem/all.json", iter([b"[", "năm".encode(), b"]"]))]) == 5
    assert (tmp_path / "tim-kiem" / "all.json").read_text(encoding="utf-8") == "[năm]"  # pieces, one after another
    same, changed = tmp_path / "tim-kiem" / "a.json", tmp_path / "tim-kiem" / "x" / "b.json"
    os.utime(same, (1, 1))
    os.utime(changed, (1, 1))
    assert write_files(tmp_path, "tim-kiem", [("tim-kiem/a.json", "một"), ("tim-kiem/x/b.json", b"hai!")]) == 2
    assert same.read_text(encoding="utf-8") == "một" and same.stat().st_mtime == 1  # not written again
    assert changed.read_bytes() == b"hai!" and changed.stat().st_mtime > 1
    assert not (tmp_path / "tim-kiem" / "x" / "c.json").exists()  # gone from the index: gone from the site
    assert (tmp_path / "tb" / "index.json").read_text(encoding="utf-8") == "bốn"  # outside the owned folder: kept
    write_files(tmp_path, "tim-kiem", [])
    assert not (tmp_path / "tim-kiem" / "x").exists() and not any((tmp_path / "tim-kiem").iterdir())


@pytest.mark.build
def test_the_build_log_counts_the_search_files_it_wrote(tiny_archive):
    """The search index is written a file at a time as it is made; the log's figures are of what was written."""
    result = build(tiny_archive())
    assert result.returncode == 0, result.output
    m = re.search(r"tìm kiếm: (\d+) phần \((\d+) tệp, (\d+) KB\)", result.output)
    assert m, result.output
    written = [p for p in (result.site / "tim-kiem").rglob("*") if p.is_file()]
    manifest = json.loads((result.site / "tim-kiem" / "manifest.json").read_text(encoding="utf-8"))
    assert int(m[1]) == manifest["docs"] > 0
    assert int(m[2]) == len(written) > 10
    assert int(m[3]) == sum(p.stat().st_size for p in written) // 1024


# site_files.Writing: the build's one background job (a second process, forked after loading, joined at the end).
# Each case runs in a fresh Python, alone in its process as `mkdocs build` is: the test process has threads of
# earlier tests (servers, browsers), and with threads the job rightly runs in the build's own process.

PRELUDE = """
import json, os, signal, sys, time
from notice_archive.site_files import Writing, WritingFailed

def whose():
    return dict(pid=os.getpid())

def fails():
    raise OSError(28, "Hết chỗ trên đĩa")

def killed():
    os.kill(os.getpid(), signal.SIGKILL)

def waited(writing):
    said = dict(build=os.getpid(), job=writing.process and writing.process.pid)
    try:
        said["figures"] = writing.wait()
    except WritingFailed as error:
        said["error"] = str(error)
    said["exitcode"] = writing.process and writing.process.exitcode
    return said
"""


def _alone(code: str) -> dict:
    """What ``code`` (after PRELUDE) prints as JSON, run by a fresh Python."""
    run = subprocess.run([sys.executable, "-c", PRELUDE + code], capture_output=True, text=True, timeout=120,
                         env=dict(os.environ, PYTHONIOENCODING="utf-8"))
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def _started(work: str) -> dict:
    return _alone(f"print(json.dumps(waited(Writing.start({work})), ensure_ascii=False))")


@pytest.mark.programs
def test_a_build_alone_in_its_process_writes_in_a_second_one_and_gets_its_figures():
    said = _started("whose")
    assert said["job"] not in (None, said["build"])
    assert said["figures"] == {"pid": said["job"]} and said["exitcode"] == 0


def _whose() -> dict:
    return {"pid": os.getpid()}


def test_with_threads_beside_the_build_the_files_are_written_in_its_own_process_when_it_waits():
    """`mkdocs serve` runs its live-reload server in threads: forking there is not safe."""
    done, calls = threading.Event(), []
    server = threading.Thread(target=done.wait)
    server.start()
    try:
        writing = Writing.start(lambda: calls.append(1) or _whose())
        assert writing.process is None and calls == []  # nothing runs before the build waits for it
        assert writing.wait() == {"pid": os.getpid()} and calls == [1]
    finally:
        done.set()
        server.join()
    assert Writing.start(_whose, background=False).process is None  # a preview: never forked


@pytest.mark.programs
@pytest.mark.parametrize(("work", "said"), [("fails", "Hết chỗ trên đĩa"),
                                            ("killed", f"mã thoát -{signal.SIGKILL}: bị dừng bởi SIGKILL")])
def test_the_second_process_failing_fails_the_build_with_what_happened(work, said):
    outcome = _started(work)
    assert outcome["job"] is not None and "figures" not in outcome
    assert outcome["error"].startswith("ghi dữ liệu mở, tìm kiếm và nguồn tin thất bại")
    assert said in outcome["error"]
    if work == "fails":
        assert "OSError" in outcome["error"] and "in fails" in outcome["error"]  # its traceback


@pytest.mark.programs
@pytest.mark.parametrize("refusal", [
    # fork() refused (a container's limit of processes: EAGAIN; or ENOMEM): the build goes on as a server's
    "def refused(): raise OSError(11, 'Resource temporarily unavailable')\nos.fork = refused",
    # off Linux no PR_SET_PDEATHSIG: a job could outlive a killed build (and macOS' libraries are not safe to fork)
    "sys.platform = 'darwin'",
])
def test_a_build_that_cannot_have_a_safe_second_process_writes_the_files_in_its_own(refusal):
    said = _alone(refusal + "\nprint(json.dumps(waited(Writing.start(whose))))")
    assert said["job"] is None and said["figures"] == {"pid": said["build"]}


def _start_in_a_worker(_) -> tuple[bool, dict]:
    writing = Writing.start(_whose)
    return writing.process is None, writing.wait()


@pytest.mark.programs
def test_a_build_in_a_pool_worker_writes_the_files_in_its_own_process():
    """A build run by a multiprocessing pool: its worker is a daemonic process, which may have no children."""
    with multiprocessing.get_context("fork").Pool(1) as pool:
        (inline, figures), = pool.map(_start_in_a_worker, [0])
    assert inline and figures["pid"] != os.getpid()


STOPPED_WHILE_WAITING = """
class Stopped(Exception):
    pass

def stop(signum, frame):
    raise Stopped

writing = Writing.start(lambda: time.sleep(30) or {})
signal.signal(signal.SIGALRM, stop)
signal.setitimer(signal.ITIMER_REAL, 0.5)  # (not inherited by the forked job)
started = time.monotonic()
try:
    writing.wait()
except Stopped:
    pass
print(json.dumps(dict(job=writing.process.pid, seconds=time.monotonic() - started, alive=writing.process.is_alive(),
                      exitcode=writing.process.exitcode)))
"""


@pytest.mark.programs
def test_a_build_stopped_while_it_waits_ends_its_job_at_once():
    """Ctrl-C (or any error) in wait() stops the build there: its job is ended, not waited for to the end."""
    said = _alone(STOPPED_WHILE_WAITING)
    assert said["seconds"] < 10 and not said["alive"] and said["exitcode"] == -signal.SIGKILL


BUILD_KILLED = """
writing = Writing.start(lambda: time.sleep(120) or {})
print(writing.process.pid, flush=True)
time.sleep(0.5)  # (the child has passed its first lines)
os.kill(os.getpid(), signal.SIGKILL)
"""


@pytest.mark.programs
def test_the_second_process_dies_with_the_build_process_whatever_kills_it():
    """SIGKILL leaves the build no time to end its job: the kernel does (PR_SET_PDEATHSIG)."""
    with subprocess.Popen([sys.executable, "-c", PRELUDE + BUILD_KILLED], stdout=subprocess.PIPE, text=True) as run:
        child = int(run.stdout.readline())
        assert run.wait(timeout=60) == -signal.SIGKILL
    deadline = time.monotonic() + 20
    while _running(child) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(child)


def _running(pid: int) -> bool:
    """Whether the process is there and not a zombie (a container's first process may not reap an orphan)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return fh.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except FileNotFoundError:
        return False


FAILING_HOOK = """
import builtins, os, time

def on_config(config):
    if os.environ.get("STOP"):
        site = config["notice_archive_site"]
        part = site.part
        site.part = lambda *args: time.sleep(30) or part(*args)  # the job, forked in on_files, is still at work
    return config

def on_files(files, config):
    if os.environ.get("STOP"):
        raise getattr(builtins, os.environ["STOP"])("một bước sau khi việc nền bắt đầu hỏng")
"""

BUILDS_IN_PROCESS = """
import multiprocessing, os, sys
from mkdocs.commands.build import build
from mkdocs.config import load_config
try:
    build(load_config(sys.argv[1], site_dir=sys.argv[2], strict=True))
except BaseException as error:  # a caller that goes on
    print("caught:", type(error).__name__, error)
print("jobs after the failed build:", len(multiprocessing.active_children()))
del os.environ["STOP"]
build(load_config(sys.argv[1], site_dir=sys.argv[2], strict=True))
print("jobs after the next build:", len(multiprocessing.active_children()))
"""


@pytest.mark.build
@pytest.mark.parametrize(("stop", "left"), [("RuntimeError", 0), ("KeyboardInterrupt", 1)])
def test_a_build_that_fails_before_waiting_ends_its_job(tiny_archive, tmp_path, stop, left):
    """A caller of MkDocs' build() that catches the error and goes on (another build into the same folder) finds
    no job of the failed build still writing there: on_build_error ends it; MkDocs does not call that on Ctrl-C
    (KeyboardInterrupt), so the next build ends it before it empties the folder (on_config)."""
    root = tiny_archive()
    (root / "failing_hook.py").write_text(FAILING_HOOK, encoding="utf-8")
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"].append(str(root / "failing_hook.py"))
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", NOTICE_ARCHIVE_CACHE="off",
               STOP=stop)
    run = subprocess.run([sys.executable, "-c", BUILDS_IN_PROCESS, str(root / "mkdocs.yml"), str(tmp_path / "site")],
                         capture_output=True, text=True, env=env, cwd=root, timeout=120)
    assert f"caught: {stop} một bước sau khi việc nền bắt đầu hỏng" in run.stdout, run.stderr
    assert f"jobs after the failed build: {left}" in run.stdout
    assert "jobs after the next build: 0" in run.stdout, run.stderr


BUILT_INLINE = """
import multiprocessing.process, sys, threading
from mkdocs.commands.build import build
from mkdocs.config import load_config

started, start = [], multiprocessing.process.BaseProcess.start
multiprocessing.process.BaseProcess.start = lambda self: started.append(self.name) or start(self)
done = threading.Event()
threading.Thread(target=done.wait, daemon=True).start()  # a thread beside the build, as a server's: no job forked
build(load_config(sys.argv[1], site_dir=sys.argv[2], strict=True))
print("processes started:", len(started))
"""


@pytest.mark.build
def test_the_job_writes_the_same_site_as_the_build_process_does(tiny_archive, tmp_path):
    """The job's files, forked after loading, are byte for byte those the build's own process writes."""
    root = tiny_archive()
    env = {"SOURCE_DATE_EPOCH": "1767225600", "NOTICE_ARCHIVE_CACHE": "off"}
    forked = build(root, site=tmp_path / "forked", env=env)
    assert forked.returncode == 0, forked.output
    inline = subprocess.run([sys.executable, "-c", BUILT_INLINE, str(root / "mkdocs.yml"), str(tmp_path / "inline")],
                            capture_output=True, text=True, cwd=root, timeout=300,
                            env=dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", **env))
    assert inline.returncode == 0 and "processes started: 0" in inline.stdout, inline.stderr
    files = {kind: {p.relative_to(tmp_path / kind): p.read_bytes() for p in (tmp_path / kind).rglob("*") if p.is_file()}
             for kind in ("forked", "inline")}
    assert any(p.parts[0] == "tim-kiem" for p in files["forked"]) and any(p.name == "index.json" for p in files["forked"])
    assert files["forked"].keys() == files["inline"].keys()
    assert [p for p in files["forked"] if files["forked"][p] != files["inline"][p]] == []
