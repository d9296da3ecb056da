"""The per-notice cache (Pelican's reader cache is the model): what checking one notice gave (its model, its
problems, its identity), stored by the file's bytes and path, the registries, the build day and the code's version.
A rebuild after editing one notice reads every file but checks only that one; the rules across notices still run
on the whole archive. Correctness first: a cached build is byte for byte a cold one (tests/test_notice_cache.py).

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
from collections.abc import Mapping
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .notice_check import Checked

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


class NoticeCache:
    """Checked notices by (path, bytes), for one context: the registries' files, the build day, the code."""

    def __init__(self, folder: Path, docs_dir: str, registry_dir: str, today: dt.date, display_root: str):
        self.folder = folder
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
        try:
            with open(self._path(src_uri, raw), "rb") as fh:
                return pickle.load(fh)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, TypeError, ValueError):
            return None  # none yet, or unreadable: check the notice again

    def put(self, src_uri: str, raw: bytes, checked: Checked) -> None:
        path = self._path(src_uri, raw)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Written whole or not at all: a build stopped half way leaves no broken entry.
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(checked, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except OSError:
            pass  # a cache that cannot be written is only slower
