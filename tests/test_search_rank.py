"""The browser's ranking (search.js: plan() and order()) on a table of small cases, run by Node in the fast tier:
phrases first, abbreviations both ways, a half-typed last word, exact forms, document numbers. Posting lists come
from the index's own terms (notice_archive.search), so the browser reads what the index would hold."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections import Counter

import pytest
from conftest import ROOT

from notice_archive.search import abbreviated, analyse, terms

CASES = json.loads((ROOT / "tests" / "search_rank_cases.json").read_text(encoding="utf-8"))
SEARCH = ROOT / "theme" / "assets" / "javascripts" / "search.js"
RUN = """
const [url, input] = [process.argv[1], require("fs").readFileSync(0, "utf8")];
import(url).then((m) => {
  const out = JSON.parse(input).map((c) => {
    const p = m.plan(c.query, { abbr: c.abbr, words: c.words }, c.typing);
    const r = m.order(p, new Map(Object.entries(c.lists)));
    return { ranked: r.ranked.map((x) => x.doc), phrases: r.phrases, full: r.full };
  });
  process.stdout.write(JSON.stringify(out));
});
"""


def lists(docs: list[str], abbr: dict[str, list[str]]) -> dict[str, list[list[int]]]:
    """term -> [[document, weight]], the index's terms (with the abbreviations of meanings a text holds): the weight
    is the term's count times ten (a stand-in for BM25)."""
    out: dict[str, list[list[int]]] = {}
    for i, text in enumerate(docs):
        a = analyse(text)
        for term, count in sorted(Counter(terms(a) + abbreviated(a, abbr)).items()):
            out.setdefault(term, []).append([i, 10 * count])
    return out


@pytest.fixture(scope="module")
def ranked() -> list[dict]:
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.fail("node is missing: .ci/setup.sh --test installs npm (and Node) from Debian")
    cases = [dict(c, lists=lists(c["docs"], c["abbr"])) for c in CASES]
    proc = subprocess.run([node, "--input-type=commonjs", "-e", RUN, SEARCH.as_uri()], input=json.dumps(cases),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("k", range(len(CASES)), ids=[c["query"] for c in CASES])
def test_ranking(ranked, k):
    case, got = CASES[k], ranked[k]
    why = case["why"]
    if "results" in case:
        assert got["ranked"] == case["results"], why
    if "first" in case:  # these, in this order
        assert got["ranked"][:len(case["first"])] == case["first"], why
    if "top" in case:  # these, in any order
        assert sorted(got["ranked"][:len(case["top"])]) == case["top"], why
    if "found" in case:  # exactly these results, in any order
        assert sorted(got["ranked"]) == case["found"], why
    for key in ("phrases", "full"):
        if key in case:
            assert got[key] == case[key], f"{key}: {why}"
