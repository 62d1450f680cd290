"""The store in the cache: read rather than parsed, updated file by file, rebuilt when damaged, never trusted."""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
import zlib
from pathlib import Path

import pytest

from nichiro import factbase, store
from nichiro.errors import FactBaseError
from nichiro.filters import Filter

from .conftest import GOOD

EXTRA = """
[[event]]
id = "2020-x"
date = "2020"
title = "An extra event"
summary = "X."
kind = "other"
sources = [{ source = "src-a", quote = "q" }]
"""


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(home))
    return home


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The fact files read (parsed) from now on."""
    seen: list[str] = []
    read_file = factbase.read_file

    def spy(path: str | Path, label: str) -> factbase.FileUnit:
        seen.append(os.path.basename(path))
        return read_file(path, label)

    monkeypatch.setattr(factbase, "read_file", spy)
    return seen


def ids(s: store.Store) -> list[str]:
    return s.fact_ids()


def test_cache_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NICHIRO_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert store.cache_dir() == str(tmp_path / "nichiro")


def test_a_second_run_reads_no_fact_file(cache_home: Path, facts_dir: Path, reads: list[str]) -> None:
    first = ids(store.load([facts_dir]))
    assert reads == ["base.toml"] and len(list(cache_home.glob("store-*.sqlite"))) == 1
    assert ids(store.load([facts_dir])) == first and reads == ["base.toml"]
    assert sorted(p.name for p in facts_dir.iterdir()) == ["base.toml"]  # never beside anyone's facts


def test_an_edit_reads_that_file_alone(cache_home: Path, facts_dir: Path, reads: list[str]) -> None:
    (facts_dir / "more.toml").write_text(EXTRA, encoding="utf-8")
    store.load([facts_dir])
    reads.clear()
    (facts_dir / "more.toml").write_text(EXTRA.replace("An extra event", "An edited event"), encoding="utf-8")
    s = store.load([facts_dir])
    assert reads == ["more.toml"]
    assert (s.fact("2020-x") or {})["title"] == "An edited event"
    assert [h.id for h in _search(s, "edited")] == ["2020-x"] and _search(s, "extra") == []
    assert len(ids(s)) == 9


def test_a_new_file_and_a_removed_one_are_seen(cache_home: Path, facts_dir: Path) -> None:
    assert len(ids(store.load([facts_dir]))) == 8
    (facts_dir / "more.toml").write_text(EXTRA, encoding="utf-8")
    assert "2020-x" in ids(store.load([facts_dir]))
    (facts_dir / "more.toml").unlink()
    s = store.load([facts_dir])
    assert "2020-x" not in ids(s) and _search(s, "extra") == []


def test_a_registry_edit_renames_in_every_file(cache_home: Path, facts_dir: Path) -> None:
    (facts_dir / "more.toml").write_text(EXTRA + 'participants = ["vladimir-putin"]\n', encoding="utf-8")
    store.load([facts_dir])
    path = facts_dir / "base.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('"Vladimir Putin"', '"V. V. Putin"'), encoding="utf-8")
    s = store.load([facts_dir])
    assert (s.fact("2020-x") or {})["participant_names"] == ["V. V. Putin"]  # more.toml was not edited
    assert [h.id for h in _search(s, "V. V. Putin") if h.id == "2020-x"]


def test_an_edit_that_breaks_the_base_fails_and_leaves_the_store(cache_home: Path, facts_dir: Path) -> None:
    store.load([facts_dir])
    (facts_dir / "more.toml").write_text(EXTRA.replace("src-a", "src-nowhere"), encoding="utf-8")
    with pytest.raises(FactBaseError, match="unknown source 'src-nowhere'"):
        store.load([facts_dir])
    (facts_dir / "more.toml").unlink()
    assert len(ids(store.load([facts_dir]))) == 8


def _search(s: store.Store, query: str) -> list:  # type: ignore[type-arg]
    from nichiro.model import CATEGORIES
    from nichiro.search import search

    return search(s, query, CATEGORIES)


def _store_file(cache_home: Path) -> Path:
    (path,) = cache_home.glob("store-*.sqlite")
    return path


def _flip_in(data: bytes, needle: bytes) -> bytes:
    """Damage one byte inside the first occurrence of needle (a record's text), leaving SQLite's structure."""
    i = data.index(needle) + len(needle) // 2
    return data[:i] + bytes([data[i] ^ 0x20]) + data[i + 1 :]


DAMAGE = {
    "truncated": lambda b: b[: len(b) // 2],
    "empty": lambda b: b"",
    "not a database": lambda b: b"not a store at all" * 100,
    "a record's text": lambda b: _flip_in(b, b"Putin and Abe meet in Vladivostok"),
    "a page's header": lambda b: b[:8192] + b"\xff" * 100 + b[8292:],
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_store_is_rebuilt(run, cache_home: Path, monkeypatch: pytest.MonkeyPatch, damage: str) -> None:
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(cache_home))
    args = ("--facts-only", "--facts", str(GOOD), "search", "Vladivostok", "--json")
    good = run(*args)
    path = _store_file(cache_home)
    path.write_bytes(DAMAGE[damage](path.read_bytes()))
    again = run(*args)
    assert (again.code, again.out, again.err) == (0, good.out, "")
    assert store._connect(str(path)) is not None  # and written afresh


def test_another_programs_database_is_not_read(cache_home: Path) -> None:
    store.load([GOOD])
    path = _store_file(cache_home)
    path.unlink()
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE meta (key TEXT, value TEXT)")
    s = store.load([GOOD])
    assert len(ids(s)) == 8 and s.path is None and "another program's database" in (s.warning or "")
    with sqlite3.connect(path) as other:  # not read, and not replaced either: it is not nichiro's to delete
        assert other.execute("SELECT count(*) FROM meta").fetchone() == (0,)
    other.close()
    with pytest.raises(store.NotOurs):
        store._connect(str(path))


def test_a_store_of_another_version_is_rebuilt(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store.load([GOOD])
    monkeypatch.setattr(store, "FORMAT", store.FORMAT + 1)
    with pytest.raises(store.CacheDamaged, match="another version"):
        store._connect(str(_store_file(cache_home)))
    assert len(ids(store.load([GOOD]))) == 8


def test_a_foreign_pickle_runs_no_code(cache_home: Path, facts_dir: Path, tmp_path: Path) -> None:
    (facts_dir / "more.toml").write_text(EXTRA, encoding="utf-8")
    store.load([facts_dir])
    marker = tmp_path / "pwned"
    evil = zlib.compress(pickle.dumps(_Evil(str(marker))))  # as units are stored: only the allow-list stops it
    # A unit whose checksum is right: only its content is foreign.
    with sqlite3.connect(_store_file(cache_home)) as conn:
        conn.execute("UPDATE files SET unit = ?, crc = ? WHERE path LIKE '%base.toml'", (evil, zlib.crc32(evil)))
    (facts_dir / "more.toml").write_text(EXTRA.replace("An extra", "Another"), encoding="utf-8")
    assert len(ids(store.load([facts_dir]))) == 9  # base.toml's unit is needed, refused, and the store rebuilt
    assert not marker.exists()


class _Evil:
    def __init__(self, target: str) -> None:
        self.target = target

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os.system, (f"touch {self.target}",))


def test_an_unwritable_cache_costs_nothing_but_speed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(blocker / "sub"))
    s = store.load([GOOD])
    assert len(ids(s)) == 8 and s.path is None


def test_no_cache_option_writes_none(run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(tmp_path / "c"))
    r = run("--no-cache", "--facts-only", "--facts", str(GOOD), "timeline", "--json")
    assert len(json.loads(r.out)) == 7
    assert not (tmp_path / "c").exists()
    run("--facts-only", "--facts", str(GOOD), "timeline", "--json")
    assert (tmp_path / "c").exists()


def test_the_store_answers_as_the_files_do(cache_home: Path) -> None:
    """Records, dates and order from the store equal those built from the files directly."""
    from nichiro.model import named_record

    base = factbase.load_factbase([GOOD])
    s = store.load([GOOD])
    assert s.fact_ids() == [f.id for f in base.facts]
    for fact in base.facts:
        assert s.fact(fact.id) == named_record(fact, base.people, base.places)
    assert [r["id"] for r in s.select(Filter(["meeting"], [("2016-01-01", "2016-12-31")]))] == [
        f.id for f in base.facts if f.category == "meeting" and f.date and f.date.overlaps(*_year(2016))
    ]


def _year(year: int):  # type: ignore[no-untyped-def]
    import datetime as dt

    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def test_a_long_range_is_found_from_any_year_it_covers(cache_home: Path, facts_dir: Path) -> None:
    (facts_dir / "more.toml").write_text(
        EXTRA.replace('id = "2020-x"\ndate = "2020"', 'id = "1990-long"\ndate = "1990/2020"'), encoding="utf-8"
    )
    s = store.load([facts_dir])
    assert [r["id"] for r in s.select(Filter(["event"], [("2005-01-01", "2005-12-31")]))] == ["1990-long"]
    (n,) = s.overlapping("2005-06-01", "2005-06-30")
    assert s.records([n])[n]["id"] == "1990-long"


def test_the_same_directory_spelt_another_way_reads_nothing_again(
    cache_home: Path, facts_dir: Path, reads: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    store.load([facts_dir])
    monkeypatch.chdir(facts_dir.parent)
    assert len(ids(store.load([Path("facts")]))) == 8 and len(ids(store.load(["./facts/"]))) == 8
    assert reads == ["base.toml"]


def test_two_updates_of_the_same_edit_apply_it_once(cache_home: Path, facts_dir: Path, reads: list[str]) -> None:
    """A second process that saw the same edit finds the store already up to date once it may write."""
    store.load([facts_dir])
    (facts_dir / "more.toml").write_text(EXTRA, encoding="utf-8")
    from nichiro.paths import listing

    files = store._stat(listing([facts_dir]))
    conn = store._connect(store.store_path([facts_dir]))
    assert conn is not None and store._changes(conn, files) is not None  # this one saw the edit...
    assert "2020-x" in ids(store.load([facts_dir]))  # ...another applied it first...
    assert store._update(conn, files) and store._changes(conn, files) is None  # ...so this one has nothing to do
    assert reads.count("more.toml") == 1


def test_another_version_keeps_a_store_of_its_own(cache_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two installs sharing a cache (say two Pythons) do not rebuild each other's store every run."""
    store.load([GOOD])
    monkeypatch.setattr(store, "FORMAT", store.FORMAT + 1)
    store.load([GOOD])
    assert len(list(cache_home.glob("store-*.sqlite"))) == 2


def test_a_killed_build_leaves_nothing_for_long(cache_home: Path, facts_dir: Path) -> None:
    store.load([GOOD])
    half = _store_file(cache_home).read_bytes()[:8192]  # a build killed midway: nichiro's header, half a store
    stale, fresh = cache_home / "store-0123abcd.sqlite.k1ll3d_1.tmp", cache_home / "store-0123abcd.sqlite.4live_2.tmp"
    empty = cache_home / "store-0123abcd.sqlite.k1ll3d_2.tmp"  # killed before its first page
    for path in (stale, fresh):
        path.write_bytes(half)
    empty.touch()
    users = cache_home / "store-0.sqlite.123.tmp"  # a name nichiro does not give, and not its header
    users.write_bytes(b"half a store")
    for path in (stale, empty, users):
        os.utime(path, (0, 0))
    store.load([facts_dir])  # a build prunes
    assert not stale.exists() and not empty.exists()
    assert fresh.exists()  # a build under way in another process is left alone
    assert users.read_bytes() == b"half a store"  # and what is not nichiro's, whatever its age
