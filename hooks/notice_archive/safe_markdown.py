"""A Python-Markdown extension that turns raw HTML off: any ``<…>`` in a page is shown as text, never as markup.

The validator refuses HTML in notices (body.unsafe, body.html_blocks); this is the second layer, for whatever a
check misses: Python-Markdown's raw-HTML readers are removed, so ``<img src=x onerror=…>`` (on one line or many),
``<script>`` and ``<!-- … -->`` reach the page escaped (``&lt;img …``). Autolinks (``<https://…>``) are Markdown,
not HTML, and keep working; attr_list, toc and the HTML inserted after rendering (hooks) are not affected.

Registered in mkdocs.yml (``markdown_extensions: - notice_archive.safe_markdown``) after md_in_html, which
replaces the ``html_block`` preprocessor with its own. Uses only the ``markdown`` package (no MkDocs).
"""

from __future__ import annotations

from markdown import Markdown
from markdown.extensions import Extension

# Python-Markdown's names: the preprocessor that stashes HTML blocks (also md_in_html's), the inline pattern for
# tags, comments and declarations inside a paragraph.
RAW_HTML_PREPROCESSORS = ("html_block",)
RAW_HTML_INLINE = ("html",)


class SafeMarkdownExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        for name in RAW_HTML_PREPROCESSORS:
            if name in md.preprocessors:
                md.preprocessors.deregister(name)
        for name in RAW_HTML_INLINE:
            if name in md.inlinePatterns:
                md.inlinePatterns.deregister(name)


def makeExtension(**kwargs) -> SafeMarkdownExtension:  # noqa: N802 - Python-Markdown's entry point
    return SafeMarkdownExtension(**kwargs)
