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
from typing import Any

import pytest

from nichiro import export
from nichiro.errors import NichiroError, UsageError
from nichiro.export import export_sqlite
from nichiro.factbase import load_factbase
from nichiro.model import CATEGORIES, CATEGORY_FIELDS, FactBase

from .conftest import GOOD

DECLARATION_1956 = "1956-10-19-soviet-japanese-joint-declaration"
VISITS_TO_THE_ISLANDS = "2016-visa-free-cumulative-japan-to-islands"  # to Kunashir, Shikotan, Iturup, ...


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
    expected = {"facts": len(base.facts)}
    expected |= {c: len(base.of_category(c)) for c in CATEGORIES}
    expected |= {
        "sources": len(base.sources),
        "people": len(base.people),
        "places": len(base.places),
        "terms": len(base.terms),
        "participants": sum(len(ids(f, "participants")) for f in base.facts),
        "fact_places": sum(len(ids(f, "place")) for f in base.facts),
        "tags": len(set(base.tags) | {t for f in base.facts for t in f.tags}),
        "fact_tags": sum(len(set(f.tags)) for f in base.facts),
        "quotes": sum(len(f.sources) for f in base.facts),
        "related_facts": sum(len(set(f.related)) + len(set(f.disagrees_with)) for f in base.facts),
        "term_facts": sum(len(set(t.facts)) for t in base.terms.values()),
        "facts_fts": len(base.facts),
    }
    assert counts == expected
    assert {t: count(db, t) for t in counts} == expected
    assert all(counts[t] > 0 for t in counts)


def ids(fact: Any, name: str) -> list[str]:
    value = fact.details.get(name)
    return [] if value is None else [value] if isinstance(value, str) else list(value)


def test_the_tables_give_back_every_facts_json_record(base: FactBase, db: sqlite3.Connection) -> None:
    """facts, the category's table and the link tables hold the whole record, nothing lost or added."""
    assert [r[0] for r in db.execute("SELECT id FROM facts ORDER BY rowid")] == [f.id for f in base.facts]

    def listed(sql: str, fact_id: str) -> list[Any]:
        return [r[0] for r in db.execute(sql, (fact_id,))]

    for fact in base.facts:
        expected = fact.to_record()
        row = dict(db.execute("SELECT * FROM facts WHERE id = ?", (fact.id,)).fetchone())
        own = dict(db.execute(f'SELECT * FROM "{fact.category}" WHERE id = ?', (fact.id,)).fetchone())
        got: dict[str, Any] = {k: row[k] for k in ("id", "category", "date", "date_precision", "title", "summary")}
        for f in CATEGORY_FIELDS[fact.category]:
            if f.name == "participants":
                got[f.name] = listed("SELECT person_id FROM participants WHERE fact_id = ? ORDER BY position", fact.id)
            elif f.name == "place":
                got[f.name] = listed("SELECT place_id FROM fact_places WHERE fact_id = ? ORDER BY position", fact.id)
            elif f.type in ("texts", "figures"):
                got[f.name] = None if own[f.name] is None else json.loads(own[f.name])
            else:
                got[f.name] = own[f.name]
        got["tags"] = listed("SELECT tag FROM fact_tags WHERE fact_id = ? ORDER BY rowid", fact.id)
        got["status"], got["note"], got["former_date"] = row["status"], row["note"], row["former_date"]
        got["as_written"] = list(fact.as_written)  # in `details`, for search: checked below
        for relation in ("related", "disagrees_with"):
            got[relation] = listed(
                f"SELECT related_id FROM related_facts WHERE fact_id = ? AND relation = '{relation}' ORDER BY rowid",
                fact.id,
            )
        got["sources"] = [
            {"source": s, "quote": q}
            for s, q in db.execute(
                "SELECT source_id, quote FROM quotes WHERE fact_id = ? ORDER BY position", (fact.id,)
            )
        ]
        # A single place is a list of one in the link table; no place, none.
        if "place" in expected and isinstance(expected["place"], str):
            expected["place"] = [expected["place"]]
        for name in ("participants", "place"):
            if name in expected and expected[name] is None:
                expected[name] = []
        assert got == expected, fact.id
        assert all(w in row["details"] for w in fact.as_written)
        assert row["quotes"] == "\n".join(s.quote for s in fact.sources)
        assert row["year"] == (fact.date.lo.year if fact.date else None)
        assert (own["date"], own["title"]) == (row["date"], row["title"])


def test_columns_are_typed(db: sqlite3.Connection) -> None:
    assert {r[0] for r in db.execute("SELECT typeof(value) FROM trade")} == {"real"}
    assert {r[0] for r in db.execute("SELECT typeof(count) FROM exchange")} == {"integer"}
    assert {r[0] for r in db.execute("SELECT typeof(date_start) FROM facts WHERE date IS NOT NULL")} == {"text"}
    assert {r[0] for r in db.execute("SELECT typeof(year) FROM facts WHERE date IS NOT NULL")} == {"integer"}
    # Lists that are not link tables are JSON that SQLite's own functions read.
    parties = db.execute(
        "SELECT j.value FROM treaty, json_each(treaty.parties) AS j WHERE treaty.id = ?", (DECLARATION_1956,)
    ).fetchall()
    assert [p[0] for p in parties] == ["Soviet Union", "Japan"]


def test_facts_is_a_table_that_the_others_point_at(db: sqlite3.Connection) -> None:
    kinds = dict(db.execute("SELECT name, type FROM sqlite_master WHERE name = 'facts'").fetchall())
    assert kinds == {"facts": "table"}
    assert [r["name"] for r in db.execute("PRAGMA table_info(facts)") if r["pk"]] == ["id"]
    pointing = {
        (table, r["from"], r["table"], r["to"])
        for (table,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'facts_fts%'")
        for r in db.execute(f'PRAGMA foreign_key_list("{table}")')
    }
    for category in CATEGORIES:
        assert (category, "id", "facts", "id") in pointing
    for link in (
        ("participants", "fact_id", "facts", "id"),
        ("participants", "person_id", "people", "id"),
        ("fact_places", "place_id", "places", "id"),
        ("fact_tags", "tag", "tags", "id"),
        ("quotes", "source_id", "sources", "id"),
        ("related_facts", "related_id", "facts", "id"),
        ("term_facts", "term_id", "terms", "id"),
    ):
        assert link in pointing
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def test_dates_compare_in_sql(base: FactBase, db: sqlite3.Connection) -> None:
    found = [r[0] for r in db.execute("SELECT id FROM meeting WHERE date_start >= '2016' ORDER BY date_start, id")]
    expected = sorted(
        (f for f in base.of_category("meeting") if f.date and f.date.lo >= _dt.date(2016, 1, 1)),
        key=lambda f: (f.date.lo if f.date else _dt.date.max, f.id),
    )
    assert found and found == [f.id for f in expected]
    month = db.execute("SELECT date, date_start, date_end FROM facts WHERE id = '2016-05-putin-abe-sochi'").fetchone()
    assert tuple(month) == ("2016-05", "2016-05-01", "2016-05-31")  # a month stays a month


def fts(db: sqlite3.Connection, query: str) -> list[str]:
    return [
        r[0]
        for r in db.execute(
            "SELECT facts.id FROM facts_fts JOIN facts ON facts.rowid = facts_fts.rowid "
            "WHERE facts_fts MATCH ? ORDER BY rank",
            (query,),
        )
    ]


def test_the_index_reads_facts_as_datasette_expects(
    db: sqlite3.Connection, exported: tuple[Path, dict[str, int]]
) -> None:
    (sql,) = db.execute("SELECT sql FROM sqlite_master WHERE name = 'facts_fts'").fetchone()
    assert "content=[facts]" in sql
    # Datasette's own detection (datasette.utils.detect_fts_sql), so that it offers search on facts.
    found = db.execute(
        "SELECT name FROM sqlite_master WHERE rootpage = 0 AND sql LIKE '%VIRTUAL TABLE%USING FTS%content=[facts]%'"
    ).fetchall()
    assert [r[0] for r in found] == ["facts_fts"]
    # The index agrees with the content it reads (FTS5's own check), so `rebuild` changes nothing.
    with closing(sqlite3.connect(exported[0])) as writable:  # the check is an INSERT: it writes nothing
        writable.execute("INSERT INTO facts_fts (facts_fts, rank) VALUES ('integrity-check', 1)")


@pytest.mark.parametrize("query", ["Shikotan", "色丹", "色丹島", "Шикотан", '"Остров Шикотан"', "Shikotan Island"])
def test_search_knows_every_alias_in_every_script(db: sqlite3.Connection, query: str) -> None:
    assert DECLARATION_1956 in fts(db, query)


def test_search_names_come_from_the_links_search_uses(base: FactBase, db: sqlite3.Connection) -> None:
    from nichiro.gazetteer import Gazetteer, fact_links, registry_entries

    gazetteer = Gazetteer(registry_entries(base.people.values(), base.places.values(), base.terms.values()))
    about: dict[str, list[str]] = {}
    for term in base.terms.values():
        for fact_id in term.facts:
            about.setdefault(fact_id, []).append(term.id)
    entries = {**base.terms, **base.places, **base.people}
    names = dict(db.execute("SELECT id, names FROM facts").fetchall())
    linked_somewhere = 0
    for fact in base.facts:
        for entity in fact_links(fact, gazetteer, about):
            entry = entries[entity]
            linked_somewhere += 1
            for name in (entry.name, *entry.aliases):
                assert name in names[fact.id], (fact.id, name)
    assert linked_somewhere > len(base.facts)
    # And nothing else: a fact that refers to no one has no names.
    unlinked = [f for f in base.facts if not fact_links(f, gazetteer, about)]
    assert all(names[f.id] == "" for f in unlinked)


def test_search_folds_diacritics_and_finds_nothing_where_nothing_is(db: sqlite3.Connection) -> None:
    assert fts(db, "shinzō") and fts(db, "shinzō") == fts(db, "shinzo")
    assert fts(db, "xylophone") == []
    # Best first: the two facts that refer to Shikotan, the declaration that gave it back (on paper, tagged
    # with it) and the visits to it (placed there), before the facts that only mention the island.
    assert set(fts(db, "Shikotan")[:2]) == {DECLARATION_1956, VISITS_TO_THE_ISLANDS}
    assert DECLARATION_1956 in fts(db, '"1956-10-19"')  # dates are searchable text too


def test_cjk_parts() -> None:
    assert export.cjk_parts("色丹島") == ["色丹", "丹島"]
    assert export.cjk_parts("Shikotan") == []
    assert export.cjk_parts("ウラジーミル・プーチン") == []  # katakana words are split by their dots


# --------------------------------------------------------------------------- Datasette's metadata


@pytest.fixture(scope="module")
def metadata(base: FactBase) -> dict[str, Any]:
    return export.datasette_metadata(base, "nichiro")


def test_metadata_names_only_what_the_database_has(metadata: dict[str, Any], db: sqlite3.Connection) -> None:
    tables = metadata["databases"]["nichiro"]["tables"]
    assert set(tables) >= {"facts", *CATEGORIES, "people", "places", "participants", "fact_tags", "quotes"}
    for table, meta in tables.items():
        columns = {r["name"] for r in db.execute(f'PRAGMA table_info("{table}")')}
        assert columns, f"metadata names a table the database lacks: {table}"
        for key in ("facets", "columns"):
            assert set(meta.get(key, ())) <= columns, (table, key)
        for key in ("sort", "sort_desc", "label_column"):
            assert meta.get(key) is None or meta[key] in columns, (table, key)
    assert set(tables["facts"]["columns"]) == {r["name"] for r in db.execute("PRAGMA table_info(facts)")}
    assert tables["facts"]["facets"] == ["category", "year", "status"]
    assert tables["participants"]["facets"] == ["person_id"]


def test_metadata_licences_and_sources(metadata: dict[str, Any], base: FactBase) -> None:
    assert "MIT" in metadata["license"] and "CC BY-SA" in metadata["license"]
    assert "CC BY-SA" in metadata["databases"]["nichiro"]["tables"]["quotes"]["license"]
    for source in base.sources.values():
        assert source.publisher in metadata["source"]
    assert metadata["title"] and metadata["description"]


SEARCH = export.SEARCH_SQL


def search(db: sqlite3.Connection, q: str) -> list[str]:
    return [r["id"] for r in db.execute(SEARCH, {"q": q})]


@pytest.mark.parametrize(
    "q",
    ['"', '""', "AND", "OR NOT", "NEAR(a b)", "*", "-Shikotan", "title:Abe", "^Abe", "(", "a + b", "'", "\\", "\t \n"],
)
def test_the_search_query_is_safe_against_fts_syntax(db: sqlite3.Connection, q: str) -> None:
    search(db, q)  # no error, whatever is typed


def test_the_search_query_ranks_and_shows_snippets(db: sqlite3.Connection, metadata: dict[str, Any]) -> None:
    assert metadata["databases"]["nichiro"]["queries"]["search"]["sql"] == SEARCH
    for q in ("Shikotan", "色丹", "Шикотан", "  shikotan  1956 "):
        assert DECLARATION_1956 in search(db, q), q
    assert search(db, "Shikotan 1956")[0] == DECLARATION_1956
    assert search(db, "") == search(db, "   ") == []
    assert search(db, "xylophone") == []
    assert search(db, '"Shikotan') == search(db, "Shikotan")  # an unbalanced quote is text
    row = db.execute(SEARCH, {"q": "Шикотан"}).fetchone()
    assert "[Шикотан]" in row["snippet"]
    # Prefixes: a Russian name in another case, an unfinished word.
    assert DECLARATION_1956 in search(db, "Шикот")


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
    assert counts["facts_fts"] == counts["facts"] == len(base.facts)
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


# --------------------------------------------------------------------------- docs/sqlite.md


def test_the_queries_in_docs_sqlite_md_show_what_they_print() -> None:
    import importlib.util

    from .conftest import REPO

    spec = importlib.util.spec_from_file_location("gen_sqlite_docs", REPO / "scripts" / "gen_sqlite_docs.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    committed = (REPO / "docs" / "sqlite.md").read_text(encoding="utf-8")
    assert committed.count('$ sqlite3 nichiro.db "') >= 10
    assert gen.generate() == committed, "docs/sqlite.md is stale: run `python scripts/gen_sqlite_docs.py`"


# --------------------------------------------------------------------------- the command


def test_export_writes_the_metadata_keyed_by_the_database_name(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = run("export", "sqlite", str(tmp_path / "my-base.db"), "--metadata", str(tmp_path / "meta.json"))
    assert r.code == 0 and r.out == ""
    assert "wrote" in r.err and "datasette" in r.err
    meta = json.loads((tmp_path / "meta.json").read_text(encoding="utf-8"))
    assert list(meta["databases"]) == ["my-base"]  # Datasette names a database after its file
    assert "search" in meta["databases"]["my-base"]["queries"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["meta.json", "my-base.db"]


def test_export_refuses_an_existing_metadata_file_and_writes_nothing(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "meta.json").write_text("mine", encoding="utf-8")
    r = run("export", "sqlite", str(tmp_path / "x.db"), "--metadata", str(tmp_path / "meta.json"))
    assert r.code == 2 and "meta.json exists" in r.err and "--force" in r.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["meta.json"]  # no database either
    assert (tmp_path / "meta.json").read_text(encoding="utf-8") == "mine"
    r = run("export", "sqlite", str(tmp_path / "x.db"), "--metadata", str(tmp_path / "x.db"))
    assert r.code == 2 and "another file" in r.err
    r = run("export", "sqlite", str(tmp_path / "x.db"), "--metadata", str(tmp_path / "meta.json"), "--force")
    assert r.code == 0 and json.loads((tmp_path / "meta.json").read_text(encoding="utf-8"))["databases"]["x"]
