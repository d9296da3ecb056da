"""Vietnamese search forms and terms: the Python rules (index side) and the browser module (query side) agree on
the same tables."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, serve

from notice_archive.search import analyse, canon, fold, terms

CASES = json.loads((ROOT / "tests" / "search_normalise_cases.json").read_text(encoding="utf-8"))
TERMS = json.loads((ROOT / "tests" / "search_terms_cases.json").read_text(encoding="utf-8"))
JS = ROOT / "theme" / "assets" / "javascripts" / "search-normalise.js"


@pytest.mark.parametrize(("text", "canonical", "folded", "why"), CASES)
def test_python_forms(text, canonical, folded, why):
    assert canon(text) == canonical, why
    assert fold(text) == folded, why


@pytest.mark.parametrize(("text", "expected", "why"), TERMS)
def test_python_terms(text, expected, why):
    assert terms(analyse(text)) == expected, why


def test_document_numbers_know_which_syllables_they_span():
    a = analyse("theo Giấy mời số 464/GM-UBND")
    assert a.syllables[4:7] == ("464", "gm", "ubnd")
    assert a.numbers == (("464/gm-ubnd", 4, 7),)
    assert analyse("81-CV/TU").numbers == analyse("81-cv/tu").numbers  # case does not matter


def test_a_query_with_or_without_diacritics_shares_every_folded_term():
    accented = set(terms(analyse("giải phóng mặt bằng")))
    plain = set(terms(analyse("giai phong mat bang")))
    assert plain < accented
    assert accented - plain == {"=giải", "=phóng", "=mặt", "=bằng"}


@pytest.mark.browser
def test_javascript_forms_and_terms_match_the_same_tables(browser):
    """The query side runs in Chromium (the browser CI installs), served over HTTP like the site."""
    url, stop = serve(JS.parent)
    try:
        page = browser.new_page()
        page.goto(url)
        got = page.evaluate("""async ([url, cases, termCases]) => {
          const m = await import(url);
          return [cases.map(([t]) => [m.canon(t), m.fold(t)]), termCases.map(([t]) => m.terms(m.analyse(t))),
                  ["đèn", "464/gm-ubnd", "giai phong"].map((t) => m.fnv1a(t))];
        }""", [url + JS.name, CASES, TERMS])
        page.close()
    finally:
        stop()
    forms, term_lists, hashes = got
    for (text, canonical, folded, why), (c, f) in zip(CASES, forms, strict=True):
        assert (c, f) == (canonical, folded), f"{text!r}: {why}"
    for (text, expected, why), got_terms in zip(TERMS, term_lists, strict=True):
        assert got_terms == expected, f"{text!r}: {why}"
    from notice_archive.search_index import fnv1a

    assert hashes == [fnv1a("đèn"), fnv1a("464/gm-ubnd"), fnv1a("giai phong")]
