"""The cache of the parsed base: fresh when files change, rebuilt when damaged, never beside the facts."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from nichiro import cache, factbase

from .conftest import GOOD


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "cache"
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(home))
    return home


def test_cache_dir_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("NICHIRO_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache.cache_dir() == tmp_path / "nichiro"


def test_second_load_parses_nothing(cache_home: Path, facts_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = factbase.load_factbase([facts_dir], use_cache=True)
    assert len(list(cache_home.glob("base-*.cache"))) == 1

    def no_parsing(*args: object) -> None:
        raise AssertionError("the cache should have been used")

    monkeypatch.setattr(factbase, "collect", no_parsing)
    again = factbase.load_factbase([facts_dir], use_cache=True)
    assert [f.id for f in again.facts] == [f.id for f in first.facts]
    assert not list(facts_dir.glob("*.cache"))  # never beside anyone's facts


def test_an_edit_is_seen(cache_home: Path, facts_dir: Path) -> None:
    factbase.load_factbase([facts_dir], use_cache=True)
    path = facts_dir / "base.toml"
    path.write_text(path.read_text(encoding="utf-8").replace("Source A", "Source A, edited"), encoding="utf-8")
    base = factbase.load_factbase([facts_dir], use_cache=True)
    assert base.sources["src-a"].title == "Source A, edited"


def test_a_new_file_is_seen(cache_home: Path, facts_dir: Path) -> None:
    factbase.load_factbase([facts_dir], use_cache=True)
    (facts_dir / "more.toml").write_text(
        '[[event]]\nid = "2020-x"\ndate = "2020"\ntitle = "X"\nsummary = "X."\nkind = "other"\n'
        'sources = [{ source = "src-a", quote = "q" }]\n',
        encoding="utf-8",
    )
    assert "2020-x" in factbase.load_factbase([facts_dir], use_cache=True).by_id


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],  # truncated
        lambda b: b[:-10] + b"0123456789",  # corrupt
        lambda b: b"",  # empty
        lambda b: b"not a cache at all",  # foreign
        lambda b: b.replace(b" ", b"  ", 1),  # a damaged header
        lambda b: cache.MAGIC + b"1 4 0\nkjunk",  # our magic, a header that does not fit
    ],
)
def test_a_damaged_cache_is_rebuilt(cache_home: Path, facts_dir: Path, damage) -> None:
    factbase.load_factbase([facts_dir], use_cache=True)
    (path,) = cache_home.glob("base-*.cache")
    path.write_bytes(damage(path.read_bytes()))
    base = factbase.load_factbase([facts_dir], use_cache=True)
    assert len(base.facts) == 8
    assert cache.read(path, _key(facts_dir)) is not None  # and written afresh


def _key(facts_dir: Path) -> bytes:
    return cache.fingerprint(factbase.fact_files(facts_dir))


def _forge(path: Path, key: bytes, payload: bytes) -> None:
    """A cache file whose header, key and checksum are all right: only its payload is foreign."""
    import zlib

    header = f"{len(key)} {len(payload)} {zlib.crc32(payload, zlib.crc32(key))}\n".encode()
    path.write_bytes(cache.MAGIC + header + key + payload)


def test_a_cache_for_other_files_is_not_read(cache_home: Path, facts_dir: Path) -> None:
    factbase.load_factbase([facts_dir], use_cache=True)
    (path,) = cache_home.glob("base-*.cache")
    assert cache.read(path, _key(facts_dir)) is not None
    assert cache.read(path, _key(facts_dir) + b"x") is None


def test_a_foreign_pickle_runs_no_code(cache_home: Path, facts_dir: Path, tmp_path: Path) -> None:
    import pickle

    factbase.load_factbase([facts_dir], use_cache=True)
    (path,) = cache_home.glob("base-*.cache")
    good = factbase.load_factbase([facts_dir])
    _forge(path, _key(facts_dir), pickle.dumps(good))
    assert cache.read(path, _key(facts_dir)) is not None  # the forgery itself is well formed
    marker = tmp_path / "pwned"
    _forge(path, _key(facts_dir), pickle.dumps(_Evil(str(marker))))
    assert cache.read(path, _key(facts_dir)) is None
    assert len(factbase.load_factbase([facts_dir], use_cache=True).facts) == 8
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
    assert len(factbase.load_factbase([GOOD], use_cache=True).facts) == 8


def test_no_cache_option_writes_none(run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("NICHIRO_CACHE_DIR", str(tmp_path / "c"))
    r = run("--no-cache", "--facts-only", "--facts", str(GOOD), "timeline", "--json")
    assert len(json.loads(r.out)) == 7
    assert not (tmp_path / "c").exists()
    run("--facts-only", "--facts", str(GOOD), "timeline", "--json")
    assert (tmp_path / "c").exists()
