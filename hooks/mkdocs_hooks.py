"""MkDocs adapter: wires MkDocs events to the engine-free core in notice_archive. Nothing else lives here.

The build is one pipeline, in the order MkDocs calls these events:

    on_config        load: read and check every notice (or take it from the per-notice cache) and the registries,
                     model the archive, check the rules across notices (load_archive, Site.load)
    on_files         derive: the index pages join the files; each notice's URL comes from its identity; the one
                     background job starts: open data, search index and feeds, pure functions of the archive, are
                     written by a second process (site_files.Writing; in this one, at the end, under a server)
    on_page_*        write: MkDocs renders each notice (body anchored, citations, items' metadata: notice_page,
                     through Site.notice_page); the index pages' HTML is rendered from the archive (index_pages,
                     through Site.render_page)
    on_post_build    the build waits for that job: its figures, or its error
    on_build_error   a build that fails before it waits ends that job

A preview (.ci/preview.sh, and every `mkdocs serve`, strict or not) with notices in error does not stop: every page
then shows the validator's messages at its top (on_post_page, on_post_template), as the terminal does, until the
notice is fixed.
"""

from __future__ import annotations

import logging
import os
import posixpath
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemBytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from notice_archive import preview
from notice_archive.csp import theme_globals
from notice_archive.dates import build_day
from notice_archive.index_pages import anchor_ids, headings
from notice_archive.notice_cache import NoticeCache
from notice_archive.notice_page import decorate_html
from notice_archive.problems import Problem
from notice_archive.registry import REGISTRY_DIR
from notice_archive.site import Site
from notice_archive.site_files import Writing, WritingFailed, clashes, end_writing, write_site_files

if TYPE_CHECKING:  # (only named: the server's module loads the file watcher)
    from mkdocs.livereload import LiveReloadServer

log = get_plugin_logger("notice_archive")
STATE = "notice_archive_site"  # keys on the per-build config object: module-level state is COMMAND alone
PREPARED = "notice_archive_pages"  # src_uri -> NoticePage, from reading a notice page to decorating its HTML
ONCE = "notice_archive_once"  # parts of notice pages that are the same across a folder, by (part, folder): main.html
PROBLEMS = "notice_archive_problems"  # a preview's list of the notices' errors, as HTML put on every page ("" if none)
TEMPLATES = "notice_archive_templates"  # the folder of compiled templates beside the per-notice cache (or None)
PREVIEW = "notice_archive_preview"  # whether this build is a preview: errors shown on its pages, never a stop
WRITING = "notice_archive_writing"  # the job writing open data, search index and feeds (site_files.Writing), or None
FOUND = "notice_archive_found"  # problems with files of notices/ that the build itself finds (on_files): Problems
# The command MkDocs runs, from on_startup: the one fact that outlives a build (MkDocs keeps a hook module for every
# rebuild of one `mkdocs serve`, and says the command once, before the first).
COMMAND: dict[str, str] = {}
ARTICLE = '<article class="md-content__inner md-typeset">'  # where Material's pages (and its 404 page) begin


def _site(config: MkDocsConfig) -> Site:
    return config[STATE]


def on_startup(command: str, dirty: bool) -> None:
    COMMAND["name"] = command


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Callable) -> LiveReloadServer:
    # After the first build of any `mkdocs serve`, also `--clean`, which on_startup calls a build: its rebuilds are
    # a preview's too (a first build that fails ends the server; a rebuild that fails would hang it).
    COMMAND["name"] = "serve"
    return server


def on_shutdown() -> None:
    COMMAND.clear()


def _previewing(config: MkDocsConfig) -> bool:
    """A build that is not strict, and any `mkdocs serve`: MkDocs' live reload holds every request until a build
    passes, so a strict serve would stop answering while a notice has an error. It shows the errors instead.
    MkDocs' serve sets the site's address to its own for each of its builds: a "serve" left over (a server of this
    process still running, or one that ended before on_shutdown) never makes a published build a preview."""
    return not config.strict or (COMMAND.get("name") == "serve"
                                  and (config.site_url or "").startswith(f"http://{config.dev_addr}/"))


def _quiet_link_checks(config: MkDocsConfig) -> None:
    """A strict serve counts MkDocs' own warnings too: a notice saved with a link to no page (or no anchor) would
    hang it. They are information in a preview; the published (strict) build still fails on them."""
    for checks in (config.validation.links, config.validation.nav):
        for key, level in checks.items():
            if level >= logging.WARNING:
                checks[key] = logging.INFO


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # A job left by a build stopped without on_build_error (Ctrl-C in a caller that went on) must not write into
    # this build's folder once MkDocs has emptied it: at most one job.
    end_writing()
    today = build_day()
    config[PREVIEW] = previewing = _previewing(config)
    if previewing and config.strict:
        _quiet_link_checks(config)
    # One Jinja environment per build: get_env() makes a new one (and recompiles templates) on every call. With the
    # Content-Security-Policy (redirect pages are rendered from this env); a preview lets live reload run.
    env = config.theme.get_env()
    env.globals.update(theme_globals(preview=previewing))
    # Each notice is checked, and its parts of the site made, once per content (notice_cache): a rebuild (mkdocs
    # serve) checks and derives what was edited.
    cache = NoticeCache.for_build(config.docs_dir, REGISTRY_DIR, today)
    config[TEMPLATES] = cache.templates_folder() if cache is not None else None
    _keep_compiled(env, config)
    site = Site.load(config.docs_dir, today, env=env, cache=cache)
    for problem in site.problems:
        # Warnings on a mkdocs.plugins.* logger are what make `--strict` fail; advice is information only.
        _report(config, problem)
    if any(p.code == "lien-ket-tuong-trung" for p in site.problems):
        # MkDocs follows links when it lists the folder (to one outside, or round a loop): stop before it does.
        raise PluginError("notices/ có liên kết tượng trưng (symlink), xem các lỗi trên; bản dựng dừng tại đây")
    config[STATE] = site
    # A strict build stops on these (the warnings above); a preview shows them on its pages instead of hanging.
    config[PROBLEMS] = preview.banner_html(site.problems) if previewing else ""
    config[ONCE] = {}
    config[PREPARED] = {}
    config[FOUND] = []
    config[WRITING] = None
    if "redirects" in config.plugins:
        # Moved or re-identified notices keep their old URLs (mkdocs-redirects keeps the #anchor).
        config.plugins["redirects"].config["redirect_maps"].update(site.redirect_maps())
    return config


def on_files(files: Files, config: MkDocsConfig) -> Files:
    site = _site(config)
    # Only what the archive accepted is published (archive_files; each refusal is one of site.problems, warned).
    published = site.archive.published_sources()
    refused = [f for f in files if f.src_dir == config.docs_dir and f.src_uri not in published]
    for file in refused:
        files.remove(file)
    if any(os.path.isfile(os.path.join(d, f.src_uri)) for f in refused for d in config.theme.dirs):
        files.add_files_from_theme(site.env, config)  # the theme's file that a removed file shadowed (only then:
        # listing the theme's files again costs a quarter of a second)
    if not config[PREVIEW] and (script := files.get_file_from_path(preview.SCRIPT)) is not None:
        files.remove(script)  # the preview's script: nothing to do in a published site
    for page in site.generated_pages():
        if files.get_file_from_path(page.src_uri) is not None:
            _warn(config, page.src_uri, f"tệp này trùng với trang sinh tự động /{page.url}; đổi tên hoặc xóa tệp",
                  "trung-tep")
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
        if file.dest_uri in taken:
            _warn(config, file.src_uri, f"địa chỉ /{file.url} trùng với notices/{taken[file.dest_uri]}", "trung-dia-chi")
        taken[file.dest_uri] = file.src_uri
    clashing = clashes(site, [f.dest_uri for f in files if not f.generated_by])
    for file in files:
        if file.dest_uri in clashing and not file.generated_by:
            _warn(config, file.src_uri, f"tệp này sẽ bị ghi đè bởi tệp /{file.dest_uri} do bản dựng sinh ra (tìm kiếm, dữ liệu "
                  "mở, nguồn tin); đổi tên hoặc xóa tệp", "trung-tep")
    # The open data, search index and feeds are pure functions of the archive: written meanwhile (on the other
    # core) in a published build, at the end in a preview. Not while notices have errors: a build that publishes
    # (not a preview) stops at the end (on_post_build), and a preview would show stale files as current.
    if not site.archive.errors and (config[PREVIEW] or not _errors(config)):
        config[WRITING] = Writing.start(partial(write_site_files, site, config.site_dir, config.site_name,
                                                config.site_url), background=not config[PREVIEW])
    return files


def _errors(config: MkDocsConfig) -> list[Problem]:
    """The errors of this build: the validator's, the site's (permanence, history) and the files' (on_files)."""
    return [p for p in (*_site(config).problems, *config[FOUND]) if p.severity == "error"]


def _warn(config: MkDocsConfig, src_uri: str, message: str, code: str) -> None:
    """A problem with a file of notices/ found by the build, reported like the validator's (and, like theirs,
    stopping a strict build even when `-q` hides the warning: on_post_build)."""
    problem = Problem(f"notices/{src_uri}", 1, message, "error", code)
    config[FOUND].append(problem)
    _report(config, problem)


def _report(config: MkDocsConfig, problem: Problem) -> None:
    """An error is a warning, which fails a strict build; in a strict `mkdocs serve` (a preview) it must not stop
    the build (the server would hang), so it is said as information, like advice."""
    if problem.severity == "error" and not (config[PREVIEW] and config.strict):
        log.warning(problem.format())
    else:
        log.info(problem.format())


def on_page_read_source(page: Page, config: MkDocsConfig) -> str | None:
    site = _site(config)
    if site.notice_for(page.file.src_uri) is None:
        return None
    prepared = config[PREPARED][page.file.src_uri] = site.notice_page(page.file.src_uri)
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
        content, broken = site.render_page(generated)
        for url in broken:
            log.warning(f"trang {generated.url or '/'} có liên kết tới /{url}, không có trong trang web")
        page.toc = get_toc(headings(content))
        page.present_anchor_ids = anchor_ids(content)  # so MkDocs can check links to them, as for Markdown
        return content
    if site.notice_for(page.file.src_uri) is None:
        return html
    # Rendered: MkDocs keeps every page's Markdown to the end, ~100 MB at 10,000 notices; the title is in page.meta.
    page.markdown = ""
    return decorate_html(html, config[PREPARED].pop(page.file.src_uri))


def _keep_compiled(env: Environment, config: MkDocsConfig) -> None:
    if config[TEMPLATES]:
        env.bytecode_cache = FileSystemBytecodeCache(config[TEMPLATES])


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> Environment:
    _keep_compiled(env, config)
    # Templates call folder_once(part, render) for the parts of a page that do not name it: it renders them, except
    # on notice pages, whose context has one that renders each part once per folder (on_page_context).
    env.globals["folder_once"] = _render
    env.globals.update(theme_globals(preview=config[PREVIEW]))  # the Content-Security-Policy and the inline scripts it allows
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


def on_post_page(output: str, page: Page, config: MkDocsConfig) -> str:
    return output.replace(ARTICLE, ARTICLE + config[PROBLEMS], 1) if config[PROBLEMS] else output


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    if template_name != "404.html" or not config[PROBLEMS]:
        return output_content
    # What a preview shows at the address of a notice with errors (it is not published). MkDocs' live reload does
    # not reach its 404 page: this one asks again every 2 s, so the notice appears once it is fixed and saved.
    return on_post_page(output_content.replace("<head>", '<head><meta http-equiv="refresh" content="2">', 1), None,
                        config)


@event_priority(-100)  # after mkdocs-redirects has written its pages
def on_post_build(config: MkDocsConfig) -> None:
    if "redirects" in config.plugins:
        _vietnamese_redirects(config)
    site = _site(config)
    if config[PREVIEW]:  # the errors for every page, also one a dirty rebuild did not rewrite
        Path(config.site_dir, preview.REPORT_PATH).write_text(preview.report_json([*site.problems, *config[FOUND]]),
                                                              encoding="utf-8")
    errors = _errors(config)
    if not config[PREVIEW] and errors:
        # MkDocs fails a strict build on the warnings counted above, but `mkdocs build -q` does not count them (the
        # quiet logger drops them first): the build would pass, without the notices (or files) in error. Never.
        raise PluginError(f"{len(errors)} lỗi trong notices/, bản dựng --strict dừng, không xuất bản (mọi lỗi: ở "
                          f"trên, hoặc `notices validate`); lỗi đầu: {errors[0].format()}")
    if config[WRITING] is not None:
        try:
            figures = config[WRITING].wait()
        except WritingFailed as error:
            raise PluginError(str(error)) from None
        log.info(f"{figures['files']} tệp dữ liệu mở, tìm kiếm và nguồn tin; tìm kiếm: {figures['search_docs']} "
                 f"phần ({figures['search_files']} tệp, {figures['search_kb']} KB)")


def on_build_error(error: Exception) -> None:
    # A build that fails before on_post_build (a page, a plugin) ends its job here, not when its process exits.
    end_writing()


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
