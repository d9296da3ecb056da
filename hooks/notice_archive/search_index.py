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
import shutil
from array import array
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .model import Notice
from .registry import Registry
from .search import TermCounter, shard_key

OUTPUT = "tim-kiem"
VERSION = 1
CAP = 300  # documents kept per term (the best by weight)
CHUNK = 32  # documents per display-data file (a result costs about 1 KB gzip of display data)
HEADING_BOOST = 3  # a heading word counts as this many body words
K1, B = 1.2, 0.75  # BM25
SCALE = 10  # quantised weight = round(BM25 * SCALE), clamped to 1..255
SHARD_BYTES = 6000  # aim for this much JSON (about 2 KB gzip) in an average shard
TITLE_CHARS = 160  # item titles in results are cut here
FRACTION, DOC_BITS = 4096, 24  # postings packed as integers while the index is built


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


class _Appenders(dict):
    """term -> the append method of its posting array in ``lists``, created on first use."""

    def __init__(self, lists: dict) -> None:
        super().__init__()
        self.lists = lists

    def __missing__(self, term: str | tuple[str, str]) -> Callable[[int], None]:
        self.lists[term] = a = array("q")  # 8 bytes a posting
        self[term] = a.append
        return a.append


_consume = deque(maxlen=0).extend


def postings(docs: list[SearchDoc]) -> dict[str, list[tuple[int, int]]]:
    """term -> [(document, quantised weight)] in document order, at most CAP per term (the heaviest)."""
    return {term: list(zip(ids, weights, strict=True)) for term, (ids, weights) in _columns(docs).items()}


def _columns(docs: list[SearchDoc]) -> dict[str, tuple[list[int], list[int]]]:
    """The same as two lists per term: its documents (ascending) and their weights."""
    count = TermCounter()
    lengths = [count.syllable_count(d.heading) * HEADING_BOOST + count.syllable_count(d.body) for d in docs]
    avgdl = (sum(lengths) / len(lengths)) if lengths else 1.0
    # Every (term, document) as one integer: BM25's term-frequency part (fixed point, FRACTION) above the document
    # number, so the largest integers are the heaviest postings (ties: the newer document) and df = list length.
    lists: dict[str | tuple[str, str], array] = {}
    append = _Appenders(lists)  # term -> its list's append
    for doc_id, (doc, dl) in enumerate(zip(docs, lengths, strict=True)):
        tf = count(doc.body)
        if doc.heading:
            tf.update(count.terms(doc.heading) * HEADING_BOOST)
        norm = K1 * (1 - B + B * dl / avgdl)
        packed = {f: int(f * (K1 + 1) / (f + norm) * FRACTION) << DOC_BITS | doc_id for f in set(tf.values())}
        # lists[term].append(packed[f]) for every term, in C: ~20 million postings at 10,000 notices.
        _consume(map(operator.call, map(append.__getitem__, tf), map(packed.__getitem__, tf.values())))
    n = len(docs)
    out: dict[str, tuple[list[int], list[int]]] = {}
    mask = (1 << DOC_BITS) - 1
    for term, a in lists.items():
        df = len(a)
        idf = math.log(1 + (n - df + 0.5) / (df + 0.5)) * SCALE / FRACTION
        if df > CAP:
            top: list[int] | array = sorted(_candidates(a))[-CAP:]
            top.sort(key=mask.__and__)  # back in document order
        else:
            top = a  # appended in document order
        # min(255, max(1, round(idf * (p >> DOC_BITS)))) for each posting, in C: a million postings per 2,000 notices.
        weights = list(map(round, map(idf.__mul__, map(DOC_BITS.__rrshift__, top))))
        if weights and (min(weights) < 1 or max(weights) > 255):
            weights = [min(255, max(1, w)) for w in weights]
        key = " ".join(term) if isinstance(term, tuple) else term
        out[key] = (list(map(mask.__and__, top)), weights)
    return out


def _candidates(a: array) -> array | list[int]:
    """A part of ``a`` (more than CAP values) that surely holds its CAP largest values, without sorting it all.

    A sorted sample gives a threshold a little below the CAP-th largest value; if fewer than CAP values reach it,
    the whole list is returned. Values are distinct (a document number in the low bits), so the result is exact."""
    if len(a) <= 8 * CAP:
        return a
    sample = sorted(a[::len(a) // 1024])
    threshold = sample[-min(len(sample), 2 * CAP * len(sample) // len(a) + 8)]
    kept = list(filter(threshold.__le__, a))
    return kept if len(kept) >= CAP else a


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


@dataclass(frozen=True)
class IndexReport:
    docs: int
    files: int
    bytes: int
    seconds: float = 0.0  # time spent building it (on the other core when forked)


def write_index(site_dir: str | Path, notices: list[Notice], registry: Registry) -> IndexReport:
    """Build the index and write it to <site_dir>/tim-kiem/, replacing any earlier one."""
    out = Path(site_dir) / OUTPUT
    if out.exists():
        shutil.rmtree(out)
    files = build(notices, registry)
    for rel, data in files.items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return IndexReport(json.loads(files["manifest.json"])["docs"], len(files), sum(len(b) for b in files.values()))
