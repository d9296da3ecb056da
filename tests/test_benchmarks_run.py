"""The benchmark scripts keep working (they are not timed here: figures come from running them by hand)."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys

import pytest
from conftest import ROOT


def run_module(module: str, *args: str, timeout: int = 300) -> str:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true")
    proc = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=timeout)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


@pytest.mark.build
def test_build_benchmark_runs_on_a_tiny_archive():
    out = run_module("tests.benchmarks.build_bench", "12", "--repeat", "2")
    assert "| 12 |" in out and "×" in out
    row = json.loads(out.splitlines()[0])
    for kind in ("plain", "hooks", "cached"):  # each built twice, the fastest kept
        assert len(row[kind]["runs"]) == 2 and row[kind]["seconds"] == min(row[kind]["runs"])
    assert row["hooks"]["peak_tree_mib"] > 0  # sampled from /proc: the build and any child process
    # The hooks build does more than the plain one: it uses more CPU.
    assert row["hooks"]["cpu_seconds"] > row["plain"]["cpu_seconds"] > 0
    assert row["cpu_ratio"] == round(row["hooks"]["cpu_seconds"] / row["plain"]["cpu_seconds"], 2)
    # Each hooks build over the plain build just before it, in the order they ran.
    runs = zip(row["plain"]["runs"], row["hooks"]["runs"], strict=True)
    assert row["pair_ratios"] == [round(h / p, 2) for p, h in runs]
    assert min(row["pair_ratios"]) <= row["median_pair_ratio"] <= max(row["pair_ratios"])
    # The cached builds are paired with the same plain builds, and make the same site.
    cached = zip(row["plain"]["runs"], row["cached"]["runs"], strict=True)
    assert row["cached_pair_ratios"] == [round(c / p, 2) for p, c in cached]
    assert row["cached"]["pages"] == row["hooks"]["pages"] and row["cached"]["site_mib"] == row["hooks"]["site_mib"]
    assert row["rebuild"]["pages"] == row["hooks"]["pages"] and row["rebuild"]["cpu_seconds"] > 0
    # The hook clock (tests/benchmarks/clock/) timed the hooks of each build: less than the whole build.
    for build in (row["hooks"], row["rebuild"], row["rebuild"]["dirty"]):
        assert 0 < build["hooks_seconds"] < build["seconds"]
    assert row["dirty_hooks_ratio"] == round(row["rebuild"]["dirty"]["hooks_seconds"] / row["hooks"]["hooks_seconds"],
                                             3)


@pytest.mark.build
def test_preview_benchmark_runs_on_a_tiny_archive():
    out = json.loads(run_module("tests.benchmarks.preview_bench", "12", "--edits", "2").splitlines()[-1])
    assert len(out["save_to_page_s"]) == len(out["rebuild_in_hooks_s"]) == len(out["rebuild_s_as_mkdocs_reports"]) == 2
    # Each rebuild's own hook time (the clock starts again at each build under one `mkdocs serve`): part of the
    # rebuild MkDocs timed, and not the sum of all the builds so far.
    for hooks, build in zip(out["rebuild_in_hooks_s"], out["rebuild_s_as_mkdocs_reports"], strict=True):
        assert 0 < hooks <= build
    assert out["rebuild_in_hooks_s"][-1] < out["first_build_in_hooks_s"] + sum(out["rebuild_in_hooks_s"][:-1])
    assert out["median_rebuild_in_hooks_share"] == round(
        statistics.median(out["rebuild_in_hooks_s"]) / out["first_build_in_hooks_s"], 3)


@pytest.mark.build
def test_opendata_benchmark_runs_on_a_tiny_archive():
    out = run_module("tests.benchmarks.opendata_bench", "12")
    assert "12" in out


@pytest.mark.build
@pytest.mark.browser
def test_search_benchmark_runs_on_a_tiny_archive(tmp_path):
    out = run_module("tests.benchmarks.search_bench", "12", "--keep", str(tmp_path), "--cap", "20", timeout=600)
    assert "ours" in out and "KB" in out
