"""Is this notice already in the archive? A fingerprint of the body's words, independent of the rendering.

Two renderings of one notice (the Word file and the PDF's text, or a file already edited into the archive) differ
in line breaks, Markdown structure, Unicode form, case and punctuation, but not in their words. The body is
reduced to its lower-cased words and compared as overlapping 5-word runs ("shingles"): the share of the smaller
text's runs found in the other one. Wording changes in a few places keep the share high; another notice on the
same subject shares few 5-word runs.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from ..archive import notice_paths
from ..reader import read_file
from ..text import nfc

WORDS = re.compile(r"[^\W_]+")
ATTR = re.compile(r"\{[:#.][^}]*\}")
SIZE = 5
THRESHOLD = 0.8


def words(text: str) -> list[str]:
    text = ATTR.sub(" ", nfc(text))
    return [w.casefold() for w in WORDS.findall(text)]


def shingles(text: str) -> set[tuple[str, ...]]:
    toks = words(text)
    if len(toks) < SIZE:
        return {tuple(toks)} if toks else set()
    return {tuple(toks[i:i + SIZE]) for i in range(len(toks) - SIZE + 1)}


def similarity(a: set, b: set) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


@dataclass(frozen=True)
class Match:
    path: str
    score: float


def find_duplicates(body: str, docs_dir: str, display_root: str = "notices") -> list[Match]:
    mine = shingles(body)
    out = []
    for rel in notice_paths(docs_dir):
        src = read_file(os.path.join(docs_dir, rel), f"{display_root}/{rel}")
        score = similarity(mine, shingles(src.body))
        if score >= THRESHOLD:
            out.append(Match(f"{display_root}/{rel}", score))
    return sorted(out, key=lambda m: -m.score)


class DuplicateIndex:
    """The archive's fingerprints, read once for a whole backlog and extended as notices are imported."""

    def __init__(self, docs_dir: str, display_root: str = "notices"):
        self.entries: list[tuple[str, set[tuple[str, ...]]]] = []
        for rel in notice_paths(docs_dir):
            src = read_file(os.path.join(docs_dir, rel), f"{display_root}/{rel}")
            self.entries.append((f"{display_root}/{rel}", shingles(src.body)))

    def find(self, body: str) -> list[Match]:
        mine = shingles(body)
        out = [Match(path, score) for path, theirs in self.entries
               if (score := similarity(mine, theirs)) >= THRESHOLD]
        return sorted(out, key=lambda m: -m.score)

    def add(self, path: str, body: str) -> None:
        self.entries.append((path, shingles(body)))
