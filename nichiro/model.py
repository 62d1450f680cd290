"""The record types, the field schema of every category, and the partial-date type."""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from dataclasses import dataclass, field
from typing import Any

# --------------------------------------------------------------------------- dates

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
PRECISIONS = ("year", "month", "day")


@dataclass(frozen=True, slots=True)
class PartialDate:
    """A date known to the year, the month or the day; never more precise than its source."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; raise ValueError saying what is wrong."""
        m = _DATE_RE.match(text.strip()) if isinstance(text, str) else None
        if not m:
            raise ValueError(f"{text!r} is not a date: use YYYY, YYYY-MM or YYYY-MM-DD")
        year = int(m[1])
        month = int(m[2]) if m[2] else None
        day = int(m[3]) if m[3] else None
        if year < 1:
            raise ValueError(f"{text!r}: year must be 1 or later")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text!r}: month {month} does not exist")
        if day is not None:
            assert month is not None
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(f"{text!r}: {calendar.month_name[month]} {year} has no day {day}")
        return cls(year, month, day)

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    def first_day(self) -> _dt.date:
        return _dt.date(self.year, self.month or 1, self.day or 1)

    def last_day(self) -> _dt.date:
        if self.day:
            return _dt.date(self.year, self.month or 1, self.day)
        month = self.month or 12
        return _dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def __str__(self) -> str:
        out = f"{self.year:04d}"
        if self.month:
            out += f"-{self.month:02d}"
        if self.day:
            out += f"-{self.day:02d}"
        return out


@dataclass(frozen=True, slots=True)
class DateSpan:
    """A fact's date: one partial date, or a range `start/end` whose ends keep their own precision."""

    start: PartialDate
    end: PartialDate | None = None

    @classmethod
    def parse(cls, text: str) -> DateSpan:
        if not isinstance(text, str):
            raise ValueError(f"{text!r} is not a date string")
        if "/" not in text:
            return cls(PartialDate.parse(text))
        left, _, right = text.partition("/")
        start, end = PartialDate.parse(left), PartialDate.parse(right)
        if end.last_day() < start.first_day():
            raise ValueError(f"{text!r}: the range ends before it starts")
        return cls(start, end)

    @property
    def lo(self) -> _dt.date:
        """The first day the span may cover."""
        return self.start.first_day()

    @property
    def hi(self) -> _dt.date:
        """The last day the span may cover."""
        return (self.end or self.start).last_day()

    @property
    def precision(self) -> str:
        return "range" if self.end else self.start.precision

    def overlaps(self, lo: _dt.date | None, hi: _dt.date | None) -> bool:
        """True when some day of this span lies within [lo, hi] (either bound may be open)."""
        return (lo is None or self.hi >= lo) and (hi is None or self.lo <= hi)

    def sort_key(self) -> tuple[_dt.date, int, _dt.date]:
        # A year sorts before its months, a month before its days: the wider span first.
        return (self.lo, PRECISIONS.index(self.start.precision), self.hi)

    def __str__(self) -> str:
        return f"{self.start}/{self.end}" if self.end else str(self.start)


# --------------------------------------------------------------------------- schema

ID_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FACT_ID_RE = re.compile(r"^(?:\d{4}(?:-\d{2}(?:-\d{2})?)?|undated)-[a-z0-9]+(?:-[a-z0-9]+)*$")

QUALIFIERS = ("exactly", "over", "more-than", "some", "about", "almost", "at-least", "up-to")


@dataclass(frozen=True, slots=True)
class Field:
    """One field of a record: its type, whether it is required, the values it may take."""

    name: str
    type: str  # text | enum | int | number | date | texts | ids | person | people | place | sources | figures
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""


COMMON_FIELDS: tuple[Field, ...] = (
    Field("id", "text", True, help="stable slug that starts with the fact's date"),
    Field("date", "date", True, help="partial ISO date or range, at the source's precision"),
    Field("title", "text", True, help="one line"),
    Field("summary", "text", True, help="one or two sentences"),
    Field("tags", "texts", help="kebab-case topics"),
    Field("sources", "sources", True, help="source ids with verbatim quotes"),
    Field("note", "text", help="curator's note"),
    Field("as_written", "texts", help="the source's own spellings where the fact corrects them"),
    Field("status", "enum", choices=("fact", "claim"), help="claim: a source's assertion the texts cannot back"),
    Field("related", "ids", help="ids of facts about the same thing"),
    Field("disagrees_with", "ids", help="ids of facts from other sources that contradict this one"),
)

CATEGORY_FIELDS: dict[str, tuple[Field, ...]] = {
    "meeting": (
        Field(
            "kind",
            "enum",
            True,
            (
                "summit",
                "official-visit",
                "working-visit",
                "visit",
                "sidelines",
                "phone-call",
                "talks",
                "dialogue",
                "forum",
            ),
        ),
        Field(
            "level",
            "enum",
            True,
            ("leaders", "ministers", "deputy-ministers", "parliament", "military", "party", "regional", "officials"),
        ),
        Field("participants", "people"),
        Field("place", "place"),
        Field("occasion", "text", help="the multilateral event it was held at"),
    ),
    "treaty": (
        Field(
            "kind",
            "enum",
            True,
            (
                "treaty",
                "convention",
                "declaration",
                "pact",
                "agreement",
                "exchange-of-notes",
                "action-plan",
                "joint-statement",
                "memorandum",
            ),
        ),
        Field("parties", "texts", True),
        Field("provisions", "text", True, help="what it did or provided"),
        Field("place", "place"),
        Field("count", "int"),
        Field("qualifier", "enum", choices=QUALIFIERS),
    ),
    "trade": (
        Field("measure", "enum", True, ("total", "exports", "imports", "change")),
        Field("value", "number", True),
        Field("unit", "text", True),
        Field("reporter", "text", True),
        Field("perspective", "enum", choices=("russia", "japan")),
        Field("qualifier", "enum", choices=QUALIFIERS),
        Field("baseline", "date", help="for a change: the period compared with"),
    ),
    "exchange": (
        Field("program", "enum", True, ("visa-free", "cultural")),
        Field("direction", "enum", True, ("japan-to-islands", "islands-to-japan", "both", "none")),
        Field("count", "int", True),
        Field("qualifier", "enum", True, QUALIFIERS),
        Field("scope", "enum", True, ("annual", "cumulative")),
        Field("since", "date"),
        Field("as_of", "date"),
    ),
    "event": (
        Field(
            "kind",
            "enum",
            True,
            (
                "war",
                "conflict",
                "intervention",
                "diplomatic",
                "recognition",
                "sanction",
                "response",
                "incident",
                "poll",
                "plan",
                "proposal",
                "statement",
                "visit",
                "policy",
                "military",
                "cultural",
                "economic",
                "political",
                "other",
            ),
        ),
        Field("participants", "people"),
        Field("place", "place"),
        Field("figures", "figures"),
    ),
    "figure": (
        Field("kind", "enum", True, ("comparison", "envoy", "other")),
        Field("participants", "people"),
        Field("place", "place"),
        Field("figures", "figures"),
    ),
}

CATEGORIES: tuple[str, ...] = tuple(CATEGORY_FIELDS)
UNDATED_CATEGORIES = frozenset({"figure"})

FIGURE_FIELDS: tuple[Field, ...] = (
    Field("label", "text", True),
    Field("value", "number", True),
    Field("unit", "text"),
    Field("subject", "text"),
    Field("qualifier", "enum", choices=QUALIFIERS),
)

REGISTRY_FIELDS: dict[str, tuple[Field, ...]] = {
    "source": (
        Field("id", "text", True),
        Field("file", "text", True),
        Field("title", "text", True),
        Field("publisher", "text", True),
        Field("date", "date", True),
        Field("url", "text"),
        Field("licence", "text"),
        Field("author", "text"),
        Field("description", "text"),
    ),
    "person": (
        Field("id", "text", True),
        Field("name", "text", True),
        Field("country", "enum", True, ("japan", "russia", "soviet-union", "russian-empire", "other")),
        Field("roles", "texts", True),
        Field("aliases", "texts"),
        Field("sources", "sources"),
    ),
    "place": (
        Field("id", "text", True),
        Field("name", "text", True),
        Field("kind", "enum", True, ("city", "region", "island", "island-group", "country", "venue", "other")),
        Field("country", "text", True),
        Field("aliases", "texts"),
        Field("sources", "sources"),
    ),
    "term": (
        Field("id", "text", True),
        Field("name", "text", True),
        Field(
            "kind",
            "enum",
            True,
            ("treaty", "organisation", "summit", "forum", "conflict", "program", "policy", "concept", "other"),
        ),
        Field("aliases", "texts"),
        Field("facts", "ids", help="ids of the facts the term is about"),
    ),
}

SOURCE_REF_FIELDS: tuple[Field, ...] = (Field("source", "text", True), Field("quote", "text", True))


def fields_of(kind: str) -> tuple[Field, ...]:
    """Every field a record of this kind (category or registry) may have."""
    if kind in REGISTRY_FIELDS:
        return REGISTRY_FIELDS[kind]
    return COMMON_FIELDS + CATEGORY_FIELDS[kind]


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
class Source:
    id: str
    file: str
    title: str
    publisher: str
    date: PartialDate
    url: str | None = None
    licence: str | None = None
    author: str | None = None
    description: str | None = None

    def to_record(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "file": self.file,
            "title": self.title,
            "publisher": self.publisher,
            "author": self.author,
            "date": str(self.date),
            "url": self.url,
            "licence": self.licence,
            "description": self.description,
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
