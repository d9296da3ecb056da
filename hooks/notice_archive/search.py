"""Full-text search: Vietnamese-aware text forms and the Pagefind index of the built site.

Citizens type without diacritics, with "d" for "đ", paste decomposed Unicode (NFD) from Word, and write the tone of
"hoà/hòa", "thuỷ/thủy" in either place. Pagefind already folds combining marks (exact-diacritic matches rank higher),
but "đ" is a letter of its own, not "d" plus a mark, so it never folds. The index is therefore built from a copy of
each page (never served) whose text is in *index form*:

- NFC; non-breaking and other odd spaces become plain spaces;
- tone marks in the old, official place ("hoà" -> "hòa", "thuỷ" -> "thủy", "khoẻ" -> "khỏe");
- "đ"/"Đ" written as "d"/"D" + U+0335 (combining short stroke overlay), which Pagefind folds to "d" like any other
  mark, while an exact "đ" query (sent in the same form) still ranks exact matches first.

The browser (theme/assets/javascripts/search-normalise.js) applies the same rules to the query, and turns U+0335
back into "đ" when it shows excerpts. Both sides are tested against tests/search_normalise_cases.json.
"""

from __future__ import annotations

import asyncio
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

STROKE = "\u0335"  # COMBINING SHORT STROKE OVERLAY: "d" + STROKE is how "đ" is indexed
SPACES = re.compile(r"[\u00a0\u2007\u202f\u2000-\u200a\u3000]")
ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
# A syllable ending in oa/oe/uy (not "qu"+y, where u is part of the consonant) takes its tone on the first vowel.
OLD_STYLE = re.compile(r"(?<![qQ])([oOuU])([aAeEyY])$")
LETTERS = re.compile(r"[^\W\d_]+")
PAGE_MARKER = "data-pagefind-body"


def canon(text: str) -> str:
    """NFC, plain spaces, no zero-width characters, tone marks in the old (official) place. Keeps case and marks."""
    text = unicodedata.normalize("NFC", text)
    text = ZERO_WIDTH.sub("", SPACES.sub(" ", text))
    return LETTERS.sub(lambda m: _tone_place(m.group(0)), text)


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
    text = unicodedata.normalize("NFD", canon(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.replace("đ", "d").replace("Đ", "D").lower()


def index_form(text: str) -> str:
    """The text Pagefind indexes and the query it is sent: canon() with "đ" as "d" + U+0335 (see module doc)."""
    return canon(text).replace("đ", "d" + STROKE).replace("Đ", "D" + STROKE)


TAG_OR_TEXT = re.compile(r"(<!--.*?-->|<script\b.*?</script>|<style\b.*?</style>|<[^>]*>)", re.S | re.I)


def index_html(html: str) -> str:
    """The page as Pagefind should read it: text nodes in index form, tags and attributes untouched."""
    parts = TAG_OR_TEXT.split(html)
    return "".join(part if i % 2 else index_form(part) for i, part in enumerate(parts))


@dataclass(frozen=True)
class IndexReport:
    pages: int
    files: int
    bytes: int


def searchable_pages(site_dir: Path) -> list[tuple[str, Path]]:
    """(site URL, file) of every built page that marks its searchable part with data-pagefind-body, sorted."""
    out = []
    for path in sorted(site_dir.rglob("*.html")):
        if path.is_relative_to(site_dir / "pagefind"):
            continue
        if PAGE_MARKER in path.read_text(encoding="utf-8"):
            rel = path.relative_to(site_dir).as_posix()
            url = "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
            out.append((url, path))
    return out


def build_index(site_dir: str | Path, output: str = "pagefind") -> IndexReport:
    """Index the built site's searchable pages (in index form) into site_dir/<output> with Pagefind."""
    site = Path(site_dir)
    pages = searchable_pages(site)
    asyncio.run(_write_index(site, pages, output))
    files = [p for p in (site / output).rglob("*") if p.is_file()]
    return IndexReport(len(pages), len(files), sum(p.stat().st_size for p in files))


async def _write_index(site: Path, pages: list[tuple[str, Path]], output: str) -> None:
    from pagefind.index import PagefindIndex  # imported here: only a build that indexes needs the binary

    config = {"force_language": "vi", "output_path": str(site / output)}
    async with PagefindIndex(config=config) as index:  # type: ignore[arg-type]
        for url, path in pages:
            await index.add_html_file(content=index_html(path.read_text(encoding="utf-8")), url=url)
        await index.write_files(output_path=str(site / output))
