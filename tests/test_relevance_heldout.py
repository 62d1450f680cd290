"""The held-out relevance set (tests/relevance_heldout.toml) is well formed.

These tests check only the file: its shape, its kinds and its counts, and that every expected id is
a fact of the bundled base. They do not run the search: the set is scored by benchmarks, and it was
written blind, before any search result was seen (see the file's header).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import tomli

from nichiro.factbase import load_factbase

PATH = Path(__file__).parent / "relevance_heldout.toml"
KINDS = {
    "question",
    "variant",
    "japanese",
    "russian",
    "date",
    "number",
    "role",
    "multi-concept",
    "noisy",
    "must-find-nothing",
}
KEYS = {"query", "kind", "expect", "expect_none", "note"}
QUERIES: list[dict[str, Any]] = tomli.loads(PATH.read_text(encoding="utf-8"))["query"]
FACT_IDS = set(load_factbase().by_id)


def label(entry: dict[str, Any]) -> str:
    return repr(entry.get("query"))


def test_the_file_holds_only_queries() -> None:
    assert set(tomli.loads(PATH.read_text(encoding="utf-8"))) == {"query"}


def test_at_least_100_queries_and_15_that_must_find_nothing() -> None:
    kinds = Counter(entry["kind"] for entry in QUERIES)
    assert len(QUERIES) >= 100
    assert kinds["must-find-nothing"] >= 15


def test_every_kind_has_at_least_8_queries() -> None:
    kinds = Counter(entry["kind"] for entry in QUERIES)
    assert {kind: kinds[kind] for kind in KINDS if kinds[kind] < 8} == {}


def test_queries_are_distinct() -> None:
    repeated = [query for query, n in Counter(entry["query"] for entry in QUERIES).items() if n > 1]
    assert repeated == []


@pytest.mark.parametrize("entry", QUERIES, ids=label)
def test_query_is_well_formed(entry: dict[str, Any]) -> None:
    assert set(entry) <= KEYS, f"unknown keys {sorted(set(entry) - KEYS)}"
    assert isinstance(entry["query"], str) and entry["query"].strip()
    assert entry["kind"] in KINDS
    assert isinstance(entry.get("note", ""), str)
    # expect and expect_none are exclusive, and expect_none is what must-find-nothing means
    assert ("expect" in entry) != ("expect_none" in entry)
    if entry["kind"] == "must-find-nothing":
        assert entry.get("expect_none") is True
    else:
        expect = entry.get("expect")
        assert isinstance(expect, list) and expect, "a query that should find something names what"
        assert len(set(expect)) == len(expect), "an id listed twice"


@pytest.mark.parametrize("entry", [e for e in QUERIES if "expect" in e], ids=label)
def test_every_expected_id_is_a_bundled_fact(entry: dict[str, Any]) -> None:
    assert [fact_id for fact_id in entry["expect"] if fact_id not in FACT_IDS] == []
