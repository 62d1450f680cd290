"""The reviewable snapshot of the whole base must match the facts: every data change shows as a diff."""

from __future__ import annotations

from pathlib import Path

from nichiro import render
from nichiro.factbase import load_factbase
from nichiro.views import dump

SNAPSHOT = Path(__file__).parent / "snapshots" / "facts.json"
REGENERATE = "nichiro export json tests/snapshots/facts.json --force"


def test_snapshot_is_fresh() -> None:
    current = render.to_json(dump(load_factbase()))
    committed = SNAPSHOT.read_text(encoding="utf-8")
    assert current == committed, f"tests/snapshots/facts.json is stale: run `{REGENERATE}` and review the diff"


def test_snapshot_is_sorted_and_indented() -> None:
    text = SNAPSHOT.read_text(encoding="utf-8")
    assert text.startswith('{\n  "facts": [\n    {\n      "id": ')
    ids = [line.split('"')[3] for line in text.splitlines() if line.startswith('      "id": ')]
    fact_ids = ids[: len(load_factbase().facts)]
    assert fact_ids == sorted(fact_ids)
