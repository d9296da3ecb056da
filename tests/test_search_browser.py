"""The real search box of the built real archive, in Chromium: each public query puts the expected item first."""

from __future__ import annotations

import csv
import os
import unicodedata
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.build]

# Beside the repository (CI has it there, read-only); SEARCH_QUERIES names another file (a git worktree elsewhere).
QUERIES = Path(os.environ.get("SEARCH_QUERIES", ROOT.parent / "shared" / "search-queries.tsv"))

# The text of the section a URL points at: from the anchored heading to the next anchored heading of the same or
# a higher level; without an anchor, the notice up to its first anchored heading.
SECTION_TEXT = """() => {
  const article = document.querySelector('[data-pagefind-body]');
  const id = decodeURIComponent(location.hash.slice(1));
  const heads = [...article.querySelectorAll('h1[id],h2[id],h3[id],h4[id],h5[id],h6[id]')];
  const start = id ? document.getElementById(id) : null;
  const range = document.createRange();
  if (start) {
    range.setStartBefore(start);
    const level = Number(start.tagName[1]);
    const after = heads.filter(h => start.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_FOLLOWING)
      .find(h => Number(h.tagName[1]) <= level);
    if (after) range.setEndBefore(after); else range.setEndAfter(article.lastChild);
  } else {
    range.setStartBefore(article.firstChild);
    if (heads.length) range.setEndBefore(heads[0]); else range.setEndAfter(article.lastChild);
  }
  return range.toString();
}"""


def public_queries() -> list[tuple[str, str, str]]:
    if not QUERIES.exists():
        pytest.fail(f"{QUERIES} is missing: the public search queries live beside the repository")
    with QUERIES.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter="\t"))
    return [(r[0], r[1], r[2] if len(r) > 2 else "") for r in rows[1:] if r and r[0].strip()]


def squash(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).replace("\u00a0", " ").split())


def first_result(page, base: str, query: str) -> str:
    page.goto(base)
    box = page.locator("#vn-search-input")
    box.click()
    box.press_sequentially(query, delay=5)
    page.wait_for_function(
        "q => document.querySelector('#vn-search-input').value === q"
        " && document.querySelector('.vn-search__result a') !== null"
        " && new URL(document.querySelector('.vn-search__result a').href).searchParams.get('tim') === q",
        arg=query, timeout=15000)
    return page.locator(".vn-search__result a").first.get_attribute("href")


def test_public_queries_put_the_expected_section_first(browser, real_site_url):
    page = browser.new_page()
    failures = []
    for query, expected, note in public_queries():
        href = first_result(page, real_site_url, query)
        page.goto(href)
        section = squash(page.evaluate(SECTION_TEXT))
        if squash(expected) not in section:
            failures.append(f"{query!r} ({note}): first result {href} is a section without {expected!r}")
    page.close()
    assert not failures, "\n".join(failures)
