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
    if _ODD_SPACE.search(folded):
        return " ".join(folded.split())
    # Plain spaces only (every item text: lines joined by newlines, blank lines between paragraphs): runs of them
    # halve at each replace, several times quicker than splitting the text into words and joining them.
    while "  " in folded:
        folded = folded.replace("  ", " ")
    return folded.strip(" ")


# Characters no notice or registry may hold, by Unicode category rather than by a list: controls (Cc: NUL, BS, ESC,
# DEL, C1) other than tab and line feed, format characters (Cf: bidi overrides and isolates, LRM/RLM, zero-width
# space and joiners, word joiner, BOM inside text, soft hyphen, tags), the line and paragraph separators (Zl, Zp),
# and the noncharacters (U+FDD0–FDEF, U+xFFFE/U+xFFFF). They are invisible or reorder what a reviewer reads, and make
# XML feeds ill-formed. Planes 0, 1 and 14 hold every Cc, Cf, Zl and Zp code point; the test suite checks this claim
# against a scan of all of Unicode.
UNSEEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp"})
# Format characters that carry nothing: removing them leaves the text a reader sees (notices fix removes them).
# Controls are not removed: a BS, ESC or C1 byte stands for something that was lost (a quote from Windows-1252, a
# colour code), which an editor has to restore.
REMOVABLE_CATEGORIES = frozenset({"Cf"})


def _classes() -> tuple[str, str]:
    """Regex classes (unseen, removable) from one scan of the planes that hold such characters."""
    unseen: list[list[int]] = []
    removable: list[list[int]] = []
    for plane_start, plane_end in ((0, 0x20000), (0xE0000, 0xF0000)):
        for cp in range(plane_start, plane_end):
            category = unicodedata.category(chr(cp))
            if category in UNSEEN_CATEGORIES and cp not in (0x09, 0x0A):  # tab and LF are text
                _add(unseen, cp)
                if category in REMOVABLE_CATEGORIES:
                    _add(removable, cp)
    return _class(unseen), _class(removable)


def _add(ranges: list[list[int]], cp: int) -> None:
    if ranges and ranges[-1][1] == cp - 1:
        ranges[-1][1] = cp
    else:
        ranges.append([cp, cp])


def _class(ranges: list[list[int]]) -> str:
    return "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)


_UNSEEN_CLASS, _REMOVABLE_CLASS = _classes()
NONCHARACTERS = "\ufdd0-\ufdef" + "".join(chr(p * 0x10000 + 0xFFFE) + chr(p * 0x10000 + 0xFFFF) for p in range(17))
UNSEEN = re.compile(f"[{_UNSEEN_CLASS}{NONCHARACTERS}]")
REMOVABLE = re.compile(f"[{_REMOVABLE_CLASS}]")


C0_NAMES = ("NULL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI",
            "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US")


def describe_char(ch: str) -> str:
    """How a message names an invisible character: "U+202E (RIGHT-TO-LEFT OVERRIDE)"."""
    name = unicodedata.name(ch, "")
    if not name and ord(ch) < 0x20:
        name = C0_NAMES[ord(ch)]
    elif not name and ord(ch) == 0x7F:
        name = "DEL"
    elif not name and 0x80 <= ord(ch) <= 0x9F:
        name = "điều khiển C1, thường là dấu nháy hay gạch ngang của Windows-1252 bị đọc sai"
    return f"U+{ord(ch):04X}" + (f" ({name})" if name else "")


def shown(text: str, also: re.Pattern[str] | None = None) -> str:
    """Text that may hold invisible characters, as a message may print it: each written as <U+XXXX>, and so each
    character ``also`` matches (a file name's)."""
    text = UNSEEN.sub(_codepoint, text)
    return also.sub(_codepoint, text) if also is not None else text


def _codepoint(match: re.Match[str]) -> str:
    return f"<U+{ord(match.group(0)):04X}>"
