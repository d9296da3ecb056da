"""The per-notice cache (Pelican's reader cache is the model): what checking one notice gave (its model, its
problems, its identity), stored by the file's bytes and path, the registries, the build day and the code's version;
and beside it, the parts of the site made from that notice alone (its page's prepared source, its open data, its
feed entries, its search document, its rows in the lists), each with the digest of whatever else it was made from
(the site's address, the theme's files...). A rebuild after editing one notice reads every file but checks and
derives only that one; the rules across notices and the site's files are still made from the whole archive.
Correctness first: a cached build is byte for byte a cold one (tests/test_notice_cache.py).

The cache lives outside the repository (NOTICE_ARCHIVE_CACHE, else $XDG_CACHE_HOME or ~/.cache): its entries are
pickles, and nothing a pull request contains may ever be unpickled. NOTICE_ARCHIVE_CACHE=off turns it off.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from .notice_check import Checked

T = TypeVar("T")

ENV = "NOTICE_ARCHIVE_CACHE"
PACKAGE = Path(__file__).resolve().parent
LIBRARIES = ("pydantic", "pydantic-core", "pyyaml", "python-slugify")  # what the checked models are made with


@cache
def code_version() -> str:
    """This package's source and the libraries its models come from: any change makes every entry stale."""
    digest = hashlib.sha256(sys.version.encode())
    for name in LIBRARIES:
        digest.update(f"\0{name}={metadata.version(name)}".encode())
    for path in sorted(PACKAGE.rglob("*.py")):
        digest.update(b"\0" + str(path.relative_to(PACKAGE)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def digest(*values: str | bytes) -> bytes:
    """What a derived part was made from besides its notice, as one key (see NoticeCache.part)."""
    out = hashlib.sha256()
    for value in values:
        out.update(value if isinstance(value, bytes) else value.encode("utf-8"))
        out.update(b"\0")
    return out.digest()


def templates_digest(folders: Iterable[str | Path]) -> bytes:
    """The templates (*.html) of a theme's folders, names and bytes: what parts rendered with them depend on.
    (Assets and icons are not read: no part is made from them.)"""
    out = hashlib.sha256()
    for folder in folders:
        for top, dirs, names in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "assets")
            for name in sorted(n for n in names if n.endswith(".html")):
                path = os.path.join(top, name)
                with open(path, "rb") as fh:
                    out.update(os.path.relpath(path, folder).encode() + b"\0" + fh.read() + b"\0")
    return out.digest()


@dataclass
class Entry:
    """One notice's entry: what checking it gave, and the parts derived from it (name -> (context, value))."""

    checked: Checked
    parts: dict[str, tuple[bytes, Any]] = field(default_factory=dict)


class NoticeCache:
    """Checked notices by (path, bytes), for one context: the registries' files, the build day, the code; and the
    parts derived from each. One build's object: it remembers which entries the build read or changed."""

    def __init__(self, folder: Path, docs_dir: str, registry_dir: str, today: dt.date, display_root: str):
        self.folder = folder
        self._entries: dict[str, tuple[Path, Entry]] = {}  # src_uri -> (its file, its entry), as this build has it
        self._changed: set[str] = set()
        context = hashlib.sha256(f"{code_version()}\0{today.isoformat()}\0{display_root}".encode())
        registries = Path(docs_dir) / registry_dir
        for path in sorted(registries.glob("*.yml")) if registries.is_dir() else ():
            context.update(b"\0" + path.name.encode() + b"\0" + path.read_bytes())
        self.context = context.digest()

    @classmethod
    def for_build(cls, docs_dir: str, registry_dir: str, today: dt.date, display_root: str = "notices",
                  environ: Mapping[str, str] = os.environ) -> NoticeCache | None:
        setting = environ.get(ENV, "")
        if setting.lower() in ("off", "0", "no"):
            return None
        base = environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
        folder = Path(setting) if setting else Path(base) / "notice-archive"
        return cls(folder / "notices", docs_dir, registry_dir, today, display_root)

    def _path(self, src_uri: str, raw: bytes) -> Path:
        key = hashlib.sha256(self.context + src_uri.encode() + b"\0" + raw).hexdigest()
        return self.folder / key[:2] / f"{key}.pickle"

    def get(self, src_uri: str, raw: bytes) -> Checked | None:
        path = self._path(src_uri, raw)
        try:
            with open(path, "rb") as fh:
                entry = pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
            return None  # none yet, or unreadable: check the notice again
        if not isinstance(entry, Entry):
            return None
        self._entries[src_uri] = path, entry
        return entry.checked

    def put(self, src_uri: str, raw: bytes, checked: Checked) -> None:
        path = self._path(src_uri, raw)
        entry = Entry(checked)
        self._entries[src_uri] = path, entry
        self._write(path, entry)

    def part(self, src_uri: str, name: str, context: bytes, make: Callable[[], T]) -> T:
        """A part of the site made from one notice (``make``) and ``context`` (digest(): whatever else it is made
        from): from the notice's entry when it holds this part for this context, else made and kept (flush)."""
        found = self._entries.get(src_uri)
        if found is None:
            return make()  # a notice the cache does not hold (one that keeps an original)
        kept = found[1].parts.get(name)
        if kept is not None and kept[0] == context:
            return kept[1]
        value = make()
        found[1].parts[name] = context, value
        self._changed.add(src_uri)
        return value

    def flush(self) -> None:
        """Write the entries that got new parts in this build."""
        for src_uri in sorted(self._changed):
            self._write(*self._entries[src_uri])
        self._changed.clear()

    def _write(self, path: Path, entry: Entry) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written whole or not at all: a build stopped half way leaves no broken entry.
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(entry, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written is only slower
