"""The search index: small static JSON files, sharded so a query downloads a few KB whatever the archive's size.

Built from the notice model (never from HTML). One search document per place a visitor can land on:

- the notice's opening (title, number, meeting invitation, opening paragraphs): the page itself;
- each item (``#muc-N``): heading, text with its points, and the names of its departments and projects;
- the closing paragraph (the page itself: it has no anchor of its own).

Terms come from notice_archive.search (syllables, bigrams, document numbers, exact forms). Each (term, document)
gets a BM25 weight (heading words count HEADING_BOOST times), quantised to 1..255. A term's posting list keeps only
its CAP best documents, so the list of a syllable found in every notice ("thanh", "pho") stays as small as a rare
one; the manifest says so. Files, under ``<site>/tim-kiem/``:

- ``manifest.json``: the manifest (version hash, shard count, chunk size, cap, weight scale, document count);
- ``i/<n>.json``: shard n holds every term whose FNV-1a hash is n modulo the shard count (a power of two chosen so
  an average shard is a few KB; an exact form is hashed as its folded syllable, so it shares that syllable's
  shard): ``{term: [doc, weight, doc gap, weight, …]}`` with ascending document numbers;
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
from dataclasses import dataclass

import numpy as np

from .model import Notice
from .registry import Registry
from .search import Numbering, Vocabulary, shard_key
from .urls import SEARCH_PATH

OUTPUT = SEARCH_PATH
VERSION = 1
CAP = 300  # documents kept per term (the best by weight)
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
        for item in n.items:
            names = [name for k in deps_of[item.anchor] for name in registry.department_names(k)]
            names += [name for k in projs_of[item.anchor] for name in registry.project_names(k)]
            title = f"{item.number}. {item.heading}"
            if len(title) > TITLE_CHARS:
                title = title[:TITLE_CHARS].rsplit(" ", 1)[0] + "…"
            docs.append(SearchDoc(ni, item.anchor, title, item.heading,
                                  "\n".join([item.text, *dict.fromkeys(names)]),
                                  deps_of[item.anchor], projs_of[item.anchor]))
        if n.closing:
            docs.append(SearchDoc(ni, "", "Đoạn kết", "", n.closing, all_deps, all_projs))
    return ordered, docs


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


def postings(docs: list[SearchDoc]) -> dict[str, list[tuple[int, int]]]:
    """term -> [(document, quantised weight)] in document order, at most CAP per term (the heaviest)."""
    return {term: list(zip(ids, weights, strict=True)) for term, (ids, weights) in _columns(docs).items()}


def _columns(docs: list[SearchDoc]) -> dict[str, tuple[list[int], list[int]]]:
    """The same as two lists per term: its documents (ascending) and their weights.

    Every (term, document) becomes one integer, TERM_SHIFT bits of term id above BM25's term-frequency part (fixed
    point, FRACTION) above the document number, so that sorting them groups each term's postings, heaviest last
    (ties: the newer document). Counting, sorting and weighing are numpy's (C loops over ~20 million postings at
    10,000 notices); documents are counted 2**CHUNK_BITS at a time, each chunk keeping its CAP heaviest postings
    per term (the archive's CAP heaviest are among them), which bounds the memory."""
    vocabulary = Vocabulary()
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
    df = np.zeros(0, dtype=np.int64)
    chunks = []
    for i, chunk in enumerate(texts):
        texts[i] = None  # freed as it goes
        term, packed = _chunk_postings(*chunk, norm, ids)
        if len(ids) >= 1 << (63 - TERM_SHIFT):
            raise ValueError(f"chỉ mục tìm kiếm: {len(ids)} từ khóa khác nhau, tối đa {(1 << (63 - TERM_SHIFT)) - 1}")
        counts = np.bincount(term, minlength=len(ids))
        chunks.append(_heaviest(term << TERM_SHIFT | packed, counts))
        counts[:len(df)] += df
        df = counts
    every = np.empty(sum(len(c) for c in chunks), dtype=np.int64)
    at = 0
    for i, c in enumerate(chunks):  # each chunk freed once copied (the pages of ``every`` are taken as written)
        every[at:at + len(c)] = c
        at += len(c)
        chunks[i] = None
    kept = _heaviest(every, np.bincount(every >> TERM_SHIFT, minlength=len(ids)))
    del every
    if not len(kept):
        return {}
    doc_mask, tf_mask = (1 << DOC_BITS) - 1, (1 << TF_BITS) - 1
    # Back in document order within each term: term, document, term-frequency part.
    kept = (kept >> TERM_SHIFT) << TERM_SHIFT | (kept & doc_mask) << TF_BITS | (kept >> DOC_BITS) & tf_mask
    kept.sort()
    term = kept >> TERM_SHIFT
    idf = np.array([math.log(1 + (n - f + 0.5) / (f + 0.5)) * SCALE / FRACTION for f in df.tolist()])
    # min(255, max(1, round(idf * tf part))): numpy's rint rounds half to even, as round() does.
    weights = np.clip(np.rint(idf[term] * (kept & tf_mask)), 1, 255).astype(np.int64).tolist()
    documents = ((kept >> TF_BITS) & doc_mask).tolist()
    bounds = np.flatnonzero(np.r_[True, term[1:] != term[:-1], True]).tolist()
    names, codes, single = vocabulary.names, list(ids), (1 << ID_BITS) - 1
    out: dict[str, tuple[list[int], list[int]]] = {}
    for t, s, e in zip(term[bounds[:-1]].tolist(), bounds[:-1], bounds[1:], strict=True):
        code = codes[t]
        key = names[code] if code <= single else f"{names[(code >> ID_BITS) - 1]} {names[code & single]}"
        out[key] = (documents[s:e], weights[s:e])
    return out


def _chunk_postings(start: int, syllables: np.ndarray, per_text: np.ndarray, others: np.ndarray,
                    other_counts: np.ndarray, norm: np.ndarray, ids: Numbering) -> tuple[np.ndarray, np.ndarray]:
    """The (term id, packed tf part and document) of each distinct (term, document) of one chunk of documents."""
    text = np.arange(len(per_text), dtype=np.int64)  # document << 1 | 1 for its heading
    at = np.repeat(text, per_text)
    s = syllables.astype(np.int64)
    pair = np.ones(len(s), dtype=bool)  # a syllable and the next one make a bigram, within one text
    pair[np.cumsum(per_text)[per_text > 0] - 1] = False
    first = np.flatnonzero(pair)
    del pair
    shift = CHUNK_BITS + 1
    key = np.concatenate([s << shift | at, ((s[first] + 1) << ID_BITS | s[first + 1]) << shift | at[first],
                          others.astype(np.int64) << shift | np.repeat(text, other_counts)])
    del s, at, first
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


def _heaviest(keys: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """keys (term id << TERM_SHIFT | …), sorted in place, with only each term's CAP largest; counts: how many keys
    each term id has."""
    keys.sort()
    over = np.flatnonzero(counts > CAP)
    if not len(over):
        return keys
    keep = np.ones(len(keys), dtype=bool)
    for end, count in zip(np.cumsum(counts)[over].tolist(), counts[over].tolist(), strict=True):
        keep[end - count:end - CAP] = False
    return keys[keep]


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _deltas(ids: list[int]) -> list[int]:
    return [*ids[:1], *map(operator.sub, ids[1:], ids)]


def build(notices: list[Notice], registry: Registry) -> dict[str, bytes]:
    """Every file of the index, by path relative to the index folder."""
    ordered, docs = documents(notices, registry)
    post = _columns(docs)
    encoded: dict[str, list[int]] = {}
    for term, (ids, weights) in post.items():
        flat = [0] * (2 * len(ids))
        flat[0::2] = _deltas(ids)
        flat[1::2] = weights
        encoded[term] = flat
    raw = sum(len(t) + 4 + 4 * len(flat) for t, flat in encoded.items())  # about the JSON's size
    shards = shard_count(raw)
    by_shard: dict[int, dict[str, list[int]]] = {}
    for term, flat in encoded.items():
        by_shard.setdefault(fnv1a(shard_key(term)) & (shards - 1), {})[term] = flat
    files = {f"i/{k}.json": _json(v) for k, v in by_shard.items()}

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
                                 "cap": CAP, "capped": sum(1 for ids, _ in post.values() if len(ids) == CAP),
                                 "scale": SCALE})
    return files
