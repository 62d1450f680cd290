"""Validate tests/research_questions.toml, the held-out research questions for the listings.

This checks the file only: its shape, its kinds, and that every id it names exists in the bundled
fact base (facts/*.toml, read here directly). It does not run the listing commands: the questions
were written blind and are scored elsewhere, so nothing here may depend on what a listing returns.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = Path(__file__).resolve().parent / "research_questions.toml"
FACTS = ROOT / "facts"

KINDS = {
    "person",
    "people-together",
    "place-nesting",
    "date-day",
    "date-month",
    "date-range",
    "kind",
    "claim",
    "source",
    "tag",
    "undated",
    "trade-exchange",
    "count",
    "registry",
    "disagreement",
    "absent",
}
# The fact categories (docs/facts.md), and registry = value -> the TOML table of that registry.
FACT_TABLES = {"meeting", "treaty", "trade", "exchange", "event", "figure"}
REGISTRIES = {"people": "person", "places": "place", "terms": "term", "sources": "source", "tags": "tag"}
REQUIRED = {"id", "question", "kind", "expect"}
OPTIONAL = {"expect_not", "note", "registry", "count"}
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
MIN_PER_KIND = 4
MIN_TOTAL, MAX_TOTAL = 50, 70


def _load_questions() -> list[dict[str, Any]]:
    with QUESTIONS.open("rb") as f:
        data = tomllib.load(f)
    assert set(data) == {"question"}, f"only [[question]] tables are allowed, found {sorted(data)}"
    questions = data["question"]
    assert isinstance(questions, list)
    return questions


def _load_ids() -> tuple[set[str], dict[str, set[str]]]:
    """Fact ids, and the ids of each registry, from the bundled TOML files."""
    facts: set[str] = set()
    registries: dict[str, set[str]] = {table: set() for table in REGISTRIES.values()}
    files = sorted(FACTS.glob("*.toml"))
    assert files, f"no fact files in {FACTS}"
    for path in files:
        with path.open("rb") as f:
            data = tomllib.load(f)
        for table, records in data.items():
            ids = {record["id"] for record in records}
            if table in registries:
                registries[table] |= ids
            else:
                assert table in FACT_TABLES, f"{path.name}: unknown table [[{table}]]"
                facts |= ids
    return facts, registries


QUESTION_LIST = _load_questions()
FACT_IDS, REGISTRY_IDS = _load_ids()


def test_question_count_and_kinds() -> None:
    assert MIN_TOTAL <= len(QUESTION_LIST) <= MAX_TOTAL
    kinds = Counter(q.get("kind") for q in QUESTION_LIST)
    assert set(kinds) <= KINDS, f"unknown kinds: {set(kinds) - KINDS}"
    thin = {kind: kinds.get(kind, 0) for kind in KINDS if kinds.get(kind, 0) < MIN_PER_KIND}
    assert not thin, f"kinds with fewer than {MIN_PER_KIND} questions: {thin}"


def test_slugs_and_questions_unique() -> None:
    ids = Counter(q["id"] for q in QUESTION_LIST)
    assert not [i for i, n in ids.items() if n > 1], "repeated question ids"
    texts = Counter(q["question"].strip().lower() for q in QUESTION_LIST)
    assert not [t for t, n in texts.items() if n > 1], "repeated question texts"


@pytest.mark.parametrize("q", QUESTION_LIST, ids=[q.get("id", "?") for q in QUESTION_LIST])
def test_question(q: dict[str, Any]) -> None:
    keys = set(q)
    assert REQUIRED <= keys, f"missing keys: {REQUIRED - keys}"
    assert keys <= REQUIRED | OPTIONAL, f"unknown keys: {keys - REQUIRED - OPTIONAL}"
    assert SLUG.match(q["id"]), f"id is not a kebab-case slug: {q['id']!r}"
    assert isinstance(q["question"], str) and q["question"].strip()
    assert q["kind"] in KINDS
    if "note" in q:
        assert isinstance(q["note"], str) and q["note"].strip()

    expect = q["expect"]
    expect_not = q.get("expect_not", [])
    for name, values in (("expect", expect), ("expect_not", expect_not)):
        assert isinstance(values, list) and all(isinstance(v, str) for v in values), f"{name} must be a list of ids"
        repeated = [v for v, n in Counter(values).items() if n > 1]
        assert not repeated, f"{name} repeats {repeated}"
    assert not set(expect) & set(expect_not), f"in both expect and expect_not: {set(expect) & set(expect_not)}"

    # Only a question the base cannot answer expects nothing.
    if q["kind"] == "absent":
        assert expect == [], "an absent question expects no id"
        assert "note" in q, "an absent question says in a note why the base cannot answer it"
    else:
        assert expect, "a question that is not 'absent' expects at least one id"

    if q["kind"] == "count":
        assert isinstance(q.get("count"), int), "a count question gives the number as `count`"
        assert q["count"] == len(expect), f"count = {q['count']} but expect has {len(expect)} ids"
    else:
        assert "count" not in q, "`count` belongs to count questions only"

    if q["kind"] == "registry":
        assert q.get("registry") in REGISTRIES, f"registry must be one of {sorted(REGISTRIES)}"
        known = REGISTRY_IDS[REGISTRIES[q["registry"]]]
        what = f"{q['registry']} registry"
    else:
        assert "registry" not in q, "`registry` belongs to registry questions only"
        known = FACT_IDS
        what = "bundled facts"
    unknown = sorted((set(expect) | set(expect_not)) - known)
    assert not unknown, f"not in the {what}: {unknown}"
