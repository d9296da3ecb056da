"""The search index: small static JSON files, sharded so a query downloads a few KB whatever the archive's size.

Built from the notice model (never from HTML). One search document per place a visitor can land on:

- the notice's opening (title, number, meeting invitation, opening paragraphs): the page itself;
- each section's own text (``## I. …`` up to its first item; ``#phan-N``);
- each item (``#muc-N``): heading, text with its points, and the names of its departments and projects;
- the closing paragraph (the page itself: it has no anchor of its own).

Terms come from notice_archive.search (syllables, bigrams, document numbers, exact forms); a text holding the
meaning of an abbreviation ("giải phóng mặt bằng") is listed under the abbreviation ("gpmb") too. Each (term, document)
gets a BM25 weight (heading words count HEADING_BOOST times), quantised to 1..255. A term's shard keeps its CAP
heaviest documents (ties: the newer), so the first results of a syllable found in every notice ("thanh", "pho")
cost as little as a rare one's; the other documents of the term (its tail, without weights: they all weigh less)
are in a file of their own, fetched only to count every match or show more. Files, under ``<site>/tim-kiem/``:

- ``manifest.json``: version hash, shard count, chunk size, cap, weight scale, document count; the syllables of the
  archive, most frequent first (the last, half-typed word of a query is completed from them); the abbreviations
  (``notices/_registry/glossary.yml``, and those the registries' names and aliases spell out) and their meanings;
- ``i/<n>.json``: shard n holds every term whose shard key (notice_archive.search.shard_key) has an FNV-1a hash
  of n modulo the shard count (a power of two chosen so an average shard is a few KB):
  ``{"p": {term: [doc, weight, doc gap, weight, …]}, "n": {term: [document count, tail file]}}`` with ascending
  document numbers; "n" only names the terms with more documents than CAP;
- ``t/<k>.json``: the tail of a capped term, ascending document gaps (exact forms have none: they only order);
- ``d/<n>.json``: display data of documents n*CHUNK … (URL, anchor, title; number, date and title of the notice);
- ``f.json`` and ``f/<kind>/<key>.json``: the filters (departments, projects: names and document lists; years:
  document ranges, documents being ordered by date), loaded only when the filter panel is opened.

Two steps, so that a rebuild redoes only what changed: notice_index(notice, registry) is what one notice gives
(its documents' anchors, titles and filters, the tokens of their texts, its display data: a small picklable value the
per-notice cache can keep), and assemble(parts, registry) makes every file from those of all notices in date order,
one file at a time (a range of terms at a time: its memory grows by ~4 bytes a posting, not by the whole index).

Everything is deterministic (sorted keys, documents in date order); nothing comes from a third party.
"""

from __future__ import annotations

import hashlib
import json
import math
import operator
import re
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from itertools import chain
from typing import NamedTuple

from .model import Notice
from .registry import Registry
from .search import EXACT, LETTERS, Numbering, Vocabulary, analyse, fold, shard_key, split
from .urls import SEARCH_PATH

OUTPUT = SEARCH_PATH
VERSION = 2
CAP = 300  # documents per term in its shard (the heaviest); the others are in its tail file
CHUNK = 32  # documents per display-data file (a result costs about 1 KB gzip of display data)
HEADING_BOOST = 3  # a heading word counts as this many body words
K1, B = 1.2, 0.75  # BM25
SCALE = 10  # quantised weight = round(BM25 * SCALE), clamped to 1..255
SHARD_BYTES = 6000  # aim for this much JSON (about 2 KB gzip) in an average shard
TITLE_CHARS = 160  # item titles in results are cut here
FRACTION, DOC_BITS = 4096, 24  # postings packed as integers while the index is built (_Postings)
TF_BITS = 14  # BM25's term-frequency part in fixed point is below (K1 + 1) * FRACTION < 2**14
TERM_SHIFT = DOC_BITS + TF_BITS
ID_BITS = 21  # single terms (syllables, numbers, exact forms) have ids below 2**21; a bigram is (a + 1) << 21 | b
CHUNK_BITS = 10  # documents counted at a time: 1,024 (~40 MB of temporaries at 10,000 notices; faster sorts)
BLOCK = 1 << 18  # postings weighed at a time (a range of terms): ~15 MB of temporaries
DIGITS = 1 << 18  # numbers written as JSON text at a time (_json_lists): ~15 MB of temporaries
WORDS = 20_000  # syllables listed in the manifest for completing a half-typed word (the most frequent)
HYPHENATED = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")  # a word of letters, or several joined by "-"
MIN_DERIVED = 3  # letters of an abbreviation found in the registries (two-letter ones only from the glossary)


@dataclass(frozen=True)
class SearchDoc:
    notice: int  # index into the ordered notices
    anchor: str  # "" for the page itself
    title: str
    heading: str  # boosted text
    body: str
    departments: tuple[str, ...]
    projects: tuple[str, ...]


class Landing(NamedTuple):
    """A search document as results show it and filters select it (its text is in the notice's Words)."""

    anchor: str
    title: str
    departments: tuple[str, ...]
    projects: tuple[str, ...]


@dataclass(frozen=True)
class Words:
    """The words of some documents' texts (each document's body, then its heading): their whitespace-separated
    tokens (search.split), each distinct one once, in order of first sight, and each text's tokens as indices into
    them. Arrays as bytes: small and picklable (~6 KB a notice)."""

    tokens: str  # the distinct tokens, joined by spaces (a token holds no white space)
    text_tokens: bytes  # every text's tokens, text after text, as an array of ``typecode``
    counts: bytes  # tokens per text (array "i")
    typecode: str = "H"  # of text_tokens: "H" (2 bytes), or "I" for more than 65,536 distinct tokens


@dataclass(frozen=True)
class NoticeIndex:
    """What one notice gives the index (notice_index): its search documents, the words of their texts, and its
    display data in results."""

    docs: tuple[Landing, ...]
    words: Words
    display: tuple[str, str, str, str]  # URL, number, date, title
    year: int


def _unique(keys) -> tuple[str, ...]:
    return tuple(dict.fromkeys(k for k in keys if k))


def documents(notices: list[Notice], registry: Registry) -> tuple[list[Notice], list[SearchDoc]]:
    """Notices in date order, and their search documents in that order (opening, items, closing)."""
    ordered = sorted(notices, key=Notice.sort_key)
    return ordered, [doc for ni, n in enumerate(ordered) for doc in notice_documents(n, registry, ni)]


def notice_documents(n: Notice, registry: Registry, ni: int = 0) -> list[SearchDoc]:
    """One notice's search documents (opening, sections and items, closing); ``ni``: its place in date order."""
    docs: list[SearchDoc] = []
    deps_of = {}
    projs_of = {}
    for item in n.items:
        deps_of[item.anchor] = _unique([item.presented_by, *item.lead, *item.cooperating,
                                        *(k for p in item.points for k in (*p.lead, *p.cooperating))])
        projs_of[item.anchor] = _unique([*item.projects, *(k for p in item.points for k in p.projects)])
    all_deps = _unique(k for ks in deps_of.values() for k in ks)
    all_projs = _unique(k for ks in projs_of.values() for k in ks)
    opening = n.preamble
    if n.meeting.invitation and n.meeting.invitation not in opening:
        opening += f"\nGiấy mời số {n.meeting.invitation}"
    number = n.number_text if n.number is not None else ""
    docs.append(SearchDoc(ni, "", n.title, f"{n.title} {number}", opening, all_deps, all_projs))
    sections = {s.number: s for s in n.sections}
    for item in n.items:
        section = sections.pop(item.section, None) if item.section is not None else None
        if section is not None:
            docs.append(_section_doc(ni, section))
        names = [name for k in deps_of[item.anchor] for name in registry.department_names(k)]
        names += [name for k in projs_of[item.anchor] for name in registry.project_names(k)]
        title = f"{item.number}. {item.heading}"
        if len(title) > TITLE_CHARS:
            title = title[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"
        docs.append(SearchDoc(ni, item.anchor, title, item.heading,
                              "\n".join([item.text, *dict.fromkeys(names)]),
                              deps_of[item.anchor], projs_of[item.anchor]))
    docs += [_section_doc(ni, section) for section in sections.values()]  # sections without items
    if n.closing:
        docs.append(SearchDoc(ni, "", "Đoạn kết", "", n.closing, all_deps, all_projs))
    return docs


def _section_doc(notice: int, section) -> SearchDoc:
    return SearchDoc(notice, section.anchor, f"{section.numeral}. {section.title}"[:TITLE_CHARS], section.title,
                     section.text, (), ())


def notice_index(n: Notice, registry: Registry) -> NoticeIndex:
    """What one notice gives the index: a pure function of the notice and the registry (the names of the
    departments and projects it names are text of its items), cacheable per notice."""
    docs = notice_documents(n, registry)
    return NoticeIndex(tuple(Landing(d.anchor, d.title, d.departments, d.projects) for d in docs), words(docs),
                       (n.url, n.display_number, n.date.vn_short(), n.title), n.date.year)


def words(docs) -> Words:
    """The words of the documents' texts (body, then heading, of each)."""
    found: list[str] = []
    counts = array("i")
    for doc in docs:
        for text in (doc.body, doc.heading):
            tokens = split(text)
            found += tokens
            counts.append(len(tokens))
    seen = dict.fromkeys(found)  # (C loops)
    local = dict(zip(seen, range(len(seen)), strict=True))
    typecode = "H" if len(seen) <= 1 << 16 else "I"
    return Words(" ".join(seen), array(typecode, map(local.__getitem__, found)).tobytes(), counts.tobytes(),
                 typecode)


def fnv1a(term: str) -> int:
    """32-bit FNV-1a of the term's UTF-8 bytes (search.js computes the same)."""
    h = 0x811C9DC5
    for byte in term.encode("utf-8"):
        h = ((h ^ byte) * 0x01000193) & 0xFFFFFFFF
    return h


def shard_count(raw_bytes: int) -> int:
    """The power of two that makes an average shard about SHARD_BYTES of JSON."""
    s = 1
    while raw_bytes / s > SHARD_BYTES:
        s *= 2
    return s


def postings(docs: list[SearchDoc], abbr: dict[str, list[str]] | None = None) -> dict[str, list[tuple[int, int]]]:
    """term -> [(document, quantised weight)] in document order, at most CAP per term (the heaviest)."""
    index = _columns([words(docs)], abbr)
    documents, weights = index.top_docs.tolist(), index.top_weights.tolist()
    return {name: list(zip(documents[s:e], weights[s:e], strict=True)) for name, s, e in index.top_terms()}


def tails(docs: list[SearchDoc], abbr: dict[str, list[str]] | None = None) -> dict[str, list[int]]:
    """term -> its documents beyond the CAP heaviest, ascending (terms with no more than CAP have none)."""
    index = _columns([words(docs)], abbr)
    documents = index.tail_docs.tolist()
    return {name: documents[s:e] for name, s, e in index.tail_terms()}


@dataclass
class _Index:
    """Per term, its CAP heaviest documents (ascending) and their weights, and the others (ascending): the k-th term
    of ``top`` has the slice ``top_bounds[k]:top_bounds[k + 1]`` of the top arrays (numpy), and so for the tails.
    Gaps: each document's number less the one before it of the same term (the first: itself)."""

    names: list[str]  # by term id
    df: list[int]  # documents per term id
    top: list[int]  # term ids having documents in top, ascending
    top_bounds: list[int]
    top_docs: object
    top_gaps: object
    top_weights: object
    tail: list[int]
    tail_bounds: list[int]
    tail_docs: object
    tail_gaps: object

    def top_terms(self):
        return zip(map(self.names.__getitem__, self.top), self.top_bounds[:-1], self.top_bounds[1:], strict=True)

    def tail_terms(self):
        return zip(map(self.names.__getitem__, self.tail), self.tail_bounds[:-1], self.tail_bounds[1:], strict=True)


def _columns(parts: list[Words], abbr: dict[str, list[str]] | None = None) -> _Index:
    """The whole index of the documents whose words are ``parts`` at once (the tests' view; assemble() writes each
    range of terms of _Postings as it comes)."""
    import numpy as np

    found = _count(parts, abbr)
    keys, keeps = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=bool)]
    for key in found.weighed():
        keys.append(key)
        keeps.append(found.heaviest(key))
    key, keep = np.concatenate(keys), np.concatenate(keeps)
    top, tail = key[keep], key[~keep]
    doc_mask = (1 << DOC_BITS) - 1
    return _Index(found.names, found.df.tolist(), *_lists(top >> 32, (top >> 8) & doc_mask), top & 255,
                  *_lists(tail >> 32, (tail >> 8) & doc_mask))


@dataclass
class _Postings:
    """Every (term, document) of the documents, counted a chunk of 2**CHUNK_BITS documents at a time and kept packed
    (4 bytes a posting: BM25's term-frequency part in fixed point, the document in its chunk), by range of terms,
    so that the weighed, sorted postings of a range of terms are made when needed (weighed) and the packed ones
    freed: what the index holds at once is ~4 bytes a posting, less as it goes, not the ~40 of Python objects or
    the ~50 of whole-archive numpy temporaries.

    Term ids ascend with term codes (a single term's id, or a bigram's pair): each chunk's postings are sorted by
    (term, document), the postings of a range of terms are one slice of each."""

    names: list[str]  # by term id
    df: object  # documents per term id (numpy)
    idf: object  # BM25's idf per term id, times SCALE / FRACTION (numpy)
    over: object  # the terms with more documents than CAP (numpy bool)
    ranges: list[list[tuple[int, object, object, object]]]  # per range of terms (ascending), per chunk having
    # postings of it: its first document, its term ids, where each one's postings start (and the end), packed

    def weighed(self) -> Iterator:
        """The postings of each range of terms in turn, sorted: term << 32 | document << 8 | quantised weight (each
        range's packed postings are freed as it is weighed)."""
        import numpy as np

        local = (1 << CHUNK_BITS) - 1
        for r, chunks in enumerate(self.ranges):
            self.ranges[r] = []
            pieces = [np.zeros(0, dtype=np.int64)]
            for start, term, at, packed in chunks:
                t = np.repeat(term.astype(np.int64), np.diff(at))
                p = packed.astype(np.int64)
                # min(255, max(1, round(idf * tf part))): numpy's rint rounds half to even, as round() does.
                weight = np.clip(np.rint(self.idf[t] * (p >> CHUNK_BITS)), 1, 255).astype(np.int64)
                pieces.append(t << 32 | ((p & local) + start) << 8 | weight)
            del chunks  # (the packed postings of the range: freed)
            key = np.concatenate(pieces)
            del pieces
            key.sort(kind="stable")  # sorted runs (one per chunk, the chunks in document order): a merge
            yield key

    def heaviest(self, key):
        """Which of these weighed postings (whole terms) are in their term's CAP heaviest: a capped term keeps every
        document above some weight, and the newest of those at that weight."""
        import numpy as np

        term = key >> 32
        keep = np.ones(len(key), dtype=bool)
        capped = np.flatnonzero(self.over[term])
        if not len(capped):
            return keep
        t = term[capped]
        which = np.cumsum(np.r_[True, t[1:] != t[:-1]]) - 1  # the capped terms of the block, numbered
        del t
        weight = key[capped] & 255
        # Per capped term, how many documents it has at each weight, and at each weight or more:
        hist = np.bincount(which * 256 + weight, minlength=256 * int(which[-1] + 1)).reshape(-1, 256)
        at_least = hist[:, ::-1].cumsum(axis=1)  # documents of weight >= 255 - j
        col = np.argmax(at_least >= CAP, axis=1)
        rows = np.arange(len(hist))
        cut = 255 - col  # the lowest weight kept
        need = CAP - (at_least[rows, col] - hist[rows, 255 - col])  # documents kept at that weight
        del hist, at_least
        keep[capped] = weight > cut[which]
        at = weight == cut[which]
        at_cut, which = capped[at], which[at]  # ascending; within a term, documents ascending: keep the last `need`
        last = np.searchsorted(which, which, side="right") - 1 - np.arange(len(which))  # how many after it, same term
        keep[at_cut] = last < need[which]
        return keep


def _count(parts: list[Words], abbr: dict[str, list[str]] | None = None) -> _Postings:
    """The postings of the documents whose words are ``parts``, in order (each part, its documents in order).

    Counting and weighing are numpy's (C loops over ~20 million postings at 10,000 notices); documents are
    expanded into terms and counted 2**CHUNK_BITS at a time, which bounds the temporaries.

    abbr: abbreviation -> its meanings (folded syllables): a text holding a meaning side by side also holds the
    abbreviation as a term, once per occurrence (search.abbreviated), so a query of "gpmb" reads one posting list."""
    import numpy as np

    tokens = Numbering()  # token -> id across the parts
    found = _Tokens(parts, tokens)
    counts = [np.frombuffer(part.counts, dtype=np.int32) for part in parts]
    token_at = np.r_[0, np.cumsum(np.concatenate([np.zeros(0, dtype=np.int64), *counts]))]  # each text's first
    del counts
    vocabulary = Vocabulary()  # each distinct token is analysed once
    syllables = _Expansion(list(map(vocabulary.__getitem__, tokens)))
    others = _Expansion(list(map(vocabulary.extra.__getitem__, tokens)))
    ids = vocabulary.ids
    meanings = [(ids[short], tuple(ids[x] for x in meaning.split(" ")))
                for short, ms in sorted((abbr or {}).items()) for meaning in ms]
    n = (len(token_at) - 1) // 2
    if n >= 1 << DOC_BITS:
        raise ValueError(f"chỉ mục tìm kiếm: {n} phần, tối đa {(1 << DOC_BITS) - 1}")
    if len(ids) >= 1 << ID_BITS:
        raise ValueError(f"chỉ mục tìm kiếm: {len(ids)} từ khóa đơn khác nhau, tối đa {(1 << ID_BITS) - 1}")
    names = list(ids)  # (with the abbreviations)
    step = 1 << CHUNK_BITS
    chunks = [(start, min(n, start + step)) for start in range(0, n, step)]
    # Syllables per text (document d: body 2d, heading 2d + 1), for the documents' lengths:
    per_text = np.concatenate([np.zeros(0, dtype=np.int64),
                               *(syllables.counts(found, token_at[2 * a:2 * b + 1]) for a, b in chunks)])
    dl = per_text[0::2] + HEADING_BOOST * per_text[1::2]
    avgdl = (sum(dl.tolist()) / n if n else 0) or 1.0  # (no word at all: no posting to weigh)
    norm = np.array([K1 * (1 - B + B * x / avgdl) for x in dl.tolist()], dtype=np.float64)
    del dl
    counted = []  # per chunk: its first document, term codes (ascending), documents per code, packed postings
    for a, b in chunks:
        at = token_at[2 * a:2 * b + 1]
        s, s_counts = syllables.expand(found, at)
        o, o_counts = others.expand(found, at)
        counted.append((a, *_chunk_postings(a, s, s_counts, o, o_counts, norm, meanings)))
    del found, token_at
    codes = np.unique(np.concatenate([np.zeros(0, dtype=np.int64), *(code for _, code, _, _ in counted)]))
    if len(codes) >= 1 << (63 - TERM_SHIFT):  # (term ids shift by 32 in weighed postings)
        raise ValueError(f"chỉ mục tìm kiếm: {len(codes)} từ khóa khác nhau, tối đa {(1 << (63 - TERM_SHIFT)) - 1}")
    single = (1 << ID_BITS) - 1
    term_names = [names[code] if code <= single else f"{names[(code >> ID_BITS) - 1]} {names[code & single]}"
                  for code in codes.tolist()]
    df = np.zeros(len(codes), dtype=np.int64)
    for i, (start, code, count, packed) in enumerate(counted):
        term = np.searchsorted(codes, code)  # term ids ascend with codes: each chunk stays sorted by (term, doc)
        df[term] += count
        counted[i] = (start, term.astype(np.int32), np.r_[0, np.cumsum(count)].astype(np.int32), packed)
    idf = np.array([math.log(1 + (n - f + 0.5) / (f + 0.5)) * SCALE / FRACTION for f in df.tolist()])
    # Ranges of terms having about BLOCK postings each (a term's postings are never split); each chunk cut by them.
    total = np.cumsum(df)
    cuts = np.searchsorted(total, np.arange(BLOCK, int(total[-1]) if len(total) else 0, BLOCK), side="right")
    bounds = np.unique(np.r_[0, cuts, len(total)])
    ranges: list[list] = [[] for _ in range(len(bounds) - 1)]
    for i, (start, term, at, packed) in enumerate(counted):
        counted[i] = None  # (freed as it is cut)
        cut = np.searchsorted(term, bounds).tolist()
        for r, (a, b) in enumerate(zip(cut[:-1], cut[1:], strict=True)):
            if a < b:
                ranges[r].append((start, term[a:b].copy(), at[a:b + 1] - at[a], packed[at[a]:at[b]].copy()))
    return _Postings(term_names, df, idf, df > CAP, ranges)


def _lists(term, doc) -> tuple[list[int], list[int], object, object]:
    """Of postings sorted by (term, document): the terms, where each one's postings start (and the end), the
    documents and their gaps."""
    import numpy as np

    if not len(term):
        return [], [0], doc, doc
    bounds = np.flatnonzero(np.r_[True, term[1:] != term[:-1], True])
    return term[bounds[:-1]].tolist(), bounds.tolist(), doc, _gaps(doc, bounds[:-1])


def _gaps(doc, starts):
    """Each document less the one before it, but at ``starts`` (each list's first): the document itself."""
    gaps = doc.copy()
    gaps[1:] -= doc[:-1]
    gaps[starts] = doc[starts]
    return gaps


class _Tokens:
    """The parts' tokens (text after text) as ids across the parts (``numbering``), made a slice at a time from the
    parts' own arrays: never all at once (4 bytes a token: ~50 MB at 10,000 notices)."""

    def __init__(self, parts: list[Words], numbering: Numbering) -> None:
        import numpy as np

        self.parts = parts
        self.ids = [np.fromiter(map(numbering.__getitem__, part.tokens.split()), dtype=np.int32) for part in parts]
        sizes = np.fromiter((len(p.text_tokens) // array(p.typecode).itemsize for p in parts), dtype=np.int64,
                            count=len(parts))
        self.at = np.r_[0, np.cumsum(sizes)]  # where each part's tokens start

    def __getitem__(self, where: slice):
        import numpy as np

        first, end = int(where.start), int(where.stop)
        if first >= end:
            return np.zeros(0, dtype=np.int32)
        i = int(np.searchsorted(self.at, first, side="right")) - 1  # the parts holding tokens first .. end - 1
        j = int(np.searchsorted(self.at, end, side="left"))
        found = np.concatenate([self.ids[k][np.frombuffer(self.parts[k].text_tokens, dtype=self.parts[k].typecode)]
                                for k in range(i, j)])
        return found[first - int(self.at[i]):end - int(self.at[i])]


class _Expansion:
    """The term ids of tokens (token ``k`` has ``ids_of[k]``), flattened, to expand texts' tokens into their terms."""

    def __init__(self, ids_of: list[tuple[int, ...]]) -> None:
        import numpy as np

        self.size = np.fromiter(map(len, ids_of), dtype=np.int64, count=len(ids_of))
        self.flat = np.fromiter(chain.from_iterable(ids_of), dtype=np.int64, count=int(self.size.sum()))
        self.first = np.cumsum(self.size) - self.size  # where each token's ids start in flat

    def counts(self, found, token_at):
        """How many term ids each text has (text ``t``'s tokens are ``found[token_at[t]:token_at[t + 1]]``)."""
        import numpy as np

        length = self.size[found[token_at[0]:token_at[-1]]]
        return np.diff(np.r_[0, np.cumsum(length)][token_at - token_at[0]])

    def expand(self, found, token_at):
        """The term ids of the texts' tokens, in order, and how many each text has."""
        import numpy as np

        tokens = found[token_at[0]:token_at[-1]]
        length = self.size[tokens]
        at = np.cumsum(length) - length  # where each found token's ids go
        out = self.flat[np.arange(int(length.sum()), dtype=np.int64) + np.repeat(self.first[tokens] - at, length)]
        ends = np.r_[0, np.cumsum(length)][token_at - token_at[0]]
        return out, np.diff(ends)


def _chunk_postings(start: int, syllables, per_text, others, other_counts, norm,
                    meanings: list[tuple[int, tuple[int, ...]]] = ()):
    """One chunk of documents' distinct (term code, document): the codes (a single term's id, or a bigram's pair)
    ascending, how many documents each has, and per (code, document) BM25's tf part and document in the chunk,
    packed (tf part << CHUNK_BITS | document - start)."""
    import numpy as np

    text = np.arange(len(per_text), dtype=np.int64)  # document << 1 | 1 for its heading
    at = np.repeat(text, per_text)
    s = syllables.astype(np.int64)
    pair = np.ones(len(s), dtype=bool)  # a syllable and the next one make a bigram, within one text
    pair[np.cumsum(per_text)[per_text > 0] - 1] = False
    first = np.flatnonzero(pair)
    del pair
    shift = CHUNK_BITS + 1
    abbreviated = [np.zeros(0, dtype=np.int64)]
    starts_of: dict[int, np.ndarray] = {}
    for short, meaning in meanings:  # where each meaning starts, and runs on in the same text
        if meaning[0] not in starts_of:
            starts_of[meaning[0]] = np.flatnonzero(s == meaning[0])
        pos = starts_of[meaning[0]]
        for k, syllable in enumerate(meaning[1:], 1):
            pos = pos[pos + k < len(s)]
            pos = pos[(s[pos + k] == syllable) & (at[pos + k] == at[pos])]
        abbreviated.append(short << shift | at[pos])
    key = np.concatenate([s << shift | at, ((s[first] + 1) << ID_BITS | s[first + 1]) << shift | at[first],
                          others.astype(np.int64) << shift | np.repeat(text, other_counts), *abbreviated])
    del s, at, first, abbreviated, starts_of
    empty = np.zeros(0, dtype=np.int64)
    if not len(key):  # documents without a word
        return empty, empty, empty
    key.sort()
    heading = key & 1
    key >>= 1  # term code << CHUNK_BITS | document in the chunk
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    tf = np.add.reduceat(1 + (HEADING_BOOST - 1) * heading, starts).astype(np.float64)  # a heading's words count more
    del heading
    key = key[starts]
    code = key >> CHUNK_BITS
    doc = key & ((1 << CHUNK_BITS) - 1)
    del key, starts
    new = np.flatnonzero(np.r_[True, code[1:] != code[:-1], True])  # sorted by code
    # int(f * (K1 + 1) / (f + norm) * FRACTION): the same float operations, in the same order, as in Python.
    part = (tf * (K1 + 1) / (tf + norm[doc + start]) * FRACTION).astype(np.int64)
    packed = part << CHUNK_BITS | doc
    return code[new[:-1]], np.diff(new), packed.astype(np.uint32 if TF_BITS + CHUNK_BITS <= 32 else np.int64)


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _deltas(ids: list[int]) -> list[int]:
    return [*ids[:1], *map(operator.sub, ids[1:], ids)]


def abbreviations(registry: Registry) -> dict[str, list[str]]:
    """Folded abbreviation -> its meanings, folded ("gpmb" -> ["giai phong mat bang"]): the glossary's, and those
    spelled out by the registries: a word of a department's or project's alias, or a part of its key, in no name of
    it, whose letters are the initials of adjacent syllables of one of its names ("Phòng QLĐT" beside "Phòng Quản
    lý đô thị"; the key gpmb-du-an-trong-diem beside "Giải phóng mặt bằng các dự án trọng điểm")."""
    out: dict[str, set[str]] = {}
    for key, entry in registry.glossary.items():
        for meaning in entry.means:
            syllables = analyse(meaning).syllables
            if syllables:
                out.setdefault(key, set()).add(" ".join(syllables))
    for kind, table in (("departments", registry.departments), ("projects", registry.projects)):
        for key, entry in table.items():
            names = registry.department_names(key) if kind == "departments" else registry.project_names(key)
            spelled = [analyse(name).syllables for name in names]
            present = {fold(word) for name in names for word in LETTERS.findall(name) if not _upper(word)}
            candidates = {part for part in key.split("-") if part.isalpha()}
            candidates |= {fold(word).replace("-", "") for name in entry.aliases for word in HYPHENATED.findall(name)
                           if _upper(word.replace("-", ""))}  # "QLĐT", "TC-KH"
            for abbr in sorted(candidates - present):
                if len(abbr) < MIN_DERIVED:
                    continue
                for syllables in spelled:
                    initials = "".join(syl[0] for syl in syllables)
                    at = initials.find(abbr)
                    if at >= 0:
                        out.setdefault(abbr, set()).add(" ".join(syllables[at:at + len(abbr)]))
    return {abbr: sorted(meanings) for abbr, meanings in sorted(out.items())}


def _upper(word: str) -> bool:
    return len(word) > 1 and word.isupper()


def _words(names: list[str], df: list[int], terms: list[int]) -> list[str]:
    """The archive's syllables of letters, most documents first (then alphabetical), at most WORDS."""
    counts = {names[t]: df[t] for t in terms if names[t].isalpha()}
    return sorted(counts, key=lambda t: (-counts[t], t))[:WORDS]


def _json_lists(values, bounds) -> list[bytes]:
    """The JSON lists (as _json writes them) of non-negative integers ``values[bounds[k]:bounds[k + 1]]``, each k:
    written by numpy, DIGITS numbers at a time, without a Python object per number."""
    import numpy as np

    bounds = np.asarray(bounds, dtype=np.int64)
    out: list[bytes] = []
    k = 0
    while k < len(bounds) - 1:  # lists k .. m - 1: no more than DIGITS numbers (or one list)
        m = max(k + 1, int(np.searchsorted(bounds, bounds[k] + DIGITS, side="right")) - 1)
        text, at = _decimals(values[bounds[k]:bounds[m]])
        ends = at[bounds[k:m + 1] - bounds[k]].tolist()
        out += [b"[" + text[a:b - 1] + b"]" if b > a else b"[]" for a, b in zip(ends[:-1], ends[1:], strict=True)]
        k = m
    return out


def _decimals(values) -> tuple[bytes, object]:
    """Non-negative integers in decimal, each followed by ",": the text, and where each number starts (and the
    end)."""
    import numpy as np

    v = np.asarray(values, dtype=np.int64)
    top = int(v.max()) if len(v) else 0
    if len(v) and int(v.min()) < 0:
        raise ValueError("chỉ mục tìm kiếm: số âm")  # (never: documents ascend)
    digits = np.ones(len(v), dtype=np.int64)
    bound = 10
    while bound <= top:
        digits += v >= bound
        bound *= 10
    at = np.r_[0, np.cumsum(digits + 1)]
    text = np.full(int(at[-1]), ord(","), dtype=np.uint8)
    last = at[1:] - 2  # each number's last digit
    for j in range(len(str(top))):
        more = np.flatnonzero(digits > j)
        text[last[more] - j] = ord("0") + v[more] // 10 ** j % 10
    return text.tobytes(), at


def _key(term: str) -> bytes:
    return json.dumps(term, ensure_ascii=False).encode("utf-8") + b":"


def build(notices: list[Notice], registry: Registry) -> dict[str, bytes]:
    """Every file of the index, by path relative to the index folder."""
    return dict(assemble([notice_index(n, registry) for n in sorted(notices, key=Notice.sort_key)], registry))


def assemble(parts: list[NoticeIndex], registry: Registry) -> Iterator[tuple[str, bytes]]:
    """Every file of the index of the notices whose notice_index are ``parts``, in date order (Notice.sort_key):
    (path relative to the index folder, bytes), one at a time, in path order, the manifest last. A shard's or a
    tail's bytes are made when it is written (they and the postings of a range of terms are freed as they go)."""
    import numpy as np

    docs = [doc for part in parts for doc in part.docs]
    doc_notice = [ni for ni, part in enumerate(parts) for _ in part.docs]
    abbr = abbreviations(registry)
    index = _count([part.words for part in parts], abbr)
    names, df = index.names, index.df.tolist()
    # Exact forms ("=đèn") only order results (a query's matches are its folded terms'): their heaviest are enough.
    # A capped term's tail file is numbered in the order of the terms.
    capped = np.flatnonzero(index.over).tolist()
    tail_file = {t: k for k, t in enumerate(sorted((t for t in capped if not names[t].startswith(EXACT)),
                                                   key=names.__getitem__))}
    written = np.zeros(len(df), dtype=bool)
    written[list(tail_file)] = True
    doc_mask = (1 << DOC_BITS) - 1
    tops, tail_texts = [np.zeros(0, dtype=np.int64)], {}
    for key in index.weighed():  # a range of terms at a time: its heaviest postings kept, its tails written
        keep = index.heaviest(key)
        tops.append(key[keep])
        key = key[~keep]
        key = key[written[key >> 32]]
        terms, bounds, _, gaps = _lists(key >> 32, (key >> 8) & doc_mask)
        del key, keep
        tail_texts.update(zip(terms, _json_lists(gaps, bounds), strict=True))  # (smaller than any array of them)
        del gaps
    top = np.concatenate(tops)
    del tops
    terms, bounds, _, gaps = _lists(top >> 32, (top >> 8) & doc_mask)
    flat = np.empty(2 * len(top), dtype=np.int64)  # document gap, weight, …
    flat[0::2] = gaps
    flat[1::2] = top & 255
    del top, gaps
    top_texts = _json_lists(flat, [2 * b for b in bounds])
    raw = sum(len(names[t]) for t in terms) + 4 * len(terms) + 4 * len(flat)  # about the JSON's size
    del flat
    # No more shards than about half the shard keys (a term goes with its first syllable: few keys, most shards
    # would be empty files otherwise).
    shard_keys = [shard_key(names[t]) for t in terms]
    distinct = set(shard_keys)
    shards = min(shard_count(raw), shard_count(len(distinct) * SHARD_BYTES // 2))
    hashes = {k: fnv1a(k) & (shards - 1) for k in distinct}
    by_shard: list[list[int]] = [[] for _ in range(shards)]  # per shard, its terms (positions in ``terms``)
    for i, k in enumerate(shard_keys):
        by_shard[hashes[k]].append(i)
    del shard_keys, distinct

    def shard(k: int) -> bytes:
        mine = sorted(by_shard[k], key=lambda i: names[terms[i]])
        by_shard[k] = []
        capped_here = [terms[i] for i in mine if terms[i] in tail_file]
        n = b",".join(_key(names[t]) + b"[%d,%d]" % (df[t], tail_file[t]) for t in capped_here)
        p = b",".join(_key(names[terms[i]]) + top_texts[i] for i in mine)
        for i in mine:
            top_texts[i] = b""  # (written)
        return b'{"n":{' + n + b'},"p":{' + p + b"}}"

    def display(start: int) -> bytes:
        local: dict[int, int] = {}
        notices_out, docs_out = [], []
        for doc, ni in zip(docs[start:start + CHUNK], doc_notice[start:start + CHUNK], strict=True):
            if ni not in local:
                local[ni] = len(notices_out)
                notices_out.append(list(parts[ni].display))
            docs_out.append([local[ni], doc.anchor, doc.title])
        return _json({"n": notices_out, "d": docs_out})

    files: dict[str, Callable[[], bytes]] = {}  # each file's maker, its bytes made when it is written
    files.update((f"d/{start // CHUNK}.json", partial(display, start)) for start in range(0, len(docs), CHUNK))
    files.update((f"i/{k}.json", partial(shard, k)) for k in range(shards))
    files.update((f"t/{k}.json", partial(tail_texts.pop, t)) for t, k in tail_file.items())
    filters: dict[str, list] = {"don-vi": [], "du-an": [], "nam": []}
    for kind, table, attr in (("don-vi", registry.departments, "departments"),
                              ("du-an", registry.projects, "projects")):
        members: dict[str, list[int]] = {}
        for doc_id, doc in enumerate(docs):
            for key in getattr(doc, attr):
                members.setdefault(key, []).append(doc_id)
        for key in sorted(members):
            filters[kind].append([key, table[key].name, len(members[key])])
            files[f"f/{kind}/{key}.json"] = partial(_json, _deltas(members[key]))
    years: dict[int, list[int]] = {}
    for doc_id, ni in enumerate(doc_notice):
        years.setdefault(parts[ni].year, []).append(doc_id)
    filters["nam"] = [[y, ids[0], ids[-1] + 1] for y, ids in sorted(years.items())]  # contiguous: date order
    files["f.json"] = partial(_json, filters)

    digest = hashlib.sha256()
    for path in sorted(files):
        data = files.pop(path)()
        digest.update(path.encode() + b"\0" + data + b"\0")
        yield path, data
    yield "manifest.json", _json({"version": VERSION, "hash": digest.hexdigest()[:16], "shards": shards,
                                  "chunk": CHUNK, "docs": len(docs), "notices": len(parts), "terms": len(terms),
                                  "cap": CAP, "capped": len(tail_file), "scale": SCALE,
                                  "words": _words(names, df, terms), "abbr": abbr})
