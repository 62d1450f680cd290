"""The SQLite export: every fact, registry entry and quote in typed tables, a full-text index, safe writes."""

from __future__ import annotations

import datetime as _dt
import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest

from nichiro import export
from nichiro.errors import NichiroError, UsageError
from nichiro.export import export_sqlite
from nichiro.factbase import load_factbase
from nichiro.model import CATEGORIES, FactBase, named_record

from .conftest import GOOD

DECLARATION_1956 = "1956-10-19-soviet-japanese-joint-declaration"


@pytest.fixture(scope="module")
def base() -> FactBase:
    return load_factbase()


@pytest.fixture(scope="module")
def exported(base: FactBase, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    path = tmp_path_factory.mktemp("export") / "nichiro.db"
    return path, export_sqlite(base, path)


@pytest.fixture
def db(exported: tuple[Path, dict[str, int]]) -> Iterator[sqlite3.Connection]:
    with closing(sqlite3.connect(f"file:{exported[0]}?mode=ro", uri=True)) as conn:
        conn.row_factory = sqlite3.Row
        yield conn


def count(db: sqlite3.Connection, table: str) -> int:
    return int(db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0])


def test_row_counts_equal_the_base(
    base: FactBase, exported: tuple[Path, dict[str, int]], db: sqlite3.Connection
) -> None:
    _, counts = exported
    expected = {c: len(base.of_category(c)) for c in CATEGORIES}
    expected |= {
        "sources": len(base.sources),
        "people": len(base.people),
        "places": len(base.places),
        "terms": len(base.terms),
        "quotes": sum(len(f.sources) for f in base.facts),
        "participants": sum(len(f.details.get("participants") or ()) for f in base.facts),
        "facts_fts": len(base.facts),
    }
    assert counts == expected
    assert {t: count(db, t) for t in counts} == expected
    assert count(db, "facts") == len(base.facts)
    assert all(counts[c] > 0 for c in CATEGORIES)


def test_every_row_reads_like_the_facts_json_record(base: FactBase, db: sqlite3.Connection) -> None:
    json_columns = {"participants", "parties", "figures", "tags", "sources", "as_written", "related"}
    json_columns |= {"disagrees_with", "participant_names"}
    for category in CATEGORIES:
        rows = {row["id"]: dict(row) for row in db.execute(f'SELECT * FROM "{category}"')}
        facts = base.of_category(category)
        assert list(rows) == [f.id for f in facts]  # in date order, as the base keeps them
        for fact in facts:
            row = rows[fact.id]
            start, end = row.pop("date_start"), row.pop("date_end")
            if fact.date is None:
                assert start is None and end is None
            else:
                assert (start, end) == (fact.date.lo.isoformat(), fact.date.hi.isoformat())
            decoded = {k: json.loads(v) if k in json_columns and v is not None else v for k, v in row.items()}
            expected = named_record(fact, base.people, base.places)
            del expected["category"]  # the table says it
            assert decoded == expected


def test_columns_are_typed(db: sqlite3.Connection) -> None:
    assert {r[0] for r in db.execute("SELECT typeof(value) FROM trade")} == {"real"}
    assert {r[0] for r in db.execute("SELECT typeof(count) FROM exchange")} == {"integer"}
    assert {r[0] for r in db.execute("SELECT typeof(date_start) FROM meeting")} == {"text"}
    # Lists are JSON that SQLite's own functions read.
    names = db.execute(
        "SELECT j.value FROM meeting, json_each(meeting.participant_names) AS j WHERE meeting.id = ?",
        ("2016-09-02-putin-abe-vladivostok",),
    ).fetchall()
    assert [n[0] for n in names] == ["Vladimir Putin", "Shinzo Abe"]


def test_dates_compare_in_sql(base: FactBase, db: sqlite3.Connection) -> None:
    found = [r[0] for r in db.execute("SELECT id FROM meeting WHERE date_start >= '2016' ORDER BY date_start, id")]
    expected = sorted(
        (f for f in base.of_category("meeting") if f.date and f.date.lo >= _dt.date(2016, 1, 1)),
        key=lambda f: (f.date.lo if f.date else _dt.date.max, f.id),
    )
    assert found and found == [f.id for f in expected]
    month = db.execute("SELECT date, date_start, date_end FROM meeting WHERE id = '2016-05-putin-abe-sochi'").fetchone()
    assert tuple(month) == ("2016-05", "2016-05-01", "2016-05-31")  # a month stays a month


def test_full_text_search_finds_the_1956_declaration(db: sqlite3.Connection) -> None:
    ids = [r[0] for r in db.execute("SELECT id FROM facts_fts WHERE facts_fts MATCH 'Shikotan' ORDER BY rank")]
    assert DECLARATION_1956 in ids
    assert db.execute("SELECT category FROM facts_fts WHERE id = ?", (DECLARATION_1956,)).fetchone()[0] == "treaty"
    # Diacritics folded: "Shinzo" finds "Shinzō" and the other way round.
    assert db.execute("SELECT count(*) FROM facts_fts WHERE facts_fts MATCH 'shinzō'").fetchone()[0] > 0
    # A word that is nowhere finds nothing: the index is not matching everything.
    assert db.execute("SELECT count(*) FROM facts_fts WHERE facts_fts MATCH 'xylophone'").fetchone()[0] == 0


def test_every_quote_is_kept(base: FactBase, db: sqlite3.Connection) -> None:
    rows = db.execute("SELECT fact_id, position, source_id, quote FROM quotes ORDER BY fact_id, position").fetchall()
    expected = sorted((f.id, i, s.source, s.quote) for f in base.facts for i, s in enumerate(f.sources, 1))
    assert [tuple(r) for r in rows] == expected
    assert any(len(f.sources) > 1 for f in base.facts)  # the base has facts with several quotes


def test_participants_join_meetings_and_people(db: sqlite3.Connection) -> None:
    rows = db.execute(
        "SELECT people.name FROM meeting JOIN participants ON participants.fact_id = meeting.id "
        "JOIN people ON people.id = participants.person_id "
        "WHERE meeting.id = '2016-09-02-putin-abe-vladivostok' ORDER BY participants.position"
    ).fetchall()
    assert [r[0] for r in rows] == ["Vladimir Putin", "Shinzo Abe"]
    orphans = db.execute("SELECT count(*) FROM participants WHERE person_id NOT IN (SELECT id FROM people)")
    assert orphans.fetchone()[0] == 0


def test_database_version_and_integrity(db: sqlite3.Connection) -> None:
    assert db.execute("PRAGMA user_version").fetchone()[0] == export.DATABASE_VERSION
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


# --------------------------------------------------------------------------- writing safely


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    base = load_factbase([GOOD])
    target = tmp_path / "facts.db"
    target.write_text("precious", encoding="utf-8")
    with pytest.raises(UsageError) as caught:
        export_sqlite(base, target)
    message = str(caught.value)
    assert str(target) in message and "--force" in message and "\n" not in message
    assert target.read_text(encoding="utf-8") == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.db"]


def test_force_overwrites(tmp_path: Path) -> None:
    base = load_factbase([GOOD])
    target = tmp_path / "facts.db"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    counts = export_sqlite(base, target, force=True)
    assert counts["facts_fts"] == len(base.facts)
    with closing(sqlite3.connect(target)) as conn:
        assert conn.execute("SELECT count(*) FROM facts").fetchone()[0] == len(base.facts)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # an overwritten file keeps its permissions
    assert sorted(p.name for p in tmp_path.iterdir()) == ["facts.db"]


def test_writes_only_the_file_with_the_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "new.db"
    export_sqlite(load_factbase([GOOD]), target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.db"]  # no journal, no temporary file left
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_a_failure_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> None:
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(export, "_write", broken)
    target = tmp_path / "facts.db"
    with pytest.raises(NichiroError, match=r"cannot write .*facts\.db: disk I/O error"):
        export_sqlite(load_factbase([GOOD]), target)
    assert list(tmp_path.iterdir()) == []
    # With --force, a failed export leaves the old file as it was.
    target.write_text("old", encoding="utf-8")
    with pytest.raises(NichiroError):
        export_sqlite(load_factbase([GOOD]), target, force=True)
    assert [p.name for p in tmp_path.iterdir()] == ["facts.db"]
    assert target.read_text(encoding="utf-8") == "old"


def test_a_bug_midway_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def buggy(*_: object) -> None:
        raise KeyError("participant_names")

    monkeypatch.setattr(export, "_write", buggy)
    with pytest.raises(KeyError):
        export_sqlite(load_factbase([GOOD]), tmp_path / "facts.db")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("name", "message"),
    [("missing/facts.db", "is not a directory"), (".", "is a directory")],
)
def test_bad_targets_are_usage_errors(tmp_path: Path, name: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        export_sqlite(load_factbase([GOOD]), tmp_path / name, force=True)
    assert list(tmp_path.iterdir()) == []


def test_no_fts5_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    class NoFts5:
        def execute(self, sql: str) -> None:
            raise sqlite3.OperationalError("no such module: fts5")

        def close(self) -> None:
            pass

    monkeypatch.setattr(export.sqlite3, "connect", lambda *_, **__: NoFts5())
    with pytest.raises(NichiroError, match="FTS5") as caught:
        export_sqlite(load_factbase([GOOD]), tmp_path / "facts.db")
    assert type(caught.value) is NichiroError and "no such module: fts5" in str(caught.value)
    assert list(tmp_path.iterdir()) == []
