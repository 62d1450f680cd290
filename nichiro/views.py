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
    **equal: str | None,
) -> list[Fact]:
    """The facts of the given categories that pass every filter, in date order.

    `equal` keeps facts whose field has the given value (measure="total"); a None value is no filter.
    """
    wanted = {"kind": kind, **equal}
    wanted = {name: value for name, value in wanted.items() if value is not None}
    out = []
    for fact in base.facts:
        if fact.category not in categories or not dates.keeps(fact):
            continue
        if dated_only and fact.date is None:
            continue
        if any(fact.details.get(name) != value for name, value in wanted.items()):
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
        "sources": list(dict.fromkeys(s.source for s in fact.sources)),
    }


def span_text(span: DateSpan | None) -> str:
    return str(span) if span else ""


# --------------------------------------------------------------------------- fields


def fact_fields(category: str | None = None) -> list[str]:
    """The keys of a fact record (of one category, or of any), in record order."""
    from .model import CATEGORY_FIELDS

    cats = [category] if category else list(CATEGORY_FIELDS)
    keys = ["id", "category", "date", "date_precision", "title", "summary"]
    for cat in cats:
        keys += [f.name for f in CATEGORY_FIELDS[cat] if f.name not in keys]
    keys += ["tags", "status", "note", "as_written", "related", "disagrees_with", "sources"]
    if any(f.name == "participants" for cat in cats for f in CATEGORY_FIELDS[cat]):
        keys.append("participant_names")
    if any(f.name == "place" for cat in cats for f in CATEGORY_FIELDS[cat]):
        keys.append("place_name")
    return keys


# --------------------------------------------------------------------------- trade


def trade_table_rows(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per period, reporter and source: total, exports and imports side by side.

    Figures from different sources or periods stay in rows of their own: nothing is ever added up.
    """
    rows: dict[tuple[str, str, str], dict[str, Any]] = {}
    for rec in records:
        cited = ", ".join(dict.fromkeys(s["source"] for s in rec["sources"]))
        key = (rec["date"], rec["reporter"], cited)
        row = rows.setdefault(
            key, {"date": key[0], "reporter": key[1], "source_ids": key[2], "unit": "%", "claim": "", "ids": []}
        )
        row[rec["measure"]] = amount(rec["value"], rec.get("qualifier"), "%" if rec["unit"] == "%" else "")
        if rec["measure"] == "change" and rec.get("baseline"):
            row["change"] += f" vs {rec['baseline']}"
        if rec["unit"] != "%":
            row["unit"] = rec["unit"]
        if rec["status"] == "claim":
            row["claim"] = "claim"
        row["ids"].append(rec["id"])
    return list(rows.values())


def amount(value: Any, qualifier: str | None, suffix: str = "") -> str:
    """A number with its qualifier as words: "over 20,000", "almost -33.3%"."""
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1000:
        value = int(value)
    text = f"{value:,}" if isinstance(value, int) else f"{value:g}"
    if qualifier and qualifier != "exactly":
        text = f"{qualifier.replace('-', ' ')} {text}"
    return text + suffix


# --------------------------------------------------------------------------- registries and stats


def source_records(base: FactBase) -> list[dict[str, Any]]:
    """Each source with its metadata and how many facts (and quotes) cite it."""
    facts: dict[str, int] = {}
    for fact in base.facts:
        for sid in {s.source for s in fact.sources}:
            facts[sid] = facts.get(sid, 0) + 1
    return [{**s.to_record(), "facts": facts.get(s.id, 0)} for s in base.sources.values()]


FACETS = ("category", "year", "kind", "person", "place", "source")


def stats(base: FactBase, facts: list[Fact], by: str) -> list[dict[str, Any]]:
    """Counts of facts by a facet, most first (in the manner of Datasette's facets)."""
    if by not in FACETS:
        raise UsageError(f"--by: {by!r} is not one of: {', '.join(FACETS)}")
    counts: dict[str, int] = {}
    for fact in facts:
        for value in _facet_values(base, fact, by):
            counts[value] = counts.get(value, 0) + 1
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]) if by != "year" else (kv[0], 0))
    return [{"facet": by, "value": value, "count": count} for value, count in ordered]


def _facet_values(base: FactBase, fact: Fact, by: str) -> list[str]:
    if by == "category":
        return [fact.category]
    if by == "year":
        if fact.date is None:
            return ["undated"]
        return [str(fact.date.lo.year)]  # the year it starts: each fact counted once
    if by == "kind":
        kind = fact.details.get("kind") or fact.details.get("measure") or fact.details.get("program")
        return [f"{fact.category}: {kind}"] if kind else []
    if by == "person":
        return [base.people[p].name if p in base.people else p for p in fact.details.get("participants", ())]
    if by == "place":
        place = fact.details.get("place")
        return [base.places[place].name if place in base.places else place] if place else []
    return sorted({s.source for s in fact.sources})


def dump(base: FactBase) -> dict[str, Any]:
    """The whole base as one JSON-ready object, every list in a stable order: a reviewable snapshot."""
    return {
        "facts": sorted((f.to_record() for f in base.facts), key=lambda r: r["id"]),
        "sources": [s.to_record() for s in sorted(base.sources.values(), key=lambda s: s.id)],
        "people": [p.to_record() for p in sorted(base.people.values(), key=lambda p: p.id)],
        "places": [p.to_record() for p in sorted(base.places.values(), key=lambda p: p.id)],
        "terms": [t.to_record() for t in sorted(base.terms.values(), key=lambda t: t.id)],
    }
