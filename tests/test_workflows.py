"""The GitHub Actions workflows and the pre-commit hook: triggers, least privilege, and that the commands they run
are the repository's own (run here on a bad notice, the validation step prints the annotations GitHub shows)."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import BIN, ROOT, make_archive, minimal_notice

WORKFLOWS = ROOT / ".github" / "workflows"
PR = WORKFLOWS / "pull-request.yml"
PAGES = WORKFLOWS / "pages.yml"
READ_ONLY = {"contents": "read"}


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def steps(workflow: dict) -> list[dict]:
    return [s for job in workflow["jobs"].values() for s in job["steps"]]


def test_no_workflow_runs_with_a_privileged_pull_request_trigger():
    for path in WORKFLOWS.glob("*.y*ml"):
        wf = load(path)
        assert not {"pull_request_target", "workflow_run"} & set(wf["on"]), path
        assert wf["permissions"] == READ_ONLY, f"{path}: top-level token must be read-only"


def test_pull_request_workflow_is_read_only_without_secrets():
    wf = load(PR)
    assert set(wf["on"]) == {"pull_request"}
    assert "secrets." not in PR.read_text(encoding="utf-8")
    for job in wf["jobs"].values():
        assert job["permissions"] == READ_ONLY
    checkout = next(s for s in steps(wf) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["persist-credentials"] is False
    runs = [s.get("run", "") for s in steps(wf)]
    assert "bash .ci/setup.sh --test" in runs and "bash .ci/test.sh" in runs
    upload = next(s for s in steps(wf) if s.get("uses", "").startswith("actions/upload-artifact@"))
    assert upload["with"]["path"] == "site/"
    test_step = next(s for s in steps(wf) if s.get("run") == "bash .ci/test.sh")
    assert test_step["env"]["SITE_DIR"] == "site"  # where .ci/test.sh builds, so the artifact is that build


def test_pages_workflow_deploys_only_from_main_with_the_least_rights():
    wf = load(PAGES)
    # never pull_request(_target): only main's own commits (and its nightly rebuild) reach the deploy job
    assert set(wf["on"]) == {"push", "schedule", "workflow_dispatch"} and wf["on"]["push"]["branches"] == ["main"]
    build, deploy = wf["jobs"]["dung"], wf["jobs"]["xuat-ban"]
    assert build["permissions"] == READ_ONLY
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["needs"] == "dung" and "refs/heads/main" in deploy["if"]
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert any(s.get("uses", "").startswith("actions/upload-pages-artifact@") for s in build["steps"])
    assert "bash .ci/setup.sh" in [s.get("run") for s in build["steps"]]


def test_actions_are_pinned_and_scripts_exist():
    for path in (PR, PAGES):
        for step in steps(load(path)):
            if "uses" in step:
                assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), step["uses"]
            for script in re.findall(r"\.ci/[\w.]+", step.get("run", "")):
                assert (ROOT / script).is_file(), script


BAD = minimal_notice(number="5/TB-UBND", title='"TODO: trích yếu"')


def _run(command: str, cwd: Path) -> subprocess.CompletedProcess:
    command = command.replace(".venv/bin/", f"{BIN}/")  # the workflow's venv is this test run's venv
    env = dict(os.environ, PATH=f"{BIN}:{os.environ['PATH']}")
    return subprocess.run(["bash", "-c", command], cwd=cwd, capture_output=True, text=True, env=env)


@pytest.mark.parametrize("workflow", [PR, PAGES], ids=["pull-request", "pages"])
def test_validation_step_annotates_each_problem_on_its_line(tmp_path, workflow):
    step = next(s for s in steps(load(workflow)) if s.get("id") == "validate")
    root = make_archive(tmp_path, {"ubnd-tp-lang-son/2020/bad.md": BAD})
    proc = _run(step["run"], root)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    assert lines and all(re.fullmatch(r"::(error|warning) file=notices/[^,]+,line=\d+::.+", line) for line in lines)
    assert "::error file=notices/ubnd-tp-lang-son/2020/bad.md,line=3::trường 'number': số '5' không đúng " \
           "Nghị định 30" in proc.stdout
    assert ("::error file=notices/ubnd-tp-lang-son/2020/bad.md,line=7::trường 'title' còn chờ biên tập viên điền"
            in proc.stdout)


def test_pre_commit_hook_runs_the_validator(tmp_path):
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hook = config["repos"][0]["hooks"][0]
    assert config["repos"][0]["repo"] == "local" and hook["language"] == "system"
    assert re.match(hook["files"], "notices/ubnd-tp-lang-son/2020/x.md")
    good = make_archive(tmp_path / "good")
    assert _run(hook["entry"], good).returncode == 0
    bad = make_archive(tmp_path / "bad", {"ubnd-tp-lang-son/2020/bad.md": BAD})
    proc = _run(hook["entry"], bad)
    assert proc.returncode == 1 and "notices/ubnd-tp-lang-son/2020/bad.md:3:" in proc.stdout
