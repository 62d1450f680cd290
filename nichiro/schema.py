"""JSON Schemas generated from the field specs in model: the JSON records, and the TOML fact files.

Both are written to `nichiro/schemas/` by `scripts/gen_schemas.py` and shipped in the package; a
test fails when the shipped files differ from what this module generates.
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import UsageError
from .model import (
    AUTHOR_FIELDS,
    CATEGORIES,
    CATEGORY_FIELDS,
    COMMON_FIELDS,
    FACT_ID_RE,
    FIGURE_FIELDS,
    HOLDER_FIELDS,
    ID_RE,
    PRECISIONS,
    REGISTRY_FIELDS,
    SOURCE_REF_FIELDS,
    UNDATED_CATEGORIES,
    Fact,
    Field,
)
from .views import FACETS

# The version of the JSON records' shape: any change a consumer could notice gets a new one.
SCHEMA_VERSION = "3"
# Names, not addresses: no host serves the schemas. They ship in the package (`nichiro schema NAME`),
# and editors find the fact files' schema by path (.taplo.toml), so nothing is ever fetched.
RECORDS_ID = f"urn:nichiro:schema:records:{SCHEMA_VERSION}"
FACTS_ID = f"urn:nichiro:schema:facts:{SCHEMA_VERSION}"
SCHEMAS_DIR = Path(__file__).resolve().parent / "schemas"
SCHEMA_FILES = {"records": "records.schema.json", "facts": "facts.schema.json"}

_DAY = r"\d{4}(?:-(?:0[1-9]|1[0-2])(?:-(?:0[1-9]|[12]\d|3[01]))?)?"
PARTIAL_DATE_PATTERN = f"^{_DAY}$"
DATE_PATTERN = f"^{_DAY}(?:/{_DAY})?$"

Ref = Callable[[str], dict[str, Any]]

# --------------------------------------------------------------------------- shared pieces


def _object(properties: dict[str, Any], required: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": properties}
    if required:  # draft 4 (which some editors still speak) forbids an empty list
        out["required"] = required
    out["additionalProperties"] = False
    return out


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def _described(schema: dict[str, Any], text: str) -> dict[str, Any]:
    return {"description": text, **schema} if text else schema


def _leaves() -> dict[str, dict[str, Any]]:
    """The value types both schemas share."""
    return {
        "text": {"type": "string", "pattern": r"\S"},
        "date": {
            "type": "string",
            "pattern": DATE_PATTERN,
            "description": "a partial ISO date at the source's precision (2016, 2016-05, 2016-09-02) "
            "or a range start/end (2013-04-28/2013-04-30)",
        },
        "partial_date": {
            "type": "string",
            "pattern": PARTIAL_DATE_PATTERN,
            "description": "a partial ISO date: YYYY, YYYY-MM or YYYY-MM-DD",
        },
        "fact_id": {
            "type": "string",
            "pattern": FACT_ID_RE.pattern,
            "description": "a fact id: a kebab-case slug starting with the fact's date (or undated-)",
        },
        "entity_id": {"type": "string", "pattern": ID_RE.pattern, "description": "a kebab-case id"},
        "person_id": {"type": "string", "pattern": ID_RE.pattern, "description": "a person's id (people.toml)"},
        "place_id": {"type": "string", "pattern": ID_RE.pattern, "description": "a place's id (places.toml)"},
        "source_id": {"type": "string", "pattern": ID_RE.pattern, "description": "a source's id (sources.toml)"},
    }


def _tables(ref: Ref, records: bool = False) -> dict[str, dict[str, Any]]:
    """The inline tables both schemas share (built from leaves that ref points at or inlines).

    In the JSON records (records=True) a holder's optional keys are there as null when unset.
    """

    def holder(f: Field) -> dict[str, Any]:
        schema = _described(_value(f, ref), f.help)
        return _nullable(schema) if records and not f.required else schema

    return {
        "source_ref": _object(
            {f.name: _value(f, ref) for f in SOURCE_REF_FIELDS}, [f.name for f in SOURCE_REF_FIELDS if f.required]
        ),
        # Not "figure": that is a category's name.
        "figure_entry": _object(
            {f.name: _value(f, ref) for f in FIGURE_FIELDS}, [f.name for f in FIGURE_FIELDS if f.required]
        ),
        # A person (family, and given names if any) or an organisation (name).
        "author": {
            **_object({f.name: _described(_value(f, ref), f.help) for f in AUTHOR_FIELDS}, []),
            "oneOf": [{"required": ["family"], "not": {"required": ["name"]}}, {"required": ["name"]}],
        },
        # One term of an office (a person record of kind "office").
        "holder_entry": _object(
            {f.name: holder(f) for f in HOLDER_FIELDS},
            [f.name for f in HOLDER_FIELDS if records or f.required],
        ),
    }


def _value(f: Field, ref: Ref, *, registry: bool = False) -> dict[str, Any]:
    """The JSON Schema of a field's value, from its type in model."""
    t = f.type
    if f.name == "id":
        out = ref("entity_id" if registry else "fact_id")
    elif f.name == "source":  # a source reference names a source by its id
        out = ref("source_id")
    elif t == "text":
        out = ref("text")
    elif t == "enum":
        out = {"type": "string", "enum": list(f.choices)}
    elif t == "int":
        out = {"type": "integer"}
    elif t == "number":
        out = {"type": "number"}
    elif t == "date":
        # A source's date is one partial date, never a range (model.Source.date is a PartialDate).
        out = ref("partial_date" if registry else "date")
    elif t == "texts":
        out = {"type": "array", "items": ref("text")}
    elif t == "ids":
        out = {"type": "array", "items": ref("fact_id")}
    elif t == "people":
        out = {"type": "array", "items": ref("person_id")}
    elif t == "entity":  # one id: a place's parent, an office holder's person
        out = ref({"parent": "place_id", "person": "person_id"}.get(f.name, "entity_id"))
    elif t == "partial":
        out = ref("partial_date")
    elif t == "places":
        out = {"type": "array", "minItems": 1, "items": ref("place_id")}
    elif t == "holders":
        out = {"type": "array", "items": ref("holder_entry")}
    elif t == "sources":
        out = {"type": "array", "items": ref("source_ref")}
        if f.required:
            out["minItems"] = 1
    elif t == "figures":
        out = {"type": "array", "items": ref("figure_entry")}
    elif t == "authors":
        out = {"type": "array", "items": ref("author")}
    else:
        raise ValueError(f"field {f.name!r}: no JSON Schema for the field type {t!r}")
    return out


# --------------------------------------------------------------------------- the JSON records


def _pointer(name: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}"}


# Keys that some commands add to the records they list (views.py and cli.py), optional in the schema.
_LISTING_EXTRAS: dict[str, dict[str, Any]] = {
    "exchange": {
        "amount": {
            "description": "the count with its qualifier in words (over 20,000), as `nichiro exchanges` lists it",
            "type": "string",
        }
    },
    "person": {
        "offices": {
            "description": "the offices the person held, from the offices' holders, in the order of the terms "
            "(empty for an office), as `nichiro people` lists them",
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "office": {"type": "string", "description": "the office's id"},
                    "name": {"type": "string"},
                    "start": {"type": "string"},
                    "end": {"type": ["string", "null"], "description": "null while the term lasts"},
                    "basis": {"enum": ["sources", "outside-sources"]},
                },
                "required": ["office", "name", "start", "end", "basis"],
                "additionalProperties": False,
            },
        }
    },
    "source": {
        "facts": {
            "description": "how many facts cite the source, as `nichiro sources` lists it",
            "type": "integer",
            "minimum": 0,
        }
    },
}
# The names views.record adds; the snapshot (`nichiro export json`) leaves them out.
_OPTIONAL_KEYS = frozenset({"participant_names", "place_names"})

# Fact attributes whose dataclass default is None print as null when unset; the rest always have a value.
_NULL_WHEN_UNSET = frozenset(f.name for f in dataclasses.fields(Fact) if f.default is None)


def _fact_properties(category: str, sources: str) -> dict[str, Any]:
    """The keys of a fact's record (Fact.to_record and views.record), with their schemas."""
    fields = CATEGORY_FIELDS[category]
    names = {f.name for f in fields}
    common = {f.name: f for f in COMMON_FIELDS}
    undated = category in UNDATED_CATEGORIES

    def field(f: Field) -> dict[str, Any]:
        return _described(_value(f, _pointer), f.help)

    props: dict[str, Any] = {
        "id": field(common["id"]),
        "category": {"const": category},
        "date": _nullable(_pointer("date")) if undated else _pointer("date"),
        "date_precision": _nullable(_pointer("date_precision")) if undated else _pointer("date_precision"),
        "title": field(common["title"]),
        "summary": field(common["summary"]),
    }
    for f in fields:
        # to_record prints every field of the category; one the fact does not give is null.
        props[f.name] = field(f) if f.required else _described(_nullable(_value(f, _pointer)), f.help)
    for f in COMMON_FIELDS:
        if f.name in props:
            continue
        schema = _pointer(sources) if f.name == "sources" else _value(f, _pointer)
        props[f.name] = _described(_nullable(schema) if f.name in _NULL_WHEN_UNSET else schema, f.help)
    props.update(copy.deepcopy(_LISTING_EXTRAS.get(category, {})))
    if "participants" in names:
        props["participant_names"] = {
            "description": "the participants' names, in the order of participants",
            "type": "array",
            "items": {"type": "string"},
        }
    if "place" in names:
        props["place_names"] = {
            "description": "the places' names, in the order of place",
            "type": "array",
            "items": {"type": "string"},
        }
    return props


def _required(props: dict[str, Any], kind: str) -> list[str]:
    return [k for k in props if k not in _OPTIONAL_KEYS and k not in _LISTING_EXTRAS.get(kind, {})]


def _fact_record(category: str) -> dict[str, Any]:
    props = _fact_properties(category, "sources")
    required = _required(props, category)
    props["span"] = {
        "description": "in a listing with dates asked for (--year, --date, --from, --to): within, the fact's date "
        "lies within them; longer, it spans more than them and merely overlaps them; null for an undated fact "
        "(--with-undated). Absent without dates",
        "enum": ["within", "longer", None],
    }
    return _object(props, required)


def _detail_record(category: str) -> dict[str, Any]:
    props = _fact_properties(category, "detail_sources")
    props["disagreements"] = {
        "description": "the facts from other sources that contradict this one",
        "type": "array",
        "items": _pointer("fact_summary"),
    }
    props["related_facts"] = {"type": "array", "items": _pointer("fact_summary")}
    return _object(props, _required(props, category))


def _hit_record(category: str) -> dict[str, Any]:
    # Why a fact matched is an explanation for people: its three keys are the contract; search may
    # add more (how a term matched, which entity it named) without a new version.
    match = _object(
        {
            "field": {"type": "string", "description": "the field the term was found in: title, tags, names, ..."},
            "term": {"type": "string", "description": "the query term"},
            "match": {"type": "string", "description": "the text it matched"},
        },
        ["field", "term", "match"],
    )
    match["additionalProperties"] = True
    props = {
        "score": {"type": "number", "minimum": 0, "maximum": 100},
        **_fact_properties(category, "sources"),
        "matched": {
            "description": "why the fact matched: each query term, the field it was found in and what it matched",
            "type": "array",
            "minItems": 1,
            "items": match,
        },
        "unmatched": {
            "description": "the query's words that no fact (nor the gazetteer) has: the results are for the rest",
            "type": "array",
            "items": {"type": "string"},
        },
        "missing": {
            "description": "the query's terms (words, names, dates) that other facts have and this one lacks",
            "type": "array",
            "items": {"type": "string"},
        },
    }
    return _object(props, _required(props, category))


def _registry_record(kind: str) -> dict[str, Any]:
    """A registry entry's record (its to_record()): every field present, unset text as null."""
    props: dict[str, Any] = {}
    for f in REGISTRY_FIELDS[kind]:
        schema = _described(_value(f, _pointer, registry=True), f.help)
        # Lists are [] when empty, except authors: null when unknown, [] for a work without a byline.
        listed = schema.get("type") == "array" and f.type != "authors"
        props[f.name] = schema if f.required or listed else _nullable(schema)
    props.update(copy.deepcopy(_LISTING_EXTRAS.get(kind, {})))
    return _object(props, _required(props, kind))


class _Defs(dict[str, Any]):
    """$defs that refuse a name given twice (a category named like a shared piece would replace it)."""

    def __setitem__(self, key: str, value: Any) -> None:
        if key in self:
            raise ValueError(f"$defs: {key!r} is defined twice")
        super().__setitem__(key, value)


def records_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of every JSON record nichiro prints."""
    defs = _Defs()
    for name, schema in [*_leaves().items(), *_tables(_pointer, records=True).items()]:
        defs[name] = schema
    defs["date_precision"] = {"enum": [*PRECISIONS, "range"]}
    defs["sources"] = {"type": "array", "minItems": 1, "items": _pointer("source_ref")}
    defs["detail_sources"] = {
        "type": "array",
        "minItems": 1,
        "items": _object(
            {
                "source": _pointer("entity_id"),
                "quote": _pointer("text"),
                "title": {"type": "string"},
                "publisher": {"type": "string"},
                "source_date": _pointer("partial_date"),
                "context": {
                    "description": "show --context: the quote as its source text has it, with the sentences "
                    "before and after it (a paragraph break as a newline); null where the quote is not found",
                    "anyOf": [
                        _object(
                            {"before": {"type": "string"}, "quote": {"type": "string"}, "after": {"type": "string"}},
                            ["before", "quote", "after"],
                        ),
                        {"type": "null"},
                    ],
                },
            },
            ["source", "quote"],
        ),
    }
    defs["fact_summary"] = _object(
        {
            "id": _pointer("fact_id"),
            "date": _nullable(_pointer("date")),
            "title": {"type": "string"},
            "summary": {"type": "string"},
            "status": {"enum": ["fact", "claim"]},
            "sources": {"type": "array", "items": _pointer("entity_id")},
        },
        ["id", "date", "title", "summary", "status", "sources"],
    )
    for category in CATEGORIES:
        defs[category] = _fact_record(category)
    for category in CATEGORIES:
        defs[f"{category}_detail"] = _detail_record(category)
    for category in CATEGORIES:
        defs[f"{category}_hit"] = _hit_record(category)
    defs["fact"] = {"oneOf": [_pointer(c) for c in CATEGORIES]}
    defs["detail"] = {"oneOf": [_pointer(f"{c}_detail") for c in CATEGORIES]}
    defs["search_hit"] = {"oneOf": [_pointer(f"{c}_hit") for c in CATEGORIES]}
    for kind in REGISTRY_FIELDS:
        defs[kind] = _registry_record(kind)
    defs["stat"] = _object(
        {
            "facet": {"enum": list(FACETS)},
            "value": {"type": "string"},
            "count": {"type": "integer", "minimum": 1},
        },
        ["facet", "value", "count"],
    )
    kinds = ["fact", "detail", "search_hit", *REGISTRY_FIELDS, "stat"]
    defs["record"] = {"anyOf": [_pointer(k) for k in kinds]}
    snapshot = {
        "facts": "fact",
        "sources": "source",
        "people": "person",
        "places": "place",
        "terms": "term",
        "tags": "tag",
    }
    defs["snapshot"] = _object(
        {key: {"type": "array", "items": _pointer(kind)} for key, kind in snapshot.items()}, list(snapshot)
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": RECORDS_ID,
        "title": "nichiro JSON records",
        "description": "What nichiro prints as JSON: a list of records (--format json), one record per line "
        "(--format jsonl), one record (show --json), or the snapshot of the whole base (export json). "
        "Each kind of record is also under $defs: a fact record per category (meeting, treaty, ...), "
        "its detail (show), its search hit, the registry entries (source, person, place, term, tag) and the "
        "stats rows. With --fields, records hold only the keys asked for.",
        "version": SCHEMA_VERSION,
        "anyOf": [_pointer("record"), {"type": "array", "items": _pointer("record")}, _pointer("snapshot")],
        "$defs": dict(defs),
    }


# --------------------------------------------------------------------------- the TOML fact files


KnownIds = dict[str, list[tuple[str, str]]]  # person | place | source -> (id, what it names), in order


def bundled_ids() -> KnownIds:
    """The ids of the bundled registries, with the name each stands for: what editors complete."""
    return {kind: list(ids) for kind, ids in _bundled_ids().items()}


@functools.cache
def _bundled_ids() -> dict[str, tuple[tuple[str, str], ...]]:
    from .factbase import load_factbase

    base = load_factbase()
    return {
        "person": tuple((p.id, p.name) for p in base.people.values()),
        "place": tuple((p.id, p.name) for p in base.places.values()),
        "source": tuple((s.id, f"{s.label}; {s.publisher}, {s.date}") for s in base.sources.values()),
    }


def _known(leaf: dict[str, Any], known: list[tuple[str, str]]) -> dict[str, Any]:
    """An id leaf that editors complete from the registry's ids (shown with their names), and that
    still takes an id of the user's own registry files: the enum is a suggestion, the pattern the rule."""
    if not known:
        return leaf
    ids = sorted(known)
    listed = {
        "enum": [i for i, _ in ids],
        "x-taplo": {"docs": {"enumValues": [name for _, name in ids]}},
    }
    return {
        "description": leaf["description"],
        "anyOf": [listed, {k: v for k, v in leaf.items() if k != "description"}],
    }


def factfile_schema(known: KnownIds | None = None) -> dict[str, Any]:
    """The JSON Schema (draft 7, which TOML language servers speak) of a TOML fact file.

    The ids of people, places and sources are completed from known (by default the bundled
    registries'), so the shipped file is regenerated when a registry changes.
    """
    if known is None:
        known = bundled_ids()
    shared: dict[str, Any] = _leaves()
    # The id lists are long: defined once and referenced, where the rest is inlined.
    definitions = {f"{k}_id": _known(shared.pop(f"{k}_id"), known.get(k, [])) for k in ("person", "place", "source")}

    def inline(name: str) -> dict[str, Any]:
        # Inlined rather than referenced: editors show a field's own description on hover.
        if name in definitions:
            return {"$ref": f"#/definitions/{name}"}
        return copy.deepcopy(shared[name])

    shared |= _tables(inline)
    kinds: dict[str, Any] = {}
    for kind in (*CATEGORIES, *REGISTRY_FIELDS):
        registry = kind in REGISTRY_FIELDS
        fields = REGISTRY_FIELDS[kind] if registry else COMMON_FIELDS + CATEGORY_FIELDS[kind]
        required = [f.name for f in fields if f.required and not (f.name == "date" and kind in UNDATED_CATEGORIES)]
        item = _object({f.name: _described(_value(f, inline, registry=registry), f.help) for f in fields}, required)
        if kind == "person":
            # A person gives roles; only an office (kind = "office") has holders.
            item["if"] = {"properties": {"kind": {"const": "office"}}, "required": ["kind"]}
            item["else"] = {"required": ["roles"], "not": {"required": ["holders"]}}
        item["x-taplo"] = {"initKeys": required}
        kinds[kind] = {
            "description": f"[[{kind}]] " + ("registry entries" if registry else "facts") + ": see docs/facts.md",
            "type": "array",
            "items": item,
        }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": FACTS_ID,
        "title": "nichiro fact file",
        "description": "A TOML file of the nichiro fact base: arrays of tables named after their kind. "
        "`nichiro check` validates what a schema cannot: references, day-of-month, ids that start with the date.",
        "version": SCHEMA_VERSION,
        "type": "object",
        "properties": kinds,
        "additionalProperties": False,
        "definitions": definitions,
    }


# --------------------------------------------------------------------------- the shipped files


def schema_json(schema: dict[str, Any]) -> str:
    """A schema as the shipped file's text: indented, non-ASCII kept, keys in generation order."""
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def _generated() -> dict[str, str]:
    return {"records": schema_json(records_schema()), "facts": schema_json(factfile_schema())}


def write_schemas(directory: Path = SCHEMAS_DIR) -> list[Path]:
    """Write records.schema.json and facts.schema.json into directory; return their paths."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in _generated().items():
        path = directory / SCHEMA_FILES[name]
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def stale_schemas(directory: Path = SCHEMAS_DIR) -> list[Path]:
    """The schema files in directory that are missing or differ from what model generates."""
    stale = []
    for name, text in _generated().items():
        path = directory / SCHEMA_FILES[name]
        try:
            current = path.read_text(encoding="utf-8")
        except OSError:
            current = None
        if current != text:
            stale.append(path)
    return stale


def schema_text(name: str = "records") -> str:
    """The shipped schema's text (`records` or `facts`), as `nichiro schema` prints it."""
    if name not in SCHEMA_FILES:
        raise UsageError(f"schema: {name!r} is not one of: {', '.join(SCHEMA_FILES)}")
    return (SCHEMAS_DIR / SCHEMA_FILES[name]).read_text(encoding="utf-8")
