"""The store: the validated fact base as an SQLite file in the user's cache, queried rather than loaded.

Every command but `check` and `export` reads the fact base through a `Store`. A run reads only what
it shows: one fact for `show`, the facts of a date range for a listing, the postings of the query's
words and the facts that have them for `search`. So a lookup costs about the same over 240 facts
as over 100,000 (docs/performance.md).

What is kept:

- `files`: each fact file's path, size, mtime, ctime and inode, and the file's records as read and
  checked on their own (a `FileUnit`, pickled, read back through an allow-list). A run compares
  the files on disk with this table; an edited file is read again, the others' units are reused,
  the checks across files run over all of them, and only the edited file's rows are rewritten;
- `facts`: per fact its id, category, file, first and last day (in an index for date ranges) and
  sort key; `records`: its JSON record (names of people and places included); `registry`: the
  sources, people, places and terms;
- for search: `docs` (each fact's folded fields, compressed), `words` (per word and file, the
  facts that have the word and the heaviest field it is in), `vocab` (every word, for variants and
  typos) and `links` (per entity and file, the facts that refer to it and how).

Nothing in it is trusted blindly (docs/reliability.md): the cache directory must be the user's and
private; a store must be a regular file of the user's with nichiro's header and tables, of this
version, not truncated, and checked by SQLite's integrity_check when its mtime is not the one nichiro
sealed it with; a row whose checksum is wrong is damage. A damaged store of ours raises
`CacheDamaged` and is built again; a file nichiro did not write is never touched (`NotOurs`); a
store locked by another process is `Busy`, not damaged. Rows derived from the registry (names in
records, links) are rebuilt whenever the registry changes.
"""

from __future__ import annotations

import os
import sys
import zlib
from collections.abc import ItemsView, Iterable, Iterator, KeysView, Sequence, ValuesView

from . import __version__
from .errors import CacheDamaged, FactBaseError

# SQLite's C module itself: the `sqlite3` package adds to it only the adapters of datetime values
# (which the store never stores), and importing it imports `datetime`, whose pure-Python module
# body costs more than a whole lookup (docs/performance.md). Its classes and errors are the same
# objects as `sqlite3`'s.
try:
    import _sqlite3 as sqlite3
except ImportError:  # pragma: no cover - an interpreter without the private module
    import sqlite3  # type: ignore[no-redef]

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, TypeVar

    from .factbase import FileUnit, Linked
    from .filters import Filter
    from .gazetteer import Gazetteer

    V = TypeVar("V")

FORMAT = 15  # bump when the layout or what a row means changes
APPLICATION_ID = 0x4E434852  # "NCHR", in the SQLite header: a file that lacks it is not ours
_KEEP = 8  # stores kept per cache directory: a few fact-directory combinations, not an ever-growing pile
_CHUNK = 500  # ids per "IN (...)" query, well under SQLite's variable limit
LINKS = ("participants", "place", "tags", "about", "within")  # how a fact refers to an entity, as stored


def cache_dir() -> str:
    """$NICHIRO_CACHE_DIR, else $XDG_CACHE_HOME/nichiro, else ~/.cache/nichiro. A relative
    XDG_CACHE_HOME is ignored, as the XDG spec says: it would put a cache in the current directory."""
    own = os.environ.get("NICHIRO_CACHE_DIR")
    if own:
        return os.path.abspath(own)
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    base = xdg if os.path.isabs(xdg) else os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "nichiro")


def _uid() -> int:
    """This process's user (on a system without POSIX users, as Windows, every file is taken as its own)."""
    return os.geteuid() if hasattr(os, "geteuid") else 0


_OTHERS_WRITE = 0o022 if hasattr(os, "geteuid") else 0  # group or others may write (POSIX modes only)


# Reading a header: never through a symbolic link, never waiting on a FIFO.
_READ_ONLY = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)


def _crc(data: bytes) -> int:
    return zlib.crc32(data)


def _chunks(items: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


def _marks(n: int) -> str:
    return ",".join("?" * n)


# --------------------------------------------------------------------------- reading


if TYPE_CHECKING:
    from typing import Generic

    class _Generic(Generic[V]):
        pass

else:

    class _Generic:  # (typing, and an abstract Mapping, cost a search's start more than they give)
        __slots__ = ()

        def __class_getitem__(cls, item: object) -> type:
            return cls


class _Lazy(_Generic["V"]):
    """A mapping from fact numbers made when first looked into (`mapping`), its views its own."""

    __slots__ = ()

    def mapping(self) -> dict[int, V]:
        raise NotImplementedError

    def __getitem__(self, n: int) -> V:
        return self.mapping()[n]

    def __iter__(self) -> Iterator[int]:
        return iter(self.mapping())

    def __len__(self) -> int:
        return len(self.mapping())

    def __contains__(self, n: object) -> bool:
        return n in self.mapping()

    def items(self) -> ItemsView[int, V]:  # the mapping's own views: no lookup per item
        return self.mapping().items()

    def keys(self) -> KeysView[int]:
        return self.mapping().keys()

    def values(self) -> ValuesView[V]:
        return self.mapping().values()


class Posting(_Lazy[tuple[int, int]]):
    """A word's facts, as read: fact -> (index of its heaviest field, weight), a mapping made when
    first looked into; and what needs no mapping (the strongest weight, the facts at a weight, a
    few facts' entries), which a search of a common word in a large base asks for.

    It is read as rows, one per fact file, each sorted by weight (and the title last among equal
    weights) when the store was built: the facts at a weight or more are the end of each row."""

    __slots__ = ("_map", "rows")

    def __init__(self) -> None:
        self.rows: list[tuple[list[int], bytes, list[int]]] = []  # (facts, fields, weights)
        self._map: dict[int, tuple[int, int]] | None = None

    def extend(self, numbers: list[int], fields: bytes, weights: list[int]) -> None:
        self.rows.append((numbers, fields, weights))
        self._map = None

    def mapping(self) -> dict[int, tuple[int, int]]:
        if self._map is None:
            self._map = {}
            for numbers, fields, weights in self.rows:
                self._map.update(zip(numbers, zip(fields, weights, strict=True), strict=True))
        return self._map

    def __bool__(self) -> bool:  # (without making the mapping)
        return any(numbers for numbers, _, _ in self.rows)

    def top(self) -> int:
        """The strongest weight any fact has the word with (the last of each sorted row)."""
        return max((weights[-1] for _, _, weights in self.rows if weights), default=0)

    def at_least(self, weight: float) -> tuple[set[int], set[int]]:
        """The facts that have the word with this weight or more: (in the title, in another field)."""
        from bisect import bisect_left

        titled: set[int] = set()
        elsewhere: set[int] = set()
        for numbers, fields, weights in self.rows:
            i = bisect_left(weights, weight)
            if i == len(weights):
                continue
            if fields.count(0, i) == len(fields) - i:  # (all in the title: no look at each)
                titled.update(numbers[i:])
            else:
                for n, f in zip(numbers[i:], fields[i:], strict=True):
                    (titled if f == 0 else elsewhere).add(n)
        return titled, elsewhere

    def subset(self, facts: set[int]) -> dict[int, tuple[int, int]]:
        """The mapping for a few of the facts, without making it for all of them."""
        if self._map is not None or len(facts) * 8 > sum(len(r[0]) for r in self.rows):
            found = self.mapping()
            return {n: found[n] for n in facts if n in found}
        out: dict[int, tuple[int, int]] = {}
        for numbers, fields, weights in self.rows:
            for n in facts & set(numbers) if numbers else ():
                i = numbers.index(n)
                out[n] = (fields[i], weights[i])
        return out


class Links(_Lazy[str]):
    """The facts that refer to an entity and how: fact -> participants | place | tags | about, a
    mapping made when first looked into; which ways it is referred to, without one."""

    __slots__ = ("_map", "hows", "numbers")

    def __init__(self) -> None:
        self.numbers: list[int] = []
        self.hows = bytearray()
        self._map: dict[int, str] | None = None

    def extend(self, numbers: list[int], hows: bytes) -> None:
        self.numbers += numbers
        self.hows += hows
        self._map = None

    def mapping(self) -> dict[int, str]:
        if self._map is None:
            self._map = dict(zip(self.numbers, map(LINKS.__getitem__, self.hows), strict=True))
        return self._map

    def __bool__(self) -> bool:  # (without making the mapping)
        return bool(self.numbers)

    def subset(self, facts: set[int]) -> dict[int, str]:
        """The mapping for a few of the facts, without making it for all of them."""
        if self._map is not None or len(facts) * 8 > len(self.numbers):
            found = self.mapping()
            return {n: found[n] for n in facts if n in found}
        present = facts.intersection(self.numbers)
        return {n: LINKS[self.hows[self.numbers.index(n)]] for n in present}

    def kinds(self) -> set[str]:
        """The ways the entity is referred to (participants, place, tags, about)."""
        return {LINKS[h] for h in set(self.hows)}

    def by(self, kinds: set[str]) -> set[int]:
        """The facts that refer to the entity in one of these ways."""
        wanted = {LINKS.index(k) for k in kinds}
        return {n for n, h in zip(self.numbers, self.hows, strict=True) if h in wanted}


class _Decoder:
    """What the scanner of `_json` reads of a decoder: json.loads's defaults."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = {"-Infinity": float("-inf"), "Infinity": float("inf"), "NaN": float("nan")}.__getitem__


_scan: Callable[[str, int], tuple[Any, int]] | None = None


def _loads(blob: bytes) -> Any:
    """json.loads(blob) for a record the store wrote (UTF-8, nothing around it), by json's own C scanner
    without importing json, whose import compiles six regular expressions (docs/performance.md). Anything
    else is json.loads's, to raise what it raises."""
    global _scan
    if _scan is None:
        try:
            from _json import make_scanner

            _scan = make_scanner(_Decoder)  # type: ignore[arg-type]
        except ImportError:  # pragma: no cover - another Python
            import json

            _scan = json.JSONDecoder().raw_decode
    try:
        text = blob.decode("utf-8")
        value, end = _scan(text, 0)
        if end == len(text):
            return value
    except (ValueError, StopIteration):
        pass
    import json

    return json.loads(blob)


class Store:
    """Queries over a built store. Every row read is checked against its checksum."""

    def __init__(self, conn: sqlite3.Connection, path: str | None = None, warning: str | None = None) -> None:
        self.conn = conn
        self.path = path  # None for a store in memory (--no-cache, or a cache that could not be used)
        self.warning = warning  # why the cache could not be used, for the user (commands.load_store says it)
        self._registry: dict[str, dict[str, dict[str, Any]]] = {}
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        self.count = int(meta.get("facts", "0"))

    def _json(self, blob: bytes, crc: int) -> Any:
        if _crc(blob) != crc:
            raise CacheDamaged("a row's checksum is wrong")
        return _loads(blob)

    def _keyed(self, sortkey: str, blob: bytes, crc: int) -> Any:
        """A record read with its sort key, which ends with its id: a check that costs nothing of the
        columns no checksum covers (the record's is checked)."""
        record = self._json(blob, crc)
        if not sortkey.endswith(record["id"]) or sortkey[-len(record["id"]) - 1] != "|":
            raise CacheDamaged("a fact's sort key is not its record's")
        return record

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

    def select(self, f: Filter) -> list[dict[str, Any]]:
        """The records of the facts a filter keeps (nichiro.filters), in date order.

        Categories, dates, sources and the links to people and places are queried; the rest of the
        filter (a field's value, tags) is applied to the records read.
        """
        sql = [
            "SELECT sortkey, record, crc FROM facts JOIN records USING (n)",
            f"WHERE category IN ({_marks(len(f.categories))})",
        ]
        args: list[Any] = list(f.categories)
        if f.windows is not None:
            if f.within:  # the whole date inside one of the windows
                sql.append("AND (" + " OR ".join(["(lo >= ? AND hi <= ?)"] * len(f.windows)) + ")")
                args += [day for window in f.windows for day in window]
            else:
                queries = [_overlap(lo, hi) for lo, hi in f.windows]
                sql.append("AND n IN (" + " UNION ".join(q for q, _ in queries) + ")")
                args += [a for _, query_args in queries for a in query_args]
        if f.dated is not None:
            sql.append("AND lo IS NOT NULL" if f.dated else "AND lo IS NULL")
        if f.sources is not None:  # `sources` holds the ids of the sources a fact cites, space-separated
            sql.append("AND (" + " OR ".join(["instr(' ' || sources || ' ', ?) > 0"] * len(f.sources)) + ")")
            args += [f" {sid} " for sid in sorted(f.sources)]
        for group in f.every_source:  # --all-sources: one of each group (a publisher's sources are a group)
            sql.append("AND (" + " OR ".join(["instr(' ' || sources || ' ', ?) > 0"] * len(group)) + ")")
            args += [f" {sid} " for sid in sorted(group)]
        if not f.linked:
            rows = self.conn.execute(" ".join([*sql, "ORDER BY sortkey"]), args).fetchall()
        else:
            numbers: set[int] | None = None
            for field, ids in f.linked:
                links = self.links(ids)
                having = {n for entity in ids for n, how in links.get(entity, {}).items() if how == field}
                numbers = having if numbers is None else numbers & having
            rows = []
            for chunk in _chunks(sorted(numbers or ())):
                rows += self.conn.execute(" ".join([*sql, f"AND n IN ({_marks(len(chunk))})"]), [*args, *chunk])
            rows.sort()
        records = (self._keyed(key, rec, crc) for key, rec, crc in rows)
        return [r for r in records if f.matches(r)]

    def overlapping(self, lo: str, hi: str) -> list[int]:
        """The numbers of the facts whose date overlaps [lo, hi] (ISO days)."""
        sql, args = _overlap(lo, hi)
        return [n for (n,) in self.conn.execute(sql, args)]

    def fact(self, fact_id: str) -> dict[str, Any] | None:
        row = self.conn.execute(
            "SELECT record, crc FROM facts JOIN records USING (n) WHERE id = ?", (fact_id,)
        ).fetchone()
        if not row:
            return None
        record: dict[str, Any] = self._json(*row)
        if record["id"] != fact_id:  # the id index and the records disagree
            raise CacheDamaged("a fact's id is not its record's")
        return record

    def facts_by_id(self, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for chunk in _chunks(list(dict.fromkeys(ids))):
            sql = f"SELECT id, record, crc FROM facts JOIN records USING (n) WHERE id IN ({_marks(len(chunk))})"
            for fid, rec, crc in self.conn.execute(sql, chunk):
                record = self._json(rec, crc)
                if record["id"] != fid:
                    raise CacheDamaged("a fact's id is not its record's")
                out[fid] = record
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

    def stems(self, words: Iterable[str]) -> dict[str, str]:
        """The stems of those of these words that the facts have."""
        out: dict[str, str] = {}
        for chunk in _chunks(list(dict.fromkeys(words))):
            sql = f"SELECT word, stem FROM vocab WHERE word IN ({_marks(len(chunk))})"
            out.update(self.conn.execute(sql, chunk))
        return out

    def gazetteer_keys(self, kind: str, keys: Sequence[str] | None) -> dict[str, list[int]]:
        """The gazetteer's table of this kind (name, stem, key, part): these keys (None: every key)
        and the numbers of the entries each names."""
        if keys is None:
            rows = list(self.conn.execute("SELECT key, entries, crc FROM gazetteer WHERE kind = ?", (kind,)))
        else:
            rows = []
            for chunk in _chunks(list(keys)):
                sql = f"SELECT key, entries, crc FROM gazetteer WHERE kind = ? AND key IN ({_marks(len(chunk))})"
                rows += self.conn.execute(sql, [kind, *chunk])
        out: dict[str, list[int]] = {}
        for key, entries, crc in rows:
            if _crc(f"{kind}\x1f{key}\x1f{entries}".encode()) != crc:
                raise CacheDamaged("a row of the gazetteer is damaged")
            out[key] = [int(n) for n in entries.split()]
        return out

    def gazetteer_entries(self, numbers: Sequence[int]) -> dict[int, tuple[str, str, str, str]]:
        """Entries of the gazetteer by number: (id, kind, name, folded names joined by \\x1f)."""
        out: dict[int, tuple[str, str, str, str]] = {}
        for chunk in _chunks(list(numbers)):
            sql = f"SELECT n, id, kind, name, names, crc FROM entries WHERE n IN ({_marks(len(chunk))})"
            for n, eid, kind, name, names, crc in self.conn.execute(sql, chunk):
                if _crc(f"{eid}\x1f{kind}\x1f{name}\x1f{names}".encode()) != crc:
                    raise CacheDamaged("an entry of the gazetteer is damaged")
                out[n] = (eid, kind, name, names)
        return out

    def postings(self, words: Iterable[str]) -> dict[str, Posting]:
        """For each word, the facts that have it: the index of the heaviest field it is in, and its
        weighted frequency (BM25F, times gazetteer.TF_SCALE)."""
        out: dict[str, Posting] = {}
        wanted = list(words)
        for chunk in _chunks(wanted):
            rows = self.conn.execute(
                f"SELECT word, post, field, tf, crc FROM words WHERE word IN ({_marks(len(chunk))})", chunk
            )
            for word, post, field, tf, crc in rows:
                if _crc(post + field + tf) != crc:
                    raise CacheDamaged("a posting's checksum is wrong")
                # Three arrays, read in place by memoryview (no `array` import, no loop in Python):
                # the facts (32 bits), their fields (8) and weights (16).
                numbers, weights = memoryview(post).cast("I").tolist(), memoryview(tf).cast("H").tolist()
                if not len(numbers) == len(field) == len(weights):
                    raise CacheDamaged("a posting's arrays differ in length")
                out.setdefault(word, Posting()).extend(numbers, field, weights)
        return out

    def links(self, entities: Iterable[str]) -> dict[str, Links]:
        """For each entity id, the facts that refer to it and how (participants, place, tags, about)."""
        out: dict[str, Links] = {}
        for chunk in _chunks(list(entities)):
            rows = self.conn.execute(
                f"SELECT entity, post, how, crc FROM links WHERE entity IN ({_marks(len(chunk))})", chunk
            )
            for entity, post, how, crc in rows:
                if _crc(post + how) != crc:
                    raise CacheDamaged("a link's checksum is wrong")
                numbers = memoryview(post).cast("I").tolist()
                if len(numbers) != len(how) or max(how, default=0) >= len(LINKS):
                    raise CacheDamaged("a link's arrays differ in length")
                out.setdefault(entity, Links()).extend(numbers, how)
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
        wanted = numbers if isinstance(numbers, (set, frozenset)) else set(numbers)
        if not wanted or limit < 1:
            return []
        if len(wanted) ** 2 > 4 * limit * self.count:
            # Many facts: walk the date index, which holds the numbers, until `limit` of them are
            # found (about count * limit / len(numbers) entries), then read those rows.
            chosen: list[int] = []
            walk = self.conn.execute("SELECT n FROM facts INDEXED BY facts_sortkey ORDER BY sortkey")
            while len(chosen) < limit:
                rows = walk.fetchmany(256)
                if not rows:
                    break
                chosen += [n for (n,) in rows if n in wanted]
            walk.close()
            found = self.columns(chosen[:limit], "id, category")
            return [(n, *found[n]) for n in chosen[:limit]]  # type: ignore[misc]
        # Few: look each up and sort them here, each row checked first (sorted by SQLite, a row whose
        # sort key is damaged could fall past the limit unseen: _sound_rows).
        listed = ",".join(map(str, map(int, wanted)))  # numbers, written inline: no variable limit
        sql = f"SELECT n, id, category, sortkey FROM facts WHERE n IN ({listed})"
        rows = sorted(_sound_rows(self.conn.execute(sql)), key=lambda row: row[3])[:limit]
        return [(n, fid, category) for n, fid, category, _ in rows]

    def columns(self, numbers: Iterable[int], names: str) -> dict[int, tuple[Any, ...]]:
        """Some columns of these facts (names: "id, category, sortkey"), by fact number."""
        out: dict[int, tuple[Any, ...]] = {}
        for chunk in _chunks(list(numbers)):
            sql = f"SELECT n, id, category, sortkey, {names} FROM facts WHERE n IN ({_marks(len(chunk))})"
            out.update((row[0], row[4:]) for row in _sound_rows(self.conn.execute(sql, chunk)))
        return out


def _sound_rows(rows: Iterable[tuple[Any, ...]]) -> Iterator[tuple[Any, ...]]:
    """Rows of `facts` read without their records (n, id, category, sortkey, ...): no checksum covers
    them, but a sort key ends with its id and a category is one of nichiro's, a check that costs
    nothing. A damaged row header shifts every column after the damage (a search once dropped a fact
    for it, silently): the sort key then no longer ends with the id."""
    from .fields import CATEGORIES

    for row in rows:
        fid, category, sortkey = row[1:4]
        if not (
            isinstance(fid, str) and isinstance(sortkey, str) and sortkey.endswith("|" + fid) and category in CATEGORIES
        ):
            raise CacheDamaged("a fact's columns are not what nichiro wrote")
        yield row


# --------------------------------------------------------------------------- opening and building

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (fid INTEGER PRIMARY KEY, path BLOB NOT NULL UNIQUE, size INTEGER NOT NULL,
                    mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, ino INTEGER NOT NULL,
                    unit BLOB NOT NULL, crc INTEGER NOT NULL);
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
CREATE TABLE words (word TEXT NOT NULL, fid INTEGER NOT NULL, post BLOB NOT NULL, field BLOB NOT NULL,
                    tf BLOB NOT NULL, crc INTEGER NOT NULL, vocab INTEGER NOT NULL,
                    PRIMARY KEY (word, fid)) WITHOUT ROWID;
CREATE INDEX words_fid ON words (fid);
CREATE TABLE vocab (word TEXT PRIMARY KEY, stem TEXT, key TEXT) WITHOUT ROWID;
CREATE INDEX vocab_stem ON vocab (stem);
CREATE INDEX vocab_key ON vocab (key);
CREATE TABLE gazetteer (kind TEXT NOT NULL, key TEXT NOT NULL, entries TEXT NOT NULL, crc INTEGER NOT NULL,
                        PRIMARY KEY (kind, key)) WITHOUT ROWID;
CREATE TABLE entries (n INTEGER PRIMARY KEY, id TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
                      names TEXT NOT NULL, crc INTEGER NOT NULL);
CREATE TABLE links (entity TEXT NOT NULL, fid INTEGER NOT NULL, post BLOB NOT NULL, how BLOB NOT NULL,
                    crc INTEGER NOT NULL, PRIMARY KEY (entity, fid)) WITHOUT ROWID;
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


# A fact file as the store knows it: (absolute path, size, mtime_ns, ctime_ns, inode). An edit that
# keeps the size and the mtime (cp -p, rsync -t, tar x) still changes the ctime, or the inode.
FileStat = tuple[str, int, int, int, int]


def _stat(paths: Sequence[str]) -> list[FileStat]:
    out = []
    for path in paths:
        st = os.stat(path)
        out.append((os.path.abspath(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    return out


def _snapshot(directories: Sequence[str | os.PathLike[str]]) -> list[FileStat]:
    """The fact files of the directories, as they are now. A file may vanish between the listing and
    its stat (an editor saving, `git checkout`): then the directories are listed again until two
    listings agree, so that a file deleted and written again is not taken for a file removed."""
    import time

    from .errors import Problem
    from .paths import listing

    vanished = ""
    settling, previous = False, None
    for attempt in range(6):
        if attempt:
            time.sleep(0.02 * attempt)
        paths = listing(directories)
        try:
            files = _stat(paths)
        except FileNotFoundError as exc:
            vanished, settling, previous = str(exc.filename), True, None
            continue
        except OSError as exc:
            problem = Problem(str(exc.filename), None, None, None, f"cannot read: {exc.strerror}")
            raise FactBaseError([problem]) from None
        if not settling or paths == previous:  # after a vanished file: two listings that agree
            return files
        previous = paths
    why = "vanished while being read (deleted and written again, as editors and git checkout do): run again"
    raise FactBaseError([Problem(vanished, None, None, None, why)])


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


def usable_cache_dir() -> tuple[str | None, str | None]:
    """(the cache directory, None) when nichiro may keep files there, else (None, why not, or None
    to say nothing). It is made private (0700) when absent. A directory of another user, or one that
    others may write to, is refused: whoever can write there could plant a symbolic link where a
    store is about to be written, or a store of their own. One that cannot be made (a read-only
    home) costs speed only, and is not worth a word."""
    directory = cache_dir()
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
        st = os.stat(directory)
    except OSError:
        return None, None
    if st.st_uid != _uid():
        return None, f"not using the cache {directory}: it belongs to another user; answering from the fact files"
    if st.st_mode & _OTHERS_WRITE:
        return None, (
            f"not using the cache {directory}: others may write to it (chmod go-w {directory}); "
            "answering from the fact files"
        )
    return directory, None


def load(directories: Sequence[str | os.PathLike[str]], use_cache: bool = True) -> Store:
    """The store of these fact directories: opened as it is, brought up to date, or built.

    Raises FactBaseError (with every problem) when the files do not validate. When the cache cannot
    be used (refused, another program's file where the store belongs, busy, a full disk), the store
    is built in memory and `Store.warning` says why.
    """
    files = _snapshot(directories)
    if not use_cache:
        return _build_in_memory(files)
    directory, refused = usable_cache_dir()
    if directory is None:
        return _build_in_memory(files, refused)
    path = store_path(directories)
    try:
        conn = _connect(path)
    except NotOurs as exc:
        return _build_in_memory(files, f"not touching {path}: {exc}; answering from the fact files")
    except Busy:
        return _build_in_memory(files, busy_warning(path))
    except CacheDamaged:
        conn = None
        _discard(path)
    if conn is not None:
        try:
            if _update(conn, files):
                return Store(conn, path)
        except Busy:
            conn.close()
            return _build_in_memory(files, busy_warning(path))
        except sqlite3.DatabaseError as exc:
            conn.close()
            if is_busy(exc):
                return _build_in_memory(files, busy_warning(path))
            _discard(path)
        except CacheDamaged:
            conn.close()
            _discard(path)
        else:
            conn.close()
    return _build_file(path, files)


BUSY_SECONDS = 2.0  # how long to wait for another process's lock on the store before answering without it


class NotOurs(Exception):
    """A file where the store belongs that nichiro did not write: left alone, never deleted."""


class Busy(Exception):
    """Another process holds a lock on the store: it is not damaged, only busy."""


def busy_warning(path: str) -> str:
    return f"the store {path} is busy (locked by another process); answering from the fact files"


def is_busy(exc: BaseException) -> bool:
    """Whether an error is SQLite's "database is locked": a busy store, not a damaged one."""
    if isinstance(exc, Busy):
        return True
    if not isinstance(exc, sqlite3.OperationalError):
        return False
    code = getattr(exc, "sqlite_errorcode", None)  # Python 3.11+
    return code in (5, 6) if code is not None else "locked" in str(exc)  # SQLITE_BUSY, SQLITE_LOCKED


_MAGIC = b"SQLite format 3\x00"


def _connect(path: str, attempts: int = 3) -> sqlite3.Connection | None:
    """The store at path when it is ours, sound and of this version; None when there is none.

    Raises NotOurs for a file nichiro did not write (another user's, another program's database),
    CacheDamaged for a store of ours that cannot be trusted (the caller removes it), Busy when
    another process holds a lock on it for longer than BUSY_SECONDS.
    """
    import stat

    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise NotOurs(exc.strerror) from None
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISREG(st.st_mode):
        raise CacheDamaged("not a regular file")  # a planted symlink: removing it removes the link only
    if st.st_uid != _uid():
        raise NotOurs("it belongs to another user")
    if st.st_mode & _OTHERS_WRITE:
        raise CacheDamaged("others may write to it")  # ours, but anyone could have written it since
    _check_header(path)
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=BUSY_SECONDS)
    except sqlite3.Error:
        raise CacheDamaged("cannot open") from None
    try:
        # A read transaction: no writer can commit while it lasts, so the size and the pages agree.
        conn.execute("BEGIN")
        _check_schema(conn)
        now = os.stat(path)
        if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):  # replaced by another run meanwhile
            conn.close()
            if attempts > 1:
                return _connect(path, attempts - 1)
            raise Busy
        pages, page_size = (
            conn.execute("PRAGMA page_count").fetchone()[0],
            conn.execute("PRAGMA page_size").fetchone()[0],
        )
        if pages * page_size != now.st_size:
            raise CacheDamaged("truncated")
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        if any(meta.get(k) != v for k, v in _identity().items()):
            raise CacheDamaged("built by another version")
        sealed = meta.get("sealed") == str(now.st_mtime_ns)
        if not sealed:
            _check_integrity(conn)
        conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        conn.close()
        if is_busy(exc):
            raise Busy from None
        raise CacheDamaged("not a sound database") from None
    except BaseException:
        conn.close()
        raise
    if not sealed:
        _seal(conn, path)  # sound: the next runs need not check it again
    return conn


def _check_header(path: str) -> None:
    """The first 100 bytes: SQLite's, with nichiro's application_id. Another program's database is NotOurs."""
    try:
        fd = os.open(path, _READ_ONLY)
        try:
            header = os.read(fd, 100)
        finally:
            os.close(fd)
    except OSError as exc:
        raise NotOurs(exc.strerror) from None
    if len(header) < 100 or not header.startswith(_MAGIC):
        raise CacheDamaged("not an SQLite database")  # at nichiro's name in a private directory: ours, damaged
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise NotOurs("it is another program's database")


def _expected_schema() -> set[tuple[str, str, str | None]]:
    """What sqlite_master holds in a store: (type, name, sql) of every table and index of _SCHEMA."""
    expected: set[tuple[str, str, str | None]] = set()
    for statement in filter(None, (s.strip() for s in _SCHEMA.split(";"))):
        words = statement.split()  # CREATE [UNIQUE] TABLE|INDEX name ...: no regular expression to compile
        kind, name = words[2:4] if words[1] == "UNIQUE" else words[1:3]
        expected.add((kind.lower(), name.partition("(")[0], statement))
    return expected


def _check_schema(conn: sqlite3.Connection) -> None:
    """Every object in the file is one of ours, as _SCHEMA wrote it: nothing else is ever run. A view or
    a trigger planted in a store (a recursive view in place of `meta` hangs any query of it) is damage."""
    present = set()
    for kind, name, sql in conn.execute("SELECT type, name, sql FROM sqlite_master"):
        if not (kind == "index" and sql is None and name.startswith("sqlite_autoindex_")):
            present.add((kind, name, sql))  # (SQLite's own indexes of UNIQUE and PRIMARY KEY columns aside)
    if present != _expected_schema():
        raise CacheDamaged("its tables are not nichiro's")


def _check_integrity(conn: sqlite3.Connection) -> None:
    """SQLite's integrity_check: every page, and every index against its table (quick_check misses an
    index entry that is well formed but wrong, which gives silently wrong answers: docs/reliability.md)."""
    result = conn.execute("PRAGMA integrity_check(1)").fetchone()
    if result is None or result[0] != "ok":
        raise CacheDamaged("integrity_check failed")


def _seal(conn: sqlite3.Connection, path: str) -> None:
    """Record in the store the mtime it is given: a later run that finds another mtime knows that
    something other than nichiro wrote the file, and checks it (integrity_check) before reading it.

    A whole second, which every file system keeps; where it is kept coarser still (FAT's two
    seconds), the mtime the file system kept is recorded instead."""
    import time

    when = time.time_ns() // 1_000_000_000 * 1_000_000_000
    try:
        for _ in range(2):
            conn.execute("INSERT OR REPLACE INTO meta VALUES ('sealed', ?)", (str(when),))
            os.utime(path, ns=(when, when))
            kept = os.stat(path).st_mtime_ns
            if kept == when:
                return
            when = kept
    except (OSError, sqlite3.Error):
        pass  # unsealed: the next run checks it, and seals it again


def discard(path: str) -> None:
    """Remove a store that cannot be trusted (the next run builds it again)."""
    _discard(path)


def is_damage(exc: BaseException) -> bool:
    """Whether an error means the store file is damaged (a checksum, or SQLite finding it malformed);
    a lock held by another process is not damage (is_busy)."""
    return isinstance(exc, CacheDamaged) or (isinstance(exc, sqlite3.DatabaseError) and not is_busy(exc))


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
    try:
        conn.execute("BEGIN IMMEDIATE")  # one writer at a time; readers go on reading the last commit
    except sqlite3.OperationalError as exc:
        if is_busy(exc):
            raise Busy from None
        raise
    try:
        done = _apply(conn, files)
        conn.execute("COMMIT" if done else "ROLLBACK")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise
    if done:
        _seal(conn, conn.execute("PRAGMA database_list").fetchone()[2])
    return done


def _changes(
    conn: sqlite3.Connection, files: list[FileStat]
) -> tuple[list[FileStat], list[int], dict[str, int]] | None:
    """None when the store is up to date; else the files added or changed, the ids of the files
    removed, and the id of every stored file."""
    rows = conn.execute("SELECT fid, path, size, mtime_ns, ctime_ns, ino FROM files")
    stored = {os.fsdecode(path): (fid, *key) for fid, path, *key in rows}
    current = {f[0] for f in files}
    changed = [f for f in files if stored.get(f[0], (None,))[1:] != f[1:]]
    removed = [row[0] for path, row in stored.items() if path not in current]
    if not changed and not removed:
        return None
    return changed, removed, {path: row[0] for path, row in stored.items()}


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
    try:
        linked = _link(units)
        registry = _registry_rows(linked)
    except (FactBaseError, CacheDamaged):
        raise
    except Exception:  # a unit the allow-list let through but nothing can use: damage, not a bug
        raise CacheDamaged("a file's record cannot be used") from None
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
    if not isinstance(path, str) or not isinstance(entries, list) or not all(_is_entry(e) for e in entries):
        raise CacheDamaged("a file's record is not what nichiro wrote")
    return FileUnit(path, [], entries)


def _is_entry(entry: Any) -> bool:
    """The shape of factbase.Entry: (id, line, kind, line, what it built)."""
    return (
        isinstance(entry, tuple)
        and len(entry) == 5
        and isinstance(entry[0], str)
        and isinstance(entry[2], str)
        and all(line is None or isinstance(line, int) for line in (entry[1], entry[3]))
    )


def _link(units: Sequence[tuple[str, FileUnit]]) -> Linked:
    from .factbase import link

    linked = link(units)
    if linked.problems:
        raise FactBaseError(linked.problems)
    return linked


# Errors writing a store that a user should hear of (a full disk), rather than a read-only cache.
_WORTH_SAYING = ("full", "I/O", "No space", "Disk quota", "too large")


def _build_file(path: str, files: list[FileStat]) -> Store:
    """Read every file, and write the store to a temporary file renamed into place.

    The temporary file is made by mkstemp (a name nobody can guess, created by this process alone)
    in the private cache directory, and removed on every way out but success: an error, Ctrl-C,
    SIGTERM (commands.guarded makes it an exception). A store that cannot be written (a full disk)
    costs speed, never the answer: it is built in memory, with a warning.
    """
    from .outfile import temporary_file

    units = _read(files)
    linked = _link(units)
    directory = os.path.dirname(path)
    made: list[str] = []  # the temporary file, until it is renamed into place
    try:
        temporary_file(made, directory, os.path.basename(path) + ".")
        conn = sqlite3.connect(made[0], isolation_level=None)
        try:
            _create(conn, files, [u for _, u in units], linked)
            _seal(conn, made[0])  # (a rename keeps the mtime)
        finally:
            conn.close()
        os.replace(made[0], path)
        made.clear()
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        worth = any(w in reason for w in _WORTH_SAYING)
        warning = f"cannot write the store in {directory}: {reason}; answering from the fact files"
        return _in_memory(files, [u for _, u in units], linked, warning if worth else None)
    finally:
        for tmp in made:
            _discard(tmp)
    _prune(directory)
    try:
        written = _connect(path)
    except (NotOurs, Busy, CacheDamaged):
        written = None
    if written is None:  # replaced or damaged already: answer from memory this time
        return _in_memory(files, [u for _, u in units], linked, None)
    return Store(written, path)


def _build_in_memory(files: list[FileStat], warning: str | None = None) -> Store:
    units = _read(files)
    return _in_memory(files, [u for _, u in units], _link(units), warning)


def _in_memory(files: list[FileStat], units: list[FileUnit], linked: Linked, warning: str | None) -> Store:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    _create(conn, files, units, linked)
    return Store(conn, None, warning)


# What nichiro writes in a cache directory, by name: a store, and its temporary file while it is built.
_STORE_NAME = r"store-[0-9a-f]{8}\.sqlite"
_TEMP_NAME = _STORE_NAME + r"\.[a-z0-9_]{8}\.tmp"


def _prune(directory: str) -> None:
    """Keep the most recently written stores; remove temporary files a killed build left an hour ago.

    Only files nichiro wrote are removed: a regular file of this user, named as nichiro names them,
    with nichiro's application_id in its SQLite header (or empty: a temporary file killed before
    its first page). Anything else in the directory is a user's, and is left alone.
    """
    import re
    import time

    stores: list[tuple[float, str]] = []
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                store = re.fullmatch(_STORE_NAME, entry.name)
                if not store and not re.fullmatch(_TEMP_NAME, entry.name):
                    continue
                st = entry.stat(follow_symlinks=False)
                if not entry.is_file(follow_symlinks=False) or st.st_uid != _uid():
                    continue
                if not _written_by_nichiro(entry.path, empty_ok=not store):
                    continue
                if store:
                    stores.append((st.st_mtime, entry.path))
                elif st.st_mtime < time.time() - 3600:
                    _discard(entry.path)
    except OSError:
        return
    stores.sort(reverse=True)
    for _, old in stores[_KEEP:]:
        _discard(old)


def _written_by_nichiro(path: str, empty_ok: bool) -> bool:
    try:
        _check_header(path)
    except NotOurs:
        return False
    except CacheDamaged:
        try:
            return empty_ok and os.lstat(path).st_size == 0
        except OSError:
            return False
    return True


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
    entries, tables = gazetteer.rows()
    conn.executemany(
        "INSERT INTO entries VALUES (?, ?, ?, ?, ?, ?)",
        [(*row, _crc("\x1f".join(row[1:]).encode())) for row in entries],
    )
    conn.executemany(
        "INSERT INTO gazetteer VALUES (?, ?, ?, ?)", [(*row, _crc("\x1f".join(row).encode())) for row in tables]
    )
    _write_files(conn, list(zip(files, units, strict=True)), linked, gazetteer)
    _finish(conn)
    conn.execute("COMMIT")


def _registry_rows(linked: Linked) -> list[tuple[str, str, int, bytes, int]]:
    import json

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


def _write_files(
    conn: sqlite3.Connection,
    files: list[tuple[FileStat, FileUnit]],
    linked: Linked,
    gazetteer: Gazetteer | None = None,
) -> None:
    """Insert the rows of these files (their facts, postings and links); the registry is in `linked`."""
    import json
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
    for (path, size, mtime, ctime, ino), unit in files:
        facts = [f for f in unit.facts if id(f) in kept]
        entries = [(e[0], e[1], e[2], e[3], fact_ref(e[4]) if isinstance(e[4], Fact) else e[4]) for e in unit.entries]
        blob = zlib.compress(pickle.dumps((unit.path, entries), protocol=pickle.HIGHEST_PROTOCOL), 1)
        cur = conn.execute(
            "INSERT INTO files (path, size, mtime_ns, ctime_ns, ino, unit, crc) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (os.fsencode(path), size, mtime, ctime, ino, blob, _crc(blob)),  # bytes: a name need not be UTF-8
        )
        fid = int(cur.lastrowid or 0)
        fact_rows, record_rows, doc_rows = [], [], []
        postings: dict[str, tuple[list[int], list[int], list[int]]] = {}  # word: facts, fields, weights
        links: dict[str, tuple[list[int], list[int]]] = {}  # entity: facts, how (an index into LINKS)
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
                numbers, in_field, weights = postings.setdefault(word, ([], [], []))
                numbers.append(n)
                in_field.append(i)
                weights.append(tf)
            for entity, how in fact_links(fact, gazetteer, about, linked.places).items():
                referring, hows = links.setdefault(entity, ([], []))
                referring.append(n)
                hows.append(LINKS.index(how))
        conn.executemany("INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", fact_rows)
        conn.executemany("INSERT INTO records VALUES (?, ?, ?)", record_rows)
        conn.executemany("INSERT INTO docs VALUES (?, ?, ?)", doc_rows)
        link_rows = []
        for entity, (ns, hows) in links.items():
            post, how_blob = array("I", ns).tobytes(), bytes(hows)
            link_rows.append((entity, fid, post, how_blob, _crc(post + how_blob)))
        conn.executemany("INSERT INTO links VALUES (?, ?, ?, ?, ?)", link_rows)
        word_rows = []
        for word, (ns, fs, tfs) in postings.items():
            # By weight, the title last among equal weights: the strongest facts end the row.
            order = sorted(range(len(ns)), key=lambda k: (tfs[k], fs[k] == 0))
            ns, fs, tfs = [ns[k] for k in order], [fs[k] for k in order], [tfs[k] for k in order]
            post, field, weighted = array("I", ns).tobytes(), bytes(fs), array("H", tfs).tobytes()
            vocab = int(word != CJK_KEY and in_vocabulary(word))
            word_rows.append((word, fid, post, field, weighted, _crc(post + field + weighted), vocab))
        conn.executemany("INSERT INTO words VALUES (?, ?, ?, ?, ?, ?, ?)", word_rows)


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


# --------------------------------------------------------------------------- `nichiro cache info|clear`


def _served_database(directory: str) -> str:
    return os.path.join(directory, "datasette", "nichiro.db")  # what `nichiro serve` exports (nichiro.web)


def cache_files(directory: str) -> tuple[list[os.DirEntry[str]], list[os.DirEntry[str]], int]:
    """The stores nichiro wrote in a cache directory, its temporary files, and how many other files
    are there (left alone). The same rule as pruning: a regular file of this user, named as nichiro
    names it, with nichiro's header (a temporary file may be empty)."""
    import re

    stores, temporary, others = [], [], 0
    try:
        with os.scandir(directory) as entries:
            for entry in entries:
                store = re.fullmatch(_STORE_NAME, entry.name)
                named = store or re.fullmatch(_TEMP_NAME, entry.name)
                ours = (
                    named
                    and entry.is_file(follow_symlinks=False)
                    and entry.stat(follow_symlinks=False).st_uid == _uid()
                    and _written_by_nichiro(entry.path, empty_ok=not store)
                )
                if not ours:
                    others += entry.name != "datasette" and not re.fullmatch(_STORE_NAME + "-journal", entry.name)
                elif store:
                    stores.append(entry)
                else:
                    temporary.append(entry)
    except OSError:
        pass
    return stores, temporary, others


def cache_info(directories: Sequence[str | os.PathLike[str]]) -> dict[str, Any]:
    """What `nichiro cache info` shows: where the cache is, whether it is used, and nichiro's files in it."""
    directory = cache_dir()
    usable, refused = usable_cache_dir()
    path = store_path(directories)
    stores, temporary, others = cache_files(directory)
    current: dict[str, Any] = {"path": path, "exists": False}
    for entry in stores:
        if entry.path == path:
            current |= _describe(entry.path)
    served = _served_database(directory)
    return {
        "directory": directory,
        "used": usable is not None,
        "why_not": refused,
        "store": current,
        "stores": [{"path": e.path, "bytes": e.stat().st_size} for e in stores],
        "temporary": [e.path for e in temporary],
        "served": served if os.path.isfile(served) else None,
        "other_files": others,
    }


def _describe(path: str) -> dict[str, Any]:
    """A store's size, age and contents, read as any run reads it (so a damaged one is reported as such)."""
    import time

    st = os.stat(path)
    out: dict[str, Any] = {
        "exists": True,
        "bytes": st.st_size,
        "written": time.strftime("%Y-%m-%dT%H:%M:%S%z", time.localtime(st.st_mtime)),
    }
    try:
        conn = _connect(path)
    except (NotOurs, CacheDamaged) as exc:
        return out | {"state": f"damaged: {exc}; the next run builds it again"}
    except Busy:
        return out | {"state": "busy: another process holds a lock on it"}
    if conn is None:
        return {"exists": False}
    with conn:
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        (files,) = conn.execute("SELECT count(*) FROM files").fetchone()
    conn.close()
    return out | {"state": "sound", "facts": int(meta.get("facts", 0)), "files": files}


def clear_cache() -> list[tuple[str, int]]:
    """Remove every file nichiro wrote in the cache directory (stores, temporary files, `serve`'s
    database) and nothing else; the paths removed and their sizes. A run under way elsewhere keeps
    the store it has open, and the next run builds a new one."""
    import stat

    directory = cache_dir()
    stores, temporary, _ = cache_files(directory)
    removed = []
    for entry in [*stores, *temporary]:
        removed.append((entry.path, entry.stat(follow_symlinks=False).st_size))
        _discard(entry.path)
    served = _served_database(directory)
    try:
        st = os.lstat(served)
        fd = os.open(served, _READ_ONLY)
        try:
            magic = os.read(fd, 16)
        finally:
            os.close(fd)
        if stat.S_ISREG(st.st_mode) and st.st_uid == _uid() and magic == _MAGIC:
            os.unlink(served)
            removed.append((served, st.st_size))
            os.rmdir(os.path.dirname(served))  # when empty
    except OSError:
        pass
    return removed
