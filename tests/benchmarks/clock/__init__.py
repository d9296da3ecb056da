"""Hook time for the build benchmark: two MkDocs hook files added around the archive's hooks (benchmark copies of
mkdocs.yml only). ``start.py`` runs first in every event the archive handles (priority 100), ``stop.py`` last
(priority -101, after the archive's on_post_build at -100); the time between them, summed, is the time the build
spent in those events' hooks (the archive's and mkdocs-redirects', which does little). It is written as JSON to
$HOOK_CLOCK_FILE at the end of the build. Public MkDocs API only (event_priority)."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable

from mkdocs.plugins import event_priority

EVENTS = ("config", "files", "nav", "env", "page_read_source", "page_markdown", "page_content", "page_context",
          "post_page", "post_template", "post_build")
STATE: dict = {"started": None, "total": 0.0, "by_event": {}}  # one build per process: the benchmark's builds


def start(event: str = "") -> None:
    if event == "config":  # a build begins: under `mkdocs serve` the process (and this module) lives on, build
        STATE.update(total=0.0, by_event={})  # after build, and each one's figures are its own
    STATE["started"] = time.process_time(), time.perf_counter()


def stop(event: str) -> None:
    cpu0, wall0 = STATE["started"]
    wall = time.perf_counter() - wall0
    STATE["total"] += wall
    STATE["by_event"][event] = STATE["by_event"].get(event, 0.0) + wall


def hooks(priority: int, act: Callable[[str], None]) -> dict[str, Callable]:
    """on_<event> functions for a hook file: each does ``act(event)`` and hands the event's item back unchanged
    (MkDocs passes it first; on_page_read_source and on_post_build have none: None changes nothing)."""
    def make(event: str) -> Callable:
        def hook(*args, **_):
            act(event)
            if event == "post_build" and priority < 0:
                write()
            return args[0] if args else None
        return event_priority(priority)(hook)
    return {f"on_{event}": make(event) for event in EVENTS}


def write() -> None:
    path = os.environ.get("HOOK_CLOCK_FILE")
    if path:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump({"hooks_seconds": round(STATE["total"], 3),
                       "by_event": {k: round(v, 3) for k, v in sorted(STATE["by_event"].items())}}, fh)
