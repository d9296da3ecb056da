"""Layout of an extraction: cells of a line (tabs, wide gaps), paragraphs, and the classes of short lines."""

from __future__ import annotations

import re

GAP = re.compile(r"\t+| {4,}")
DECORATION = re.compile(r"^[\s_\-–—=*.·]{3,}$")
NAME = re.compile(r"^(?:[A-ZÀ-ỸĐ][a-zà-ỹđ]*)(?: [A-ZÀ-ỸĐ][a-zà-ỹđ]*){1,5}$")
AUTHORITY = re.compile(r"^(TM|KT|Q|TL|TUQ)\.\s*\S")
POINT = re.compile(r"^([a-zđ])\)\s*")
MOTTO = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "ĐỘC LẬP - TỰ DO - HẠNH PHÚC")


def squash(text: str) -> str:
    return " ".join(text.split())


def cells(line: str) -> list[tuple[int, str]]:
    """The cells of a line with their column: split at tabs and at runs of 4+ spaces (pdftotext -layout)."""
    out = []
    pos = 0
    for m in GAP.finditer(line):
        if line[pos:m.start()].strip():
            out.append((pos + len(line[pos:m.start()]) - len(line[pos:m.start()].lstrip()),
                        line[pos:m.start()].strip()))
        pos = m.end()
    if line[pos:].strip():
        out.append((pos + len(line[pos:]) - len(line[pos:].lstrip()), line[pos:].strip()))
    return out


def is_upper(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(ch.isupper() for ch in letters)


def is_motto(text: str) -> bool:
    folded = squash(text).upper().replace("–", "-").replace("—", "-")
    return any(folded.startswith(m) for m in MOTTO)


def starts_lower(text: str) -> bool:
    """A wrapped continuation: starts with a lower-case letter and is not a lettered point 'a)'."""
    text = text.lstrip()
    return bool(text) and text[0].isalpha() and text[0].islower() and not POINT.match(text)


def paragraphs(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Join wrapped lines: a line starting with a lower-case letter continues the previous paragraph (also across
    blank lines and page breaks); every other non-blank line starts a paragraph. Keeps the first line number."""
    out: list[tuple[int, str]] = []
    for number, text in lines:
        if not text.strip() or DECORATION.match(text):
            continue
        stripped = squash_edges(text)
        if out and starts_lower(stripped):
            first, prev = out[-1]
            out[-1] = (first, prev.rstrip() + " " + stripped)
        else:
            out.append((number, stripped))
    return out


def squash_edges(text: str) -> str:
    """Strip a line's edges; keep its inner spacing (verbatim) but turn tabs inside text into one space."""
    return re.sub(r"\t+", " ", text.strip())
