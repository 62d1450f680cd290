"""The JSON Schemas: every record the CLI prints and every bundled fact file validates; wrong ones do not."""

from __future__ import annotations

import copy
import functools
import json
import re
from pathlib import Path
from typing import Any

import pytest
import tomli
from jsonschema import Draft7Validator, Draft202012Validator

from nichiro import schema
from nichiro.errors import UsageError
from nichiro.factbase import bundled_facts_dir, collect, load_factbase
from nichiro.model import CATEGORIES, CATEGORY_FIELDS, REGISTRY_FIELDS, FactBase, Field, named_record
from nichiro.search import hit_record, search
from nichiro.store import Store, load
from nichiro.views import detail

from .conftest import GOOD, REPO

DECLARATION_1956 = "1956-10-19-soviet-japanese-joint-declaration"
RECORDS = Draft202012Validator(schema.records_schema())
FACTS = Draft7Validator(schema.factfile_schema())


@functools.cache
def against(name: str) -> Draft202012Validator:
    """A validator for one kind of record only: a $defs entry of the records schema."""
    root = schema.records_schema()
    del root["anyOf"]
    root["$ref"] = f"#/$defs/{name}"
    return Draft202012Validator(root)


def errors(validator: Any, instance: Any) -> list[str]:
    return [f"{e.json_path}: {e.message[:200]}" for e in validator.iter_errors(instance)]


@pytest.fixture(scope="module")
def base() -> FactBase:
    return load_factbase()


@pytest.fixture(scope="module")
def store() -> Store:
    return load([bundled_facts_dir()], use_cache=False)


def record(base: FactBase, fact: Any) -> dict[str, Any]:
    return named_record(fact, base.people, base.places)


# --------------------------------------------------------------------------- the schemas themselves


def test_schemas_are_valid_schemas() -> None:
    Draft202012Validator.check_schema(schema.records_schema())
    Draft7Validator.check_schema(schema.factfile_schema())


def test_records_schema_is_versioned() -> None:
    records = schema.records_schema()
    assert records["version"] == "3" == schema.SCHEMA_VERSION
    # Honest identifiers: names that point at no host (none serves the schemas; they ship in the package).
    assert records["$id"] == "urn:nichiro:schema:records:3"
    assert records["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema.factfile_schema()["$id"] == "urn:nichiro:schema:facts:3"
    shipped = schema.schema_text("records") + schema.schema_text("facts")
    assert "nichiro.example" not in shipped and "://nichiro" not in shipped


def test_editors_complete_registry_ids_with_their_names(base: FactBase) -> None:
    defs = schema.factfile_schema()["definitions"]
    for kind, registry in (("person", base.people), ("place", base.places), ("source", base.sources)):
        listed, rule = defs[f"{kind}_id"]["anyOf"]
        assert listed["enum"] == sorted(registry)  # every id of the registry, and no other
        names = listed["x-taplo"]["docs"]["enumValues"]
        assert len(names) == len(listed["enum"])
        for i, name in zip(listed["enum"], names, strict=True):
            assert name.startswith(getattr(registry[i], "name", None) or registry[i].label)
        assert rule["pattern"] == schema.ID_RE.pattern
    assert defs["person_id"]["anyOf"][0]["x-taplo"]["docs"]["enumValues"][
        sorted(base.people).index("vladimir-putin")
    ] == ("Vladimir Putin")
    item = schema.factfile_schema()["properties"]["meeting"]["items"]["properties"]
    assert item["participants"]["items"] == {"$ref": "#/definitions/person_id"}
    assert item["place"]["items"] == {"$ref": "#/definitions/place_id"}


def test_ids_of_a_users_own_registry_still_validate() -> None:
    # The bundled ids are what editors suggest; a user's own people and places are no error.
    own = {
        "meeting": [
            {
                "id": "2030-01-01-someone-meets-someone",
                "date": "2030-01-01",
                "title": "T",
                "summary": "S",
                "kind": "summit",
                "level": "leaders",
                "participants": ["vladimir-putin", "my-own-person"],
                "place": ["my-own-place"],
                "sources": [{"source": "my-own-source", "quote": "q"}],
            }
        ]
    }
    assert errors(FACTS, own) == []
    own["meeting"][0]["participants"] = ["Not An Id"]
    assert errors(FACTS, own)


def test_the_id_lists_follow_the_registries() -> None:
    known = {"person": [("zz-new-person", "Zz New")], "place": [], "source": []}
    defs = schema.factfile_schema(known)["definitions"]
    assert defs["person_id"]["anyOf"][0]["enum"] == ["zz-new-person"]
    assert "anyOf" not in defs["place_id"]  # nothing to suggest: the plain rule
    assert schema.factfile_schema(known) != schema.factfile_schema()  # the shipped file goes stale with a registry


def test_shipped_schema_files_are_fresh() -> None:
    stale = schema.stale_schemas()
    assert not stale, f"stale: {', '.join(map(str, stale))}: run `python scripts/gen_schemas.py` and commit them"
    assert json.loads(schema.schema_text("records")) == schema.records_schema()
    assert json.loads(schema.schema_text("facts")) == schema.factfile_schema()
    assert schema.schema_text() == schema.schema_text("records")


def test_stale_files_are_noticed(tmp_path: Path) -> None:
    written = schema.write_schemas(tmp_path)
    assert sorted(p.name for p in written) == ["facts.schema.json", "records.schema.json"]
    assert schema.stale_schemas(tmp_path) == []
    written[0].write_text(
        written[0].read_text(encoding="utf-8").replace(f'"{schema.SCHEMA_VERSION}"', '"0"', 1), encoding="utf-8"
    )
    assert schema.stale_schemas(tmp_path) == [written[0]]


def test_unknown_schema_name_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="'bogus' is not one of: records, facts"):
        schema.schema_text("bogus")


@pytest.mark.parametrize("category", CATEGORIES)
def test_every_field_of_the_model_is_in_both_schemas(category: str) -> None:
    record_props = schema.records_schema()["$defs"][category]["properties"]
    file_props = schema.factfile_schema()["properties"][category]["items"]["properties"]
    for f in CATEGORY_FIELDS[category]:
        assert f.name in record_props and f.name in file_props


def test_the_schemas_follow_the_model(monkeypatch: pytest.MonkeyPatch) -> None:
    meeting = (*CATEGORY_FIELDS["meeting"], Field("venue_size", "int", True, help="seats"))
    monkeypatch.setitem(CATEGORY_FIELDS, "meeting", meeting)
    assert schema.records_schema()["$defs"]["meeting"]["properties"]["venue_size"]["type"] == "integer"
    item = schema.factfile_schema()["properties"]["meeting"]["items"]
    assert item["properties"]["venue_size"] == {"description": "seats", "type": "integer"}
    assert "venue_size" in item["required"]
    assert schema.stale_schemas()  # and the shipped files would be stale until regenerated
    monkeypatch.setitem(CATEGORY_FIELDS, "meeting", (*meeting, Field("mood", "colour")))
    with pytest.raises(ValueError, match="no JSON Schema for the field type 'colour'"):
        schema.records_schema()


# --------------------------------------------------------------------------- records


def test_every_fact_record_and_detail_validates(base: FactBase, store: Store) -> None:
    fact, shown = against("fact"), against("detail")
    for f in base.facts:
        rec = record(base, f)
        assert store.fact(f.id) == rec, f.id  # the store keeps the very record
        full = detail(store, rec)
        assert errors(fact, rec) == [], f.id
        assert errors(shown, full) == [], f.id
        assert errors(RECORDS, rec) == errors(RECORDS, full) == [], f.id


@pytest.mark.parametrize("category", CATEGORIES)
def test_schema_lists_exactly_the_keys_of_a_record(base: FactBase, category: str) -> None:
    props = schema.records_schema()["$defs"][category]["properties"]
    extras = {"span", "amount"} if category == "exchange" else {"span"}  # what a listing adds
    for f in base.of_category(category):
        assert set(record(base, f)) == set(props) - extras


@pytest.mark.parametrize("query", ["Shikotan", "Abe Putin Vladivostok", "2016", "Kurils", "日ソ共同宣言", "Lavorv"])
def test_search_hits_validate(store: Store, query: str) -> None:
    hits = search(store, query, CATEGORIES)
    hit = against("search_hit")
    records = store.records([h.n for h in hits])
    for h in hits:
        assert errors(hit, hit_record(records[h.n], h)) == [], h.id


def test_registry_records_validate(base: FactBase) -> None:
    for kind, entries in (
        ("source", base.sources),
        ("person", base.people),
        ("place", base.places),
        ("term", base.terms),
    ):
        validator = against(kind)
        for entry in entries.values():
            assert errors(validator, entry.to_record()) == [], entry.id


JSON_COMMANDS = [
    ["meetings", "--json"],
    ["timeline", "--json"],
    ["timeline", "--date", "2016-09-02", "--with-undated", "--json"],
    ["treaties", "--json"],
    ["trade", "--json"],
    ["exchanges", "--json"],
    ["sources", "--json"],
    ["people", "--json"],
    ["places", "--json"],
    ["stats", "--by", "year", "--json"],
    ["search", "Shikotan", "--json"],
    ["show", DECLARATION_1956, "--json"],
    ["export", "json", "-"],
]


def test_show_with_context_validates(run: Any) -> None:
    from .conftest import needs_sources

    result = run("show", DECLARATION_1956, "--json", "--context", "--sources", str(needs_sources()))
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["sources"][0]["context"] and errors(RECORDS, data) == []


@pytest.mark.parametrize("args", JSON_COMMANDS, ids=lambda a: " ".join(a))
def test_what_the_cli_prints_validates(run: Any, args: list[str]) -> None:
    result = run(*args)
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data
    assert errors(RECORDS, data) == []


def test_json_lines_validate_one_by_one(run: Any) -> None:
    result = run("timeline", "--format", "jsonl")
    lines = result.out.splitlines()
    assert result.code == 0 and len(lines) > 100
    for line in lines:
        assert errors(RECORDS, json.loads(line)) == []


def _meeting(base: FactBase) -> dict[str, Any]:
    return record(base, base.by_id["2016-09-02-putin-abe-vladivostok"])


def _set(rec: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    return {**rec, key: value}


def _without(rec: dict[str, Any], key: str) -> dict[str, Any]:
    return {k: v for k, v in rec.items() if k != key}


WRONG_RECORDS = {
    "missing title": lambda r: _without(r, "title"),
    "missing sources": lambda r: _without(r, "sources"),
    "unknown key": lambda r: _set(r, "colour", "red"),
    "kind not a choice": lambda r: _set(r, "kind", "banquet"),
    "another category's record": lambda r: _set(r, "category", "treaty"),
    "month 13": lambda r: _set(r, "date", "2016-13"),
    "two-digit year": lambda r: _set(r, "date", "16-09-02"),
    "open range": lambda r: _set(r, "date", "2016/"),
    "undated meeting": lambda r: _set(r, "date", None),
    "bad precision": lambda r: _set(r, "date_precision", "week"),
    "null title": lambda r: _set(r, "title", None),
    "empty summary": lambda r: _set(r, "summary", "  "),
    "participants as a string": lambda r: _set(r, "participants", "shinzo-abe"),
    "no sources": lambda r: _set(r, "sources", []),
    "source without quote": lambda r: _set(r, "sources", [{"source": "sputnik-2016"}]),
    "status a rumour": lambda r: _set(r, "status", "rumour"),
    "tags null": lambda r: _set(r, "tags", None),
    "related not an id": lambda r: _set(r, "related", ["Not An Id"]),
}


@pytest.mark.parametrize("change", WRONG_RECORDS, ids=list(WRONG_RECORDS))
def test_a_wrong_record_fails(base: FactBase, change: str) -> None:
    rec = _meeting(base)
    assert errors(RECORDS, rec) == []  # the record is right before the change
    wrong = WRONG_RECORDS[change](copy.deepcopy(rec))
    assert errors(against("meeting"), wrong)
    assert errors(RECORDS, wrong)  # and no other kind of record accepts it either


def test_wrong_typed_category_fields_fail(base: FactBase) -> None:
    trade = record(base, base.of_category("trade")[0])
    exchange = record(base, base.of_category("exchange")[0])
    assert errors(RECORDS, _set(trade, "value", "21.31"))
    assert errors(RECORDS, _set(exchange, "count", 1.5))
    assert errors(RECORDS, _set(exchange, "amount", 20000))
    figure = record(base, base.by_id["undated-comparison-area"])
    assert figure["figures"] and errors(RECORDS, figure) == []
    figure["figures"] = [{"label": "area"}]
    assert errors(RECORDS, figure)


def test_a_wrong_detail_or_hit_fails(store: Store) -> None:
    full = detail(store, store.fact(DECLARATION_1956) or {})
    assert errors(RECORDS, _without(full, "related_facts"))
    assert errors(RECORDS, _set(full, "disagreements", [{"id": DECLARATION_1956}]))
    h = search(store, "Shikotan", CATEGORIES)[0]
    hit = hit_record(store.records([h.n])[h.n], h)
    assert errors(RECORDS, _without(hit, "score"))
    assert errors(RECORDS, _set(hit, "matched", []))
    assert errors(RECORDS, _set(hit, "matched", [{"field": "title", "term": "x"}]))


# --------------------------------------------------------------------------- fact files


def toml_files() -> list[Path]:
    return sorted(bundled_facts_dir().glob("*.toml")) + sorted(GOOD.glob("*.toml"))


@pytest.mark.parametrize("path", toml_files(), ids=lambda p: p.name)
def test_every_bundled_fact_file_validates(path: Path) -> None:
    assert errors(FACTS, tomli.loads(path.read_text(encoding="utf-8"))) == []


MEETING = {
    "id": "2016-09-03-test-meeting",
    "date": "2016-09-03",
    "title": "A test meeting",
    "summary": "Test.",
    "kind": "talks",
    "level": "leaders",
    "participants": ["shinzo-abe"],
    "sources": [{"source": "src-a", "quote": "Putin and Abe met"}],
}
WRONG_FILES: dict[str, dict[str, Any]] = {
    "unknown record kind": {"summit": [MEETING]},
    "a table, not an array of tables": {"meeting": MEETING},
    "unknown key": {"meeting": [{**MEETING, "colour": "red"}]},
    "missing level": {"meeting": [{k: v for k, v in MEETING.items() if k != "level"}]},
    "kind not a choice": {"meeting": [{**MEETING, "kind": "chat"}]},
    "date with one-digit month": {"meeting": [{**MEETING, "date": "2016-9-03"}]},
    "id not kebab-case": {"meeting": [{**MEETING, "id": "2016-09-03_Test"}]},
    "no sources": {"meeting": [{**MEETING, "sources": []}]},
    "source without quote": {"meeting": [{**MEETING, "sources": [{"source": "src-a"}]}]},
    "count as a string": {
        "exchange": [
            {
                **{k: v for k, v in MEETING.items() if k not in ("kind", "level", "participants")},
                "program": "visa-free",
                "direction": "both",
                "count": "20000",
                "qualifier": "over",
                "scope": "annual",
            }
        ]
    },
    "figure without value": {
        "figure": [
            {
                **{k: v for k, v in MEETING.items() if k not in ("date", "kind", "level", "participants")},
                "id": "undated-test",
                "kind": "comparison",
                "figures": [{"label": "area"}],
            }
        ]
    },
    "source dated with a range": {
        "source": [{"id": "s", "file": "s.txt", "title": "S", "publisher": "P", "date": "2016/2017"}]
    },
    "person without roles": {"person": [{"id": "x-y", "name": "X Y", "country": "japan"}]},
}


@pytest.mark.parametrize("change", WRONG_FILES, ids=list(WRONG_FILES))
def test_a_wrong_fact_file_fails(change: str) -> None:
    assert errors(FACTS, WRONG_FILES[change])


def test_a_right_fact_file_passes() -> None:
    undated = {
        **{k: v for k, v in MEETING.items() if k not in ("date", "kind", "level", "participants")},
        "id": "undated-test",
        "kind": "comparison",
        "figures": [{"label": "area", "value": 377944, "unit": "km2", "subject": "japan"}],
    }
    assert errors(FACTS, {"meeting": [MEETING], "figure": [undated]}) == []


def _toml(data: dict[str, Any]) -> str:
    """Just enough TOML for the test data: arrays of tables whose values are JSON-compatible."""
    out = []
    for kind, records in data.items():
        for rec in records if isinstance(records, list) else [records]:
            out.append(f"[[{kind}]]" if isinstance(records, list) else f"[{kind}]")
            out += [f"{key} = {_toml_value(value)}" for key, value in rec.items()]
    return "\n".join(out) + "\n"


def _toml_value(value: Any) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


@pytest.mark.parametrize("change", list(WRONG_FILES))
def test_the_loader_rejects_what_the_schema_rejects(facts_dir: Path, change: str) -> None:
    text = _toml(WRONG_FILES[change])
    assert tomli.loads(text) == WRONG_FILES[change]
    (facts_dir / "extra.toml").write_text(text, encoding="utf-8")
    _, problems = collect([facts_dir])
    assert problems, "the schema rejects this file but `nichiro check` accepts it"


# --------------------------------------------------------------------------- docs


def _documented(text: str, heading: str) -> set[str]:
    """The keys in the first column of the tables under a heading of docs/json.md."""
    section = re.search(rf"^{re.escape(heading)}\n(.*?)(?=^#|\Z)", text, re.M | re.S)
    assert section, f"docs/json.md has no heading {heading!r}"
    return set(re.findall(r"^\| `([a-z_]+)` \|", section[1], re.M))


def test_docs_list_exactly_the_keys_of_every_record() -> None:
    text = (REPO / "docs" / "json.md").read_text(encoding="utf-8")
    defs = schema.records_schema()["$defs"]
    keys = {name: set(d.get("properties", ())) for name, d in defs.items()}
    common = set.intersection(*(keys[c] for c in CATEGORIES))
    assert _documented(text, "## Fact records") == common
    for category in CATEGORIES:
        assert _documented(text, f"### `{category}`") == keys[category] - common, category
    for kind in REGISTRY_FIELDS:
        assert _documented(text, f"### `{kind}`") == keys[kind], kind
    detail_keys = keys["meeting_detail"] - keys["meeting"] | {"sources"}
    assert _documented(text, "## Detail records (`show --json`)") == detail_keys
    assert _documented(text, "## Search hits (`search --json`)") == keys["meeting_hit"] - keys["meeting"]
