"""Contributor text is text on every page, and the Content-Security-Policy holds on every kind of page.

A tiny archive full of hostile input (titles and registry names that open tags, quotes that leave attributes, file
names with quotes and '<', links whose scheme is split over lines or written in entities, remote images) is either
refused by the validator with path:line, or built and published inert: checked with an HTML parser on every page,
and in Chromium, where the policy must be in force and no page may report a violation.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, build, make_archive, minimal_notice

from notice_archive.archive import load_archive
from notice_archive.csp import INLINE_SCRIPTS, policy, script_hash

# Legitimate-looking text that an HTML check waiting for '>' lets through: unclosed tags, quotes that would leave an
# attribute. Published, it must stay text.
HOSTILE_TITLE = ('Kết luận <script src=//evil.example/x.js <base href=//evil.example/ <iframe src=//evil.example/ '
                 '<meta http-equiv=refresh content="0;url=//evil.example/" "trích" & \'nháy\' <svg')
HOSTILE_DEPARTMENT = 'Phòng "Thử" <iframe src=//evil.example/ <img src=x <base href=//evil.example/'
HOSTILE_PROJECT = "Dự án <base href=//evil.example/ 'thử' <script src=//evil.example/y.js"
HOSTILE_FILE = 'ubnd-tp-lang-son/2020/a"b<c d\'e.md'
PLAIN_FILE = "ubnd-tp-lang-son/2020/thu-tieu-de.md"
ATTACK_BODY = """Đoạn mở đầu.

### 1. Báo cáo của Phòng Thử trình

Giao Phòng Thử thực hiện dự án thử nghiệm.

***

Trên đây là kết luận."""
# Links refused by the validator (each with path:line) and dropped from the page if validation were skipped.
HOSTILE_LINKS = [
    "[a](java\nscript:alert(1))", "[b](JaVa\nScRiPt:alert(2))", "[c](&#106;avascript:alert(3))",
    "[d](java&#x09;script:alert(4))", "[e](data:text/html;base64,PHNjcmlwdD4=)", "![f](https://evil.example/f.png)",
    "![g](//evil.example/g.png)", "![h](ht\ntps://evil.example/h.png)", "[i](vbscript:x)",
]
BAD_TAGS = {"script", "base", "iframe", "frame", "object", "embed", "style", "form", "meta", "link", "img"}


def hostile_registry(tmp: Path) -> Path:
    reg = tmp / "registry"
    shutil.copytree(ROOT / "notices" / "_registry", reg, ignore=shutil.ignore_patterns("published-urls.txt"))
    deps = yaml.safe_load((reg / "departments.yml").read_text(encoding="utf-8"))
    deps["phong-thu"] = {"name": HOSTILE_DEPARTMENT, "issuer": "ubnd-tp-lang-son", "kind": "phong",
                         "aliases": ["Phòng Thử"]}
    (reg / "departments.yml").write_text(yaml.safe_dump(deps, allow_unicode=True), encoding="utf-8")
    projects = yaml.safe_load((reg / "projects.yml").read_text(encoding="utf-8"))
    projects["du-an-thu"] = {"name": HOSTILE_PROJECT, "lead": "phong-thu", "aliases": ["dự án thử nghiệm"]}
    (reg / "projects.yml").write_text(yaml.safe_dump(projects, allow_unicode=True), encoding="utf-8")
    return reg


def hostile_notice(number: str = "201/TB-UBND", body: str = ATTACK_BODY) -> str:
    return minimal_notice(number=number, title=yaml.safe_dump(HOSTILE_TITLE, width=1000).strip().removesuffix("..."),
                          extra="items:\n  muc-1:\n    presented_by: phong-thu\n    projects: [du-an-thu]\n",
                          body=body)


class Elements(HTMLParser):
    """Every element of a page with its attributes, and the text of its inline scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.elements.append((tag, dict(attrs)))
        attributes = dict(attrs)
        # Data blocks (Material's configuration, type="application/json") are not run; any other script type is.
        if tag == "script" and "src" not in attributes and attributes.get("type") != "application/json":
            self._script = []

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            self.scripts.append("".join(self._script))
            self._script = None


def parse(html: str) -> Elements:
    parser = Elements()
    parser.feed(html)
    parser.close()
    return parser


def page_problems(html: str, redirect: bool = False) -> list[str]:
    """What on a built page could run, load from elsewhere or re-target the page, beyond what the theme writes."""
    page = parse(html)
    out = []
    head = [(tag, attrs) for tag, attrs in page.elements[:4] if tag == "meta"]
    csp = [a.get("content") for tag, a in page.elements if tag == "meta" and a.get("http-equiv")
           and a["http-equiv"].lower() == "content-security-policy"]
    if csp != [policy()]:
        out.append(f"policy: {csp}")
    if not any(a.get("http-equiv") == "Content-Security-Policy" for _, a in head):
        out.append("the policy is not at the start of <head>")
    for tag, attrs in page.elements:
        for name, value in attrs.items():
            if name.startswith("on") or name in ("style", "srcdoc", "formaction"):
                out.append(f"<{tag} {name}=…>")
            if name in ("href", "src", "action", "content") and value and re.search(r"(?i)javascript:|vbscript:|data:text",
                                                                                  re.sub(r"\s", "", value)):
                out.append(f"<{tag} {name}={value!r}>")
        # The theme's own forms: the search box and Material's colour-scheme toggle (neither posts anywhere).
        theirs = attrs.get("class") == "vn-search__form" or attrs.get("data-md-component") == "palette"
        if tag in ("base", "iframe", "frame", "object", "embed", "style", "form") and not (tag == "form" and theirs):
            out.append(f"<{tag}>")
        if tag == "meta" and attrs.get("http-equiv") and attrs["http-equiv"].lower() != "content-security-policy" \
                and not (redirect and attrs["http-equiv"] == "refresh"):
            out.append(f"<meta http-equiv={attrs['http-equiv']}>")
        if tag in ("script", "img", "link") and re.match(r"(?i)\s*(https?:)?//", attrs.get("src") or ""):
            out.append(f"<{tag} src={attrs['src']}>")
        if tag == "link" and attrs.get("rel") in ("stylesheet", "icon") and "//" in (attrs.get("href") or ""):
            out.append(f"<link href={attrs['href']}>")
    out += [f"inline script {text[:60]!r}" for text in page.scripts if text not in INLINE_SCRIPTS.values()]
    return out


# The policy itself ----------------------------------------------------------------------------------------------

def test_policy_allows_scripts_only_from_the_site_and_the_themes_own_inline_scripts() -> None:
    directives = dict(d.split(" ", 1) for d in policy().split("; "))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"].split() == ["'self'", *(script_hash(t) for t in INLINE_SCRIPTS.values())]
    for name in ("style-src", "font-src", "connect-src"):
        assert directives[name] == "'self'"
    assert directives["img-src"] == "'self' data:"  # Material's stylesheet icons (data:image/svg+xml masks)
    for name in ("base-uri", "object-src", "frame-src", "child-src", "form-action"):
        assert directives[name] == "'none'"
    assert "unsafe" not in policy() and "*" not in policy() and "http" not in policy()


def test_only_a_preview_runs_inline_scripts_and_then_without_hashes() -> None:
    # MkDocs' live reload writes an inline script whose text changes with each build: a preview (not strict, never
    # published) allows inline scripts; the published policy allows only the theme's hashed ones.
    published, preview = policy(), policy(preview=True)
    assert "'unsafe-inline'" not in published.split("script-src")[1].split(";")[0]
    script_src = preview.split("script-src")[1].split(";")[0]
    assert "'unsafe-inline'" in script_src and "sha256-" not in script_src  # a hash would switch unsafe-inline off
    assert published.replace(published.split("; ")[1], "") == preview.replace(preview.split("; ")[1], "")


def test_a_script_hash_is_the_hash_of_exactly_that_text() -> None:
    # Known value (sha256 of "alert(1)", as browsers compute it for <script>alert(1)</script>).
    assert script_hash("alert(1)") == "'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"
    assert script_hash("alert(1) ") != script_hash("alert(1)")


# Links and images: checked on what Markdown parsed, dropped from the page even if validation were skipped ----------

def site_markdown():
    import markdown

    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)
    names, configs = [], {}
    for entry in config["markdown_extensions"]:
        name = entry if isinstance(entry, str) else next(iter(entry))
        names.append(name)
        if isinstance(entry, dict) and isinstance(entry[name], dict):
            configs[name] = {k: v for k, v in entry[name].items() if k != "permalink"}
    return markdown.Markdown(extensions=names, extension_configs=configs)


@pytest.mark.parametrize("source", HOSTILE_LINKS + [
    "[r][x]\n\n[x]: javascript:alert(1)", "![r][y]\n\n[y]: https://evil.example/y.png", "<https://ok.example/>",
    "[j](\tjavascript:alert(1))", "[k](&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;x)",
    "[l](java&Tab;script:x)", "[m](javascript&colon;x)", "[n](  \u200bjavascript:x)", "[o](JAVASCRIPT:x)",
    "![p](data:image/svg+xml,<svg onload=alert(1)>)", "[q](x){: onclick=\"alert(1)\" href=\"javascript:alert(2)\" }",
])
def test_the_page_never_carries_a_refused_destination(source: str) -> None:
    """Whatever the validator said, the rendered page has no href or src a browser would run or fetch elsewhere."""
    html = site_markdown().convert(source)
    for tag, attrs in parse(html).elements:
        for name, value in attrs.items():
            assert not name.startswith("on")
            if name in ("href", "src"):
                from notice_archive.safe_markdown import browser_url, image_allowed, link_allowed

                url = browser_url(value or "")
                assert (image_allowed(url) if tag == "img" else link_allowed(url)), (tag, name, value)
                assert not re.match(r"(?i)(javascript|vbscript|data):", url)


def test_allowed_links_and_site_images_are_kept() -> None:
    html = site_markdown().convert("[a](https://langson.gov.vn/) [b](mailto:vp@langson.gov.vn) [c](tel:+84205) "
                                   "[d](#muc-1) [e](../2019/a.md) ![f](anh/a.png) <vp@langson.gov.vn>")
    hrefs = [a.get("href") for tag, a in parse(html).elements if tag == "a"]
    assert hrefs[:5] == ["https://langson.gov.vn/", "mailto:vp@langson.gov.vn", "tel:+84205", "#muc-1", "../2019/a.md"]
    assert len(hrefs) == 6  # the e-mail autolink, entity-encoded by Markdown, is a mailto: link
    assert [a.get("src") for tag, a in parse(html).elements if tag == "img"] == ["anh/a.png"]


# Atom feeds: well-formed XML whatever the text ----------------------------------------------------------------------

def test_a_feed_is_well_formed_xml_whatever_its_text() -> None:
    from xml.etree import ElementTree

    import feedparser
    from jinja2 import Environment, FileSystemLoader

    from notice_archive.feeds import Feed, FeedEntry, render_feed

    nasty = "a\x00b\x1b[31m\x08c\ufffe <![CDATA[ ]]> </summary> & \"'\u202e\ud800 <script>x</script>"
    entry = FeedEntry(id="urn:x", title=nasty, href="x/?a=1&b=\"2\"", updated="2020-11-20T00:00:00+07:00",
                      summary=nasty, category=nasty)
    feed = Feed("feeds/x.xml", "urn:f", nasty, nasty, nasty, "x.xml", "./", "2020-11-20T00:00:00+07:00", (entry,))
    xml = render_feed(Environment(loader=FileSystemLoader(str(ROOT / "theme"))), feed)
    root = ElementTree.fromstring(xml.encode("utf-8"))  # raises on ill-formed XML
    ns = {"a": "http://www.w3.org/2005/Atom"}
    title = root.find("a:entry/a:title", ns).text
    assert "<script>x</script>" in title and "</summary>" in title  # text, kept as text
    assert "\x00" not in xml and "\x1b" not in xml
    assert root.find("a:entry/a:link", ns).get("href") == "x/?a=1&b=\"2\""
    parsed = feedparser.parse(xml)
    assert not parsed.bozo, parsed.get("bozo_exception")


# A tiny site of hostile input: refused with path:line, or published inert ---------------------------------------

@pytest.mark.build
def test_hostile_titles_names_and_file_names_are_published_as_text(tmp_path: Path) -> None:
    # Text that merely looks like markup is legitimate in a title or a name: published, as text. A file name with
    # such characters is refused (archive_files: it would land in URLs and attributes), at its path.
    refused = load_archive(str(make_archive(tmp_path / "ten", {HOSTILE_FILE: hostile_notice()}) / "notices"))
    assert [p.format()[:len(f"notices/{HOSTILE_FILE}:1: ")] for p in refused.errors] == [f"notices/{HOSTILE_FILE}:1: "]
    assert refused.errors[0].code == "ten-tep"
    root = make_archive(tmp_path, {PLAIN_FILE: hostile_notice()}, registry_dir=hostile_registry(tmp_path))
    result = build(root)
    assert result.returncode == 0, result.output
    pages = sorted(result.site.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        assert page_problems(path.read_text(encoding="utf-8")) == [], path
    notice = parse(result.page("ubnd-tp-lang-son/2020/201-tb-ubnd"))
    # The text is there, as text: the parser sees it in <title>, not as elements.
    titles = [a for tag, a in notice.elements if tag == "title"]
    assert len(titles) == 1
    html = result.page("ubnd-tp-lang-son/2020/201-tb-ubnd")
    assert "Kết luận &lt;script src=//evil.example/x.js &lt;base href=//evil.example/" in html
    assert "Phòng &#34;Thử&#34; &lt;iframe src=//evil.example/ &lt;img src=x" in html
    # The edit link ends in the file name (percent-encoded, should a name with such characters ever pass).
    edits = [a["href"] for tag, a in notice.elements if tag == "a" and a.get("rel") == "edit"]
    assert edits == ["https://github.com/ubnd-archive/thong-bao-ket-luan/edit/main/notices/" + PLAIN_FILE]
    department = result.page("don-vi/phong-thu")
    assert page_problems(department) == []
    assert "<title>Phòng &#34;Thử&#34; &lt;iframe" in department
    # Feeds and calendars carry the same text, as text: XML that parses, iCalendar that reads back the same name.
    import feedparser
    import icalendar

    for feed in ("feeds/don-vi/phong-thu.xml", "feeds/du-an/du-an-thu.xml", "feeds/thong-bao.xml"):
        xml = (result.site / feed).read_text(encoding="utf-8")
        parsed = feedparser.parse(xml)
        assert not parsed.bozo, (feed, parsed.get("bozo_exception"))
        assert "<base" not in xml and "<script" not in xml and "<iframe" not in xml
    titles = [e.title for e in feedparser.parse((result.site / "feeds/thong-bao.xml").read_bytes()).entries]
    assert any(HOSTILE_TITLE in t for t in titles)
    calendar = icalendar.Calendar.from_ical((result.site / "feeds/don-vi/phong-thu.ics").read_bytes())
    assert HOSTILE_DEPARTMENT in str(calendar.get("X-WR-CALNAME") or calendar.get("NAME"))


@pytest.mark.build
def test_hostile_links_and_markup_are_refused_with_their_lines(tmp_path: Path) -> None:
    body = "Đoạn mở đầu.\n\n" + "\n\n".join(HOSTILE_LINKS) + "\n\n***\n\nTrên đây là kết luận."
    notice = minimal_notice(number="202/TB-UBND", body=body)
    first_body_line = notice.split("\n").index("Đoạn mở đầu.") + 1
    root = make_archive(tmp_path, {"ubnd-tp-lang-son/2020/lien-ket.md": notice,
                                   "ubnd-tp-lang-son/2020/the-dong.md": minimal_notice(
                                       number="203/TB-UBND", title="Kết luận </title><script>alert(1)</script>")})
    result = build(root)
    assert result.returncode != 0
    assert "Traceback" not in result.output
    path = "notices/ubnd-tp-lang-son/2020/lien-ket.md"
    expected_lines, line = [], first_body_line + 2
    for link in HOSTILE_LINKS:
        expected_lines.append(line)
        line += link.count("\n") + 2
    # (each as the validator's warning; the build's closing error quotes the first one again)
    reported = [int(m) for m in re.findall("notice_archive: " + re.escape(path) + r":(\d+): nội dung: ", result.output)]
    assert sorted(reported) == expected_lines
    assert re.search(r"notices/ubnd-tp-lang-son/2020/the-dong\.md:7: trường 'title'", result.output)
    # Nothing with an error was published at its address; what MkDocs still wrote (the build fails, nothing is
    # deployed) is inert too: the links were dropped, the title is text.
    assert not (result.site / "ubnd-tp-lang-son" / "2020" / "202-tb-ubnd").exists()
    for page in sorted(result.site.rglob("*.html")):
        assert page_problems(page.read_text(encoding="utf-8")) == [], page
    # A notice with errors is not even rendered (archive.published_sources): the page-level drop of a refused
    # destination is the last line of defence, tested on the converter itself (test_the_page_never_carries_...).
    assert not (result.site / "ubnd-tp-lang-son" / "2020" / "203-tb-ubnd").exists()


# Templates: a value printed where autoescape is off is escaped, or is HTML we build --------------------------------

# What may be printed unescaped where autoescape is off: HTML the build writes itself (Material's blocks and partials,
# the Markdown it converted, our fixed inline scripts), fixed words of the theme, paths MkDocs computes.
TRUSTED = re.compile(r"""^(?:folder_once\(.*\)|super\(\)|page\.content|inline_scripts\.\w+
    |lang\.t\('\w+'\)|class|mkdocs_version|base_url|item\.render\(.*\)|edit_href\(page\))$""", re.X)
ESCAPED = re.compile(r"\|\s*(?:e|escape|tojson|urlencode)\s*\)?$")


def test_every_value_in_a_template_without_autoescape_is_escaped() -> None:
    theme = ROOT / "theme"
    unescaped = []
    for path in sorted(theme.rglob("*.html")):
        rel = path.relative_to(theme).as_posix()
        if rel.startswith(("generated/", "feeds/")):  # rendered with autoescape on (Site.pages_env, the template)
            continue
        text = re.sub(r"\{%-?\s*autoescape true\s*-?%\}.*?\{%-?\s*endautoescape\s*-?%\}", "", path.read_text(
            encoding="utf-8"), flags=re.S)
        text = re.sub(r"\{#.*?#\}", "", text, flags=re.S)
        for expr in re.findall(r"\{\{-?\s*(.*?)\s*-?\}\}", text, flags=re.S):
            if not ESCAPED.search(expr) and not TRUSTED.match(expr):
                unescaped.append(f"{rel}: {{{{ {expr} }}}}")
    assert unescaped == []


def test_the_templates_autoescape_regions_are_really_escaped() -> None:
    """The check above trusts {% autoescape true %}: the notice template's content block is one."""
    text = (ROOT / "theme" / "notice.html").read_text(encoding="utf-8")
    block = text[text.index("{% block content %}"):]
    assert block.index("{% autoescape true %}") < block.index("{{") and "{% endautoescape %}" in block
