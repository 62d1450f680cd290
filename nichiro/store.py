"""The store: the validated fact base as an SQLite file in the user's cache, queried rather than loaded.

Every command but `check` and `export` reads the fact base through a `Store`. A run reads only what
it shows: one fact for `show`, the facts of a date range for a listing, the postings of the query's
words and the facts that have them for `search`. So a lookup costs about the same over 240 facts
as over 100,000 (docs/performance.md).

What is kept:

- `files`: each fact file's path, size and modification time, and the file's records as read and
  checked on their own (a `FileUnit`, pickled, read back through an allow-list). A run compares
  the files on disk with this table; an edited file is read again, the others' units are reused,
  the checks across files run over all of them, and only the edited file's rows are rewritten;
- `facts`: per fact its id, category, file, first and last day (in an index for date ranges) and
  sort key; `records`: its JSON record (names of people and places included); `registry`: the
  sources, people, places and terms;
- for search: `docs` (each fact's folded fields, compressed), `words` (per word and file, the
  facts that have the word and the heaviest field it is in), `vocab` (every word, for variants and
  typos) and `links` (per entity and file, the facts that refer to it and how).

Nothing in it is trusted blindly: a file that is not ours, of another version, truncated or
damaged, or a row whose checksum is wrong, raises `CacheDamaged` and the store is built again.
Rows derived from the registry (names in records, links) are rebuilt whenever the registry changes.
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import zlib
from collections.abc import Iterable, Sequence

from . import __version__
from .errors import CacheDamaged, FactBaseError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .factbase import FileUnit, Linked
    from .gazetteer import Gazetteer

FORMAT = 8  # bump when the layout or what a row means changes
APPLICATION_ID = 0x4E434852  # "NCHR", in the SQLite header: a file that lacks it is not ours
_KEEP = 8  # stores kept per cache directory: a few fact-directory combinations, not an ever-growing pile
_CHUNK = 500  # ids per "IN (...)" query, well under SQLite's variable limit
LINKS = ("participants", "place", "tags", "about")  # how a fact refers to an entity, as stored


def cache_dir() -> str:
    """$NICHIRO_CACHE_DIR, else $XDG_CACHE_HOME/nichiro, else ~/.cache/nichiro."""
    if os.environ.get("NICHIRO_CACHE_DIR"):
        return os.environ["NICHIRO_CACHE_DIR"]
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "nichiro")


def _crc(data: bytes) -> int:
    return zlib.crc32(data)


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def _marks(n: int) -> str:
    return ",".join("?" * n)


# --------------------------------------------------------------------------- reading


class Store:
    """Queries over a built store. Every row read is checked against its checksum."""

    def __init__(self, conn: sqlite3.Connection, path: str | None = None) -> None:
        self.conn = conn
        self.path = path  # None for a store in memory (--no-cache)
        self._registry: dict[str, dict[str, dict[str, Any]]] = {}
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        self.count = int(meta.get("facts", "0"))

    def _json(self, blob: bytes, crc: int) -> Any:
        if _crc(blob) != crc:
            raise CacheDamaged("a row's checksum is wrong")
        return json.loads(blob)

    # ------------------------------------------------------------------ registries

    def registry(self, kind: str) -> dict[str, dict[str, Any]]:
        """The records of one registry (source, person, place, term, tag) by id, in file order."""
        if kind not in self._registry:
            rows = self.conn.execute("SELECT id, record, crc FROM registry WHERE kind = ? ORDER BY ord", (kind,))
            self._registry[kind] = {rid: self._json(rec, crc) for rid, rec, crc in rows}
        return self._registry[kind]

    def entries(self) -> list[tuple[str, str, str, Sequence[str]]]:
        """The gazetteer's entries: (kind, id, name, aliases) of every person, place and term."""
        return [
            (kind, rid, rec["name"], rec["aliases"])
            for kind in ("person", "place", "term")
            for rid, rec in self.registry(kind).items()
        ]

    # ------------------------------------------------------------------ facts

    def select(
        self,
        categories: Sequence[str],
        lo: str | None = None,
        hi: str | None = None,
        dated_only: bool = False,
        linked: Sequence[tuple[str, Sequence[str]]] = (),
    ) -> list[dict[str, Any]]:
        """The records of the facts of these categories, in date order.

        lo and hi (ISO days, either may be None) keep the facts whose date overlaps them; `linked`
        keeps those that refer, in a field (participants, place), to one of the given entity ids.
        """
        sql = [
            "SELECT sortkey, record, crc FROM facts JOIN records USING (n)",
            f"WHERE category IN ({_marks(len(categories))})",
        ]
        args: list[Any] = list(categories)
        if lo is not None or hi is not None:
            overlapping, overlap_args = _overlap(lo or "0001-01-01", hi or "9999-12-31")
            sql.append(f"AND n IN ({overlapping})")
            args += overlap_args
        elif dated_only:
            sql.append("AND lo IS NOT NULL")
        if not linked:
            rows = self.conn.execute(" ".join([*sql, "ORDER BY sortkey"]), args).fetchall()
            return [self._json(rec, crc) for _, rec, crc in rows]
        numbers: set[int] | None = None
        for field, ids in linked:
            links = self.links(ids)
            having = {n for entity in ids for n, how in links.get(entity, {}).items() if how == field}
            numbers = having if numbers is None else numbers & having
        found: list[tuple[str, bytes, int]] = []
        for chunk in _chunks(sorted(numbers or ())):
            found += self.conn.execute(" ".join([*sql, f"AND n IN ({_marks(len(chunk))})"]), [*args, *chunk])
        found.sort()
        return [self._json(rec, crc) for _, rec, crc in found]

    def overlapping(self, lo: str, hi: str) -> list[int]:
        """The numbers of the facts whose date overlaps [lo, hi] (ISO days)."""
        sql, args = _overlap(lo, hi)
        return [n for (n,) in self.conn.execute(sql, args)]

    def fact(self, fact_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT record, crc FROM facts JOIN records USING (n) WHERE id = ?", (fact_id,)
        ).fetchone()
        return self._json(*row) if row else None

    def facts_by_id(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(list(dict.fromkeys(ids))):
            sql = f"SELECT id, record, crc FROM facts JOIN records USING (n) WHERE id IN ({_marks(len(chunk))})"
            rows = self.conn.execute(sql, chunk)
            out.update((fid, self._json(rec, crc)) for fid, rec, crc in rows)
        return out

    def records(self, numbers: Sequence[int]) -> dict[int, dict[str, Any]]:
        out: dict[int, dict[str, Any]] = {}
        for chunk in _chunks(list(numbers)):
            rows = self.conn.execute(f"SELECT n, record, crc FROM records WHERE n IN ({_marks(len(chunk))})", chunk)
            out.update((n, self._json(rec, crc)) for n, rec, crc in rows)
        return out

    def fact_ids(self) -> list[str]:
        return [fid for (fid,) in self.conn.execute("SELECT id FROM facts ORDER BY sortkey")]

    def citing(self) -> dict[str, int]:
        """How many facts cite each source."""
        counts: dict[str, int] = {}
        for (cited,) in self.conn.execute("SELECT sources FROM facts"):
            for sid in cited.split():
                counts[sid] = counts.get(sid, 0) + 1
        return counts

    # ------------------------------------------------------------------ search

    def words_with_prefix(self, prefix: str, limit: int | None = None) -> list[str]:
        """The words of the facts that begin with prefix, sorted."""
        if not prefix:
            return []
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1) if ord(prefix[-1]) < 0x10FFFF else prefix + "\U0010ffff"
        sql = "SELECT word FROM vocab WHERE word >= ? AND word < ? ORDER BY word"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        return [w for (w,) in self.conn.execute(sql, (prefix, upper))]

    def vocabulary(self) -> list[str]:
        return [w for (w,) in self.conn.execute("SELECT word FROM vocab ORDER BY word")]

    def words_by(self, column: str, keys: Iterable[str]) -> dict[str, list[str]]:
        """The words of the facts by their stem or transliteration key (column "stem" or "key")."""
        assert column in ("stem", "key")
        out: dict[str, list[str]] = {}
        for chunk in _chunks(list(dict.fromkeys(keys))):
            sql = f"SELECT {column}, word FROM vocab WHERE {column} IN ({_marks(len(chunk))}) ORDER BY word"
            for key, word in self.conn.execute(sql, chunk):
                out.setdefault(key, []).append(word)
        return out

    def keys_with_prefix(self, prefix: str, limit: int = 50) -> list[tuple[str, str]]:
        """(key, word) of the words whose transliteration key begins with prefix."""
        if not prefix:
            return []
        upper = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        sql = f"SELECT key, word FROM vocab WHERE key >= ? AND key < ? ORDER BY key LIMIT {int(limit)}"
        return self.conn.execute(sql, (prefix, upper)).fetchall()

    def gazetteer(self) -> Any:
        """The gazetteer's data as the store keeps it (nichiro.gazetteer.Gazetteer.from_data reads it)."""
        import marshal

        row = self.conn.execute("SELECT data, crc FROM gazetteer").fetchone()
        if row is None or _crc(row[0]) != row[1]:
            raise CacheDamaged("the gazetteer is missing or damaged")
        return marshal.loads(row[0])

    def postings(self, words: Iterable[str]) -> dict[str, dict[int, tuple[int, int]]]:
        """For each word, the facts that have it: the index of the heaviest field it is in, and its
        weighted frequency (BM25F, times gazetteer.TF_SCALE)."""
        from array import array

        out: dict[str, dict[int, tuple[int, int]]] = {}
        wanted = list(words)
        for chunk in _chunks(wanted):
            rows = self.conn.execute(
                f"SELECT word, post, tf, crc FROM words WHERE word IN ({_marks(len(chunk))})", chunk
            )
            for word, post, tf, crc in rows:
                if _crc(post + tf) != crc:
                    raise CacheDamaged("a posting's checksum is wrong")
                found = out.setdefault(word, {})
                for v, t in zip(array("I", post), array("H", tf), strict=True):
                    found[v >> 4] = (v & 15, t)
        return out

    def links(self, entities: Iterable[str]) -> dict[str, dict[int, str]]:
        """For each entity id, the facts that refer to it and how (participants, place, tags, about)."""
        from array import array

        out: dict[str, dict[int, str]] = {}
        for chunk in _chunks(list(entities)):
            rows = self.conn.execute(
                f"SELECT entity, post, crc FROM links WHERE entity IN ({_marks(len(chunk))})", chunk
            )
            for entity, post, crc in rows:
                if _crc(post) != crc:
                    raise CacheDamaged("a link's checksum is wrong")
                found = out.setdefault(entity, {})
                for v in array("I", post):
                    found[v >> 2] = LINKS[v & 3]
        return out

    def fields(self, numbers: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
        """The folded fields of these facts, heaviest first."""
        out: dict[int, list[tuple[str, str]]] = {}
        for chunk in _chunks(list(numbers)):
            rows = self.conn.execute(f"SELECT n, fields, crc FROM docs WHERE n IN ({_marks(len(chunk))})", chunk)
            for n, blob, crc in rows:
                if _crc(blob) != crc:
                    raise CacheDamaged("a row's checksum is wrong")
                parts = zlib.decompress(blob).decode("utf-8").split("\x1e")
                out[n] = [tuple(p.split("\x1f", 1)) for p in parts]  # type: ignore[misc]
        return out

    def earliest(self, numbers: Iterable[int], limit: int) -> list[tuple[int, str, str]]:
        """The first `limit` of these facts in date order: (n, id, category)."""
        numbers = list(numbers)
        if not numbers or limit < 1:
            return []
        listed = ",".join(str(int(n)) for n in numbers)  # numbers, written inline: no variable limit
        # Many facts: walk the date index until `limit` of them are found (it reads about
        # count * limit / len(numbers) entries). Few: look each up and sort them.
        walk = "INDEXED BY facts_sortkey" if len(numbers) ** 2 > 4 * limit * self.count else ""
        sql = f"SELECT n, id, category FROM facts {walk} WHERE n IN ({listed}) ORDER BY sortkey LIMIT {int(limit)}"
        return self.conn.execute(sql).fetchall()

    def columns(self, numbers: Iterable[int], names: str) -> dict[int, tuple[Any, ...]]:
        """Some columns of these facts (names: "id, category, sortkey"), by fact number."""
        out: dict[int, tuple[Any, ...]] = {}
        for chunk in _chunks(list(numbers)):
            rows = self.conn.execute(f"SELECT n, {names} FROM facts WHERE n IN ({_marks(len(chunk))})", chunk)
            out.update((row[0], row[1:]) for row in rows)
        return out


# --------------------------------------------------------------------------- opening and building

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (fid INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, size INTEGER NOT NULL,
                    mtime_ns INTEGER NOT NULL, unit BLOB NOT NULL, crc INTEGER NOT NULL);
CREATE TABLE facts (n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, fid INTEGER NOT NULL,
                    category TEXT NOT NULL, lo TEXT, hi TEXT, wide INTEGER NOT NULL, date TEXT,
                    sortkey TEXT NOT NULL, sources TEXT NOT NULL);
CREATE INDEX facts_sortkey ON facts (sortkey);
CREATE INDEX facts_dates ON facts (wide, lo, hi);
CREATE INDEX facts_fid ON facts (fid);
CREATE TABLE records (n INTEGER PRIMARY KEY, record BLOB NOT NULL, crc INTEGER NOT NULL);
CREATE TABLE registry (kind TEXT NOT NULL, id TEXT NOT NULL, ord INTEGER NOT NULL,
                       record BLOB NOT NULL, crc INTEGER NOT NULL, PRIMARY KEY (kind, id)) WITHOUT ROWID;
CREATE TABLE docs (n INTEGER PRIMARY KEY, fields BLOB NOT NULL, crc INTEGER NOT NULL);
CREATE TABLE words (word TEXT NOT NULL, fid INTEGER NOT NULL, post BLOB NOT NULL, tf BLOB NOT NULL,
                    crc INTEGER NOT NULL, vocab INTEGER NOT NULL, PRIMARY KEY (word, fid)) WITHOUT ROWID;
CREATE INDEX words_fid ON words (fid);
CREATE TABLE vocab (word TEXT PRIMARY KEY, stem TEXT, key TEXT) WITHOUT ROWID;
CREATE INDEX vocab_stem ON vocab (stem);
CREATE INDEX vocab_key ON vocab (key);
CREATE TABLE gazetteer (data BLOB NOT NULL, crc INTEGER NOT NULL);
CREATE TABLE links (entity TEXT NOT NULL, fid INTEGER NOT NULL, post BLOB NOT NULL, crc INTEGER NOT NULL,
                    PRIMARY KEY (entity, fid)) WITHOUT ROWID;
CREATE INDEX links_fid ON links (fid);
"""


NARROW_DAYS = 400  # a fact's date spans at most this many days, or it is "wide" (a range of years)


def _overlap(lo: str, hi: str) -> tuple[str, list[str]]:
    """A query for the numbers of the facts whose date overlaps [lo, hi].

    Most facts span a day, a month or a year: for them the index on the first day is searched from
    NARROW_DAYS before lo. The few wide ones (ranges of years) are all looked at.
    """
    import datetime as _dt

    start = _dt.date.fromisoformat(lo)
    earliest = start - _dt.timedelta(days=NARROW_DAYS) if start.toordinal() > NARROW_DAYS else _dt.date.min
    sql = (
        "SELECT n FROM facts WHERE wide = 0 AND lo >= ? AND lo <= ? AND hi >= ?"
        " UNION ALL SELECT n FROM facts WHERE wide = 1 AND lo <= ? AND hi >= ?"
    )
    return sql, [earliest.isoformat(), hi, lo, hi, lo]


def _identity() -> dict[str, str]:
    """What a store must have been built by to be read: this format, nichiro and Python."""
    return {"format": str(FORMAT), "nichiro": __version__, "python": f"{sys.version_info[0]}.{sys.version_info[1]}"}


FileStat = tuple[str, int, int]  # (absolute path, size, mtime_ns)


def _stat(paths: Sequence[str]) -> list[FileStat]:
    out = []
    for path in paths:
        st = os.stat(path)
        out.append((os.path.abspath(path), st.st_size, st.st_mtime_ns))
    return out


def _read(files: Sequence[FileStat]) -> list[tuple[str, FileUnit]]:
    """Read and check these files on their own: (label, unit) for each."""
    from .factbase import read_file
    from .paths import labelled

    return [(label, read_file(path, label)) for path, label in labelled([f[0] for f in files])]


def store_path(directories: Sequence[str | os.PathLike[str]]) -> str:
    """Where the store of these fact directories lives: one file per combination of directories,
    and per format, nichiro and Python, so that two installs sharing a cache do not rebuild each
    other's store on every run."""
    key = "\n".join([*_identity().values(), *(os.path.realpath(d) for d in directories)])
    return os.path.join(cache_dir(), f"store-{zlib.crc32(key.encode('utf-8', 'surrogateescape')):08x}.sqlite")


def load(directories: Sequence[str | os.PathLike[str]], use_cache: bool = True) -> Store:
    """The store of these fact directories: opened as it is, brought up to date, or built.

    Raises FactBaseError (with every problem) when the files do not validate.
    """
    from .paths import listing

    files = _stat(listing(directories))
    if not use_cache:
        return _build_in_memory(files)
    path = store_path(directories)
    try:
        conn = _connect(path)
    except CacheDamaged:
        conn = None
        _discard(path)
    if conn is not None:
        try:
            if _update(conn, files):
                return Store(conn, path)
        except (CacheDamaged, sqlite3.DatabaseError):
            _discard(path)
        conn.close()
    return _build_file(path, files)


def _connect(path: str) -> sqlite3.Connection | None:
    """The store at path when it is ours and of this version; None when there is none."""
    try:
        size = os.path.getsize(path)
    except OSError:
        return None
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=30)
    except sqlite3.Error:
        raise CacheDamaged("cannot open") from None
    try:
        app, pages, page_size = (
            conn.execute("PRAGMA application_id").fetchone()[0],
            conn.execute("PRAGMA page_count").fetchone()[0],
            conn.execute("PRAGMA page_size").fetchone()[0],
        )
        if app != APPLICATION_ID or pages * page_size != size:
            raise CacheDamaged("not a nichiro store, or truncated")
        meta = dict(conn.execute("SELECT key, value FROM meta"))
    except sqlite3.DatabaseError:
        conn.close()
        raise CacheDamaged("not a database") from None
    except CacheDamaged:
        conn.close()
        raise
    if any(meta.get(k) != v for k, v in _identity().items()):
        conn.close()
        raise CacheDamaged("built by another version")
    return conn


def discard(path: str) -> None:
    """Remove a store that cannot be trusted (the next run builds it again)."""
    _discard(path)


def is_damage(exc: BaseException) -> bool:
    """Whether an error means the store file is damaged (a checksum, or SQLite finding it malformed)."""
    return isinstance(exc, (CacheDamaged, sqlite3.DatabaseError))


def _discard(path: str) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        try:
            os.unlink(path + suffix)
        except OSError:
            pass


def _update(conn: sqlite3.Connection, files: list[FileStat]) -> bool:
    """Bring the store up to date with the files: True when done, False when it must be built afresh."""
    if _changes(conn, files) is None:
        return True
    conn.execute("BEGIN IMMEDIATE")  # one writer at a time; readers go on reading the last commit
    try:
        done = _apply(conn, files)
        conn.execute("COMMIT" if done else "ROLLBACK")
        return done
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _changes(
    conn: sqlite3.Connection, files: list[FileStat]
) -> tuple[list[FileStat], list[int], dict[str, int]] | None:
    """None when the store is up to date; else the files added or changed, the ids of the files
    removed, and the id of every stored file."""
    rows = conn.execute("SELECT fid, path, size, mtime_ns FROM files")
    stored = {path: (fid, size, mtime) for fid, path, size, mtime in rows}
    current = {path for path, _, _ in files}
    changed = [f for f in files if stored.get(f[0], (None,))[1:] != f[1:]]
    removed = [fid for path, (fid, _, _) in stored.items() if path not in current]
    if not changed and not removed:
        return None
    return changed, removed, {path: fid for path, (fid, _, _) in stored.items()}


def _apply(conn: sqlite3.Connection, files: list[FileStat]) -> bool:
    found = _changes(conn, files)  # again, now that this process is the only writer
    if found is None:
        return True
    changed, removed, fids = found
    from .paths import labelled

    fresh = dict(zip([f[0] for f in changed], _read(changed), strict=True))
    units = [
        fresh[path] if path in fresh else (label, _unit(conn, fids[path]))
        for path, label in labelled([f[0] for f in files])
    ]
    linked = _link(units)
    registry = _registry_rows(linked)
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    if meta.get("registry") != _digest(registry):
        return False  # names and links of every fact may change: build it all again
    for fid in removed + [fids[f[0]] for f in changed if f[0] in fids]:
        _delete_file(conn, fid)
    _write_files(conn, [(f, fresh[f[0]][1]) for f in changed], linked)
    _finish(conn)
    return True


def _unit(conn: sqlite3.Connection, fid: int) -> FileUnit:
    row = conn.execute("SELECT unit, crc FROM files WHERE fid = ?", (fid,)).fetchone()
    if row is None or _crc(row[0]) != row[1]:
        raise CacheDamaged("a file's record is missing or damaged")
    from .factbase import FileUnit

    try:
        path, entries = _unpickle(zlib.decompress(row[0]))
    except Exception:
        raise CacheDamaged("a file's record cannot be read") from None
    return FileUnit(path, [], entries)


def _link(units: Sequence[tuple[str, FileUnit]]) -> Linked:
    from .factbase import link

    linked = link(units)
    if linked.problems:
        raise FactBaseError(linked.problems)
    return linked


def _build_file(path: str, files: list[FileStat]) -> Store:
    """Read every file, and write the store to a temporary file renamed into place."""
    units = _read(files)
    linked = _link(units)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        _discard(tmp)
        conn = sqlite3.connect(tmp, isolation_level=None)
        try:
            _create(conn, files, [u for _, u in units], linked)
        finally:
            conn.close()
        os.replace(tmp, path)
        _prune(os.path.dirname(path))
        written = _connect(path)
        if written is None:
            raise CacheDamaged("the store vanished")
        return Store(written, path)
    except (OSError, sqlite3.Error, CacheDamaged):
        _discard(tmp)  # a read-only or full disk costs speed, never a result
        conn = sqlite3.connect(":memory:", isolation_level=None)
        _create(conn, files, [u for _, u in units], linked)
        return Store(conn)


def _build_in_memory(files: list[FileStat]) -> Store:
    units = _read(files)
    conn = sqlite3.connect(":memory:", isolation_level=None)
    _create(conn, files, [u for _, u in units], _link(units))
    return Store(conn)


def _prune(directory: str) -> None:
    """Keep the most recently written stores; remove temporary files a killed build left an hour ago."""
    import time

    try:
        names = [n for n in os.listdir(directory) if n.startswith("store-")]
        stores = [os.path.join(directory, n) for n in names if n.endswith(".sqlite")]
        stores.sort(key=os.path.getmtime, reverse=True)
        for old in stores[_KEEP:]:
            _discard(old)
        for name in names:
            path = os.path.join(directory, name)
            if name.endswith(".tmp") and os.path.getmtime(path) < time.time() - 3600:
                _discard(path)
    except OSError:
        pass


# --------------------------------------------------------------------------- writing


def _create(conn: sqlite3.Connection, files: list[FileStat], units: list[FileUnit], linked: Linked) -> None:
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.executescript(_SCHEMA)  # (executescript commits first: the transaction begins after it)
    conn.execute("BEGIN")
    registry = _registry_rows(linked)
    conn.executemany("INSERT INTO registry VALUES (?, ?, ?, ?, ?)", registry)
    conn.executemany("INSERT INTO meta VALUES (?, ?)", [*_identity().items(), ("registry", _digest(registry))])
    gazetteer = _gazetteer(linked)
    data = _marshal(gazetteer.data())
    conn.execute("INSERT INTO gazetteer VALUES (?, ?)", (data, _crc(data)))
    _write_files(conn, list(zip(files, units, strict=True)), linked, gazetteer)
    _finish(conn)
    conn.execute("COMMIT")


def _registry_rows(linked: Linked) -> list[tuple[str, str, int, bytes, int]]:
    rows = []
    for kind, entries in (
        ("source", linked.sources),
        ("person", linked.people),
        ("place", linked.places),
        ("term", linked.terms),
        ("tag", linked.tags),
    ):
        for i, entry in enumerate(entries.values()):
            blob = json.dumps(entry.to_record(), ensure_ascii=False).encode("utf-8")  # type: ignore[attr-defined]
            rows.append((kind, entry.id, i, blob, _crc(blob)))  # type: ignore[attr-defined]
    return rows


def _digest(registry: list[tuple[str, str, int, bytes, int]]) -> str:
    crc = 0
    for kind, rid, ord_, blob, _ in registry:
        crc = zlib.crc32(f"{kind}|{rid}|{ord_}|".encode() + blob, crc)
    return f"{crc:08x}:{len(registry)}"


_ALLOWED = frozenset(
    {("nichiro.model", n) for n in ("Source", "Author", "Person", "Place", "Term", "Tag", "Holder", "SourceRef")}
    | {("nichiro.dates", n) for n in ("PartialDate", "DateSpan")}
)


def _unpickle(data: bytes) -> Any:
    """A file's unit read back: nichiro's record types and builtins only, never anything else."""
    import io
    import pickle  # here: only an update reads units

    class Restricted(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            if (module, name) not in _ALLOWED:
                raise pickle.UnpicklingError(f"{module}.{name} is not allowed in a nichiro store")
            return super().find_class(module, name)

    return Restricted(io.BytesIO(data)).load()


def _gazetteer(linked: Linked) -> Gazetteer:
    from .gazetteer import Gazetteer, registry_entries

    return Gazetteer(registry_entries(linked.people.values(), linked.places.values(), linked.terms.values()))


def _marshal(data: Any) -> bytes:
    import marshal

    return marshal.dumps(data)


def _write_files(
    conn: sqlite3.Connection,
    files: list[tuple[FileStat, FileUnit]],
    linked: Linked,
    gazetteer: Gazetteer | None = None,
) -> None:
    """Insert the rows of these files (their facts, postings and links); the registry is in `linked`."""
    import pickle
    from array import array

    from .factbase import fact_ref
    from .gazetteer import CJK_KEY, doc_fields, fact_links, in_vocabulary, index_terms
    from .model import Fact, named_record

    if gazetteer is None:
        gazetteer = _gazetteer(linked)
    about: dict[str, list[str]] = {}
    for term in linked.terms.values():
        for fact_id in term.facts:
            about.setdefault(fact_id, []).append(term.id)
    kept = {id(f) for f in linked.facts}  # a duplicate's fact is not in the base
    (top,) = conn.execute("SELECT coalesce(max(n), 0) FROM facts").fetchone()
    for (path, size, mtime), unit in files:
        facts = [f for f in unit.facts if id(f) in kept]
        entries = [(e[0], e[1], e[2], e[3], fact_ref(e[4]) if isinstance(e[4], Fact) else e[4]) for e in unit.entries]
        blob = zlib.compress(pickle.dumps((unit.path, entries), protocol=pickle.HIGHEST_PROTOCOL), 1)
        cur = conn.execute(
            "INSERT INTO files (path, size, mtime_ns, unit, crc) VALUES (?, ?, ?, ?, ?)",
            (str(path), size, mtime, blob, _crc(blob)),
        )
        fid = int(cur.lastrowid or 0)
        fact_rows, record_rows, doc_rows = [], [], []
        postings: dict[str, tuple[list[int], list[int]]] = {}
        links: dict[str, list[int]] = {}
        for fact in facts:
            top += 1
            n = top
            record = named_record(fact, linked.people, linked.places)
            rec = json.dumps(record, ensure_ascii=False).encode("utf-8")
            span = fact.date
            if span is not None:
                lo, hi = span.lo, span.hi
                wide = int((hi - lo).days > NARROW_DAYS)
                dates: tuple[Any, ...] = (lo.isoformat(), hi.isoformat(), wide, str(span), span.sort_text())
            else:
                from .dates import UNDATED_SORT_TEXT

                dates = (None, None, 0, None, UNDATED_SORT_TEXT)
            sources = " ".join(dict.fromkeys(s.source for s in fact.sources))
            fact_rows.append((n, fact.id, fid, fact.category, *dates[:4], f"{dates[4]}|{fact.id}", sources))
            record_rows.append((n, rec, _crc(rec)))
            fields = doc_fields(fact, linked.people, linked.places)
            # Compressed: read only to look for a phrase or Japanese text, in the few facts that may have it.
            doc = zlib.compress("\x1e".join(f"{name}\x1f{text}" for name, text in fields).encode("utf-8"), 1)
            doc_rows.append((n, doc, _crc(doc)))
            for word, (i, tf) in index_terms(fields, gazetteer).items():
                numbers, weights = postings.setdefault(word, ([], []))
                numbers.append(n << 4 | i)
                weights.append(tf)
            for entity, how in fact_links(fact, gazetteer, about).items():
                links.setdefault(entity, []).append(n << 2 | LINKS.index(how))
        conn.executemany("INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", fact_rows)
        conn.executemany("INSERT INTO records VALUES (?, ?, ?)", record_rows)
        conn.executemany("INSERT INTO docs VALUES (?, ?, ?)", doc_rows)
        link_rows = []
        for entity, ns in links.items():
            post = array("I", ns).tobytes()
            link_rows.append((entity, fid, post, _crc(post)))
        conn.executemany("INSERT INTO links VALUES (?, ?, ?, ?)", link_rows)
        word_rows = []
        for word, (ns, tfs) in postings.items():
            post, weighted = array("I", ns).tobytes(), array("H", tfs).tobytes()
            vocab = int(word != CJK_KEY and in_vocabulary(word))
            word_rows.append((word, fid, post, weighted, _crc(post + weighted), vocab))
        conn.executemany("INSERT INTO words VALUES (?, ?, ?, ?, ?, ?)", word_rows)


def _delete_file(conn: sqlite3.Connection, fid: int) -> None:
    for table in ("docs", "records"):
        conn.execute(f"DELETE FROM {table} WHERE n IN (SELECT n FROM facts WHERE fid = ?)", (fid,))
    for table in ("facts", "words", "links", "files"):
        conn.execute(f"DELETE FROM {table} WHERE fid = ?", (fid,))


def _finish(conn: sqlite3.Connection) -> None:
    """The vocabulary (every word once, with its stem and transliteration key) and the count of facts."""
    from .text import stem
    from .translit import skeleton

    conn.execute("DELETE FROM vocab WHERE word NOT IN (SELECT word FROM words WHERE vocab = 1)")
    sql = "SELECT DISTINCT word FROM words WHERE vocab = 1 AND word NOT IN (SELECT word FROM vocab)"
    new = [w for (w,) in conn.execute(sql)]
    conn.executemany("INSERT INTO vocab VALUES (?, ?, ?)", [(w, stem(w), skeleton(w)) for w in new])
    conn.execute("INSERT OR REPLACE INTO meta VALUES ('facts', (SELECT count(*) FROM facts))")
