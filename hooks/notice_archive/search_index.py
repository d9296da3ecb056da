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

Everything is deterministic (sorted keys, documents in date order); nothing comes from a third party.
"""

from __future__ import annotations

import hashlib
import json
import math
import operator
import re
from dataclasses import dataclass

import numpy as np

from .model import Notice
from .registry import Registry
from .search import EXACT, LETTERS, Numbering, Vocabulary, analyse, fold, shard_key
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
FRACTION, DOC_BITS = 4096, 24  # postings packed as integers while the index is built (_columns)
TF_BITS = 14  # BM25's term-frequency part in fixed point is below (K1 + 1) * FRACTION < 2**14
TERM_SHIFT = DOC_BITS + TF_BITS
ID_BITS = 21  # single terms (syllables, numbers, exact forms) have ids below 2**21; a bigram is (a + 1) << 21 | b
CHUNK_BITS = 12  # documents counted at a time: 4,096 (~60 MB of temporaries at 10,000 notices)
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


def _unique(keys) -> tuple[str, ...]:
    return tuple(dict.fromkeys(k for k in keys if k))


def documents(notices: list[Notice], registry: Registry) -> tuple[list[Notice], list[SearchDoc]]:
    """Notices in date order, and their search documents in that order (opening, items, closing)."""
    ordered = sorted(notices, key=Notice.sort_key)
    docs: list[SearchDoc] = []
    for ni, n in enumerate(ordered):
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
    return ordered, docs


def _section_doc(notice: int, section) -> SearchDoc:
    return SearchDoc(notice, section.anchor, f"{section.numeral}. {section.title}"[:TITLE_CHARS], section.title,
                     section.text, (), ())


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
    return {term: list(zip(ids, weights, strict=True)) for term, (ids, weights) in _columns(docs, abbr)[0].items()}


def tails(docs: list[SearchDoc], abbr: dict[str, list[str]] | None = None) -> dict[str, list[int]]:
    """term -> its documents beyond the CAP heaviest, ascending (terms with no more than CAP have none)."""
    return _columns(docs, abbr)[1]


def _columns(docs: list[SearchDoc], abbr: dict[str, list[str]] | None = None
             ) -> tuple[dict[str, tuple[list[int], list[int]]], dict[str, list[int]]]:
    """Per term, its CAP heaviest documents (ascending) and their weights; and, for terms with more, the other
    documents (ascending).

    Every (term, document) becomes one integer, TERM_SHIFT bits of term id above BM25's term-frequency part (fixed
    point, FRACTION) above the document number, so that sorting them groups each term's postings. Counting, sorting
    and weighing are numpy's (C loops over ~20 million postings at 10,000 notices); documents are counted
    2**CHUNK_BITS at a time, which bounds the temporaries.

    abbr: abbreviation -> its meanings (folded syllables): a text holding a meaning side by side also holds the
    abbreviation as a term, once per occurrence (search.abbreviated), so a query of "gpmb" reads one posting list."""
    vocabulary = Vocabulary()
    meanings = [(vocabulary.ids[short], tuple(vocabulary.ids[x] for x in meaning.split(" ")))
                for short, ms in sorted((abbr or {}).items()) for meaning in ms]
    n = len(docs)
    texts = []  # per chunk: syllable ids, other term ids, and per text (body, heading of each document) their counts
    lengths = []
    for start in range(0, n, 1 << CHUNK_BITS):
        syllables: list[int] = []
        others: list[int] = []
        syllable_counts: list[int] = []
        other_counts: list[int] = []
        for doc in docs[start:start + (1 << CHUNK_BITS)]:
            for text in (doc.body, doc.heading):
                s, o = vocabulary.split(text)
                syllables += s
                others += o
                syllable_counts.append(len(s))
                other_counts.append(len(o))
        per_text = np.array(syllable_counts, dtype=np.int64)
        lengths.append(per_text[0::2] + HEADING_BOOST * per_text[1::2])
        texts.append((start, np.array(syllables, dtype=np.int32), per_text, np.array(others, dtype=np.int32),
                      np.array(other_counts, dtype=np.int64)))
    if n >= 1 << DOC_BITS:
        raise ValueError(f"chỉ mục tìm kiếm: {n} phần, tối đa {(1 << DOC_BITS) - 1}")
    if len(vocabulary.ids) >= 1 << ID_BITS:
        raise ValueError(f"chỉ mục tìm kiếm: {len(vocabulary.ids)} từ khóa đơn khác nhau, tối đa {(1 << ID_BITS) - 1}")
    dl = np.concatenate(lengths) if lengths else np.zeros(0, dtype=np.int64)
    avgdl = (sum(dl.tolist()) / n if n else 0) or 1.0  # (no word at all: no posting to weigh)
    norm = np.array([K1 * (1 - B + B * x / avgdl) for x in dl.tolist()], dtype=np.float64)
    ids = Numbering()  # term code (a single term's id, or a bigram's pair) -> term id, in order of first sight
    chunks = []
    for i, chunk in enumerate(texts):
        texts[i] = None  # freed as it goes
        term, packed = _chunk_postings(*chunk, norm, ids, meanings)
        if len(ids) >= 1 << (63 - TERM_SHIFT):  # (below 2**31 too: by_weight shifts term ids by 32)
            raise ValueError(f"chỉ mục tìm kiếm: {len(ids)} từ khóa khác nhau, tối đa {(1 << (63 - TERM_SHIFT)) - 1}")
        chunks.append(term << TERM_SHIFT | packed)
    every = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)
    del chunks
    if not len(every):
        return {}, {}
    doc_mask, tf_mask = (1 << DOC_BITS) - 1, (1 << TF_BITS) - 1
    term = every >> TERM_SHIFT
    df = np.bincount(term, minlength=len(ids))
    idf = np.array([math.log(1 + (n - f + 0.5) / (f + 0.5)) * SCALE / FRACTION for f in df.tolist()])
    # min(255, max(1, round(idf * tf part))): numpy's rint rounds half to even, as round() does.
    weight = np.clip(np.rint(idf[term] * ((every >> DOC_BITS) & tf_mask)), 1, 255).astype(np.int64)
    # Heaviest last within each term (ties: the newer document), then each term's CAP last are its shard's.
    by_weight = term << 32 | weight << DOC_BITS | (every & doc_mask)
    del every, term, weight
    by_weight.sort()
    keep = np.ones(len(by_weight), dtype=bool)
    over = np.flatnonzero(df > CAP)
    for end, count in zip(np.cumsum(df)[over].tolist(), df[over].tolist(), strict=True):
        keep[end - count:end - CAP] = False
    top = by_weight[keep]
    tail = by_weight[~keep]
    del by_weight, keep
    top = (top >> 32) << 32 | (top & doc_mask) << 8 | (top >> DOC_BITS) & 255  # term, document, weight
    top.sort()
    tail = (tail >> 32) << DOC_BITS | (tail & doc_mask)
    tail.sort()
    names, codes, single = vocabulary.names, list(ids), (1 << ID_BITS) - 1

    def name(t: int) -> str:
        code = codes[t]
        return names[code] if code <= single else f"{names[(code >> ID_BITS) - 1]} {names[code & single]}"

    out: dict[str, tuple[list[int], list[int]]] = {}
    term = top >> 32
    documents = ((top >> 8) & doc_mask).tolist()
    weights = (top & 255).tolist()
    bounds = np.flatnonzero(np.r_[True, term[1:] != term[:-1], True]).tolist()
    for t, s, e in zip(term[bounds[:-1]].tolist(), bounds[:-1], bounds[1:], strict=True):
        out[name(t)] = (documents[s:e], weights[s:e])
    rest: dict[str, list[int]] = {}
    if len(tail):
        term = tail >> DOC_BITS
        documents = (tail & doc_mask).tolist()
        bounds = np.flatnonzero(np.r_[True, term[1:] != term[:-1], True]).tolist()
        for t, s, e in zip(term[bounds[:-1]].tolist(), bounds[:-1], bounds[1:], strict=True):
            rest[name(t)] = documents[s:e]
    return out, rest


def _chunk_postings(start: int, syllables: np.ndarray, per_text: np.ndarray, others: np.ndarray,
                    other_counts: np.ndarray, norm: np.ndarray, ids: Numbering,
                    meanings: list[tuple[int, tuple[int, ...]]] = ()) -> tuple[np.ndarray, np.ndarray]:
    """The (term id, packed tf part and document) of each distinct (term, document) of one chunk of documents."""
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
    if not len(key):  # documents without a word
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    key.sort()
    heading = key & 1
    key >>= 1  # term code << CHUNK_BITS | document in the chunk
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    tf = np.add.reduceat(1 + (HEADING_BOOST - 1) * heading, starts).astype(np.float64)  # a heading's words count more
    del heading
    key = key[starts]
    code = key >> CHUNK_BITS
    doc = (key & ((1 << CHUNK_BITS) - 1)) + start
    del key, starts
    new = np.r_[True, code[1:] != code[:-1]]  # sorted by code
    term = np.fromiter(map(ids.__getitem__, code[new].tolist()), dtype=np.int64, count=int(new.sum()))
    # int(f * (K1 + 1) / (f + norm) * FRACTION): the same float operations, in the same order, as in Python.
    part = (tf * (K1 + 1) / (tf + norm[doc]) * FRACTION).astype(np.int64)
    return term[np.cumsum(new) - 1], part << DOC_BITS | doc


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


def _words(top: dict[str, tuple[list[int], list[int]]], rest: dict[str, list[int]]) -> list[str]:
    """The archive's syllables of letters, most documents first (then alphabetical), at most WORDS."""
    counts = {t: len(ids) + len(rest.get(t, ())) for t, (ids, _) in top.items() if t.isalpha()}
    return sorted(counts, key=lambda t: (-counts[t], t))[:WORDS]


def build(notices: list[Notice], registry: Registry) -> dict[str, bytes]:
    """Every file of the index, by path relative to the index folder."""
    ordered, docs = documents(notices, registry)
    abbr = abbreviations(registry)
    post, rest = _columns(docs, abbr)
    encoded: dict[str, list[int]] = {}
    for term, (ids, weights) in post.items():
        flat = [0] * (2 * len(ids))
        flat[0::2] = _deltas(ids)
        flat[1::2] = weights
        encoded[term] = flat
    raw = sum(len(t) + 4 + 4 * len(flat) for t, flat in encoded.items())  # about the JSON's size
    # No more shards than about half the shard keys (a term goes with its first syllable: few keys, most shards
    # would be empty files otherwise).
    shards = min(shard_count(raw), shard_count(len({shard_key(t) for t in encoded}) * SHARD_BYTES // 2))
    by_shard: dict[int, dict[str, dict]] = {k: {"p": {}, "n": {}} for k in range(shards)}  # (each one a file)
    for term, flat in encoded.items():
        by_shard[fnv1a(shard_key(term)) & (shards - 1)]["p"][term] = flat
    files = {}
    # Exact forms ("=đèn") only order results (a query's matches are its folded terms'): their heaviest are enough.
    for k, term in enumerate(sorted(t for t in rest if not t.startswith(EXACT))):
        ids = rest[term]
        files[f"t/{k}.json"] = _json(_deltas(ids))
        by_shard[fnv1a(shard_key(term)) & (shards - 1)]["n"][term] = [len(post[term][0]) + len(ids), k]
    files.update((f"i/{k}.json", _json(v)) for k, v in by_shard.items())

    for start in range(0, len(docs), CHUNK):
        chunk = docs[start:start + CHUNK]
        local: dict[int, int] = {}
        notices_out, docs_out = [], []
        for doc in chunk:
            if doc.notice not in local:
                local[doc.notice] = len(notices_out)
                n = ordered[doc.notice]
                notices_out.append([n.url, n.display_number, n.date.vn_short(), n.title])
            docs_out.append([local[doc.notice], doc.anchor, doc.title])
        files[f"d/{start // CHUNK}.json"] = _json({"n": notices_out, "d": docs_out})

    filters: dict[str, list] = {"don-vi": [], "du-an": [], "nam": []}
    for kind, names, attr in (("don-vi", registry.departments, "departments"),
                              ("du-an", registry.projects, "projects")):
        members: dict[str, list[int]] = {}
        for doc_id, doc in enumerate(docs):
            for key in getattr(doc, attr):
                members.setdefault(key, []).append(doc_id)
        for key in sorted(members):
            filters[kind].append([key, names[key].name, len(members[key])])
            files[f"f/{kind}/{key}.json"] = _json(_deltas(members[key]))
    years: dict[int, list[int]] = {}
    for doc_id, doc in enumerate(docs):
        years.setdefault(ordered[doc.notice].date.year, []).append(doc_id)
    filters["nam"] = [[y, ids[0], ids[-1] + 1] for y, ids in sorted(years.items())]  # contiguous: date order
    files["f.json"] = _json(filters)

    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(path.encode() + b"\0" + files[path] + b"\0")
    files["manifest.json"] = _json({"version": VERSION, "hash": digest.hexdigest()[:16], "shards": shards,
                                 "chunk": CHUNK, "docs": len(docs), "notices": len(ordered), "terms": len(post),
                                 "cap": CAP, "capped": sum(1 for k in files if k.startswith("t/")), "scale": SCALE,
                                 "words": _words(post, rest),
                                 "abbr": abbr})
    return files
