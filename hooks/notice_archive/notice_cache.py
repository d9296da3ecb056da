"""The per-notice cache (Pelican's reader cache is the model): what checking one notice gave (its model, its
problems, its identity), stored by the file's bytes and path, the registries, the build day and the code's version;
and beside it, the parts of the site made from that notice alone (its page's own part, its open data, its search
document), each with the digest of whatever else it was made from (the site's address for the open data). A rebuild
after editing one notice reads every file but checks and derives only that one; the rules across notices, the
citations between notices, the index pages, the feeds and the joining of the site's files still use the whole
archive.
Correctness first: a cached build is byte for byte a cold one (tests/test_notice_cache.py).

The cache lives outside the repository (NOTICE_ARCHIVE_CACHE, else $XDG_CACHE_HOME or ~/.cache; a folder inside the
repository turns it off): its entries are pickles, and nothing a pull request contains may ever be unpickled. NOTICE_ARCHIVE_CACHE=off turns it off.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Mapping
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

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


class NoticeCache:
    """Checked notices by (path, bytes), for one context: the registries' files, the build day, the code; and, each
    in a file of its own beside the notice's entry, the parts made from it. One build's object: it knows which
    notices it read or wrote, and holds no part in memory (10,000 notices' parts would be a gigabyte)."""

    def __init__(self, folder: Path, docs_dir: str, registry_dir: str, today: dt.date, display_root: str):
        self.folder = folder
        self._keys: dict[str, str] = {}  # src_uri -> its entry's key, for the notices this build read or wrote
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
        folder = (Path(setting) if setting else Path(base) / "notice-archive").resolve()
        repository = Path(docs_dir).resolve().parent
        if folder == repository or repository in folder.parents:
            return None  # a cache a pull request could fill is never read: its entries are pickles
        return cls(folder / "notices", docs_dir, registry_dir, today, display_root)

    def templates_folder(self) -> str | None:
        """Where the theme's compiled templates are kept (Jinja's FileSystemBytecodeCache, keyed by each template's
        source): a rebuild compiles none of the ~50 it renders again. None if it cannot be made."""
        folder = self.folder.parent / "templates"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            return None
        return str(folder)

    def _key(self, src_uri: str, raw: bytes) -> str:
        return hashlib.sha256(self.context + src_uri.encode() + b"\0" + raw).hexdigest()

    def _path(self, key: str, part: str = "") -> Path:
        return self.folder / key[:2] / f"{key}{'.' + part if part else ''}.pickle"

    def get(self, src_uri: str, raw: bytes) -> Checked | None:
        key = self._key(src_uri, raw)
        checked = self._read(self._path(key))
        if not isinstance(checked, Checked):
            return None  # none yet, or unreadable: check the notice again
        self._keys[src_uri] = key
        return checked

    def put(self, src_uri: str, raw: bytes, checked: Checked) -> None:
        key = self._key(src_uri, raw)
        self._keys[src_uri] = key
        self._write(self._path(key), checked)

    def part(self, src_uri: str, name: str, context: bytes, make: Callable[[], T]) -> T:
        """A part of the site made from one notice (``make``) and ``context`` (digest(): whatever else it is made
        from): read from the notice's entry when it holds this part for this context, else made and written."""
        key = self._keys.get(src_uri)
        if key is None:
            return make()  # a notice the cache does not hold (one that keeps an original)
        path = self._path(key, name)
        kept = self._read(path)
        if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == context:
            return kept[1]
        value = make()
        self._write(path, (context, value))
        return value

    @staticmethod
    def _read(path: Path) -> Any:
        try:
            with open(path, "rb") as fh:
                return pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError,
                IndexError, KeyError):
            return None

    @staticmethod
    def _write(path: Path, value: object) -> None:
        try:
            if not path.parent.is_dir():  # (256 folders, four files a notice: a mkdir that finds the folder costs
                path.parent.mkdir(parents=True, exist_ok=True)  # more than the stat, on this kind of disk)
            # Written whole or not at all: a build stopped half way leaves no broken entry.
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written is only slower
