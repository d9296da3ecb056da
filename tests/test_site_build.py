"""Builds of tiny archives with the real MkDocs + Material: what a visitor gets."""

from __future__ import annotations

import os
import posixpath
import re
import subprocess

import pytest
import yaml
from conftest import BIN, ROOT, build, minimal_notice

pytestmark = pytest.mark.build

SEED_URL = "ubnd-tp-lang-son/2020/chua-so-tb-ubnd-2020-11-10/"


def test_seed_page_has_item_anchors_status_and_header(tiny_archive):
    result = build(tiny_archive())
    assert result.returncode == 0, result.output
    html = result.page(SEED_URL)
    for n in range(1, 7):
        assert f'id="muc-{n}"' in html
        assert f'href="#muc-{n}"' in html  # a visible link on each item
    assert "Bản chưa ghi số và ngày ban hành" in html
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert "TL. CHỦ TỊCH" in html and "Hoàng Quân" in html
    assert "Lưu: VT." in html
    assert '<html lang="vi"' in html
    # The page's title comes from the notice (MkDocs no longer parses the front matter; its Markdown is then freed).
    assert "<title>Kết luận cuộc họp UBND thành phố thường kỳ tháng 11/2020 (Ngày 10 tháng 11 năm 2020) - " in html


def test_no_third_party_requests_in_built_html(tiny_archive):
    result = build(tiny_archive())
    assert result.returncode == 0, result.output
    loads = re.compile(r"""(?:src|srcset|data-src)=["'](?:https?:)?//|<link[^>]+href=["'](?:https?:)?//"""
                       r"""|@import\s+url\(["']?(?:https?:)?//|fonts\.googleapis|fonts\.gstatic""")
    for page in result.site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not loads.search(text), f"{page} loads something from a third party: {loads.search(text)[0]}"
    for css in result.site.rglob("*.css"):
        assert "fonts.googleapis" not in css.read_text(encoding="utf-8")


def test_notices_are_not_in_the_navigation(tiny_archive):
    result = build(tiny_archive())
    html = (result.site / "index.html").read_text(encoding="utf-8")
    nav = html[html.index('class="md-nav'):html.index("</nav>")]
    assert "chua-so-tb-ubnd" not in nav


PRIMARY_NAV = re.compile(r'<nav class="md-nav md-nav--primary".*?</nav>', re.S)


def _nav_from_root(html: str, page_url: str) -> str:
    """The page's primary navigation, its links rewritten from the site root (so pages at any depth compare)."""
    nav = PRIMARY_NAV.search(html)
    assert nav is not None

    def from_root(m: re.Match) -> str:
        path = posixpath.normpath(posixpath.join("/" + page_url, m.group(1)))
        return f'href="{path.rstrip("/")}/"' if m.group(1).endswith("/") else f'href="{path}"'

    return re.sub(r'href="([^"#:]*)"', from_root, nav.group(0))


def test_notice_pages_get_the_same_navigation_as_other_pages(tiny_archive):
    # Rendered once per folder for notice pages (theme/partials/nav.html): it must be what Material renders.
    result = build(tiny_archive({"ubnd-tp-lang-son/2021/tb-7.md": minimal_notice(
        number="07/TB-UBND", date="2021-03-02", meeting="2021-03-01")}))
    assert result.returncode == 0, result.output
    expected = _nav_from_root(result.page("nam/2020/"), "nam/2020/")  # not a notice: rendered by Material itself
    assert 'href="/don-vi/"' in expected and 'href="/nam/"' in expected
    assert 'href="../../don-vi/"' in PRIMARY_NAV.search(result.page("nam/2020/")).group(0)
    for url in (SEED_URL, "ubnd-tp-lang-son/2021/7-tb-ubnd/"):
        html = result.page(url)
        assert _nav_from_root(html, url) == expected
        assert 'href="../../../don-vi/"' in PRIMARY_NAV.search(html).group(0)


UNCACHED_HOOK = """
from mkdocs.plugins import event_priority


@event_priority(-100)  # after the archive's hook: every part of every page is rendered for that page
def on_page_context(context, page, config, nav):
    context.pop("folder_once", None)
    return context
"""


COUNTING_HOOK = """
import os

from mkdocs.plugins import event_priority


@event_priority(-100)  # after the archive's hook: note each part a notice page takes from the per-folder cache
def on_page_context(context, page, config, nav):
    once = context.get("folder_once")
    if once is not None:
        def counted(part, render):
            with open(os.environ["ONCE_CALLS"], "a", encoding="utf-8") as fh:
                fh.write(part + "\\n")
            return once(part, render)

        context["folder_once"] = counted
    return context
"""
CACHED_PARTS = {"nav", "header-start", "header-end", "styles", "libs", "analytics", "footer", "config", "scripts"}


def test_parts_rendered_once_per_folder_are_what_each_page_would_render(tiny_archive, tmp_path):
    # Header, footer, styles, scripts and Material's configuration of notice pages are rendered once per folder
    # (theme/main.html, theme/partials/header.html): the site must be byte for byte the one rendered part by part.
    # One notice defines a link reference, the others only write its label: a converter that kept the first
    # page's references would link them. Each links to one notice, relative to its own file.
    bodies = {(2020, 2): "Xem [văn bản][vb].\n\n[vb]: https://vanban.example.vn/"}
    target = "ubnd-tp-lang-son/2021/tb-3.md"
    notices = {f"ubnd-tp-lang-son/{year}/tb-{n}.md": minimal_notice(
        number=f"0{n}/TB-UBND", date=f"{year}-03-0{n}", meeting=f"{year}-03-01", title=f"Kết luận số {n}",
        body=bodies.get((year, n), "Xem [văn bản][vb].") + f"\n\nXem [thông báo 3]("
             f"{posixpath.relpath(target, f'ubnd-tp-lang-son/{year}')}).")
        for year in (2020, 2021) for n in (2, 3)}
    root = tiny_archive(notices)
    cached = build(root, site=tmp_path / "cached")
    assert cached.returncode == 0, cached.output
    hook = root / "uncached.py"
    hook.write_text(UNCACHED_HOOK, encoding="utf-8")
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"].append(str(hook))
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    uncached = build(root, site=tmp_path / "uncached")
    assert uncached.returncode == 0, uncached.output
    pages = sorted(p.relative_to(cached.site) for p in cached.site.rglob("*.html"))
    assert sorted(p.relative_to(uncached.site) for p in uncached.site.rglob("*.html")) == pages
    notice_pages = [p for p in pages if p.parts[0] == "ubnd-tp-lang-son"]
    assert len(notice_pages) == 5
    for page in pages:
        assert (cached.site / page).read_bytes() == (uncached.site / page).read_bytes(), page
    # And the cache is used: every notice page takes each part through it.
    hook.write_text(COUNTING_HOOK, encoding="utf-8")
    calls = tmp_path / "calls.txt"
    counted = build(root, site=tmp_path / "counted", env={"ONCE_CALLS": str(calls)})
    assert counted.returncode == 0, counted.output
    parts = calls.read_text(encoding="utf-8").split()
    assert {part: parts.count(part) for part in CACHED_PARTS} == dict.fromkeys(CACHED_PARTS, len(notice_pages))
    assert set(parts) == CACHED_PARTS
    two = [cached.page(f"ubnd-tp-lang-son/2021/{n}-tb-ubnd/") for n in (2, 3)]
    assert "Kết luận số 2" in two[0] and "Kết luận số 3" in two[1]  # the title between the cached parts is each one's
    assert "Kết luận số 2" not in two[1]
    assert 'href="https://vanban.example.vn/"' in cached.page("ubnd-tp-lang-son/2020/2-tb-ubnd/")
    assert "vanban.example.vn" not in cached.page("ubnd-tp-lang-son/2021/3-tb-ubnd/")
    assert 'href="../../2021/3-tb-ubnd/"' in cached.page("ubnd-tp-lang-son/2020/2-tb-ubnd/")
    assert 'href="../3-tb-ubnd/"' in cached.page("ubnd-tp-lang-son/2021/2-tb-ubnd/")


def test_invalid_notice_fails_strict_build_with_path_and_line(tiny_archive):
    bad = {"ubnd-tp-lang-son/2020/bad.md": minimal_notice(number="5/TB-UBND")}
    result = build(tiny_archive(bad))
    assert result.returncode != 0
    assert "notices/ubnd-tp-lang-son/2020/bad.md:3: trường 'number': số '5'" in result.output


SECTIONED_BODY = """Ghi-chu: dòng đầu có dạng 'khóa: giá trị' mà MkDocs có thể đọc nhầm thành siêu dữ liệu. Xem
[các hạn của Phòng Kinh tế](../../don-vi/phong-kinh-te.md#han-dang-mo) (trang sinh tự động, neo MkDocs kiểm tra).

## I. PHẦN MỘT

### 1. Mục một

a) Điểm a.

b) Điểm b.

## II. PHẦN HAI

### 1. Mục một của phần hai

***

Trên đây là kết luận."""


def test_notice_pages_are_rendered_from_the_archive_as_from_the_file(tiny_archive):
    """MkDocs gets each body without its front matter (read once, by the archive); the Markdown it renders is the
    one it would have cut from the file itself, and the anchors land on the same lines as a fresh parse."""
    from mkdocs.utils.meta import get_data

    from notice_archive.notice_page import anchored_source, notice_source
    from notice_archive.site import Site

    root = tiny_archive({"ubnd-tp-lang-son/2021/tb-05.md": minimal_notice(
        number="05/TB-UBND", date="2021-03-02", meeting="2021-03-01", body=SECTIONED_BODY,
        extra="items:\n  phan-1-muc-1: {}\n  phan-2-muc-1: {}\n")})
    site = Site.load(str(root / "notices"))
    assert not site.archive.errors, site.archive.errors
    for notice in site.archive.notices:
        own, own_meta = get_data((root / "notices" / notice.src_uri).read_text(encoding="utf-8"))
        source, first = notice_source(site.docs_dir, notice.src_uri)
        given, meta = get_data("\n" + source)
        assert given == own and meta == {} and own_meta["title"] == site.page_meta(notice)["title"]
        reparsed = 10**6  # no layout to trust at that line: the body is parsed again

        def anchored(markdown: str, first_line: int, notice=notice) -> str:
            return anchored_source(notice, markdown, first_line)

        assert anchored(given, first) == anchored(given, reparsed)
        # Edited since it was read (mkdocs serve): the items and points are found in the text again.
        edited = given.replace("b) Điểm b.", "c) Điểm c.").replace("### 1. Mục một\n", "### 1. Mục một, sửa lại\n")
        if edited != given:
            assert anchored(edited, first) == anchored(edited, reparsed)
            assert "c) Điểm c.\n{: #phan-1-muc-1-c .point }" in anchored(edited, first)
    result = build(root)
    assert result.returncode == 0, result.output
    page = result.page("ubnd-tp-lang-son/2021/5-tb-ubnd")
    assert all(f'id="{a}"' in page for a in ("phan-1", "phan-1-muc-1", "phan-1-muc-1-a", "phan-1-muc-1-b", "phan-2", "phan-2-muc-1"))
    assert "Ghi-chu: dòng đầu" in page


def test_a_file_in_the_way_of_a_generated_page_or_file_fails_the_build_with_its_path(tiny_archive):
    root = tiny_archive()
    (root / "notices" / "feeds").mkdir()
    (root / "notices" / "feeds" / "them.xml").write_text("<feed/>", encoding="utf-8")
    (root / "notices" / "du-an").mkdir()
    (root / "notices" / "du-an" / "index.md").write_text("# Dự án\n", encoding="utf-8")
    result = build(root)
    assert result.returncode != 0
    # The validator's rule (archive_files): each is reported where it is, and neither is published.
    for path, place in (("feeds/them.xml", "/feeds/"), ("du-an/index.md", "/du-an/")):
        assert (f"notices/{path}:1: nằm ở chỗ của trang web ({place}: giao diện, trang hay tệp do bản dựng sinh ra); "
                "tệp này sẽ thay chúng — xóa hoặc chuyển thông báo vào notices/<cơ quan>/<năm>/ [dia-chi-danh-rieng]"
                ) in result.output


GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


@pytest.mark.build
def test_the_real_archive_builds_the_same_with_mkdocs_and_properdocs(tmp_path):
    """Public engine APIs only: MkDocs 1.6 and ProperDocs, its maintained drop-in (both pinned), publish the same
    site, file for file and byte for byte, but for the generator tag."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", DISABLE_MKDOCS_2_WARNING="true", SOURCE_DATE_EPOCH="1764633600")
    sites = {}
    for engine in ("mkdocs", "properdocs"):
        sites[engine] = tmp_path / engine
        proc = subprocess.run([str(BIN / engine), "build", "--strict", "--site-dir", str(sites[engine])], cwd=ROOT,
                              env=env, capture_output=True, text=True)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    files = {engine: sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file()) for engine, site in
             sites.items()}
    assert files["mkdocs"] == files["properdocs"]
    generators = set()
    for rel in files["mkdocs"]:
        ours, theirs = ((sites[engine] / rel).read_bytes() for engine in sites)
        if rel.suffix == ".html":
            generators.update(m.group(0) for m in GENERATOR.finditer(ours + theirs))
            ours, theirs = GENERATOR.sub(b"", ours), GENERATOR.sub(b"", theirs)
        assert ours == theirs, rel
    assert len(generators) == 2  # each engine's own tag: two builds, not one built twice


@pytest.mark.build
def test_a_quiet_strict_build_still_fails_on_a_notice_with_errors(tiny_archive):
    """`mkdocs build -q` hides warnings from MkDocs' strict count: the build passed without the notice in error
    (the benchmark built that way for a session). The hooks stop a strict build themselves."""
    root = tiny_archive({"ubnd-tp-lang-son/2021/tb-7.md": minimal_notice(number="07/TB-UBND", date="2099-03-02",
                                                                         meeting="2021-03-01")})
    quiet = build(root, "-q")
    assert quiet.returncode == 1, quiet.output
    assert "lỗi trong notices/, bản dựng --strict dừng" in quiet.output and "Traceback" not in quiet.output
    assert "notices/ubnd-tp-lang-son/2021/tb-7.md:" in quiet.output  # the first error, located, even when quiet
    assert not (quiet.site / "du-lieu").exists()  # nothing of the archive's own files is written


CLASHING_HOOK = """
import os

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File


@event_priority(100)  # before the archive's hook: a file (of another plugin, say) where the search index goes
def on_files(files, config):
    files.append(File("tim-kiem/manifest.json", os.environ["CLASHING_DIR"], config.site_dir,
                      config.use_directory_urls))
    return files
"""


@pytest.mark.build
def test_a_quiet_strict_build_also_fails_on_a_file_the_build_would_overwrite(tiny_archive, tmp_path):
    """What the build finds itself (a file where it writes the search index, two files at one address) stops a
    strict build like the validator's errors, also under `-q`: it would publish a site without that file."""
    root = tiny_archive()
    (tmp_path / "other" / "tim-kiem").mkdir(parents=True)
    (tmp_path / "other" / "tim-kiem" / "manifest.json").write_text("{}", encoding="utf-8")
    (root / "clashing.py").write_text(CLASHING_HOOK, encoding="utf-8")
    config = yaml.safe_load((root / "mkdocs.yml").read_text(encoding="utf-8"))
    config["hooks"] = [str(root / "clashing.py"), *config["hooks"]]
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    quiet = build(root, "-q", env={"CLASHING_DIR": str(tmp_path / "other")})
    assert quiet.returncode == 1, quiet.output
    assert "notices/tim-kiem/manifest.json:1: tệp này sẽ bị ghi đè" in quiet.output, quiet.output
    assert "Traceback" not in quiet.output
