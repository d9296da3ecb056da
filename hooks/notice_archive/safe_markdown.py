"""A Python-Markdown extension that makes a notice body text and links, never markup or script.

Two layers, both on what Markdown has parsed rather than on source lines:

- raw HTML off: Python-Markdown's raw-HTML readers are removed, so ``<img src=x onerror=…>`` (on one line or
  many), ``<script>`` and ``<!-- … -->`` reach the page escaped (``&lt;img …``). Autolinks (``<https://…>``) are
  Markdown, not HTML, and keep working;
- links and images checked on the parsed element tree (LinkTreeprocessor): every destination is read as a browser
  reads it (entities decoded, whitespace and control characters removed: ``java⏎script:`` is ``javascript:``) and
  must be relative or use an allowed scheme (https, http, mailto, tel); images come only from the site itself.
  Attributes other than the few Markdown writes (attr_list can add any) are dropped. A refused destination is
  removed from the page (fails closed) and reported; ``link_problems`` runs the same check for the validator,
  with the line of each link.

Registered in mkdocs.yml (``markdown_extensions: - notice_archive.safe_markdown``) after md_in_html, which
replaces the ``html_block`` preprocessor with its own. Uses only the ``markdown`` package (no MkDocs).
"""

from __future__ import annotations

import html
import logging
import re
import unicodedata
import xml.etree.ElementTree as etree
from dataclasses import dataclass
from urllib.parse import urlsplit

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE, ETX, STX

# Python-Markdown's names: the preprocessor that stashes HTML blocks (also md_in_html's), the inline pattern for
# tags, comments and declarations inside a paragraph.
RAW_HTML_PREPROCESSORS = ("html_block",)
RAW_HTML_INLINE = ("html",)

LINK_SCHEMES = frozenset({"https", "http", "mailto", "tel"})
URL_ATTRIBUTES = {"a": "href", "img": "src"}  # the only elements with a destination that Markdown writes
# What Markdown, attr_list (our anchors: id, class) and toc's permalinks write; anything else (on…=, style=,
# formaction=, srcset=) can only come from an editor's attribute list and is dropped.
ALLOWED_ATTRIBUTES = frozenset({"id", "class", "href", "src", "alt", "title"})
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
PLACEHOLDER = re.compile(f"{STX}(\\d+){ETX}")  # a backslash escape, as Markdown holds it until 'unescape'
LOGGER = "mkdocs.plugins.notice_archive"  # a name only (the core does not import MkDocs): warnings fail --strict


@dataclass(frozen=True)
class Refusal:
    kind: str  # "link", "image" or "attribute"
    raw: str  # the destination (or attribute name) as the source wrote it
    url: str  # the destination as a browser reads it


def browser_url(value: str) -> str:
    """An attribute value as the browser takes it as a URL: entities decoded, then every whitespace, control and
    invisible (format) character removed — browsers drop tabs and newlines anywhere in a URL and controls at its
    ends; removing them everywhere only refuses more."""
    text = html.unescape(value.replace(AMP_SUBSTITUTE, "&"))
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "CZ")


def link_allowed(url: str) -> bool:
    """A link: relative (no scheme), or one of LINK_SCHEMES."""
    scheme = SCHEME.match(url)
    return scheme is None or scheme.group(1).lower() in LINK_SCHEMES


def image_allowed(url: str) -> bool:
    """An image: only from the site itself (relative, not ``//host/…``; browsers read ``\\`` as ``/``)."""
    return SCHEME.match(url) is None and not url.replace("\\", "/").startswith("//")


class LinkTreeprocessor(Treeprocessor):
    """Drops every destination and attribute the page must not carry, and records it (``refused``)."""

    def __init__(self, md: Markdown, report: bool):
        super().__init__(md)
        self.report = report
        self.refused: list[Refusal] = []
        self.kept: list[str] = []  # the destinations kept, as written: the validator checks where relative ones lead

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            attrib = element.attrib
            if not attrib:  # most elements (paragraphs, list items, emphasis): nothing to look at
                continue
            for name in [n for n in attrib if n not in ALLOWED_ATTRIBUTES]:
                del attrib[name]
                self._refuse(Refusal("attribute", name, ""))
            own = URL_ATTRIBUTES.get(element.tag)  # href/src only where Markdown writes them
            for name in ("href", "src"):
                value = attrib.get(name)
                if value is None:
                    continue
                if name != own:
                    del attrib[name]
                    self._refuse(Refusal("attribute", name, ""))
                else:
                    self._check(element, element.tag, name, value)

    def _check(self, element: etree.Element, tag: str, name: str, value: str) -> None:
        raw = PLACEHOLDER.sub(lambda m: chr(int(m.group(1))), value)
        url = browser_url(raw)
        allowed = image_allowed(url) if tag == "img" else link_allowed(url)
        if not allowed:
            del element.attrib[name]  # fails closed: the text stays, the destination goes
            self._refuse(Refusal("image" if tag == "img" else "link", raw.replace(AMP_SUBSTITUTE, "&"), url))
        else:
            self.kept.append(raw)

    def _refuse(self, refusal: Refusal) -> None:
        self.refused.append(refusal)
        if self.report:
            logging.getLogger(LOGGER).warning(f"nội dung: {describe(refusal)} (đã bỏ khỏi trang)")


class SafeMarkdownExtension(Extension):
    def __init__(self, **kwargs):
        self.config = {"report": [True, "log each refused link as a warning (the build; the validator reads "
                                        "them itself)"]}
        super().__init__(**kwargs)
        self.links: LinkTreeprocessor | None = None

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's API
        for name in RAW_HTML_PREPROCESSORS:
            if name in md.preprocessors:
                md.preprocessors.deregister(name)
        for name in RAW_HTML_INLINE:
            if name in md.inlinePatterns:
                md.inlinePatterns.deregister(name)
        # After 'inline' (20), attr_list (8), toc (5) and 'unescape' (0): the tree as it will be written.
        self.links = LinkTreeprocessor(md, self.getConfig("report"))
        md.treeprocessors.register(self.links, "notice_archive_links", -10)
        md.registerExtension(self)

    def reset(self) -> None:
        if self.links is not None:
            self.links.refused = []
            self.links.kept = []


def makeExtension(**kwargs) -> SafeMarkdownExtension:  # noqa: N802 - Python-Markdown's entry point
    return SafeMarkdownExtension(**kwargs)


def describe(refusal: Refusal) -> str:
    """What was refused, in Vietnamese, for an editor."""
    shown = _shown(refusal.raw)
    if refusal.kind == "image":
        return (f"không được nhúng ảnh '{shown}': ảnh chỉ lấy từ chính trang này (đường dẫn tương đối); trang công "
                "khai không tải gì từ trang web khác")
    if refusal.kind == "attribute":
        return f"không được gắn thuộc tính '{shown}' vào nội dung"
    return (f"liên kết '{shown}' không được phép (trình duyệt đọc là '{_shown(refusal.url)}'): chỉ dùng liên kết "
            "https://, http://, mailto:, tel: hoặc đường dẫn tương đối")


def _shown(text: str) -> str:
    """A destination quoted in a message: line breaks as ⏎, other invisible characters by their code, cut short."""
    return "".join("⏎" if ch == "\n" else f"\\u{ord(ch):04x}" if unicodedata.category(ch)[0] == "C" else ch
                   for ch in text[:80])


CODES = {"link": "lien-ket", "image": "anh-ngoai", "attribute": "thuoc-tinh"}  # the validator's codes


def may_link(body: str) -> bool:
    """Whether a body can hold a link, an image or an attribute list: an inline link or image needs "]("
    (Python-Markdown reads the destination's "(" right after the text's "]"), a reference one needs its definition's
    "]:", an autolink "<", an attribute list "{". A footnote mark "[1]" holds none of them. Markdown deletes STX and
    ETX before it parses ("]\x02(" is "]("): a body holding them is parsed. (Substring searches: a regex alternation
    of them tries every position, ten times slower.)"""
    return ("](" in body or "]:" in body or "<" in body or "{" in body or STX in body or ETX in body)


def refusals(body: str) -> list[Refusal]:
    """What the page of this body would lose: its refused links, images and attributes, in order."""
    return read_links(body)[0]


def read_links(body: str) -> tuple[list[Refusal], list[str]]:
    """The body's refusals (``refusals``) and the link and image destinations its page keeps, in order."""
    if not may_link(body):  # most bodies: Markdown would find no link, image or attribute list in them
        return [], []
    extension = SafeMarkdownExtension(report=False)
    Markdown(extensions=["attr_list", "md_in_html", extension]).convert(body)
    return (extension.links.refused, extension.links.kept) if extension.links is not None else ([], [])


def relative_links(body: str, kept: list[str]) -> list[tuple[int, str]]:
    """(line offset in the body, destination) for each kept destination with no scheme and no host (a path, an
    #anchor): the engine resolves them among the site's files, which only the whole archive knows
    (archive_rules.check_link_targets); placed like refusals (_Places)."""
    relative = []
    for raw in kept:
        parts = urlsplit(raw)
        if parts.scheme or parts.netloc or not (parts.path or parts.fragment) or AMP_SUBSTITUTE in raw:
            continue  # (AMP_SUBSTITUTE: an e-mail autolink, its letters as entities; the engine passes it too)
        relative.append(raw)
    places = _Places(body.split("\n"), relative)
    used: set[int] = set()
    out = []
    for raw in relative:
        offset = places.destination(raw, used)
        used.add(offset)
        out.append((offset, raw))
    return out


def link_problems(body: str, found: list[Refusal] | None = None) -> list[tuple[int, str, str]]:
    """(line offset in the body, message, code) for each refused link and image, and for each line where Markdown
    read an attribute list: the validator's check, the same as the page's (whose refusals, logged without a line,
    would otherwise stop the build with no place to fix). Markdown keeps no line numbers: a refusal is placed on
    the first line where its destination starts (a link's ``(`` or ``<``, a reference's ``]:``) that no earlier
    refusal took; an attribute on the first line whose '{' is followed by its name (else by anything). ``found``:
    the body's refusals, when read already (read_links)."""
    found = refusals(body) if found is None else found
    if not found:
        return []
    places = _Places(body.split("\n"), [r.raw for r in found if r.kind != "attribute"])
    out = []
    used: set[int] = set()
    attributes: dict[int, list[str]] = {}
    for refusal in found:
        if refusal.kind == "attribute":
            attributes.setdefault(places.attribute(refusal.raw), []).append(refusal.raw)
            continue
        offset = places.destination(refusal.raw, used)
        used.add(offset)
        out.append((offset, f"nội dung: {describe(refusal)}", CODES[refusal.kind]))
    for offset, names in attributes.items():
        shown = ", ".join(f"'{_shown(name)}'" for name in dict.fromkeys(names))
        out.append((offset, f"nội dung: Markdown đọc '{{…}}' ở dòng này là cú pháp thuộc tính ({shown}) và bỏ nó "
                    "khỏi trang; không dùng dấu ngoặc nhọn { } ở đây (viết ngoặc đơn ( ) nếu bản gốc có ngoặc)",
                    CODES["attribute"]))
    return out


# Where a destination starts (after a link's "(" or "<", a reference's "]:"), and the words of an attribute list
# (attr_list's names: runs of characters but space, '=' and '}'; here up to the line's end).
OPENING = re.compile(r"(?:\(|<|\]:)(?=\s*<?(\S+))")  # (a lookahead: "[a](b)[c](d)" opens twice on one run)
BRACES = re.compile(r"\{([^}\n]*)")
ATTRIBUTE_WORD = re.compile(r"[^ =}]+")


class _Places:
    """Where, in a body's lines, each destination and attribute name Markdown read stands: found in one pass over
    the lines for all of them (a body may hold thousands: a scan of the lines for each one was quadratic, minutes
    for a file within the size limit). A name found nowhere so is looked for as before, once."""

    def __init__(self, lines: list[str], destinations: list[str]) -> None:
        self.lines = lines
        needles = {_needle(raw) for raw in destinations} - {""}
        sizes = sorted({len(n) for n in needles})
        self.opened: dict[str, list[int]] = {}  # needle -> the lines where a destination starts with it, in order
        self.words: dict[str, int] = {}  # a word of an attribute list -> the first line holding it
        for offset, text in enumerate(lines):
            for run in (m.group(1) for m in OPENING.finditer(text)) if needles else ():
                for size in sizes:
                    if run[:size] in needles:
                        opened = self.opened.setdefault(run[:size], [])
                        if not opened or opened[-1] != offset:  # (a line that opens it twice counts once)
                            opened.append(offset)
            for segment in BRACES.findall(text) if "{" in text else ():
                for word in ATTRIBUTE_WORD.findall(segment):
                    self.words.setdefault(word, offset)
        self.first_brace = next((offset for offset, text in enumerate(lines) if "{" in text), 0)
        self._found: dict[tuple[str, bool], list[int]] = {}

    def destination(self, raw: str, used: set[int]) -> int:
        """The first line, not given to an earlier refusal if another fits, where this destination starts (else
        the first line holding its first word)."""
        needle = _needle(raw)
        candidates = self.opened.get(needle) or self._holding(needle, False)
        return next((offset for offset in candidates if offset not in used), candidates[0]) if candidates else 0

    def attribute(self, name: str) -> int:
        """The first line where a '{' is followed by this attribute's name; else the first line holding a '{' (a
        name Markdown made up, like '_' for a lone '{')."""
        if name in self.words:
            return self.words[name]
        return next(iter(self._holding(name, True)), self.first_brace)

    def _holding(self, text: str, after_brace: bool) -> list[int]:
        """The lines holding ``text`` (after a '{', on the same line and before a '}'), looked for once each."""
        key = (text, after_brace)
        if key not in self._found:
            if not text:
                self._found[key] = []
            else:
                pattern = re.compile(r"\{[^}\n]*" + re.escape(text)) if after_brace else None
                self._found[key] = [offset for offset, line in enumerate(self.lines)
                                    if (pattern.search(line) if pattern else text in line)]
        return self._found[key]


def _needle(raw: str) -> str:
    words = raw.split()
    return words[0][:40] if words else ""
