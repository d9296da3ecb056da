"""Word's automatic numbering: the number or letter Word shows before a paragraph ("1.", "a)", "đ)", "II.").

The number is not in the paragraph's text: Word computes it from the numbering part (word/numbering.xml: abstract
lists with one format per level, and list instances that point to them, possibly restarting a level) and from the
paragraph's own numbering (w:numPr) or the one its style carries ("List Number"). This replays that count in
document order. Letters follow the Vietnamese sequence of Decree 30 (a b c d đ e g h i k …, no f j w z): that is
how a Vietnamese notice letters its points (Word's Latin list would print e) f) from the fifth letter on, which no
notice means; the README says so).
"""

from __future__ import annotations

from dataclasses import dataclass, field

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
VIETNAMESE_LETTERS = "abcdđeghiklmnopqrstuvxy"
ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
         (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
# Bullets drawn from the Symbol/Wingdings fonts are private-use code points; the printed mark is a bullet or dash.
SYMBOL_BULLETS = {"\uf02d": "-", "\uf0b7": "•", "\uf0a7": "•", "\uf0d8": "•", "\uf076": "•", "\uf0fc": "•"}


def roman(n: int) -> str:
    out = []
    for value, numeral in ROMAN:
        while n >= value:
            out.append(numeral)
            n -= value
    return "".join(out)


def letters(n: int, alphabet: str) -> str:
    """1 -> a, 5 -> đ (Vietnamese); past the alphabet Word doubles the letter (aa, bb …)."""
    if n < 1:
        return str(n)
    return alphabet[(n - 1) % len(alphabet)] * ((n - 1) // len(alphabet) + 1)


def format_number(n: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        text = letters(n, VIETNAMESE_LETTERS)
        return text.upper() if fmt == "upperLetter" else text
    if fmt == "lowerRoman":
        return roman(n).lower()
    if fmt == "upperRoman":
        return roman(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "none":
        return ""
    return str(n)  # decimal and the formats a Vietnamese notice does not use


@dataclass(frozen=True)
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "\t"


@dataclass
class Numbering:
    """The numbering definitions of one document and the running counts, read in document order."""

    abstract: dict[str, dict[int, Level]] = field(default_factory=dict)
    nums: dict[str, tuple[str, dict[int, int]]] = field(default_factory=dict)  # numId -> (abstract id, restarts)
    styles: dict[str, tuple[str | None, int | None, str | None]] = field(default_factory=dict)  # numId, ilvl, base
    style_links: dict[str, str] = field(default_factory=dict)  # abstract id -> numbering style it defers to
    counts: dict[str, list[int | None]] = field(default_factory=dict)
    started: set[str] = field(default_factory=set)
    unresolved: int = 0

    @classmethod
    def of(cls, doc) -> Numbering:
        out = cls()
        try:
            root = doc.part.numbering_part.element
        except (KeyError, NotImplementedError):
            root = None
        if root is not None:
            for abstract in root.iterchildren(f"{W}abstractNum"):
                levels = {}
                for lvl in abstract.iterchildren(f"{W}lvl"):
                    levels[int(lvl.get(f"{W}ilvl", "0"))] = Level(
                        int(_val(lvl, "start") or 0), _val(lvl, "numFmt") or "decimal",
                        _val(lvl, "lvlText") if _val(lvl, "lvlText") is not None else "",
                        {"space": " ", "nothing": ""}.get(_val(lvl, "suff") or "tab", "\t"))
                out.abstract[abstract.get(f"{W}abstractNumId")] = levels
                link = _val(abstract, "numStyleLink")  # a list whose levels are those of a numbering style
                if link:
                    out.style_links[abstract.get(f"{W}abstractNumId")] = link
            for num in root.iterchildren(f"{W}num"):
                restarts = {}
                for override in num.iterchildren(f"{W}lvlOverride"):
                    start = _val(override, "startOverride")
                    if start is not None:
                        restarts[int(override.get(f"{W}ilvl", "0"))] = int(start)
                out.nums[num.get(f"{W}numId")] = (_val(num, "abstractNumId") or "", restarts)
        for style in doc.styles.element.iterchildren(f"{W}style"):
            num_pr = style.find(f"{W}pPr/{W}numPr")
            num_id = _val(num_pr, "numId") if num_pr is not None else None
            ilvl = _val(num_pr, "ilvl") if num_pr is not None else None
            out.styles[style.get(f"{W}styleId")] = (num_id, int(ilvl) if ilvl else None, _val(style, "basedOn"))
        return out

    def _style_numbering(self, style_id: str | None) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        while style_id and style_id in self.styles and style_id not in seen:
            seen.add(style_id)
            num_id, ilvl, based_on = self.styles[style_id]
            if num_id is not None:
                return num_id, ilvl
            style_id = based_on
        return None, None

    def label(self, p_el) -> str:
        """The number Word shows before this paragraph, with its separator ("1.\t", "a) "); "" if none.
        Call once per paragraph, in document order (it advances the count)."""
        ppr = p_el.find(f"{W}pPr")
        num_pr = ppr.find(f"{W}numPr") if ppr is not None else None
        num_id = _val(num_pr, "numId") if num_pr is not None else None
        ilvl_text = _val(num_pr, "ilvl") if num_pr is not None else None
        if num_id is None:
            style_num, style_lvl = self._style_numbering(_val(ppr, "pStyle") if ppr is not None else "Normal")
            num_id = style_num
            ilvl_text = ilvl_text if ilvl_text is not None else (str(style_lvl) if style_lvl is not None else None)
        if num_id is None or num_id == "0":
            return ""
        ilvl = int(ilvl_text or 0)
        abstract_id, restarts = self.nums.get(num_id, ("", {}))
        if not self.abstract.get(abstract_id) and abstract_id in self.style_links:
            linked_num, _lvl = self._style_numbering(self.style_links[abstract_id])
            abstract_id = self.nums.get(linked_num or "", ("", {}))[0]
        levels = self.abstract.get(abstract_id)
        if not levels or ilvl not in levels:
            self.unresolved += 1
            return ""
        counts = self.counts.setdefault(abstract_id, [None] * 10)
        if num_id not in self.started:
            self.started.add(num_id)
            for level, start in restarts.items():  # "Restart numbering": a new list instance, counted anew
                if level < len(counts):
                    counts[level] = start - 1
        counts[ilvl] = levels[ilvl].start if counts[ilvl] is None else counts[ilvl] + 1
        for deeper in range(ilvl + 1, len(counts)):
            counts[deeper] = None
        level = levels[ilvl]
        if level.fmt == "bullet":
            mark = "".join(SYMBOL_BULLETS.get(ch, ch) for ch in level.text)
            return f"{mark}{level.suffix}" if mark else ""
        text = level.text
        for k in range(9, 0, -1):
            if f"%{k}" in text:
                ref = levels.get(k - 1, Level())
                n = counts[k - 1] if counts[k - 1] is not None else ref.start
                text = text.replace(f"%{k}", format_number(n, ref.fmt))
        return f"{text}{level.suffix}" if text else ""


def _val(el, tag: str) -> str | None:
    if el is None:
        return None
    child = el.find(f"{W}{tag}")
    return child.get(f"{W}val") if child is not None else None
