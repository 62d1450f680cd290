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
    HOLDER_BASES,
    HOLDER_FIELDS,
    ID_RE,
    PERSON_KINDS,
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
    "HOLDER_BASES",
    "HOLDER_FIELDS",
    "ID_RE",
    "PERSON_KINDS",
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
    "Holder",
    "PartialDate",
    "Person",
    "Place",
    "Source",
    "SourceRef",
    "Tag",
    "Term",
    "fields_of",
    "named_record",
    "place_ancestors",
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
    former_date: DateSpan | None = None  # the date its id was made with, where a correction moved the date
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
        out["former_date"] = str(self.former_date) if self.former_date else None
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
    aliases: tuple[str, ...] = ()

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
            "aliases": list(self.aliases),
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
class Holder:
    """One term of an office: who held it, from when to when, and whether the sources say so."""

    person: str
    start: PartialDate
    end: PartialDate | None = None  # None: the term had not ended when the registry was written
    basis: str = "outside-sources"  # "sources" (then source and quote say where) or "outside-sources"
    source: str | None = None
    quote: str | None = None
    note: str | None = None

    @property
    def span(self) -> DateSpan:
        """The term as a span; an open term runs to the end of time."""
        return DateSpan(self.start, self.end or PartialDate(9999))

    def to_record(self) -> dict[str, Any]:
        return {
            "person": self.person,
            "start": str(self.start),
            "end": str(self.end) if self.end else None,
            "basis": self.basis,
            "source": self.source,
            "quote": self.quote,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class Person:
    """A person, or an office (kind "office") that stands as a participant where no person is named."""

    id: str
    name: str
    country: str
    roles: tuple[str, ...]
    aliases: tuple[str, ...] = ()
    sources: tuple[SourceRef, ...] = ()
    kind: str = "person"
    holders: tuple[Holder, ...] = ()  # an office's terms, in order

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "country": self.country,
            "roles": list(self.roles),
            "aliases": list(self.aliases),
            "holders": [h.to_record() for h in self.holders],
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
    parent: str | None = None  # the place it lies in (a city's country); None at the top

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "kind": self.kind,
            "country": self.country,
            "parent": self.parent,
            "aliases": list(self.aliases),
            "sources": [{"source": s.source, "quote": s.quote} for s in self.sources],
        }


@dataclass(frozen=True, slots=True)
class Tag:
    """One tag of the closed list: facts may carry only these (an alias is a spelling to refuse)."""

    id: str
    description: str | None = None
    aliases: tuple[str, ...] = ()

    def to_record(self) -> dict[str, Any]:
        return {"id": self.id, "description": self.description, "aliases": list(self.aliases)}


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
    """A fact's JSON record, with the names of the people (or offices) and places it refers to."""
    rec = fact.to_record()
    if "participants" in rec:
        rec["participant_names"] = [people[p].name if p in people else p for p in rec["participants"] or ()]
    if "place" in rec:
        rec["place_names"] = [places[p].name if p in places else p for p in rec["place"] or ()]
    return rec


def place_ancestors(place_id: str, places: dict[str, Place]) -> list[str]:
    """The places a place lies in, nearest first (Vladivostok: Russian Far East, Russia); stops at a cycle."""
    out: list[str] = []
    parent = places[place_id].parent if place_id in places else None
    while parent is not None and parent not in out and parent != place_id:
        out.append(parent)
        parent = places[parent].parent if parent in places else None
    return out


@dataclass(slots=True)
class FactBase:
    """The whole base: facts sorted by date, and the registries they refer to."""

    facts: list[Fact]
    sources: dict[str, Source]
    people: dict[str, Person]
    places: dict[str, Place]
    terms: dict[str, Term] = field(default_factory=dict)
    tags: dict[str, Tag] = field(default_factory=dict)
    by_id: dict[str, Fact] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.facts.sort(key=Fact.sort_key)
        self.by_id = {f.id: f for f in self.facts}

    def of_category(self, *categories: str) -> list[Fact]:
        return [f for f in self.facts if f.category in categories]
