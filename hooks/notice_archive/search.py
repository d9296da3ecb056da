"""Vietnamese text forms and search terms: the rules shared by the index (search_index.py) and the browser.

Citizens type without diacritics, with "d" for "đ", paste decomposed Unicode (NFD) from Word, and write the tone of
"hoà/hòa", "thuỷ/thủy" in either place. Both sides therefore reduce text to the same forms:

- canon(): NFC; non-breaking and other odd spaces become plain spaces; zero-width characters go; tone marks in the
  old, official place ("hoà" -> "hòa", "thuỷ" -> "thủy", "khoẻ" -> "khỏe"). Case and diacritics stay.
- fold(): canon(), then no diacritics, "đ" -> "d", lower case: what a phone user types.

and cut it into the same terms (analyse() / terms()):

- syllables, folded ("giai", "phong", …): Vietnamese is written in syllables separated by spaces;
- bigrams of adjacent syllables ("giai phong", "phong mat", …): most Vietnamese words are two syllables, and a
  bigram's posting list is short even where each syllable occurs in every notice;
- document numbers whole ("464/gm-ubnd", "81-cv/tu": letters and digits joined by "/", "-" or "." with at least
  one digit), their parts being syllables like any other; numbers lose leading zeros ("05" -> "5");
- exact forms of syllables with diacritics ("=đèn"), so a query typed with diacritics ranks exact matches first.

The browser twin is theme/assets/javascripts/search-normalise.js; both are tested against the same tables
(tests/search_normalise_cases.json, tests/search_terms_cases.json).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain

SPACES = re.compile(r"[\u00a0\u2007\u202f\u2000-\u200a\u3000]")
ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
# A syllable ending in oa/oe/uy (not "qu"+y, where u is part of the consonant) takes its tone on the first vowel.
OLD_STYLE = re.compile(r"(?<![qQ])([oOuU])([aAeEyY])$")
_ODD = re.compile(f"{SPACES.pattern}|{ZERO_WIDTH.pattern}")
LETTERS = re.compile(r"[^\W\d_]+")
# A word: letters and digits, possibly joined by "/", "-" or "." ("464/GM-UBND", "81-CV/TU", "11/2020").
WORD = re.compile(r"[^\W_]+(?:[/.\-][^\W_]+)*")
PART = re.compile(r"[^\W_]+")
DIGIT = re.compile(r"\d")
LEADING_ZEROS = re.compile(r"(?<![^\W_])0+(?=[0-9])")  # "05/TB-UBND" is found as "5/TB-UBND" and the reverse
EXACT = "="  # prefix of exact-form terms


def canon(text: str) -> str:
    """NFC, plain spaces, no zero-width characters, tone marks in the old (official) place. Keeps case and marks."""
    if text.isascii():  # (nothing to do: the odd spaces and the marks are all beyond ASCII)
        return text
    text = unicodedata.normalize("NFC", text)
    text = ZERO_WIDTH.sub("", SPACES.sub(" ", text))
    return LETTERS.sub(lambda m: _tone_place(m.group(0)), text)


@lru_cache(maxsize=100_000)
def _tone_place(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    tones = [ch for ch in decomposed if ch in TONES]
    if len(tones) != 1:
        return word
    bare = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in TONES))
    m = OLD_STYLE.search(bare)
    if not m:
        return word
    # Only "oa", "oe", "uy" with nothing after them; "oá" -> "óa". The tone goes on the first vowel of the pair.
    pos = m.start(1)
    target = bare[:pos + 1] + tones[0] + bare[pos + 1:]
    return unicodedata.normalize("NFC", target)


def fold(text: str) -> str:
    """Accent-free lower case: what a phone user types. "Đèn Led" -> "den led"."""
    return _fold_canonical(canon(text))


def _fold_canonical(text: str) -> str:
    """fold() of a text already canon()."""
    if text.isascii():  # (no marks, no "đ")
        return text.lower()
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.replace("đ", "d").replace("Đ", "D").lower()


@lru_cache(maxsize=200_000)
def _word(word: str) -> tuple[tuple[str, ...], tuple[str | None, ...], str | None]:
    """One word (NFC, plain spaces): its folded syllables, their exact forms (None without diacritics) and, for a
    document number, its folded whole. canon() works letter run by letter run, and letter runs never cross a
    syllable, so applying it per syllable here gives what it gives on the whole text."""
    folded, exact = [], []
    for part in PART.findall(word):
        c = canon(part)  # (once: fold() would canon() it again)
        f = _fold_canonical(c)
        e = c.lower()
        folded.append(LEADING_ZEROS.sub("", f))
        exact.append(e if e != f else None)
    number = LEADING_ZEROS.sub("", fold(word)) if len(folded) > 1 and DIGIT.search(word) else None
    return tuple(folded), tuple(exact), number


def _spaces(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return ZERO_WIDTH.sub("", SPACES.sub(" ", text)) if _ODD.search(text) else text


@dataclass(frozen=True)
class Analysis:
    syllables: tuple[str, ...]  # folded, in order
    exact: tuple[str | None, ...]  # canonical lower-case form of each syllable that has diacritics, else None
    numbers: tuple[tuple[str, int, int], ...]  # (folded document number, first syllable, last syllable + 1)


def analyse(text: str) -> Analysis:
    """Syllables, their exact forms and the document numbers of a text (a query or a part of a notice)."""
    syllables: list[str] = []
    exact: list[str | None] = []
    numbers: list[tuple[str, int, int]] = []
    for word in WORD.findall(_spaces(text)):
        f, e, number = _word(word)
        if number is not None:
            numbers.append((number, len(syllables), len(syllables) + len(f)))
        syllables += f
        exact += e
    return Analysis(tuple(syllables), tuple(exact), tuple(numbers))


def shard_key(term: str) -> str:
    """What decides a term's shard: an exact form goes with its folded syllable ("=đèn" with "den"), so a query
    typed with diacritics fetches no more shards than one typed without; a bigram goes with its first syllable
    ("giai phong" with "giai"), so a query of n syllables fetches n shards, not 2n - 1, and the bigrams of a
    complete word with the half-typed one after it (any completion) are already there."""
    if term.startswith(EXACT):
        return LEADING_ZEROS.sub("", fold(term[len(EXACT):]))
    return term.split(" ", 1)[0]


def terms(a: Analysis) -> list[str]:
    """Every term of an analysed text, with repeats (their counts are term frequencies), in a fixed order:
    syllables, bigrams, document numbers, exact forms."""
    s = a.syllables
    out = list(s)
    out += [f"{s[i - 1]} {s[i]}" for i in range(1, len(s))]
    out += _extras(a)
    return out


def _extras(a: Analysis) -> list[str]:
    """The terms besides syllables and bigrams: document numbers, then exact forms."""
    return [*(n for n, _, _ in a.numbers), *(EXACT + e for e in a.exact if e is not None)]


def abbreviated(a: Analysis, table: dict[str, list[str]]) -> list[str]:
    """The abbreviations whose meaning (folded syllables, "giai phong mat bang") a text holds side by side, once per
    occurrence: the index lists such a text under the abbreviation too ("gpmb")."""
    s = a.syllables
    out = []
    for short, meanings in sorted(table.items()):
        for meaning in meanings:
            m = tuple(meaning.split(" "))
            out += [short] * sum(1 for i in range(len(s) - len(m) + 1) if s[i:i + len(m)] == m)
    return out


def split(text: str) -> list[str]:
    """A text's whitespace-separated tokens, as the Vocabulary reads them (odd spaces are spaces)."""
    return _spaces(text).split()


class Numbering(dict):
    """Each key gets, on first sight, the next number (0, 1, …); ``list(numbering)`` is the keys in that order."""

    def __missing__(self, key):
        self[key] = found = len(self)
        return found


class Vocabulary(dict):
    """Whitespace-separated token -> the ids of its folded syllables; ``extra``: token -> the ids of its other
    terms (document numbers, exact forms); ``ids``: term -> id. A word never contains white space, so a text's
    words are its tokens' words, in order.

    The index reads millions of words: each distinct token is analysed once, and every text is then split and
    looked up by C loops (str.split, map). Syllables, numbers and exact forms share one numbering (a term is a
    string); a bigram is the pair of its syllables' ids. It lives as long as one index build."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: Numbering = Numbering()
        self.extra: dict[str, tuple[int, ...]] = {}
        self._names: list[str] = []

    @property
    def names(self) -> list[str]:
        """The terms, by id (kept as they come: read it, don't change it)."""
        return self._names

    def __missing__(self, token: str) -> tuple[int, ...]:
        a = analyse(token)
        self.extra[token] = tuple(map(self._id, _extras(a)))
        self[token] = found = tuple(map(self._id, a.syllables))
        return found

    def _id(self, term: str) -> int:
        found = self.ids[term]
        if found == len(self._names):  # new
            self._names.append(term)
        return found

    def split(self, text: str) -> tuple[list[int], list[int]]:
        """The ids of a text's syllables, in order (its bigrams are the adjacent pairs), and of its other terms."""
        tokens = split(text)
        return (list(chain.from_iterable(map(self.__getitem__, tokens))),
                list(chain.from_iterable(map(self.extra.__getitem__, tokens))))
