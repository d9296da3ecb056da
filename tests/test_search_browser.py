"""The real search box of the built real archive, in Chromium: each public query puts the expected item first; a
result opens its item with the words highlighted; a filter narrows the results."""

from __future__ import annotations

import csv
import os
import unicodedata
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.build]

# The shared set beside the repository (CI has it there, read-only) when present, else the copy kept in tests/
# (a clone on GitHub has no ../shared); SEARCH_QUERIES names any other set, run the same way.
SHARED_QUERIES = ROOT.parent / "shared" / "search-queries.tsv"
QUERIES = Path(os.environ.get("SEARCH_QUERIES") or (SHARED_QUERIES if SHARED_QUERIES.exists()
                                                    else ROOT / "tests" / "search-queries.tsv"))

# The text of the section a URL points at: from the anchored heading to the next anchored heading of the same or
# a higher level; without an anchor, the notice up to its first anchored heading.
SECTION_TEXT = """() => {
  const article = document.querySelector('[data-search-body]');
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


def test_a_result_opens_its_item_with_the_words_highlighted(browser, real_site_url):
    page = browser.new_page(viewport={"width": 360, "height": 740})  # a phone
    href = first_result(page, real_site_url, "den led")
    assert href.endswith("#muc-4") and "tim=den+led" in href
    title = page.locator(".vn-search__result .vn-search__title").first
    assert "Led" in title.locator("mark").all_inner_texts()  # matched words marked in the result's title too
    assert page.locator(".vn-search__result .vn-search__notice").first.inner_text().startswith("Số ")
    page.locator(".vn-search__result a").first.click()
    page.wait_for_url("**#muc-4")
    page.wait_for_selector("#muc-4 mark.vn-search-hit")  # marked once the manifest (abbreviations) is read
    marks = page.locator("#muc-4 mark.vn-search-hit").all_inner_texts()
    assert "đèn" in marks and "Led" in marks  # đ typed as d, matched accent-insensitively
    assert page.evaluate("() => document.getElementById('muc-4').getBoundingClientRect().top") < 200  # scrolled to it
    page.close()


def test_a_filter_narrows_the_results(browser, real_site_url):
    page = browser.new_page()
    first_result(page, real_site_url, "du thao")
    before = [a.split("#")[-1] for a in page.locator(".vn-search__result a").evaluate_all(
        "els => els.map(e => new URL(e.href).hash)")]
    assert {"muc-1", "muc-3", "muc-4"} <= set(before)
    page.locator(".vn-search__filters summary").click()
    select = page.locator("select[data-filter='don-vi']")
    page.wait_for_function("() => document.querySelector(\"select[data-filter='don-vi']\").options.length > 1")
    assert "Phòng Kinh tế" in select.inner_text()
    select.select_option("phong-kinh-te")
    page.wait_for_function("""() => [...document.querySelectorAll('.vn-search__result a')]
        .every(a => !/#muc-[124-9]/.test(a.href))""")
    after = page.locator(".vn-search__result a").evaluate_all("els => els.map(e => new URL(e.href).hash)")
    assert "#muc-3" in after and len(after) < len(before)
    page.close()


def test_search_box_is_labelled_for_screen_readers_without_showing_the_label(browser, real_site_url):
    page = browser.new_page(viewport={"width": 360, "height": 740})
    try:
        page.goto(real_site_url)
        box = page.get_by_label("Tìm trong các thông báo")
        assert box.is_visible()
        label = page.locator('label[for="vn-search-input"]').bounding_box()
        assert label is not None and label["width"] <= 1 and label["height"] <= 1
    finally:
        page.close()


def test_exact_diacritics_rank_above_folded_matches(browser, tiny_archive):
    from conftest import build, minimal_notice, serve

    body = "\n\n".join([
        "### 1. Sửa mái che cho khu vực nghỉ mát", "Giao phòng Kinh tế thành phố thực hiện.",
        "### 2. Giải phóng mặt bằng khu vực chợ", "Giao phòng Kinh tế thành phố thực hiện.",
        "### 3. Sơn lại lan can màu đen", "Giao phòng Kinh tế thành phố thực hiện.",
        "### 4. Thay đèn chiếu sáng", "Giao phòng Kinh tế thành phố thực hiện.",
        "***", "Trên đây là kết luận."])
    items = "items:\n" + "".join(f"  muc-{n}: {{}}\n" for n in range(1, 5))
    result = build(tiny_archive({"ubnd-tp-lang-son/2020/tb-123.md": minimal_notice(extra=items, body=body)},
                                with_seed=False))
    assert result.returncode == 0, result.output
    url, stop = serve(result.site)
    page = browser.new_page()
    try:
        firsts = {q: first_result(page, url, q).split("#")[-1] for q in ("mặt", "mát", "đèn", "đen")}
        assert firsts == {"mặt": "muc-2", "mát": "muc-1", "đèn": "muc-4", "đen": "muc-3"}
        # typed without marks, every one of them is found
        first_result(page, url, "mat")
        found = set(page.locator(".vn-search__result a").evaluate_all("els => els.map(e => new URL(e.href).hash)"))
        assert {"#muc-1", "#muc-2"} <= found
    finally:
        page.close()
        stop()


# A generated archive of a few hundred notices (tests/benchmarks/synthetic.py) with the real glossary: counts,
# "Xem thêm", phrases and abbreviations at a scale where common words are in most items.
SYNTHETIC_NOTICES = 300


@pytest.fixture(scope="module")
def synthetic_site(tmp_path_factory):
    import shutil

    from benchmarks.synthetic import generate
    from conftest import NOTICES, build, serve

    root = tmp_path_factory.mktemp("synthetic")
    generate(root, SYNTHETIC_NOTICES)
    shutil.copy(NOTICES / "_registry" / "glossary.yml", root / "notices" / "_registry" / "glossary.yml")
    result = build(root)
    assert result.returncode == 0, result.output[-3000:]
    url, stop = serve(result.site)
    yield url, root
    stop()


def results(page) -> list[str]:
    return page.locator(".vn-search__result a").evaluate_all("els => els.map(e => e.href)")


def phrase_in(text: str, phrase: str) -> bool:
    """Whether the text holds the phrase's syllables side by side, in order, accents and case aside."""
    from notice_archive.search import analyse

    return f" {' '.join(analyse(phrase).syllables)} " in f" {' '.join(analyse(text).syllables)} "


def test_the_count_and_more_results_reach_every_match(browser, synthetic_site):
    url, _root = synthetic_site
    page = browser.new_page()
    try:
        first_result(page, url, "thanh pho ")
        status = page.locator(".vn-search__status")
        page.wait_for_function("() => /^[0-9.]+ mục chứa cụm từ/.test("
                               "document.querySelector('.vn-search__status').textContent)")
        shown = int(status.inner_text().split(" ")[0].replace(".", ""))
        assert shown > 300  # more than any one posting list's heaviest: the tails were counted
        assert len(results(page)) == 10
        more = page.locator(".vn-search__more")
        more.focus()
        page.keyboard.press("Enter")  # keyboard-usable
        page.wait_for_function("() => document.querySelectorAll('.vn-search__result a').length === 20")
        assert page.evaluate("() => document.activeElement.href") == results(page)[10]  # focus on the first new one
        more.click()
        page.wait_for_function("() => document.querySelectorAll('.vn-search__result a').length === 30")
        hrefs = results(page)
        assert len(set(hrefs)) == 30 and all("tim=" in h for h in hrefs)
        page.goto(hrefs[24])  # the 25th result opens a page that holds the words
        assert phrase_in(page.evaluate(SECTION_TEXT), "thanh pho")
    finally:
        page.close()


@pytest.mark.parametrize("query", ["giai phong mat bang", "kinh te dem", "chieu sang cong cong", "quan ly do thi"])
def test_an_unaccented_phrase_top_ten_all_hold_the_phrase(browser, synthetic_site, query):
    url, _root = synthetic_site
    page = browser.new_page()
    try:
        hrefs = []
        first_result(page, url, query)
        page.wait_for_function("() => document.querySelectorAll('.vn-search__result a').length >= 10")
        hrefs = results(page)[:10]
        missing = []
        for href in hrefs:
            page.goto(href)
            if not phrase_in(page.evaluate(SECTION_TEXT), query) and "qldt" not in page.evaluate(SECTION_TEXT):
                missing.append(href)
        assert not missing, f"{query!r}: top results without the phrase: {missing}"
    finally:
        page.close()


def test_the_phrase_count_is_the_number_of_items_holding_it(browser, synthetic_site):
    from notice_archive import search_index as si
    from notice_archive.site import Site

    url, root = synthetic_site
    site = Site.load(str(root / "notices"))
    _ordered, docs = si.documents(list(site.archive.notices), site.registry)
    query = "kinh te dem"
    expected = sum(1 for d in docs if phrase_in(d.heading, query) or phrase_in(d.body, query))
    page = browser.new_page()
    try:
        first_result(page, url, query + " ")
        page.wait_for_function("() => /^[0-9.]+ mục chứa cụm từ/.test("
                               "document.querySelector('.vn-search__status').textContent)")
        assert int(page.locator(".vn-search__status").inner_text().split(" ")[0].replace(".", "")) == expected
    finally:
        page.close()


@pytest.mark.parametrize(("query", "anchor", "words"), [
    ("GPMB", "muc-2", "giải phóng mặt bằng"),
    ("gpmb", "muc-2", "giải phóng mặt bằng"),
    ("QLĐT", "muc-4", "Quản lý đô thị"),
    ("qldt", "muc-4", "Quản lý đô thị"),
    ("tckh", "muc-1", "Tài chính - Kế hoạch"),
])
def test_abbreviations_find_their_meaning_and_it_is_highlighted(browser, real_site_url, query, anchor, words):
    page = browser.new_page()
    try:
        first_result(page, real_site_url, query)
        hrefs = results(page)
        assert any(h.split("#")[-1] == anchor for h in hrefs), hrefs
        page.goto(next(h for h in hrefs if h.endswith("#" + anchor)))
        page.wait_for_selector("mark.vn-search-hit")
        marks = " ".join(page.locator(f"#{anchor} mark.vn-search-hit").all_inner_texts()
                         + page.locator("mark.vn-search-hit").all_inner_texts())
        assert phrase_in(marks, words), marks
    finally:
        page.close()


def test_abbreviations_on_a_generated_archive(browser, synthetic_site):
    url, _root = synthetic_site
    page = browser.new_page()
    try:
        first_result(page, url, "GPMB ")
        page.wait_for_function("() => document.querySelectorAll('.vn-search__result a').length >= 10")
        for href in results(page)[:10]:
            page.goto(href)
            text = page.evaluate(SECTION_TEXT)
            assert phrase_in(text, "giai phong mat bang") or phrase_in(text, "gpmb"), href
    finally:
        page.close()


@pytest.mark.parametrize(("typed", "anchor"), [("camer", "muc-6"), ("kinh te de", "muc-3"), ("den le", "muc-4"),
                                               ("giai phong mat ba", "muc-2")])
def test_the_last_word_matches_as_a_prefix_while_typing(browser, real_site_url, typed, anchor):
    page = browser.new_page()
    try:
        href = first_result(page, real_site_url, typed)
        assert href.endswith("#" + anchor), href
    finally:
        page.close()


def test_highlighting_marks_the_phrase_not_every_lone_syllable(browser, real_site_url):
    page = browser.new_page()
    try:
        href = first_result(page, real_site_url, "giai phong mat bang")
        page.goto(href)
        page.wait_for_selector("mark.vn-search-hit")
        marks = page.locator("mark.vn-search-hit").all_inner_texts()
        assert marks, "the phrase is marked"
        text = page.locator("[data-search-body]").inner_text()
        occurrences = sum(phrase_in(" ".join(text.split()[i:i + 4]), "giai phong mat bang")
                          for i in range(len(text.split())))
        assert 0 < len(marks) <= 4 * occurrences + 4  # the phrase (and a two-syllable run of it), no flood
        assert not [m for m in marks if m.upper() == m and len(m) > 1]  # never the signer's "PHÒNG"
        assert page.evaluate("() => location.search") == ""  # ?tim= left the address bar once applied
    finally:
        page.close()


def test_the_copied_citation_is_the_bare_permanent_url(browser, real_site_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    try:
        href = first_result(page, real_site_url, "den led")
        assert "?tim=" in href
        page.goto(href)
        page.locator("#muc-4 > .cite-copy").click()
        page.wait_for_function("() => [...document.querySelectorAll('.cite-copy')]"
                               ".some(b => b.textContent === 'Đã sao chép')")
        copied = page.evaluate("() => navigator.clipboard.readText()")
        url = copied.rsplit(" — ", 1)[-1]
        assert url == real_site_url + "ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/#muc-4", copied
        assert "?" not in copied and "tim=" not in copied
        page.goto(real_site_url + "ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/?utm_source=zalo&x=1#muc-4")
        page.locator("#muc-4 > .cite-copy").click()  # any other query string or state: still the bare address
        page.wait_for_function("() => [...document.querySelectorAll('.cite-copy')]"
                               ".some(b => b.textContent === 'Đã sao chép')")
        assert page.evaluate("() => navigator.clipboard.readText()").rsplit(" — ", 1)[-1] == url
    finally:
        context.close()
