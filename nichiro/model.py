"""The record types: facts, sources, people, places and terms, and the whole base.

The field schema is in `fields` and the date types in `dates`; both are re-exported here.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from typing import Any

from .dates import PRECISIONS, DateSpan, PartialDate
from .fields import (
    AUTHOR_FIELDS,
    CATEGORIES,
    CATEGORY_FIELDS,
    CITATION_FIELDS,
    COMMON_FIELDS,
    FACT_ID_RE,
    FIGURE_FIELDS,
    ID_RE,
    QUALIFIERS,
    REGISTRY_FIELDS,
    SOURCE_REF_FIELDS,
    SOURCE_TYPES,
    UNDATED_CATEGORIES,
    Field,
    fields_of,
)

__all__ = [
    "AUTHOR_FIELDS",
    "CATEGORIES",
    "CATEGORY_FIELDS",
    "CITATION_FIELDS",
    "COMMON_FIELDS",
    "FACT_ID_RE",
    "FIGURE_FIELDS",
    "ID_RE",
    "PRECISIONS",
    "QUALIFIERS",
    "REGISTRY_FIELDS",
    "SOURCE_REF_FIELDS",
    "SOURCE_TYPES",
    "UNDATED_CATEGORIES",
    "Author",
    "DateSpan",
    "Fact",
    "FactBase",
    "Field",
    "PartialDate",
    "Person",
    "Place",
    "Source",
    "SourceRef",
    "Term",
    "fields_of",
    "named_record",
]


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class SourceRef:
    source: str
    quote: str


@dataclass(slots=True)
class Fact:
    """One dated statement, with its sources; `details` holds its category's own fields."""

    id: str
    category: str
    date: DateSpan | None
    title: str
    summary: str
    sources: tuple[SourceRef, ...]
    tags: tuple[str, ...] = ()
    note: str | None = None
    as_written: tuple[str, ...] = ()
    status: str = "fact"
    related: tuple[str, ...] = ()
    disagrees_with: tuple[str, ...] = ()
    details: dict[str, Any] = field(default_factory=dict)
    file: str = ""
    line: int | None = None

    def sort_key(self) -> tuple[Any, ...]:
        if self.date is None:  # undated facts sort last
            return (_dt.date.max, 9, _dt.date.max, self.id)
        return (*self.date.sort_key(), self.id)

    def to_record(self) -> dict[str, Any]:
        """The fact as a plain JSON-ready record, keys in a stable order."""
        out: dict[str, Any] = {
            "id": self.id,
            "category": self.category,
            "date": str(self.date) if self.date else None,
            "date_precision": self.date.precision if self.date else None,
            "title": self.title,
            "summary": self.summary,
        }
        for f in CATEGORY_FIELDS[self.category]:
            value = self.details.get(f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        out["tags"] = list(self.tags)
        out["status"] = self.status
        out["note"] = self.note
        out["as_written"] = list(self.as_written)
        out["related"] = list(self.related)
        out["disagrees_with"] = list(self.disagrees_with)
        out["sources"] = [{"source": s.source, "quote": s.quote} for s in self.sources]
        return out


@dataclass(frozen=True, slots=True)
class Author:
    """A source's author: a person (family and given names) or an organisation (name)."""

    family: str | None = None
    given: str | None = None
    name: str | None = None

    def __str__(self) -> str:
        return self.name or " ".join(p for p in (self.given, self.family) if p)

    def to_record(self) -> dict[str, str]:
        return {k: v for k, v in (("family", self.family), ("given", self.given), ("name", self.name)) if v}


@dataclass(frozen=True, slots=True)
class Source:
    """A source document, with what a citation of it needs.

    `unknown` lists the citation fields (fields.CITATION_FIELDS) that nothing shows: those the
    registry lists as unknown, and those it leaves out.
    """

    id: str
    file: str
    publisher: str
    date: PartialDate
    type: str | None = None
    date_kind: str | None = None
    language: str | None = None
    title: str | None = None
    described_as: str | None = None
    authors: tuple[Author, ...] | None = None  # None: unknown; (): the work has no named author
    url: str | None = None
    licence: str | None = None
    unknown: tuple[str, ...] = ()
    description: str | None = None
    basis: str | None = None

    @property
    def label(self) -> str:
        """The title, or the description in square brackets where the text shows no title."""
        return self.title or f"[{self.described_as}]"

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "file": self.file,
            "type": self.type,
            "title": self.title,
            "described_as": self.described_as,
            "authors": None if self.authors is None else [a.to_record() for a in self.authors],
            "publisher": self.publisher,
            "date": str(self.date),
            "date_kind": self.date_kind,
            "url": self.url,
            "licence": self.licence,
            "language": self.language,
            "unknown": list(self.unknown),
            "description": self.description,
            "basis": self.basis,
        }


@dataclass(frozen=True, slots=True)
class Person:
    id: str
    name: str
    country: str
    roles: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    sources: tuple[SourceRef, ...] = ()

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "country": self.country,
            "roles": list(self.roles),
            "aliases": list(self.aliases),
            "sources": [{"source": s.source, "quote": s.quote} for s in self.sources],
        }


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    name: str
    kind: str
    country: str
    aliases: tuple[str, ...] = ()
    sources: tuple[SourceRef, ...] = ()

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "country": self.country,
            "aliases": list(self.aliases),
            "sources": [{"source": s.source, "quote": s.quote} for s in self.sources],
        }


@dataclass(frozen=True, slots=True)
class Term:
    """A key term of the gazetteer (a treaty, an organisation, a summit) with its other names."""

    id: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    facts: tuple[str, ...] = ()

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "aliases": list(self.aliases),
            "facts": list(self.facts),
        }


def named_record(fact: Fact, people: dict[str, Person], places: dict[str, Place]) -> dict[str, Any]:
    """A fact's JSON record, with the names of the people and place it refers to."""
    rec = fact.to_record()
    if "participants" in rec:
        rec["participant_names"] = [people[p].name if p in people else p for p in rec["participants"] or ()]
    if "place" in rec:
        rec["place_name"] = places[rec["place"]].name if rec["place"] in places else rec["place"]
    return rec


@dataclass(slots=True)
class FactBase:
    """The whole base: facts sorted by date, and the registries they refer to."""

    facts: list[Fact]
    sources: dict[str, Source]
    people: dict[str, Person]
    places: dict[str, Place]
    terms: dict[str, Term] = field(default_factory=dict)
    by_id: dict[str, Fact] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.facts.sort(key=Fact.sort_key)
        self.by_id = {f.id: f for f in self.facts}

    def of_category(self, *categories: str) -> list[Fact]:
        return [f for f in self.facts if f.category in categories]
