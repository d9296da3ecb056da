"""Is the text layer trustworthy? Refuse garbled or diacritic-stripped text instead of importing it as if fine.

Three failures of real extractions:
- a broken font mapping puts look-alike letters from other scripts (Cyrillic "а", Greek "ο", Hebrew) or
  legacy-font bytes (TCVN3/VNI shown as "Th«ng b¸o") in place of Vietnamese letters;
- stray combining marks that do not compose with their letter (after NFC they stay separate);
- OCR that drops every diacritic ("THONG BAO Ket luan cuoc hop").
"""

from __future__ import annotations

import re
import unicodedata

# Every letter Vietnamese writing uses, lower case (the upper-case forms are derived).
_BASE = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_TONES = "\u0300\u0301\u0303\u0309\u0323"
VIETNAMESE = frozenset(
    unicodedata.normalize("NFC", base + tone) for base in "aăâeêioôơuưy" for tone in ("", *_TONES)
) | frozenset(_BASE) | frozenset("fjwz")
VIETNAMESE = VIETNAMESE | frozenset(ch.upper() for ch in VIETNAMESE)
FOREIGN_SCRIPTS = ("CYRILLIC", "GREEK", "HEBREW", "ARABIC", "ARMENIAN")
# Legacy Vietnamese fonts (TCVN3 ".VnTime", VNI) read as Latin-1: these symbols appear inside words.
LEGACY_SYMBOLS = frozenset("«»¸µ¶·¹¨©ª¬®¯±²³´¼½¾¿×÷Æ¦§¤¥¢£¡")
WORD = re.compile(r"\w+(?:[«»¸µ¶·¹¨©ª¬®¯±²³´¼½¾¿×÷¦§¤¥¢£¡]+\w*)*")
# Words that, in a Vietnamese administrative text, always carry diacritics.
MARKED_WORDS = ("thông", "báo", "kết", "luận", "ngày", "tháng", "năm", "số", "ủy", "nhân", "dân", "nơi", "nhận",
                "chủ", "tịch", "phòng", "cuộc", "họp")


def _script(ch: str) -> str:
    try:
        return unicodedata.name(ch).split(" ", 1)[0]
    except ValueError:
        return ""


def problems(lines: list[str], limit: int = 5) -> list[str]:
    """Reasons to refuse the text (in Vietnamese), with line numbers and examples; empty if it looks sound."""
    foreign: list[str] = []
    legacy: list[str] = []
    marks: list[str] = []
    odd: list[str] = []
    for number, line in enumerate(lines, start=1):
        for i, ch in enumerate(line):
            if unicodedata.category(ch) == "Mn":
                context = line[max(0, i - 6): i + 4]
                marks.append(f"dòng {number}: dấu U+{ord(ch):04X} đứng riêng trong '{context}'")
        for word in WORD.findall(line):
            letters = [ch for ch in word if ch.isalpha()]
            scripts = {_script(ch) for ch in letters}
            if scripts & set(FOREIGN_SCRIPTS):
                foreign.append(f"dòng {number}: '{word}' ({', '.join(sorted(scripts & set(FOREIGN_SCRIPTS)))})")
            elif any(ch in LEGACY_SYMBOLS for ch in word) and any(ch.isalpha() for ch in word):
                legacy.append(f"dòng {number}: '{word}'")
            elif any(ch.isalpha() and ch not in VIETNAMESE and not ch.isascii() for ch in letters):
                odd.append(f"dòng {number}: '{word}'")
    out = []
    if foreign:
        out.append("lớp chữ bị lỗi phông: có chữ cái của bảng chữ khác (Kirin, Hy Lạp, Do Thái…) trông giống chữ "
                   f"Việt — {len(foreign)} chỗ, ví dụ " + "; ".join(foreign[:limit]))
    if legacy:
        out.append("lớp chữ bị lỗi phông: mã phông cũ (TCVN3/VNI) bị đọc thành ký hiệu — "
                   f"{len(legacy)} chỗ, ví dụ " + "; ".join(legacy[:limit]))
    if marks:
        out.append(f"lớp chữ có dấu thanh đứng riêng, không ghép được với chữ cái — {len(marks)} chỗ, ví dụ "
                   + "; ".join(marks[:limit]))
    if len(odd) >= 3:
        out.append(f"lớp chữ có chữ cái không dùng trong tiếng Việt — {len(odd)} chỗ, ví dụ "
                   + "; ".join(odd[:limit]))
    words = [w.lower() for line in lines for w in re.findall(r"[^\W\d_]+", line)]
    if len(words) >= 30:
        marked = sum(1 for w in words if not w.isascii())
        stripped = [w for w in words if w in {_strip(m) for m in MARKED_WORDS}]
        if marked / len(words) < 0.05 and len(stripped) >= 3:
            out.append(f"văn bản bị mất dấu tiếng Việt (thường do nhận dạng chữ OCR): chỉ {marked}/{len(words)} "
                       f"từ có dấu; gặp '{stripped[0]}', '{stripped[1]}', '{stripped[2]}' thay vì chữ có dấu. "
                       "Cần bản Word hoặc bản PDF có lớp chữ đầy đủ dấu; không nhập văn bản đã mất dấu")
    return out


def _strip(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
