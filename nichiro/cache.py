"""A cache of the validated fact base in the user's cache directory, so that most runs parse no TOML.

The cache file is named by a digest of nichiro's version, the Python version, and the path, size and
modification time of every fact file; a change to any of them names a different file, so a stale
cache is never read. A cache file is trusted only when its header, length and checksum are right,
and it is unpickled with an allow-list of nichiro's own record types: a corrupt, truncated or
foreign file is ignored and rebuilt, never a crash, never code run.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .model import FactBase

MAGIC = b"NICHIRO-CACHE-1\n"
_ALLOWED = {
    ("nichiro.model", name)
    for name in ("FactBase", "Fact", "Source", "Person", "Place", "Term", "SourceRef", "DateSpan", "PartialDate")
} | {("builtins", name) for name in ("dict", "list", "tuple", "set", "frozenset", "str", "int", "float")}
_KEEP = 8  # cache files kept per directory: a few fact-directory combinations, not an ever-growing pile


def cache_dir() -> Path:
    """$NICHIRO_CACHE_DIR, else $XDG_CACHE_HOME/nichiro, else ~/.cache/nichiro."""
    if os.environ.get("NICHIRO_CACHE_DIR"):
        return Path(os.environ["NICHIRO_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "nichiro"


def fingerprint(files: Sequence[Path]) -> str:
    """A digest of the files' paths, sizes and modification times, and of what reads them."""
    h = hashlib.sha256(f"{__version__}|{sys.version_info[:2]}".encode())
    for path in files:
        st = path.stat()
        h.update(f"|{path.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode())
    return h.hexdigest()[:32]


class _AllowListUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> type:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a nichiro cache")
        return super().find_class(module, name)  # type: ignore[no-any-return]


def read(path: Path) -> FactBase | None:
    """The cached base, or None when the file is missing, damaged or not ours."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    head = len(MAGIC) + 32
    if len(blob) < head or not blob.startswith(MAGIC):
        return None
    digest, payload = blob[len(MAGIC) : head], blob[head:]
    if hashlib.sha256(payload).digest() != digest:
        return None
    try:
        base = _AllowListUnpickler(io.BytesIO(payload)).load()
    except Exception:  # any damage at all means: rebuild
        return None
    return base if isinstance(base, FactBase) else None


def write(path: Path, base: FactBase) -> None:
    """Write atomically (a temporary file renamed), so a reader never sees half a cache; best effort."""
    payload = pickle.dumps(base, protocol=pickle.HIGHEST_PROTOCOL)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".cache")
        with os.fdopen(fd, "wb") as out:
            out.write(MAGIC + hashlib.sha256(payload).digest() + payload)
        os.replace(tmp, path)
        _prune(path.parent)
    except OSError:
        pass  # a read-only or full disk costs speed, never a result


def _prune(directory: Path) -> None:
    files = sorted(directory.glob("base-*.cache"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[_KEEP:]:
        old.unlink(missing_ok=True)


def cached(files: Sequence[Path], build: Callable[[], FactBase]) -> FactBase:
    """The base for these files: from the cache when it is fresh and sound, else built and cached."""
    path = cache_dir() / f"base-{fingerprint(files)}.cache"
    base = read(path)
    if base is None:
        base = build()
        write(path, base)
    return base
