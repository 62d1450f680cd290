"""Exports the whole fact base as one SQLite database, for `sqlite3`, `datasette` or any SQL tool.

One table per category with its own typed columns, the registries, every quote, the participants
of each fact, and an FTS5 full-text index. Lists are JSON text (SQLite's json_each reads them);
dates are ISO text with `date_start`/`date_end` (the first and last day they may cover) so that SQL
can compare them. The database is written to a temporary file beside the target and renamed into
place, so a failure never leaves a half-written database behind.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import NichiroError, UsageError
from .model import (
    CATEGORIES,
    CATEGORY_FIELDS,
    COMMON_FIELDS,
    REGISTRY_FIELDS,
    DateSpan,
    FactBase,
    Field,
    Person,
    Place,
    Source,
    Term,
    named_record,
)

# Bumped whenever a table or column changes meaning; stored as the database's `PRAGMA user_version`.
DATABASE_VERSION = 1

# Registry kind -> table name (the category tables are named after their category).
REGISTRY_TABLES = {"source": "sources", "person": "people", "place": "places", "term": "terms"}
FTS_TABLE = "facts_fts"
# Diacritics folded so that "Shinzo" finds "Shinzō"; needs SQLite 3.27 or later.
FTS_TOKENIZER = "unicode61 remove_diacritics 2"

_JSON_TYPES = frozenset({"texts", "ids", "people", "sources", "figures"})
_SQL_TYPES = {"int": "INTEGER", "number": "REAL"}
_REFERENCES = {"place": "places(id)"}
_FIRST_COMMON = ("id", "date", "title", "summary")  # laid out by hand, before the category's fields


@dataclass(frozen=True, slots=True)
class _Column:
    name: str
    sql_type: str = "TEXT"
    is_json: bool = False
    references: str | None = None

    def ddl(self) -> str:
        out = f'"{self.name}" {self.sql_type}'
        if self.name == "id":
            out += " PRIMARY KEY"
        if self.references:
            out += f" REFERENCES {self.references}"
        return out


def _column(f: Field) -> _Column:
    return _Column(f.name, _SQL_TYPES.get(f.type, "TEXT"), f.type in _JSON_TYPES, _REFERENCES.get(f.type))


def _date_columns() -> list[_Column]:
    return [_Column("date"), _Column("date_precision"), _Column("date_start"), _Column("date_end")]


def _fact_columns(category: str) -> list[_Column]:
    fields = CATEGORY_FIELDS[category]
    names = {f.name for f in fields}
    columns = [_Column("id"), *_date_columns(), _Column("title"), _Column("summary")]
    columns += [_column(f) for f in fields]
    columns += [_column(f) for f in COMMON_FIELDS if f.name not in _FIRST_COMMON]
    # The names views.record adds, so that a row reads like the fact's JSON record.
    if "participants" in names:
        columns.append(_Column("participant_names", is_json=True))
    if "place" in names:
        columns.append(_Column("place_name"))
    return columns


def _registry_columns(kind: str) -> list[_Column]:
    columns: list[_Column] = []
    for f in REGISTRY_FIELDS[kind]:
        columns += _date_columns() if f.type == "date" else [_column(f)]
    return columns


def _dates(span: DateSpan | None) -> dict[str, str | None]:
    if span is None:
        return {"date": None, "date_precision": None, "date_start": None, "date_end": None}
    return {
        "date": str(span),
        "date_precision": span.precision,
        "date_start": span.lo.isoformat(),
        "date_end": span.hi.isoformat(),
    }


def _cell(column: _Column, value: Any) -> Any:
    if column.is_json and value is not None:
        return json.dumps(value, ensure_ascii=False)
    return value


def _insert(conn: sqlite3.Connection, table: str, columns: Sequence[_Column], rows: Iterable[dict[str, Any]]) -> None:
    names = ", ".join(f'"{c.name}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    conn.executemany(
        f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
        ([_cell(c, row[c.name]) for c in columns] for row in rows),
    )


def _create(conn: sqlite3.Connection, table: str, columns: Sequence[_Column]) -> None:
    conn.execute(f'CREATE TABLE "{table}" ({", ".join(c.ddl() for c in columns)})')


# --------------------------------------------------------------------------- the database


def _write(conn: sqlite3.Connection, base: FactBase) -> list[str]:
    """Create and fill every table; return the table names in order."""
    tables: list[str] = []
    for category in CATEGORIES:
        columns = _fact_columns(category)
        _create(conn, category, columns)
        conn.execute(f'CREATE INDEX "{category}_date_start" ON "{category}" (date_start)')
        facts = base.of_category(category)
        _insert(conn, category, columns, (named_record(f, base.people, base.places) | _dates(f.date) for f in facts))
        tables.append(category)

    registries: dict[str, Mapping[str, Source | Person | Place | Term]] = {
        "source": base.sources,
        "person": base.people,
        "place": base.places,
        "term": base.terms,
    }
    for kind, entries in registries.items():
        table = REGISTRY_TABLES[kind]
        columns = _registry_columns(kind)
        _create(conn, table, columns)
        rows = []
        for entry in entries.values():
            row = entry.to_record()
            if "date" in row:
                row |= _dates(DateSpan.parse(row["date"]))
            rows.append(row)
        _insert(conn, table, columns, rows)
        tables.append(table)

    conn.execute(
        "CREATE TABLE quotes (fact_id TEXT NOT NULL, position INTEGER NOT NULL,"
        " source_id TEXT NOT NULL REFERENCES sources(id), quote TEXT NOT NULL, PRIMARY KEY (fact_id, position))"
    )
    conn.execute("CREATE INDEX quotes_source_id ON quotes (source_id)")
    conn.executemany(
        "INSERT INTO quotes VALUES (?, ?, ?, ?)",
        ((f.id, i, s.source, s.quote) for f in base.facts for i, s in enumerate(f.sources, 1)),
    )
    conn.execute(
        "CREATE TABLE participants (fact_id TEXT NOT NULL, position INTEGER NOT NULL,"
        " person_id TEXT NOT NULL REFERENCES people(id), PRIMARY KEY (fact_id, position))"
    )
    conn.execute("CREATE INDEX participants_person_id ON participants (person_id)")
    conn.executemany(
        "INSERT INTO participants VALUES (?, ?, ?)",
        ((f.id, i, p) for f in base.facts for i, p in enumerate(f.details.get("participants") or (), 1)),
    )
    tables += ["quotes", "participants"]

    # Every fact in one list, for queries across categories (a timeline, a join with the index).
    common = "date, date_precision, date_start, date_end, title, summary, status, note"
    union = " UNION ALL ".join(f"SELECT id, '{c}' AS category, {common} FROM \"{c}\"" for c in CATEGORIES)
    conn.execute(f"CREATE VIEW facts AS {union}")

    conn.execute(
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
        f"id, category UNINDEXED, title, summary, note, as_written, quotes, tokenize = '{FTS_TOKENIZER}')"
    )
    conn.executemany(
        f"INSERT INTO {FTS_TABLE} VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            (
                f.id,
                f.category,
                f.title,
                f.summary,
                f.note or "",
                "\n".join(f.as_written),
                "\n".join(s.quote for s in f.sources),
            )
            for f in base.facts
        ),
    )
    tables.append(FTS_TABLE)
    return tables


def _require_fts5() -> None:
    """Raise a clear error when this Python's SQLite cannot build the full-text index."""
    with closing(sqlite3.connect(":memory:")) as conn:
        try:
            conn.execute(f"CREATE VIRTUAL TABLE probe USING fts5(text, tokenize = '{FTS_TOKENIZER}')")
        except sqlite3.Error as exc:
            raise NichiroError(
                f"this Python's SQLite ({sqlite3.sqlite_version}) cannot build an FTS5 full-text index ({exc}); "
                "the export needs SQLite 3.27 or later built with FTS5"
            ) from None


def _check_target(path: Path, force: bool) -> None:
    if path.is_dir():
        raise UsageError(f"{path} is a directory: give the database's file name")
    if (path.exists() or path.is_symlink()) and not force:
        raise UsageError(f"{path} exists; give --force to overwrite it")
    if not path.parent.is_dir():
        raise UsageError(f"cannot write {path}: {path.parent} is not a directory")


def _file_mode(path: Path) -> int:
    """An overwritten file keeps its permissions; a new one gets the umask's (mkstemp makes 0600)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def export_sqlite(base: FactBase, path: Path, force: bool = False) -> dict[str, int]:
    """Write the whole base to an SQLite database at path; return the rows in each table.

    Refuses to overwrite an existing file unless force. Writes only path (through a temporary
    file beside it, renamed into place when complete).
    """
    path = Path(path)
    _check_target(path, force)
    _require_fts5()
    try:
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise NichiroError(f"cannot write {path}: {exc.strerror or exc}") from None
    os.close(fd)
    tmp = Path(name)
    try:
        # isolation_level=None: the transaction is ours; an in-memory journal leaves no file beside it.
        with closing(sqlite3.connect(tmp, isolation_level=None)) as conn:
            conn.execute("PRAGMA journal_mode = MEMORY")
            conn.execute(f"PRAGMA user_version = {DATABASE_VERSION}")
            conn.execute("BEGIN")
            tables = _write(conn, base)
            conn.execute("COMMIT")
            counts = {t: int(conn.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in tables}
        os.chmod(tmp, _file_mode(path))
        os.replace(tmp, path)
    except (OSError, sqlite3.Error) as exc:
        tmp.unlink(missing_ok=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise NichiroError(f"cannot write {path}: {reason}") from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return counts
