"""What the site adapter needs from the core, engine-neutral: the built archive, and pages to generate.

The MkDocs hook (hooks/mkdocs_hooks.py) turns these into ``File.generated`` pages; another engine could too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .body import parse_body, render_markdown
from .model import Notice
from .validate import Archive, load_archive


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str  # e.g. "index.md", "don-vi/phong-quan-ly-do-thi.md"
    template: str  # Jinja template in theme/ that writes the page's Markdown
    context: dict = field(default_factory=dict)


@dataclass
class Site:
    archive: Archive
    by_src: dict[str, Notice]

    @classmethod
    def load(cls, docs_dir: str, today: dt.date | None = None) -> Site:
        archive = load_archive(docs_dir, today=today)
        return cls(archive, {n.src_uri: n for n in archive.notices})

    def notice_for(self, src_uri: str) -> Notice | None:
        return self.by_src.get(src_uri)

    def newest_first(self) -> list[Notice]:
        return sorted(self.archive.notices, key=Notice.sort_key, reverse=True)

    def generated_pages(self) -> list[GeneratedPage]:
        return [GeneratedPage("index.md", "generated/home.md.j2", {"notices": self.newest_first()})]


def anchored_markdown(src_uri: str, markdown: str) -> str:
    """The notice body as Python-Markdown input, with item and point anchors attached."""
    parsed, _problems = parse_body(src_uri, markdown, 1)
    return render_markdown(markdown, parsed)
