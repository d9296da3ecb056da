"""MkDocs adapter: wires MkDocs events to the engine-free core in notice_archive. Nothing else lives here."""

from __future__ import annotations

import logging
import os
import posixpath
from functools import partial
from pathlib import Path

import markdown
from jinja2 import Environment
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure import pages
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from notice_archive.outputs import SiteOutputs
from notice_archive.problems import Problem
from notice_archive.site import Site, anchor_ids, build_day, headings
from notice_archive.worker import BuildJob

log = get_plugin_logger("notice_archive")
STATE = "notice_archive_site"  # keys on the per-build config object: no module-level mutable state
JOB = "notice_archive_job"
PREPARED = "notice_archive_pages"  # src_uri -> NoticePage, from reading a notice page to decorating its HTML
ONCE = "notice_archive_once"  # parts of notice pages that are the same across a folder, by (part, folder): main.html
MARKDOWN = "notice_archive_markdown"  # the one Markdown converter of notice pages (NoticeMarkdownPage)


def _site(config: MkDocsConfig) -> Site:
    return config[STATE]


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    BuildJob.cancel_running()  # a new build (mkdocs serve): an earlier one that failed leaves no worker behind
    # One Jinja environment per build: get_env() makes a new one (and recompiles templates) on every call.
    env = config.theme.get_env()
    # The other core reads half the notices, then prepares notice pages ahead of MkDocs, renders the index pages
    # and writes the search index, open data and feeds while MkDocs renders the notices.
    today = build_day()
    job = BuildJob(config.docs_dir, None, SiteOutputs(env, config.site_name, config.site_url, config.docs_dir, today))
    config[JOB] = job
    site = Site.load(config.docs_dir, today=today, archive=job.archive)
    for problem in site.problems:
        # Warnings on a mkdocs.plugins.* logger are what make `--strict` fail; advice is information only.
        if problem.severity == "error":
            log.warning(problem.format())
        else:
            log.info(problem.format())
    if any(p.code == "lien-ket" for p in site.problems):
        # MkDocs follows links when it lists the folder (to one outside, or round a loop): stop before it does.
        raise PluginError("notices/ có liên kết tượng trưng (symlink), xem các lỗi trên; bản dựng dừng tại đây")
    config[STATE] = site
    config[ONCE] = {}
    config[PREPARED] = {}
    config[MARKDOWN] = None
    site.env = env
    if "redirects" in config.plugins:
        # Moved or re-identified notices keep their old URLs (mkdocs-redirects keeps the #anchor).
        config.plugins["redirects"].config["redirect_maps"].update(site.redirect_maps())
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    site = _site(config)
    # Only what the archive accepted is published (archive_files; each refusal is one of site.problems, warned).
    published = site.archive.published_sources()
    for file in [f for f in files if f.src_dir == config.docs_dir and f.src_uri not in published]:
        files.remove(file)
    files.add_files_from_theme(site.env, config)  # a theme file that a removed file shadowed
    for page in site.generated_pages():
        if files.get_file_from_path(page.src_uri) is not None:
            _warn(page.src_uri, f"tệp này trùng với trang sinh tự động /{page.url}; đổi tên hoặc xóa tệp", "trung-tep")
            continue
        # Front matter only: the content is written as HTML in on_page_content.
        files.append(File.generated(config, page.src_uri, content=page.source()))
    taken: dict[str, str] = {}
    for file in files.documentation_pages():
        notice = site.notice_for(file.src_uri)
        if notice is not None:
            # The URL comes from the notice's identity, not from where the file sits.
            file.dest_uri = notice.url + "index.html"
            file.url = notice.url
            file.abs_dest_path = os.path.normpath(os.path.join(config.site_dir, file.dest_uri))
            NoticeMarkdownPage(None, file, config)  # MkDocs makes a Page for each file that has none (not in nav)
        if file.dest_uri in taken:
            _warn(file.src_uri, f"địa chỉ /{file.url} trùng với notices/{taken[file.dest_uri]}", "trung-dia-chi")
        taken[file.dest_uri] = file.src_uri
    config[JOB].start_writing(config.site_dir)  # MkDocs has emptied the site folder by now
    clashing = config[JOB].outputs.clashes(site.archive, [f.dest_uri for f in files if not f.generated_by])
    for file in files:
        if file.dest_uri in clashing and not file.generated_by:
            _warn(file.src_uri, f"tệp này sẽ bị ghi đè bởi tệp /{file.dest_uri} do bản dựng sinh ra (tìm kiếm, dữ liệu "
                  "mở, nguồn tin); đổi tên hoặc xóa tệp", "trung-tep")
    return files


class NoticeMarkdownPage(Page):
    """A notice's page, rendered as MkDocs renders a page (Page.render of MkDocs 1.6), except that one Markdown
    converter serves every notice, reset between pages, instead of one built per page: building one (its
    extensions, its patterns) costs 0.27 ms, 2.7 s of a 10,000-notice build."""

    def render(self, config: MkDocsConfig, files: Files) -> None:
        if self.markdown is None:
            raise RuntimeError("`markdown` field hasn't been set (via `read_source`)")
        md = config[MARKDOWN]
        if md is None:
            md = config[MARKDOWN] = markdown.Markdown(extensions=config["markdown_extensions"],
                                                      extension_configs=config["mdx_configs"] or {})
        md.reset()  # Python-Markdown's way to convert another document with the same converter
        # MkDocs' own processors, new for each page: each replaces the last page's (same name).
        raw_html = pages._RawHTMLPreprocessor()
        raw_html._register(md)
        anchors = pages._ExtractAnchorsTreeprocessor(self.file, files, config)
        anchors._register(md)
        links = pages._RelativePathTreeprocessor(self.file, files, config)
        links._register(md)
        title = pages._ExtractTitleTreeprocessor()
        title._register(md)
        try:
            self.content = md.convert(self.markdown)
        except BaseException:
            config[MARKDOWN] = None  # its parser may be left mid-document: the next page gets a new one
            raise
        self.toc = get_toc(getattr(md, "toc_tokens", []))
        self._title_from_render = title.title
        self.present_anchor_ids = anchors.present_anchor_ids | raw_html.present_anchor_ids
        if pages.log.getEffectiveLevel() > logging.DEBUG:
            self.links_to_anchors = links.links_to_anchors


def _warn(src_uri: str, message: str, code: str) -> None:
    """A problem with a file of notices/ found by the build, reported like the validator's."""
    log.warning(Problem(f"notices/{src_uri}", 1, message, "error", code).format())


def on_page_read_source(page: Page, config: MkDocsConfig) -> str | None:
    site = _site(config)
    if site.notice_for(page.file.src_uri) is None:
        return None
    # Anchored body, citations and the items' metadata: from the worker when it got there first, else made here.
    prepared = config[JOB].page(page.file.src_uri)
    if prepared is None:
        prepared = site.notice_page(page.file.src_uri)
    config[PREPARED][page.file.src_uri] = prepared
    # The archive has read this front matter already: MkDocs gets the body alone, not YAML to parse again. The
    # leading blank line stops MkDocs reading a first line such as "TODO: …" as MultiMarkdown metadata.
    return "\n" + prepared.source


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    site = _site(config)
    notice = site.notice_for(page.file.src_uri)
    if notice is not None:
        page.meta = site.page_meta(notice)  # the body is anchored already (on_page_read_source)
    return markdown


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    site = _site(config)
    generated = site.generated_for(page.file.src_uri) if page.file.generated_by else None
    if generated is not None:
        # Index pages are written by Jinja straight to HTML (Python-Markdown over their thousands of rows cost more
        # than rendering every notice); their table of contents is read back from the headings they contain.
        content, broken = config[JOB].prepared().pop(generated.src_uri)  # rendered by the worker; MkDocs keeps it now
        for url in broken:
            log.warning(f"trang {generated.url or '/'} có liên kết tới /{url}, không có trong trang web")
        page.toc = get_toc(headings(content))
        page.present_anchor_ids = anchor_ids(content)  # so MkDocs can check links to them, as for Markdown
        return content
    if site.notice_for(page.file.src_uri) is None:
        return html
    # Rendered: MkDocs keeps every page's Markdown to the end, ~100 MB at 10,000 notices; the title is in page.meta.
    page.markdown = ""
    return site.decorate_html(html, config[PREPARED].pop(page.file.src_uri))


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    # Templates call folder_once(part, render) for the parts of a page that do not name it: it renders them, except
    # on notice pages, whose context has one that renders each part once per folder (on_page_context).
    env.globals["folder_once"] = _render
    return env


def _render(part: str, render):
    return render()


def on_page_context(context: dict, page: Page, config: MkDocsConfig, nav) -> dict:
    site = _site(config)
    notice = site.notice_for(page.file.src_uri)
    context["notice"] = notice
    context["registry"] = site.registry
    if notice is not None:
        context["related"] = site.related(notice)
        # Notice pages are not in the navigation: it, and every part of the page that does not name the page
        # (styles, scripts, footer, Material's configuration), renders the same on every page of one folder.
        context["folder_once"] = partial(_once, config[ONCE], posixpath.dirname(page.url.rstrip("/")))
    return context


def _once(store: dict, folder: str, part: str, render) -> str:
    key = (part, folder)
    if key not in store:
        store[key] = render()
    return store[key]


@event_priority(-100)  # after mkdocs-redirects has written its pages
def on_post_build(config: MkDocsConfig) -> None:
    if "redirects" in config.plugins:
        _vietnamese_redirects(config)
    # Wait for the worker's files (search index under tim-kiem/, open data, feeds), written straight into the site.
    report = config[JOB].finish(config.site_dir)
    if report is None:
        return  # notices with errors: the build fails (strict) and publishes none of them
    f = report.figures
    helped = (f", tiến trình chính viết thay {report.engine_tasks} phần trong {report.engine_seconds:.1f} s"
              if report.engine_tasks else "")
    log.info(f"tiến trình phụ: {report.ahead:.1f} s cho các trang, rồi {report.seconds:.1f} s ghi tệp (trang dựng xong "
             f"chờ thêm {report.waited:.1f} s{helped}); {report.files} tệp; tìm kiếm: {f['search_docs']} phần "
             f"({f['search_files']} tệp, {f['search_kb']} KB)")


def _vietnamese_redirects(config: MkDocsConfig) -> None:
    """mkdocs-redirects' page at a former address says "Redirecting..." in English; rewrite it from
    theme/redirect.html, in Vietnamese, to the target the plugin gave it (its own helpers, same #anchor script)."""
    from mkdocs_redirects.plugin import get_html_path, get_relative_html_path

    plugin = config.plugins["redirects"]
    template = _site(config).env.get_template("redirect.html")
    for old, new in plugin.redirects.items():
        target = plugin.doc_pages.get(new)  # our redirect maps point at notices' source files
        if target is None:
            continue  # the plugin warned (strict fails) and wrote nothing
        url = get_relative_html_path(old, target.url, config.use_directory_urls)
        path = Path(config.site_dir) / get_html_path(old, config.use_directory_urls)
        path.write_text(template.render(url=url), encoding="utf-8")


def on_build_error(error: Exception) -> None:
    BuildJob.cancel_running()  # the worker stops writing and its folder goes
