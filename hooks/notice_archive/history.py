"""When each notice file last changed: the commit date of the last commit that touched it, from one `git log` pass
over the whole archive (not one per file: 10,000 processes). Deterministic for a commit; without git, None."""

from __future__ import annotations

import datetime as dt
import subprocess

VIETNAM = dt.timezone(dt.timedelta(hours=7))


def last_changes(docs_dir: str) -> dict[str, dt.date] | None:
    """{path relative to docs_dir: day (Vietnam time) of the last commit that changed it}, newest commit first as
    `git log` walks; None when docs_dir is not in a git work tree or git is missing. Files never committed are
    absent (the caller decides what they show)."""
    try:
        proc = subprocess.run(
            ["git", "-C", docs_dir, "log", "--format=%x00@%ct", "--name-only", "--relative", "--no-renames", "-z",
             "--", "."], capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    return parse_log(proc.stdout)


def parse_log(out: str) -> dict[str, dt.date]:
    """Read `git log --format=%x00@%ct --name-only -z`: each commit is NUL, "@<seconds>", NUL, then its file names
    (the first after a newline), each ending in NUL. The first date met for a file is its last change."""
    changed: dict[str, dt.date] = {}
    day: dt.date | None = None
    previous = None
    for token in out.split("\0"):
        if previous == "" and token.startswith("@") and token[1:].isdigit():
            day = dt.datetime.fromtimestamp(int(token[1:]), tz=VIETNAM).date()
        else:
            name = token.lstrip("\n")
            if name and day is not None:
                changed.setdefault(name, day)
        previous = token
    return changed
