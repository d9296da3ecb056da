"""Vietnamese search forms: the Python rules (build side) and the browser module (query side) agree on one table."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT, serve

from notice_archive.search import canon, fold, index_form, index_html

CASES = json.loads((ROOT / "tests" / "search_normalise_cases.json").read_text(encoding="utf-8"))
JS = ROOT / "theme" / "assets" / "javascripts" / "search-normalise.js"


@pytest.mark.parametrize(("text", "canonical", "folded", "indexed", "why"), CASES)
def test_python_forms(text, canonical, folded, indexed, why):
    assert canon(text) == canonical, why
    assert fold(text) == folded, why
    assert index_form(text) == indexed, why


def test_index_html_changes_text_only():
    html = '<h3 id="muc-4" data-v="đèn">4. Đèn hoà <a href="#muc-4">#</a></h3><script>var đ = 1;</script>'
    out = index_html(html)
    assert out == ('<h3 id="muc-4" data-v="đèn">4. D\u0335èn hòa <a href="#muc-4">#</a></h3>'
                   "<script>var đ = 1;</script>")


@pytest.mark.browser
def test_javascript_forms_match_the_same_table(browser):
    """The query side runs in Chromium (the browser CI installs), served over HTTP like the site."""
    url, stop = serve(JS.parent)
    try:
        page = browser.new_page()
        page.goto(url)
        got = page.evaluate("""async ([url, cases]) => {
          const m = await import(url);
          return cases.map(([t]) => [m.canon(t), m.fold(t), m.indexForm(t), m.display(m.indexForm(t))]);
        }""", [url + JS.name, CASES])
        page.close()
    finally:
        stop()
    for (text, canonical, folded, indexed, why), (c, f, i, shown) in zip(CASES, got, strict=True):
        assert (c, f, i) == (canonical, folded, indexed), f"{text!r}: {why}"
        assert shown == canonical, "display() turns the indexed đ back"
