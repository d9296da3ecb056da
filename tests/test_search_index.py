"""The search index built from the notice model: documents, terms' weights, caps, shards, filters, determinism."""

from __future__ import annotations

import json
import math
import random
import unicodedata
from collections import Counter

import pytest
from conftest import NOTICES

from notice_archive import search_index as si
from notice_archive.search import Vocabulary, abbreviated, analyse, shard_key, terms
from notice_archive.site import Site


@pytest.fixture(scope="module")
def seed_site() -> Site:
    return Site.load(str(NOTICES))


def shard_of(files: dict[str, bytes], term: str) -> dict:
    """The posting lists ("p") of the shard that holds a term."""
    shards = json.loads(files["manifest.json"])["shards"]
    return json.loads(files[f"i/{si.fnv1a(shard_key(term)) & (shards - 1)}.json"])["p"]


def decode(flat: list[int]) -> list[tuple[int, int]]:
    out, doc = [], 0
    for gap, weight in zip(flat[::2], flat[1::2], strict=True):
        doc += gap
        out.append((doc, weight))
    return out


def test_one_document_per_landing_place(seed_site):
    ordered, docs = si.documents(list(seed_site.archive.notices), seed_site.registry)
    assert [d.anchor for d in docs] == ["", "muc-1", "muc-2", "muc-3", "muc-4", "muc-5", "muc-6", ""]
    opening, item1, closing = docs[0], docs[1], docs[-1]
    assert "464/GM-UBND" in opening.body and opening.title == ordered[0].title
    assert "Phòng Tài chính - Kế hoạch" in item1.body  # the presenting department's name counts as item text
    assert item1.title.startswith("1. Dự thảo Báo cáo")
    assert closing.body.startswith("Trên đây là kết luận")
    assert item1.departments == ("phong-tai-chinh-ke-hoach",)
    assert set(opening.departments) >= {"phong-kinh-te", "phong-quan-ly-do-thi"}


def test_fnv1a_matches_the_reference_vectors():
    assert si.fnv1a("") == 0x811C9DC5
    assert si.fnv1a("a") == 0xE40C292C
    assert si.fnv1a("foobar") == 0xBF9CF968


def test_shard_count_is_a_power_of_two_that_grows_with_the_index():
    assert si.shard_count(0) == 1
    counts = [si.shard_count(n) for n in (10_000, 100_000, 10_000_000)]
    assert all(c & (c - 1) == 0 for c in counts)
    assert counts == sorted(counts) and counts[0] < counts[-1]
    assert 10_000_000 / counts[-1] <= si.SHARD_BYTES


def test_every_term_is_in_the_shard_its_hash_names(seed_site):
    files = si.build(list(seed_site.archive.notices), seed_site.registry)
    manifest = json.loads(files["manifest.json"])
    shards = {k: json.loads(v) for k, v in files.items() if k.startswith("i/")}
    assert manifest["shards"] > 1 and len(shards) == manifest["shards"]
    for path, content in shards.items():
        for term in [*content["p"], *content["n"]]:
            assert path == f"i/{si.fnv1a(shard_key(term)) & (manifest['shards'] - 1)}.json"
    assert shard_of(files, "=đèn") is shard_of(files, "den") or "=đèn" in shard_of(files, "den")
    for term in ("464/gm-ubnd", "464", "gm", "81-cv/tu", "den led", "=đèn", "quy dat", "tai chinh"):
        assert term in shard_of(files, term), term


def test_postings_point_at_the_right_sections(seed_site):
    files = si.build(list(seed_site.archive.notices), seed_site.registry)
    docs = [d for d in si.documents(list(seed_site.archive.notices), seed_site.registry)[1]]
    anchors = [d.anchor or "trang" for d in docs]
    where = {t: [anchors[d] for d, _ in decode(shard_of(files, t)[t])]
             for t in ("464/gm-ubnd", "81-cv/tu", "den led", "te dem", "camera")}
    assert where["464/gm-ubnd"] == ["trang"]  # the opening (the recipients are not indexed)
    assert where["81-cv/tu"] == ["muc-1"]
    assert where["den led"] == ["muc-4"]
    assert where["te dem"] == ["muc-3"]
    assert "muc-6" in where["camera"]


def doc(heading: str, body: str) -> si.SearchDoc:
    return si.SearchDoc(0, "muc-1", heading, heading, body, (), ())


def test_exact_forms_and_folded_forms_are_separate_terms():
    post = si.postings([doc("", "đèn chiếu sáng"), doc("", "den chieu sang")])
    assert [d for d, _ in post["den"]] == [0, 1]
    assert [d for d, _ in post["=đèn"]] == [0]
    assert "=den" not in post


def test_heading_words_weigh_more_and_rare_terms_weigh_more():
    docs = [doc("kinh tế đêm", "báo cáo thành phố"), doc("báo cáo", "kinh tế đêm thành phố")]
    docs += [doc("", "thành phố giao thông") for _ in range(8)]
    post = si.postings(docs)
    weight = {t: dict(post[t]) for t in ("kinh te", "thanh pho")}
    assert weight["kinh te"][0] > weight["kinh te"][1]
    assert weight["kinh te"][1] > weight["thanh pho"][1]
    assert all(1 <= w <= 255 for plist in post.values() for _, w in plist)


def test_posting_lists_are_capped_to_the_heaviest(monkeypatch):
    monkeypatch.setattr(si, "CAP", 5)
    docs = [doc("", "thành phố họp") for _ in range(20)] + [doc("thành phố", "thành phố") for _ in range(3)]
    post = si.postings(docs)
    assert len(post["thanh pho"]) == 5
    kept = [d for d, _ in post["thanh pho"]]
    assert {20, 21, 22} <= set(kept)  # the three with the words in their heading
    assert kept == sorted(kept)
    assert len(post["hop"]) == 5


def test_filters_and_display_data(seed_site):
    files = si.build(list(seed_site.archive.notices), seed_site.registry)
    filters = json.loads(files["f.json"])
    names = {key: name for key, name, _ in filters["don-vi"]}
    assert names["phong-kinh-te"].startswith("Phòng Kinh tế")
    members = json.loads(files["f/don-vi/phong-kinh-te.json"])
    ids = [sum(members[: i + 1]) for i in range(len(members))]
    assert ids == [0, 3, 7]  # the opening, item 3 (the department's), the closing
    assert filters["nam"] == [[2020, 0, 8]]
    chunk = json.loads(files["d/0.json"])
    notice = chunk["n"][0]
    assert notice[0] == "ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/"
    assert chunk["d"][4][:2] == [0, "muc-4"]


def test_the_index_is_deterministic_and_versioned(seed_site):
    notices = list(seed_site.archive.notices)
    a = si.build(notices, seed_site.registry)
    b = si.build(list(reversed(notices)), seed_site.registry)
    assert a == b
    manifest = json.loads(a["manifest.json"])
    assert manifest["cap"] == si.CAP and manifest["docs"] == 8 and len(manifest["hash"]) == 16


def test_terms_of_a_query_are_terms_of_the_index():
    """What the browser looks up for a query is exactly what the index holds for the same words."""
    post = si.postings([doc("", "Giấy mời số 464/GM-UBND ngày 06/11/2020")])
    for t in terms(analyse("giấy mời số 464/GM-UBND ngày 6/11/2020")):
        assert t in post, t


COUNTED = [
    "",
    "Giấy mời số 464/GM-UBND ngày 06/11/2020 (Phòng QLĐT),",
    "thành phố\u00a0Lạng\u202fSơn\u3000họp",  # odd spaces separate words
    "giải\u200bphóng mặt\u00adbằng",  # zero-width characters join what they split
    unicodedata.normalize("NFD", "Hoà bình, thuỷ lợi; khoẻ – ĐẦU TƯ"),
    "81-CV/TU, 05/TB-UBND; ...;  -- / 2020-2025 v.v. x_y 3.5%",
    "tab\there\nnew line\r\nend 🙂 emoji ſ ı İ",
]


@pytest.mark.parametrize("text", COUNTED)
def test_vocabulary_finds_the_terms_analyse_lists(text):
    """The index reads terms through a per-token cache of ids; they must be exactly what terms() lists."""
    vocabulary = Vocabulary()
    for _ in range(2):  # the second time from the cache
        syllables, others = vocabulary.split(text)
        names = vocabulary.names
        found = [names[i] for i in syllables] + [f"{names[a]} {names[b]}" for a, b in
                                                 zip(syllables, syllables[1:], strict=False)]
        found += [names[i] for i in others]
        assert Counter(found) == Counter(terms(analyse(text)))
        assert len(syllables) == len(analyse(text).syllables)


def reference_postings(docs: list[si.SearchDoc], abbr: dict[str, list[str]] | None = None
                       ) -> tuple[dict[str, list[tuple[int, int]]], dict[str, list[int]]]:
    """The index's weights as the module docstring states them, one posting at a time; and the tails."""
    tfs, lengths = [], []
    for d in docs:
        tf = Counter(terms(analyse(d.body)) + abbreviated(analyse(d.body), abbr or {}))
        for t in terms(analyse(d.heading)) + abbreviated(analyse(d.heading), abbr or {}):
            tf[t] += si.HEADING_BOOST
        tfs.append(tf)
        lengths.append(len(analyse(d.heading).syllables) * si.HEADING_BOOST + len(analyse(d.body).syllables))
    avgdl = sum(lengths) / len(lengths)
    by_term: dict[str, list[tuple[int, int]]] = {}
    for i, (tf, dl) in enumerate(zip(tfs, lengths, strict=True)):
        norm = si.K1 * (1 - si.B + si.B * dl / avgdl)
        for t, f in tf.items():
            by_term.setdefault(t, []).append((int(f * (si.K1 + 1) / (f + norm) * si.FRACTION), i))
    out, rest = {}, {}
    for t, found in by_term.items():
        idf = math.log(1 + (len(docs) - len(found) + 0.5) / (len(found) + 0.5)) * si.SCALE / si.FRACTION
        weighed = sorted((min(255, max(1, round(idf * part))), i) for part, i in found)
        out[t] = sorted((i, w) for w, i in weighed[-si.CAP:])  # the heaviest (ties: the newer), in order
        if len(weighed) > si.CAP:
            rest[t] = sorted(i for _, i in weighed[:-si.CAP])
    return out, rest


WORDS = ["thành", "phố", "Lạng", "Sơn", "đèn", "den", "họp", "giao", "thông", "kinh", "tế", "đêm", "Hoà",
         "464/GM-UBND", "05/TB-UBND", "2020", "Đầu", "tư", "x", "TP", "KTĐ"]
ABBR = {"tp": ["thanh pho"], "ktd": ["kinh te dem", "kinh te"], "hth": ["hoa thanh pho"]}


@pytest.mark.parametrize(("cap", "chunk_bits", "block"),
                         [(si.CAP, si.CHUNK_BITS, si.BLOCK), (3, 2, si.BLOCK), (1, 0, 1), (4, 5, 7), (3, 2, 40)])
def test_postings_are_the_reference_weights_whatever_the_chunks(monkeypatch, cap, chunk_bits, block):
    """Documents are counted a chunk at a time and weighed a range of terms at a time: the result must be the index
    of all documents at once, split into each term's heaviest and its tail (many chunks, caps that bite in every
    chunk, or in none; ranges of one term each, or of several)."""
    monkeypatch.setattr(si, "CAP", cap)
    monkeypatch.setattr(si, "CHUNK_BITS", chunk_bits)
    monkeypatch.setattr(si, "BLOCK", block)
    rng = random.Random(cap * 100 + chunk_bits)
    docs = [doc(" ".join(rng.choices(WORDS, k=rng.randrange(0, 5))),
                " ".join(rng.choices(WORDS, k=rng.randrange(0, 40)))) for _ in range(150)]
    docs.append(doc("", ""))
    assert (si.postings(docs), si.tails(docs)) == reference_postings(docs)
    assert (si.postings(docs, ABBR), si.tails(docs, ABBR)) == reference_postings(docs, ABBR)
    def holding(term: str, abbr: dict | None) -> set[int]:
        return {d for d, _ in si.postings(docs, abbr)[term]} | set(si.tails(docs, abbr).get(term, ()))

    assert holding("tp", None) < holding("tp", ABBR)  # the texts of its meaning were added


@pytest.mark.parametrize(("name", "value"), [("ID_BITS", 3), ("TERM_SHIFT", 59)])
def test_more_terms_than_the_packed_integers_hold_is_an_error_not_a_wrong_index(monkeypatch, name, value):
    monkeypatch.setattr(si, name, value)
    with pytest.raises(ValueError, match="chỉ mục tìm kiếm: .* tối đa"):
        si.postings([doc("", " ".join(WORDS))])


def test_no_documents_or_no_words_give_an_empty_index(seed_site):
    assert si.postings([]) == {}
    assert si.postings([doc("", ""), doc("", " \n ")]) == {}
    files = si.build([], seed_site.registry)
    manifest = json.loads(files["manifest.json"])
    assert manifest["docs"] == 0 and manifest["terms"] == 0


def test_capped_terms_keep_every_other_document_in_a_tail_file(monkeypatch, seed_site):
    """The shard holds a term's CAP heaviest documents and its count; the tail file holds the rest: together every
    document of the term, each once."""
    monkeypatch.setattr(si, "CAP", 2)
    notices = list(seed_site.archive.notices)
    files = si.build(notices, seed_site.registry)
    manifest = json.loads(files["manifest.json"])
    shard = json.loads(files[f"i/{si.fnv1a(shard_key('thanh pho')) & (manifest['shards'] - 1)}.json"])
    top = [d for d, _ in decode(shard["p"]["thanh pho"])]
    count, tail = shard["n"]["thanh pho"]
    gaps = json.loads(files[f"t/{tail}.json"])
    rest = [sum(gaps[: i + 1]) for i in range(len(gaps))]
    _ordered, docs = si.documents(notices, seed_site.registry)
    holding = [i for i, d in enumerate(docs) if "thanh pho" in terms(analyse(f"{d.heading}\n{d.body}"))]
    assert len(top) == 2 and count == len(holding) > 2
    assert sorted(top + rest) == holding
    assert manifest["capped"] == len([k for k in files if k.startswith("t/")]) > 0
    assert all(len(flat) == 2 for flat in [shard["n"][t] for t in shard["n"]])


@pytest.mark.programs
def test_the_text_of_a_section_is_searchable_where_it_lands(tmp_path):
    from conftest import make_archive, minimal_notice

    body = "\n\n".join(["Mở đầu.", "## I. Công tác giải phóng mặt bằng",
                        "Phần này nêu chung về tiến độ bồi thường hỗ trợ tái định cư.", "### 1. Việc thứ nhất",
                        "Giao phòng Kinh tế.", "## II. Nhiệm vụ khác", "Đoạn riêng về chuyển đổi số.",
                        "### 2. Việc thứ hai", "Giao phòng Kinh tế.", "***", "Trên đây là kết luận."])
    items = "items:\n  muc-1: {}\n  muc-2: {}\n"
    root = make_archive(tmp_path, {"ubnd-tp-lang-son/2020/tb.md": minimal_notice(extra=items, body=body)},
                        with_seed=False)
    site = Site.load(str(root / "notices"))
    assert not [p for p in site.problems if p.severity == "error"], site.problems
    _ordered, docs = si.documents(list(site.archive.notices), site.registry)
    assert [d.anchor for d in docs] == ["", "phan-1", "muc-1", "phan-2", "muc-2", ""]
    files = si.build(list(site.archive.notices), site.registry)
    assert [d for d, _ in decode(shard_of(files, "tai dinh")["tai dinh"])] == [1]
    assert [d for d, _ in decode(shard_of(files, "chuyen doi")["chuyen doi"])] == [3]
    assert docs[1].title == "I. Công tác giải phóng mặt bằng"


@pytest.fixture(scope="module")
def synthetic_archive(tmp_path_factory):
    """Sixty synthetic notices (tests/benchmarks/synthetic.py): several notices, departments, projects, years."""
    import datetime as dt

    from benchmarks.synthetic import generate

    from notice_archive.archive import load_archive

    root = generate(tmp_path_factory.mktemp("synth"), 60)
    archive = load_archive(str(root / "notices"), today=dt.date(2026, 1, 1))
    assert not archive.errors and len(archive.notices) == 60
    return archive


def test_the_index_is_assembled_from_per_notice_parts_a_cache_can_keep(synthetic_archive):
    """What a notice gives the index depends on it (and the registry) alone: each part computed on its own, kept
    (pickled, as the per-notice cache does) and assembled gives the whole build, byte for byte; after one notice
    changed, the kept parts of the others and the new part of that one give the new archive's build."""
    import dataclasses
    import pickle

    notices, registry = list(synthetic_archive.notices), synthetic_archive.registry
    whole = si.build(notices, registry)
    ordered = sorted(notices, key=si.Notice.sort_key)
    kept = {n.url: pickle.loads(pickle.dumps(si.notice_index(n, registry))) for n in reversed(ordered)}
    assert dict(si.assemble([kept[n.url] for n in ordered], registry)) == whole

    changed = dataclasses.replace(ordered[7], closing="Giao Phòng Kinh tế rà soát đèn chiếu sáng hẻm 42/7.")
    assert si.notice_index(changed, registry) != kept[changed.url]
    kept[changed.url] = si.notice_index(changed, registry)
    notices = [changed if n.url == changed.url else n for n in notices]
    rebuilt = si.build(notices, registry)
    assert dict(si.assemble([kept[n.url] for n in ordered], registry)) == rebuilt != whole
    assert "42/7" in shard_of(rebuilt, "42/7")


def test_the_index_files_are_the_same_however_its_work_is_divided(monkeypatch, synthetic_archive):
    """assemble counts a chunk of documents, weighs a range of terms and writes a slice of numbers at a time, to
    bound its memory: the files (tails and shards included) must not depend on those sizes, one term a range and a
    few numbers a slice giving the same bytes as the defaults."""
    monkeypatch.setattr(si, "CAP", 20)  # (capped terms: tails, and shards naming them)
    notices, registry = list(synthetic_archive.notices), synthetic_archive.registry
    whole = si.build(notices, registry)
    manifest = json.loads(whole["manifest.json"])
    assert manifest["capped"] > 10 and sum(path.startswith("t/") for path in whole) == manifest["capped"]
    for name, value in (("CHUNK_BITS", 2), ("BLOCK", 1), ("DIGITS", 3)):
        monkeypatch.setattr(si, name, value)
    assert si.build(notices, registry) == whole


def test_the_index_files_come_in_path_order_the_manifest_last_with_the_hash_of_the_others(synthetic_archive):
    """The files are made (and written) one at a time; the manifest's hash is of all the others, in path order."""
    import hashlib

    files = list(si.assemble([si.notice_index(n, synthetic_archive.registry)
                              for n in sorted(synthetic_archive.notices, key=si.Notice.sort_key)],
                             synthetic_archive.registry))
    paths = [path for path, _ in files]
    assert paths[-1] == "manifest.json" and paths[:-1] == sorted(paths[:-1]) and len(set(paths)) == len(paths)
    digest = hashlib.sha256()
    for path, data in files[:-1]:
        digest.update(path.encode() + b"\0" + data + b"\0")
    assert json.loads(files[-1][1])["hash"] == digest.hexdigest()[:16]


@pytest.mark.parametrize("digits", [1, 3, si.DIGITS])
def test_json_lists_of_numbers_are_what_json_writes(monkeypatch, digits):
    """Posting lists are written as JSON text by numpy: the bytes json.dumps writes, for empty lists, zeros, numbers
    of every length, and lists longer than one slice."""
    monkeypatch.setattr(si, "DIGITS", digits)
    rng = random.Random(digits)
    lists = [[], [0], [9, 10, 99, 100, 999, 1000], [(1 << 24) - 1, 1 << 40, 0], []]
    lists += [[rng.randrange(10 ** rng.randrange(1, 9)) for _ in range(rng.randrange(0, 12))] for _ in range(50)]
    values = [x for xs in lists for x in xs]
    bounds = [0]
    for xs in lists:
        bounds.append(bounds[-1] + len(xs))
    assert si._json_lists(values, bounds) == [si._json(xs) for xs in lists]
    assert si._json_lists([], [0]) == []


@pytest.mark.parametrize("cuts", [(1,), (3, 4, 90), tuple(range(1, 151))])
def test_postings_are_the_same_however_the_documents_are_split_into_parts(monkeypatch, cuts):
    """Each part numbers its own tokens; the index maps them to one numbering (chunks crossing parts too)."""
    monkeypatch.setattr(si, "CAP", 4)
    monkeypatch.setattr(si, "CHUNK_BITS", 3)
    rng = random.Random(len(cuts))
    docs = [doc(" ".join(rng.choices(WORDS, k=rng.randrange(0, 5))),
                " ".join(rng.choices(WORDS, k=rng.randrange(0, 40)))) for _ in range(150)]
    bounds = [0, *cuts, len(docs)]
    parts = [si.words(docs[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
    index = si._columns(parts, ABBR)
    top, weights, tail = index.top_docs.tolist(), index.top_weights.tolist(), index.tail_docs.tolist()
    post = {t: list(zip(top[s:e], weights[s:e], strict=True)) for t, s, e in index.top_terms()}
    rest = {t: tail[s:e] for t, s, e in index.tail_terms()}
    assert (post, rest) == reference_postings(docs, ABBR)


@pytest.mark.programs
def test_loading_the_index_builder_does_not_load_numpy():
    """numpy is imported when an index is built, not when the hooks load (mkdocs serve, a build with errors)."""
    import subprocess
    import sys

    code = "import sys; import notice_archive.site_files; print('numpy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=str(NOTICES.parent / "hooks"))
    assert out.stdout.strip() == "False"


def test_a_part_with_more_tokens_than_two_bytes_count_keeps_them_all():
    """Token indices take 2 bytes up to 65,536 distinct tokens in a notice, 4 beyond: both read back the same."""
    many = [f"x{i}" for i in range(70_000)]
    docs = [doc("", " ".join(many[:40_000])), doc("x7", " ".join(many[40_000:]))]
    part = si.words(docs)
    assert part.typecode == "I" and si.words(docs[:1]).typecode == "H"
    index = si._columns([part])
    post = {t: index.top_docs[s:e].tolist() for t, s, e in index.top_terms()}
    assert post["x0"] == [0] and post["x69999"] == [1] and post["x7"] == [0, 1] and post["x40000 x40001"] == [1]
    assert "x39999 x40000" not in post  # (two texts)
