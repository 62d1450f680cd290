"""`nichiro serve`: the fact base in Datasette, on this machine. The only module that imports Datasette.

The base is exported to the cache (docs/sqlite.md) and served read-only (immutable) on 127.0.0.1
with the metadata of `export.datasette_metadata`. Datasette comes with the `web` extra
(`pip install "nichiro[web]"`); without it, `serve` says so.

Search there forgives what the command line forgives (`SearchReader`): the `search` query is
`nichiro search` itself, and the table's search box reads a word its index does not have as
nichiro's search reads it (a typo, another spelling or script); both say what they read
differently from what was typed. `webplugin` puts them into Datasette.
"""

from __future__ import annotations

import asyncio
import os
import re
import socket
import sqlite3
import sys
import threading
import time
import webbrowser
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import UsageError
from .export import FTS_TABLE, datasette_metadata, export_sqlite, fts_phrase
from .model import FactBase

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .store import Store

DATABASE = "nichiro"  # Datasette names a database after its file: /nichiro, /nichiro/facts, ...
HOST = "127.0.0.1"
DEFAULT_PORT = 8001  # Datasette's own default
NEEDS_WEB = 'nichiro serve needs Datasette, which the web extra installs: pip install "nichiro[web]"'


def database_path(cache: str | os.PathLike[str]) -> Path:
    return Path(cache) / "datasette" / f"{DATABASE}.db"


def export(base: FactBase, cache: str | os.PathLike[str]) -> Path:
    """Export the base to the cache (replacing the last export, atomically) and return its path."""
    path = database_path(cache)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"cannot write {path.parent}: {exc.strerror or exc}") from None
    export_sqlite(base, path, force=True)
    return path


# --------------------------------------------------------------------------- reading a search

_PHRASE_OR_WORD = re.compile(r'\s+|(".*?")')  # as Datasette's escape_fts splits: "quoted phrases" and words
MAX_READ = 16  # words of one query read by nichiro's search at most; the rest must be found as typed
SEARCH_LIMIT = 200  # hits of the `search` query
_CACHED = 256  # answers kept (Datasette asks for the same query's several times a page)


def _quote(text: str) -> str:
    """A word as a page names it (search.py words the messages): "Shikotn"."""
    return f'"{text}"'


@dataclass(frozen=True)
class Reading:
    """A search as the full-text index is asked it, and what was read differently from what was typed."""

    fts: str  # the FTS5 expression: every word quoted (never read as syntax), all of them must match
    read_as: list[tuple[str, str, str]] = field(default_factory=list)  # (as typed, read as, how)
    unmatched: list[str] = field(default_factory=list)  # words nothing matched, as typed

    def note(self) -> str | None:
        """What was read as what, and what nothing matched, in one line: '"Shikotn" read as
        "Shikotan" (typo); no fact mentions "xylophone"'; None when the search is as typed."""
        from .search import no_fact_mentions, read_as

        parts = [read_as(typed, read, how, _quote) for typed, read, how in self.read_as]
        if self.unmatched:
            parts.append(no_fact_mentions(self.unmatched, _quote))
        return "; ".join(parts) or None


@dataclass(frozen=True)
class Found:
    """What `nichiro search` finds for a query, every word of which must match: the `search` query's
    rows, and the line saying how it read the query (what `nichiro search` says on stderr)."""

    hits: str  # JSON, best first: [{"id", "score", "why", "fts"}], fts the words it matched, for a snippet
    note: str | None


class SearchReader:
    """nichiro's search, for the exported database: for the `search` query and the table's search box.

    The `search` query is `nichiro search` itself (`search`): the same facts in the same order, the
    same corrections; but where one word of a query is in no fact (after typos, spellings and
    scripts) it finds nothing, where `nichiro search` answers for the rest: its rows cannot say what
    they leave out, so they leave nothing out.

    The search box filters the table through its full-text index (`read`). A word the index finds
    as typed is searched as typed: a real word is never replaced. One it does not find is read by
    `search.read` (a typo, another spelling or script, a Japanese compound cut into names, the start
    of a word) and searched as every word and name it was read as that the index has. A word
    nothing matches stays as typed, and the search finds nothing.

    Both say what they read differently from what was typed. The store and a read-only connection
    to the export live in one thread of the reader's own: a SQLite connection stays in the thread
    that opened it, and Datasette asks from several.
    """

    def __init__(self, path: Path, open_store: Callable[[], Store]) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="nichiro-search")
        self._answers: dict[tuple[str, str], Any] = {}
        self._conn: sqlite3.Connection | None = None
        self._store: Store | None = None
        # Opened now, so that the first search does not wait for the store (nor hit Datasette's time limit).
        self._pool.submit(self._open, path, open_store).result()

    def _open(self, path: Path, open_store: Callable[[], Store]) -> None:
        from .search import read

        self._conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        self._store = open_store()
        read(self._store, "nichiro")  # the gazetteer, read once

    def submit_read(self, query: str) -> Future[Reading]:
        """`read` from the reader's thread (`asyncio.wrap_future` awaits it)."""
        return self._pool.submit(self._answer, "read", query)

    def submit_search(self, query: str) -> Future[Found]:
        """`search` from the reader's thread."""
        return self._pool.submit(self._answer, "search", query)

    def read(self, query: str) -> Reading:
        """The query as the search box asks the full-text index: words and "quoted phrases", as
        Datasette's own escape_fts splits it, each whole."""
        return self.submit_read(query).result()

    def search(self, query: str) -> Found:
        """What `nichiro search QUERY` finds, best first."""
        return self.submit_search(query).result()

    def close(self) -> None:
        self._pool.submit(self._close).result()
        self._pool.shutdown()

    # ------------------------------------------------------------------ in the reader's thread

    def _close(self) -> None:
        if self._conn is not None:
            self._conn.close()

    def _answer(self, kind: str, query: str) -> Any:
        key = (kind, query)
        if key not in self._answers:
            if len(self._answers) >= _CACHED:
                self._answers.clear()
            self._answers[key] = self._search(query) if kind == "search" else self._read(query)
        return self._answers[key]

    def _search(self, query: str) -> Found:
        import json

        from .errors import UsageError
        from .fields import CATEGORIES
        from .search import explain, notes, nothing_found, run, suggest

        assert self._store is not None
        try:
            result = run(self._store, query, CATEGORIES, SEARCH_LIMIT)
        except UsageError:  # an empty query: nothing to find, nothing to say
            return Found("[]", None)
        # Every word must match: rows cannot say what they leave out, so leave nothing out (not a
        # hit that lacks some of the query's terms either).
        result.hits = [hit for hit in result.hits if not hit.missing]
        if result.unmatched or not result.hits:
            # Names near what was not found (not near the words that were).
            near = [] if result.declined else suggest(self._store, " ".join(result.unmatched) or query)
            return Found("[]", nothing_found(result, query.strip(), near, _quote, every_word=True))
        note = "; ".join(notes(result, _quote))
        hits = [
            {
                "id": hit.id,
                "score": hit.score,
                "why": explain(hit),
                "fts": " OR ".join(dict.fromkeys(fts_phrase(m["match"]) for m in hit.matched)) or '""',
            }
            for hit in result.hits
        ]
        return Found(json.dumps(hits, ensure_ascii=False), note or None)

    def _finds(self, expression: str) -> bool:
        assert self._conn is not None
        sql = f"SELECT 1 FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ? LIMIT 1"
        return self._conn.execute(sql, (expression,)).fetchone() is not None

    def _read(self, query: str) -> Reading:
        from .search import read
        from .text import fold

        assert self._store is not None
        query = query.replace("\x00", " ")
        bits = [b for b in _PHRASE_OR_WORD.split(query + ('"' if query.count('"') % 2 else "")) if b]
        groups: list[str] = []
        read_as: list[tuple[str, str, str]] = []
        unmatched: list[str] = []
        looked_up = 0
        for bit in bits:
            quoted = len(bit) > 1 and bit[0] == bit[-1] == '"'
            text = bit[1:-1] if quoted else bit
            if not fold(text):
                continue  # punctuation alone: no word to find
            typed = fts_phrase(text)
            if self._finds(typed):
                groups.append(typed)
                continue
            if quoted or looked_up >= MAX_READ:
                groups.append(typed)
                unmatched.append(text)
                continue
            looked_up += 1
            written = {fold(w): w for w in re.findall(r"[^\W_]+", text)}
            terms = read(self._store, text)
            for term, texts, correction in terms:
                shown = written.get(term, text if len(terms) == 1 else term)
                if self._finds(fts_phrase(term)):
                    groups.append(fts_phrase(term))
                    continue
                # Every word and name it was read as that the index has (best first, as search ranks them).
                found: dict[str, tuple[str, str]] = {}
                for t, how in texts:
                    phrase = fts_phrase(t)
                    if phrase not in found and self._finds(phrase):
                        found[phrase] = (t, how)
                if not found:
                    groups.append(typed)
                    unmatched.append(shown)
                    continue
                groups.append("(" + " OR ".join(found) + ")" if len(found) > 1 else next(iter(found)))
                # Say what it was read as: search's correction, or else the closest form the index has.
                read_as.append((shown, *(correction[1:] if correction else next(iter(found.values())))))
            if not terms:
                groups.append(typed)
                unmatched.append(text)
        return Reading(" AND ".join(groups) if groups else '""', read_as, list(dict.fromkeys(unmatched)))


# --------------------------------------------------------------------------- Datasette


def datasette(path: Path, base: FactBase, open_store: Callable[[], Store]) -> Any:
    """A Datasette instance serving the exported database, immutable, with nichiro's metadata and
    search (`open_store` opens the store that nichiro's search reads), started."""
    try:
        from datasette.app import Datasette
    except ImportError:
        raise UsageError(NEEDS_WEB) from None
    from datasette.plugins import pm

    from . import webplugin

    if not pm.is_registered(webplugin):
        pm.register(webplugin, name="nichiro")
    reader = SearchReader(path, open_store)
    ds = Datasette(
        immutables=[str(path)],
        metadata=datasette_metadata(base, DATABASE, forgiving=True),
        settings={"default_page_size": 50, "facet_time_limit_ms": 500},
        template_dir=str(Path(__file__).parent / "templates"),
    )
    webplugin.READERS[ds] = reader
    asyncio.run(ds.invoke_startup())
    return ds


def _open_when_up(url: str, port: int, timeout: float = 15.0) -> None:
    """Open the browser once the server answers (uvicorn takes a moment to bind)."""

    def wait_and_open() -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection((HOST, port), timeout=0.5):
                    webbrowser.open(url)
                    return
            except OSError:
                time.sleep(0.1)

    threading.Thread(target=wait_and_open, daemon=True).start()


def serve(
    base: FactBase,
    cache: str | os.PathLike[str],
    open_store: Callable[[], Store],
    port: int = DEFAULT_PORT,
    open_browser: bool = False,
) -> None:
    """Export the base and serve it on 127.0.0.1:port until interrupted (`open_store`: see `datasette`)."""
    if not 0 < port < 65536:
        raise UsageError(f"--port: {port} is not a port (1 to 65535)")
    try:
        import uvicorn
    except ImportError:
        raise UsageError(NEEDS_WEB) from None
    path = export(base, cache)
    ds = datasette(path, base, open_store)
    with socket.socket() as probe:  # a clear error, not a traceback from deep in uvicorn
        try:
            probe.bind((HOST, port))
        except OSError as exc:
            raise UsageError(f"--port: cannot listen on {HOST}:{port}: {exc.strerror or exc}") from None
    url = f"http://{HOST}:{port}/{DATABASE}"
    sys.stderr.write(f"nichiro: serving the fact base at {url} (search: {url}/search?q=Shikotan); Ctrl-C stops\n")
    sys.stderr.flush()
    if open_browser:
        _open_when_up(url, port)
    uvicorn.run(ds.app(), host=HOST, port=port, log_level="warning", lifespan="on")
