"""Filters and views over the fact base: which facts a listing command shows, in what order."""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

from .errors import UsageError
from .model import CATEGORIES, DateSpan, Fact, FactBase, PartialDate
from .text import normalize


@dataclass(frozen=True, slots=True)
class DateFilter:
    """The span a listing is limited to, from --year, --from and --to; either end may be open."""

    lo: _dt.date | None = None
    hi: _dt.date | None = None

    @classmethod
    def from_options(cls, year: int | None, date_from: str | None, date_to: str | None) -> DateFilter:
        lo = hi = None
        if year is not None:
            if not 1 <= year <= 9999:
                raise UsageError(f"--year: {year} is not a year between 1 and 9999")
            lo, hi = _dt.date(year, 1, 1), _dt.date(year, 12, 31)
        if date_from is not None:
            start = _parse_option("--from", date_from).first_day()
            lo = max(lo, start) if lo else start
        if date_to is not None:
            end = _parse_option("--to", date_to).last_day()
            hi = min(hi, end) if hi else end
        if date_from is not None and date_to is not None and lo and hi and lo > hi:
            raise UsageError(f"--from {date_from} is after --to {date_to}")
        return cls(lo, hi)

    def keeps(self, fact: Fact) -> bool:
        if self.lo is None and self.hi is None:
            return True
        return fact.date is not None and fact.date.overlaps(self.lo, self.hi)


def _parse_option(option: str, text: str) -> PartialDate:
    try:
        return PartialDate.parse(text)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def _matches_entity(wanted: str, ids: tuple[str, ...], registry: dict[str, Any]) -> bool:
    """True when any referenced entity has the wanted id, name or alias (case and accents aside)."""
    key = normalize(wanted)
    for eid in ids:
        entity = registry.get(eid)
        names = [eid] + ([entity.name, *entity.aliases] if entity else [])
        if any(key == normalize(n) or key in normalize(n).split() for n in names):
            return True
    return False


def check_category(category: str | None) -> None:
    if category is not None and category not in CATEGORIES:
        raise UsageError(f"--category: {category!r} is not one of: {', '.join(CATEGORIES)}")


def select(
    base: FactBase,
    categories: tuple[str, ...] = CATEGORIES,
    dates: DateFilter = DateFilter(),
    person: str | None = None,
    place: str | None = None,
    kind: str | None = None,
    dated_only: bool = False,
) -> list[Fact]:
    """The facts of the given categories that pass every filter, in date order."""
    out = []
    for fact in base.facts:
        if fact.category not in categories or not dates.keeps(fact):
            continue
        if dated_only and fact.date is None:
            continue
        if kind is not None and fact.details.get("kind") != kind:
            continue
        if person is not None and not _matches_entity(person, fact.details.get("participants", ()), base.people):
            continue
        if place is not None:
            where = fact.details.get("place")
            if not _matches_entity(place, (where,) if where else (), base.places):
                continue
        out.append(fact)
    return out


def record(base: FactBase, fact: Fact) -> dict[str, Any]:
    """A fact's JSON record, with the names of the people and place it refers to."""
    rec = fact.to_record()
    if "participants" in rec:
        rec["participant_names"] = [base.people[p].name if p in base.people else p for p in rec["participants"] or ()]
    if "place" in rec:
        rec["place_name"] = base.places[rec["place"]].name if rec["place"] in base.places else rec["place"]
    return rec


def detail(base: FactBase, fact: Fact) -> dict[str, Any]:
    """Everything about one fact: its record, its sources' titles, related and disagreeing facts."""
    rec = record(base, fact)
    for ref in rec["sources"]:
        src = base.sources.get(ref["source"])
        if src:
            ref["title"] = src.title
            ref["publisher"] = src.publisher
            ref["source_date"] = str(src.date)
    rec["disagreements"] = [_summary(base, base.by_id[i]) for i in fact.disagrees_with if i in base.by_id]
    rec["related_facts"] = [_summary(base, base.by_id[i]) for i in fact.related if i in base.by_id]
    return rec


def _summary(base: FactBase, fact: Fact) -> dict[str, Any]:
    return {
        "id": fact.id,
        "date": str(fact.date) if fact.date else None,
        "title": fact.title,
        "summary": fact.summary,
        "status": fact.status,
        "sources": [s.source for s in fact.sources],
    }


def span_text(span: DateSpan | None) -> str:
    return str(span) if span else ""
