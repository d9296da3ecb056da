"""Permanence against history: published-urls.txt may only grow compared with the base branch (`notices validate
--base REF`; in a pull-request run, GITHUB_BASE_REF), checked in a real git repository."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import BIN, ROOT, build, make_archive, minimal_notice

MANIFEST = "notices/_registry/published-urls.txt"
GIT_ENV = {"GIT_AUTHOR_NAME": "Biên tập", "GIT_AUTHOR_EMAIL": "bt@example.invalid", "GIT_COMMITTER_NAME": "Biên tập",
           "GIT_COMMITTER_EMAIL": "bt@example.invalid", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=dict(os.environ, **GIT_ENV))
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def notices(repo: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "GITHUB_BASE_REF"}
    return subprocess.run([str(BIN / "notices"), *args], cwd=repo, capture_output=True, text=True,
                          env=dict(environ, **GIT_ENV, **(env or {})), timeout=120)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """An archive of two notices in a git repository: main holds it with its manifest; the work tree is on a
    pull request's branch 'pr', with nothing changed yet."""
    root = make_archive(tmp_path, {"ubnd-tp-lang-son/2020/hai.md": minimal_notice(number="124/TB-UBND")})
    manifest = notices(root, "manifest")
    assert manifest.returncode == 0, manifest.stderr
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "kho")
    git(root, "checkout", "-q", "-b", "pr")
    return root


def base_line(repo: Path, url: str) -> int:
    lines = git(repo, "show", f"main:{MANIFEST}").split("\n")
    return next(i for i, line in enumerate(lines, start=1) if line.split(" ")[0] == url)


def remove_notice(repo: Path) -> None:
    """What the issue saw pass: a published notice deleted together with its line of the manifest."""
    (repo / "notices/ubnd-tp-lang-son/2020/hai.md").unlink()
    manifest = repo / MANIFEST
    lines = manifest.read_text(encoding="utf-8").split("\n")
    manifest.write_text("\n".join(line for line in lines if not line.startswith("ubnd-tp-lang-son/2020/124-tb-ubnd/")),
                        encoding="utf-8")
    git(repo, "commit", "-q", "-am", "xóa")


@pytest.mark.programs
def test_a_removed_line_fails_validation_at_its_line_of_the_base(repo: Path):
    assert notices(repo, "validate", "--base", "main").returncode == 0
    line = base_line(repo, "ubnd-tp-lang-son/2020/124-tb-ubnd/")
    remove_notice(repo)
    assert notices(repo, "validate").returncode == 0  # without a base, nothing says the line was there
    result = notices(repo, "validate", "--base", "main")
    assert result.returncode == 1
    assert [line for line in result.stdout.splitlines() if "[khuyến nghị]" not in line] == [
        f"{MANIFEST}:{line}: dòng {line} ở main (địa chỉ đã công bố /ubnd-tp-lang-son/2020/124-tb-ubnd/) đã bị xóa; "
        "danh sách địa chỉ vĩnh viễn chỉ được thêm dòng, không được xóa hay sửa — khôi phục dòng này (và thông báo "
        "của nó) [dia-chi-xoa]"]
    github = notices(repo, "validate", "--format", "github", env={"GITHUB_BASE_REF": "main"})
    assert github.returncode == 1 and f"::error file={MANIFEST},line={line}::" in github.stdout


@pytest.mark.programs
def test_lines_and_anchors_may_be_added_never_removed(repo: Path):
    manifest = repo / MANIFEST
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text + "ubnd-tp-lang-son/2019/5-tb-ubnd/ muc-1\n", encoding="utf-8")  # an added line
    git(repo, "commit", "-q", "-am", "thêm")
    assert "[dia-chi-xoa]" not in notices(repo, "validate", "--base", "main").stdout
    seed = "ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/"
    changed = manifest.read_text(encoding="utf-8").replace(" muc-4 ", " ").replace(" muc-4\n", "\n")
    assert changed != manifest.read_text(encoding="utf-8")
    manifest.write_text(changed, encoding="utf-8")
    result = notices(repo, "validate", "--base", "main")
    lines = [line for line in result.stdout.splitlines() if line.endswith("[dia-chi-xoa]")]
    now = next(i for i, line in enumerate(changed.split("\n"), start=1) if line.startswith(seed))
    assert lines == [f"{MANIFEST}:{now}: neo #muc-4 của /{seed} (dòng {base_line(repo, seed)} ở main) đã bị xóa khỏi "
                     "danh sách; neo đã công bố không được xóa [dia-chi-xoa]"], result.stdout


@pytest.mark.programs
def test_the_pull_request_base_is_origin_then_the_ref_itself(repo: Path, tmp_path: Path):
    remove_notice(repo)
    line = base_line(repo, "ubnd-tp-lang-son/2020/124-tb-ubnd/")
    # a checkout as CI has it: a clone whose main is origin/main only
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--branch", "pr", str(repo), str(clone))
    assert "main" not in git(clone, "branch", "--list", "main")
    result = notices(clone, "validate", env={"GITHUB_BASE_REF": "main"})
    assert result.returncode == 1 and f"{MANIFEST}:{line}: dòng {line} ở origin/main" in result.stdout
    # a base that cannot be found fails closed (a shallow checkout without the base branch)
    missing = notices(clone, "validate", env={"GITHUB_BASE_REF": "khong-co"})
    assert missing.returncode == 1
    assert f"{MANIFEST}:1: không so được với nhánh gốc origin/khong-co: không tìm thấy nhánh gốc" in missing.stdout
    bad = notices(clone, "validate", "--base=--output=x")
    assert bad.returncode == 1 and "không phải tên nhánh hay commit [dia-chi-xoa]" in bad.stdout
    assert not (clone / "x").exists()


@pytest.mark.programs
def test_deleting_the_whole_manifest_removes_every_line(repo: Path):
    lines = [i for i, line in enumerate(git(repo, "show", f"main:{MANIFEST}").split("\n"), start=1)
             if line and not line.startswith("#")]
    (repo / MANIFEST).unlink()
    result = notices(repo, "validate", "--base", "main")
    removed = [line.split(": ", 1)[0] for line in result.stdout.splitlines() if line.endswith("[dia-chi-xoa]")]
    assert removed == [f"{MANIFEST}:{i}" for i in lines] and len(lines) > 3


@pytest.mark.programs
def test_outside_a_git_repository_only_an_explicit_base_is_an_error(tmp_path: Path):
    root = make_archive(tmp_path)
    assert notices(root, "validate", env={"GITHUB_BASE_REF": "main"}).returncode == 0  # a test's tiny archive in CI
    explicit = notices(root, "validate", "--base", "main")
    assert explicit.returncode == 1 and "không đọc được lịch sử git" in explicit.stdout


@pytest.mark.build
def test_the_build_of_a_pull_request_fails_on_a_removed_line(repo: Path):
    remove_notice(repo)
    line = base_line(repo, "ubnd-tp-lang-son/2020/124-tb-ubnd/")
    assert build(repo, env={"GITHUB_BASE_REF": ""}).returncode == 0
    result = build(repo, env={"GITHUB_BASE_REF": "main"})
    assert result.returncode == 1 and "Traceback" not in result.output
    assert f"{MANIFEST}:{line}: dòng {line} ở main (địa chỉ đã công bố /ubnd-tp-lang-son/2020/124-tb-ubnd/)" \
        in result.output


def test_pull_request_runs_fetch_the_base_branch():
    workflow = yaml.safe_load((ROOT / ".github/workflows/pull-request.yml").read_text(encoding="utf-8"))
    checkout = next(step for job in workflow["jobs"].values() for step in job["steps"]
                    if step.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    assert shutil.which("git"), "git is needed to compare with the base branch"
