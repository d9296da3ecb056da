"""Vietnamese text helpers: NFC at the boundary, one slugify, the official point letters."""

from __future__ import annotations

import re
import unicodedata

from slugify import slugify as _slugify

# Decree 30, appendix I: points use Vietnamese letters (no f, j, w, z); "đ" follows "d".
POINT_LETTERS = ("a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t",
                 "u", "v", "x", "y")

_ODD_SPACE = re.compile(r"[^\S ]")  # white space other than a plain space

ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def is_nfc(text: str) -> bool:
    return unicodedata.is_normalized("NFC", text)


def slugify(text: str) -> str:
    """Readable ASCII: "Phòng Quản lý đô thị" -> "phong-quan-ly-do-thi" (đ becomes d, not dropped)."""
    return _slugify(nfc(text))


def letter_slug(letter: str) -> str:
    """Anchor spelling of a point letter: Telex "dd" for "đ", so it never collides with "d"."""
    return "dd" if letter == "đ" else letter


def roman_to_int(numeral: str) -> int | None:
    numeral = numeral.upper()
    if not numeral or any(ch not in ROMAN for ch in numeral):
        return None
    total = 0
    for i, ch in enumerate(numeral):
        value = ROMAN[ch]
        if i + 1 < len(numeral) and ROMAN[numeral[i + 1]] > value:
            total -= value
        else:
            total += value
    return total


def casefold_vi(text: str) -> str:
    """Case-insensitive comparison that keeps diacritics (names must match as written); white space collapsed."""
    folded = nfc(text).casefold().replace("\n", " ")
    if "  " in folded or _ODD_SPACE.search(folded) or folded[:1] == " " or folded[-1:] == " ":
        return " ".join(folded.split())
    return folded  # single spaces already (most item texts: lines joined by newlines)
