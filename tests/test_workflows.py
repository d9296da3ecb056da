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


# The first major of each action that runs on Node 24 (GitHub retired Node 20 in September 2026), read from each
# action's action.yml: `runs.using: node24`, or a composite whose own steps do (upload-pages-artifact v5 runs
# upload-artifact v7). Nothing the workflows use may be older.
NODE24 = {"actions/checkout": 5, "actions/upload-artifact": 6, "actions/configure-pages": 6,
          "actions/upload-pages-artifact": 5, "actions/deploy-pages": 5, "actions/setup-python": 6}


def test_actions_are_pinned_run_on_node24_and_scripts_exist():
    for path in (PR, PAGES):
        for step in steps(load(path)):
            if "uses" in step:
                m = re.fullmatch(r"(actions/[a-z-]+)@v(\d+)", step["uses"])
                assert m, step["uses"]
                assert m.group(1) in NODE24 and int(m.group(2)) >= NODE24[m.group(1)], f"{path.name}: {step['uses']}"
            for script in re.findall(r"\.ci/[\w.]+", step.get("run", "")):
                assert (ROOT / script).is_file(), script


@pytest.mark.programs
def test_actionlint_finds_nothing_in_the_workflows():
    proc = subprocess.run([str(BIN / "actionlint"), "-no-color"], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.programs
def test_actionlint_reports_a_broken_workflow(tmp_path):
    # The check can fail: an action too old to run and an untrusted value in a script, with file:line.
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "x.yml").write_text(
        "name: x\non: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v2\n      - run: echo ${{ github.event.pull_request.title }}\n",
        encoding="utf-8")
    proc = subprocess.run([str(BIN / "actionlint"), "-no-color", "-oneline", ".github/workflows/x.yml"], cwd=tmp_path,
                          capture_output=True, text=True)
    assert proc.returncode == 1
    assert ".github/workflows/x.yml:7:15: the runner of \"actions/checkout@v2\" action is too old" in proc.stdout
    assert ".github/workflows/x.yml:8:" in proc.stdout and "potentially untrusted" in proc.stdout


BAD = minimal_notice(number="5/TB-UBND", title='"TODO: trích yếu"')


def _run(command: str, cwd: Path) -> subprocess.CompletedProcess:
    command = command.replace(".venv/bin/", f"{BIN}/")  # the workflow's venv is this test run's venv
    env = dict(os.environ, PATH=f"{BIN}:{os.environ['PATH']}")
    return subprocess.run(["bash", "-c", command], cwd=cwd, capture_output=True, text=True, env=env)


@pytest.mark.programs
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


@pytest.mark.programs
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


def _pins(path: Path) -> dict[str, str]:
    """name -> version of a hashed lock file; every pin must carry at least one hash."""
    pins = {}
    for entry in re.split(r"\n(?=\S)", path.read_text(encoding="utf-8")):
        m = re.match(r"([A-Za-z0-9_.-]+)==(\S+)", entry)
        if m:
            assert "--hash=sha256:" in entry, f"{path.name}: {m.group(1)} has no hash"
            pins[re.sub(r"[-_.]+", "-", m.group(1)).lower()] = m.group(2)
    return pins


def test_the_lock_files_pin_every_dependency_with_hashes():
    # A dependency added to pyproject.toml without `bash .ci/lock.sh` fails here, not on a fresh machine.
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(requirements: list[str]) -> set[str]:
        return {re.sub(r"[-_.]+", "-", re.match(r"[A-Za-z0-9_.-]+", r).group(0)).lower() for r in requirements}

    runtime, test = _pins(ROOT / "requirements.txt"), _pins(ROOT / "requirements-test.txt")
    assert names(project["dependencies"]) | {"setuptools"} <= set(runtime)
    assert names(project["dependencies"] + project["optional-dependencies"]["test"]) <= set(test)
    assert all(test[name] == version for name, version in runtime.items())  # one version of each, built or tested
    setup = (ROOT / ".ci" / "setup.sh").read_text(encoding="utf-8")
    assert "--require-hashes -r" in setup and "install_locked requirements-test.txt" in setup
