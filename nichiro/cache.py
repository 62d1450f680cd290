"""A cache of the validated fact base in the user's cache directory, so that most runs parse no TOML.

The cache is keyed by nichiro's version, the Python version, and the path, size and modification
time of every fact file; the key is stored in the file and compared exactly, so a stale cache is
never read. A cache file is trusted only when its header, length and checksum are right,
and it is unpickled with an allow-list of nichiro's own record types: a corrupt, truncated or
foreign file is ignored and rebuilt, never a crash, never code run.
"""

from __future__ import annotations

import io
import os
import pickle
import sys
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .model import FactBase

MAGIC = b"NICHIRO-CACHE-2\n"
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


def fingerprint(files: Sequence[Path]) -> bytes:
    """The files' paths, sizes and modification times, and what reads them: the cache's exact key."""
    key = [f"{__version__}|{sys.version_info[:2]}"]
    for path in files:
        st = path.stat()
        key.append(f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}")
    return "\n".join(key).encode("utf-8", "surrogateescape")


class _AllowListUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> type:
        if (module, name) not in _ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a nichiro cache")
        return super().find_class(module, name)  # type: ignore[no-any-return]


# The layout: MAGIC, then a header line "<key length> <payload length> <crc32 of key and payload>",
# then the key (the fingerprint, compared exactly, so two fact sets never share a cache), then the
# pickled base. A CRC finds truncation and damage; safety comes from the allow-list, not the CRC.


def read(path: Path, key: bytes) -> FactBase | None:
    """The cached base, or None when the file is missing, damaged, not ours, or for other files."""
    try:
        blob = memoryview(path.read_bytes())
    except OSError:
        return None
    if blob[: len(MAGIC)] != MAGIC:
        return None
    end = bytes(blob[len(MAGIC) : len(MAGIC) + 64]).find(b"\n")
    try:
        key_len, payload_len, crc = (int(x) for x in bytes(blob[len(MAGIC) : len(MAGIC) + end]).split())
    except ValueError:
        return None
    start = len(MAGIC) + end + 1
    stored_key, payload = blob[start : start + key_len], blob[start + key_len :]
    if len(payload) != payload_len or stored_key != key:
        return None
    if zlib.crc32(payload, zlib.crc32(stored_key)) != crc:
        return None
    try:
        base = _AllowListUnpickler(io.BytesIO(payload)).load()
    except Exception:  # any damage at all means: rebuild
        return None
    return base if isinstance(base, FactBase) else None


def write(path: Path, key: bytes, base: FactBase) -> None:
    """Write atomically (a temporary file renamed), so a reader never sees half a cache; best effort."""
    import tempfile

    payload = pickle.dumps(base, protocol=pickle.HIGHEST_PROTOCOL)
    header = f"{len(key)} {len(payload)} {zlib.crc32(payload, zlib.crc32(key))}\n".encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".cache")
        with os.fdopen(fd, "wb") as out:
            out.write(MAGIC + header + key + payload)
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
    key = fingerprint(files)
    path = cache_dir() / f"base-{zlib.crc32(key):08x}.cache"
    base = read(path, key)
    if base is None:
        base = build()
        write(path, key, base)
    return base
