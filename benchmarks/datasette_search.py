"""Measure search in the SQLite export, as plain Datasette and as `nichiro serve` run it.

    python benchmarks/datasette_search.py          both relevance sets: hit@1, hit@3, MRR, nothing-found
    python benchmarks/datasette_search.py -v       also by kind, and the queries each one misses

Over the relevance sets of benchmarks/relevance.py (tests/relevance.toml, the tuning set of the
command line's search, and tests/relevance_heldout.toml, written blind): the metadata's `search`
query as plain Datasette runs it (`export.SEARCH_SQL`, pure SQL) and as `nichiro serve` runs it
(`export.FORGIVING_SEARCH_SQL`, with `web.SearchReader`'s SQL function); the table's search box as
plain Datasette runs it (its own `escape_fts`) and as `nichiro serve` does (`SearchReader.read`),
its rows here in the index's rank order (Datasette shows them by date); and `nichiro search`.
The SQL runs in sqlite3, as Datasette runs it, on a fresh export of the bundled base. Needs the
web extra (Datasette's escape_fts). docs/sqlite.md has the figures.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from contextlib import closing
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datasette.utils import escape_fts
from relevance import Ranker, by_kind, default_sets, engine, evaluate, load_queries, table

from nichiro.export import FORGIVING_SEARCH_SQL, SEARCH_SQL, export_sqlite
from nichiro.factbase import bundled_facts_dir, load_factbase
from nichiro.store import load
from nichiro.web import SearchReader

# The search box's query (Datasette's, less its date order) and the metadata's `search` query.
BOX_SQL = (
    "select facts.id from facts_fts join facts on facts.rowid = facts_fts.rowid "
    "where facts_fts match escape_fts(:q) order by facts_fts.rank, facts.date_start"
)


def sql_ranker(conn: sqlite3.Connection, sql: str) -> Ranker:
    def rank(query: str) -> list[str]:
        return [row[0] for row in conn.execute(sql, {"q": query})]

    return rank


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-v", "--verbose", action="store_true", help="by kind, and the queries that missed")
    args = parser.parse_args(argv)
    store = load([bundled_facts_dir()], use_cache=False)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "nichiro.db"
        export_sqlite(load_factbase(), path)
        # The reader opens a store of its own, in its own thread (a SQLite connection stays in its thread).
        reader = SearchReader(path, lambda: load([bundled_facts_dir()], use_cache=False))
        uri = f"{path.as_uri()}?mode=ro"
        try:
            with closing(sqlite3.connect(uri, uri=True)) as plain, closing(sqlite3.connect(uri, uri=True)) as serve:
                plain.create_function("escape_fts", 1, escape_fts)
                serve.create_function("nichiro_search", 1, lambda q: reader.search(q).hits)
                serve.create_function("escape_fts", 1, lambda q: reader.read(q).fts)
                rankers = [
                    ("search query, plain Datasette", sql_ranker(plain, SEARCH_SQL)),
                    ("search query, nichiro serve", sql_ranker(serve, FORGIVING_SEARCH_SQL)),
                    ("search box, plain Datasette", sql_ranker(plain, BOX_SQL)),
                    ("search box, nichiro serve", sql_ranker(serve, BOX_SQL)),
                    ("nichiro search", engine(store)),
                ]
                for queries_path in default_sets():
                    queries = load_queries(queries_path)
                    reports = [evaluate(name, queries, ranker) for name, ranker in rankers]
                    print(f"{queries_path.name}: {len(queries)} queries")
                    print(table(reports))
                    if args.verbose:
                        for report in reports:
                            print(f"\n{report.name}, by kind:\n{by_kind(report)}")
                            for o in report.misses(3) if report is not reports[-1] else ():
                                print(f"  missed: {o.query.query!r} ({o.query.kind}): {o.ranked[:3]}")
                    print()
        finally:
            reader.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
