"""A file as the base branch has it: what a pull request is compared with (git, run without a shell, with a
timeout). GitHub sets GITHUB_BASE_REF in pull-request runs; ``notices validate --base REF`` does the same locally.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass

from . import limits

BASE_ENV = "GITHUB_BASE_REF"


@dataclass(frozen=True)
class BaseFile:
    """A file at the base: its bytes (``b""`` when the base has no such file), or why it could not be read."""

    ref: str  # as resolved ("origin/main")
    content: bytes | None
    failure: str | None = None


def base_ref(explicit: str | None) -> tuple[str, list[str]] | None:
    """The base to compare with and the refs to try, in order: ``--base REF`` as given; in a pull-request run,
    origin/$GITHUB_BASE_REF (what a checkout fetches), then the ref itself. None when there is no base."""
    if explicit:
        return explicit, [explicit]
    env = os.environ.get(BASE_ENV, "").strip()
    if not env:
        return None
    return env, [f"origin/{env}", env]


def _git(cwd: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, GIT_TERMINAL_PROMPT="0", GIT_OPTIONAL_LOCKS="0", LC_ALL="C")
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=limits.GIT_TIMEOUT_SECONDS,
                          env=env, stdin=subprocess.DEVNULL, check=False)


def read_at_base(docs_dir: str, rel: str, refs: list[str], required: bool) -> BaseFile | None:
    """``rel`` (relative to docs_dir) at the first of ``refs`` that names a commit. None when docs_dir is not in a
    git work tree and the base was not asked for explicitly (a tiny archive built by a test in a CI run)."""
    shown = refs[0]
    try:
        inside = _git(docs_dir, "rev-parse", "--is-inside-work-tree")
        if inside.returncode != 0:
            if b"not a git repository" in inside.stderr and not required:
                return None
            return BaseFile(shown, None, "không đọc được lịch sử git của kho ("
                            + inside.stderr.decode("utf-8", "replace").strip()[:200] + ")")
        for ref in refs:
            if ref.startswith("-") or any(ch.isspace() or ord(ch) < 0x20 for ch in ref):
                return BaseFile(ref, None, f"'{ref}' không phải tên nhánh hay commit")
            found = _git(docs_dir, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}")
            if found.returncode == 0:
                commit = found.stdout.decode("ascii", "replace").strip()
                shown_file = _git(docs_dir, "show", f"{commit}:./{rel}")
                return BaseFile(ref, shown_file.stdout if shown_file.returncode == 0 else b"")
        return BaseFile(shown, None, f"không tìm thấy nhánh gốc {' hay '.join(refs)} trong kho git (bản sao "
                        "thiếu lịch sử: trong GitHub Actions đặt 'fetch-depth: 0' cho actions/checkout, hoặc chạy "
                        f"git fetch origin {refs[-1]})")
    except subprocess.TimeoutExpired:
        return BaseFile(shown, None, f"git không trả lời sau {limits.GIT_TIMEOUT_SECONDS} giây")
    except OSError as exc:
        return BaseFile(shown, None, f"không chạy được git ({exc.strerror})")
