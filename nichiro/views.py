"""Views over the store: records as the listings show them (trade rows, figures, places), stats, details, dumps."""

from __future__ import annotations

from .dates import DateSpan, PartialDate
from .errors import UsageError
from .fields import CATEGORIES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import Any

    from .filters import Filter, Window
    from .model import FactBase
    from .store import Store


def places_within(places: dict[str, dict[str, Any]], ids: list[str]) -> list[str]:
    """The places and every place inside them, through `parent` (Japan: Tokyo, Nagato, Yamaguchi, ...)."""
    children: dict[str, list[str]] = {}
    for pid, rec in places.items():
        if rec.get("parent"):
            children.setdefault(rec["parent"], []).append(pid)
    out = list(dict.fromkeys(ids))
    for pid in out:  # grows as it goes: a breadth-first walk down the tree
        out += [c for c in children.get(pid, ()) if c not in out]
    return out


def office_only_facts(
    store: Store,
    person_ids: list[str],
    categories: Sequence[str] = CATEGORIES,
    windows: Sequence[Window] | None = None,
    base: Filter | None = None,
) -> list[dict[str, Any]]:
    """For each person asked for, the facts that name only an office the person held, dated in the term.

    A source may name only "the Russian President"; the fact then lists the office
    (`president-of-russia`) as a participant, never the person. The people registry says who held
    the office when (terms from outside the sources, marked so). A listing for Medvedev's meetings
    uses this to say that other meetings name only the office during his term. A fact whose date
    overlaps the term counts (a fact dated 2012 is in the terms of both 2012 presidents). `windows`
    (nichiro.filters) narrows the dates; `base`, a listing's filter without the person, adds its
    other conditions (a place, a kind, ...).

    One entry per (person, office, term) that has such facts:
    `{"person", "person_name", "office", "office_name", "start", "end", "basis", "facts": [ids]}`.
    """
    from .filters import Filter, select

    people = store.registry("person")
    wanted = set(person_ids)
    out: list[dict[str, Any]] = []
    for office_id, office in people.items():
        for holder in office.get("holders") or ():
            if holder["person"] not in wanted:
                continue
            lo = PartialDate.parse(holder["start"]).first_day().isoformat()
            hi = PartialDate.parse(holder["end"]).last_day().isoformat() if holder.get("end") else "9999-12-31"
            within = [(max(lo, w_lo), min(hi, w_hi)) for w_lo, w_hi in windows or [(lo, hi)]]
            within = [(w_lo, w_hi) for w_lo, w_hi in within if w_lo <= w_hi]
            if not within:
                continue
            office_filter = (base or Filter(categories)).but(
                windows=within,
                dated=True,  # in the term: an undated fact is not known to be
                linked=[*(base.linked if base else ()), ("participants", frozenset({office_id}))],
            )
            found = select(store, office_filter)
            facts = [r["id"] for r in found if holder["person"] not in (r.get("participants") or ())]
            if facts:
                out.append(
                    {
                        "person": holder["person"],
                        "person_name": people[holder["person"]]["name"] if holder["person"] in people else "",
                        "office": office_id,
                        "office_name": office["name"],
                        "start": holder["start"],
                        "end": holder.get("end"),
                        "basis": holder["basis"],
                        "facts": facts,
                    }
                )
    return out


def office_notice(entry: dict[str, Any], noun: str = "facts") -> str:
    """One line for stderr saying which facts name only an office the person held then."""
    n = len(entry["facts"])
    term = f"{entry['start']} to {entry['end'] or 'today'}"
    basis = "; the term is from outside the sources" if entry["basis"] == "outside-sources" else ""
    return (
        f"note: {n} {noun if n != 1 else noun.rstrip('s')} in {entry['person_name']}'s term as {entry['office_name']} "
        f"({term}{basis}) name{'s' if n == 1 else ''} only the office, not who held it: {', '.join(entry['facts'])}"
    )


def what_is(store: Store, wanted: str) -> str | None:
    """What an id that is not a fact's names, and which commands show it: for `show` and `cite`,
    given a source, person, office, place, term or tag id ("pecob-2017 is a source, not a fact: ...")."""
    folded = wanted.strip().casefold()
    for kind in ("source", "person", "place", "term", "tag"):
        found = next((rid for rid in store.registry(kind) if rid.casefold() == folded), None)
        if found is None:
            continue
        rec = store.registry(kind)[found]
        if kind == "source":
            return (
                f"{found} is a source, not a fact: nichiro sources lists it, nichiro cite {found} cites it, "
                f"nichiro timeline --source {found} --with-undated lists the facts it supports"
            )
        if kind == "person":
            what = "an office" if rec.get("kind") == "office" else "a person"
            return (
                f"{found} is {what}, not a fact: nichiro people lists it, "
                f"nichiro timeline --person {found} --with-undated lists the facts it takes part in"
            )
        if kind == "place":
            return (
                f"{found} is a place, not a fact: nichiro places lists it, "
                f"nichiro timeline --place {found} --with-undated lists the facts there"
            )
        if kind == "term":
            return (
                f"{found} is a key term, not a fact: nichiro terms lists it with the ids of its facts, "
                f"and nichiro search {rec['name']!r} finds them"
            )
        return f"{found} is a tag, not a fact: nichiro timeline --tag {found} --with-undated lists its facts"
    return None


def detail(store: Store, rec: dict[str, Any]) -> dict[str, Any]:
    """Everything about one fact: its record, its sources' titles, related and disagreeing facts."""
    rec = {**rec, "sources": [dict(ref) for ref in rec["sources"]]}  # the caller's record stays as it is
    sources = store.registry("source")
    for ref in rec["sources"]:
        src = sources.get(ref["source"])
        if src:
            ref["title"] = src["title"] or f"[{src['described_as']}]"
            ref["publisher"] = src["publisher"]
            ref["source_date"] = src["date"]
    others = store.facts_by_id([*rec["disagrees_with"], *rec["related"]])
    rec["disagreements"] = [_summary(others[i]) for i in rec["disagrees_with"] if i in others]
    rec["related_facts"] = [_summary(others[i]) for i in rec["related"] if i in others]
    return rec


def _summary(rec: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": rec["id"],
        "date": rec["date"],
        "title": rec["title"],
        "summary": rec["summary"],
        "status": rec["status"],
        "sources": list(dict.fromkeys(s["source"] for s in rec["sources"])),
    }


# --------------------------------------------------------------------------- fields


def fact_fields(category: str | None = None) -> list[str]:
    """The keys of a fact record (of one category, or of any), in record order."""
    from .fields import CATEGORY_FIELDS

    cats = [category] if category else list(CATEGORY_FIELDS)
    keys = ["id", "category", "date", "date_precision", "title", "summary"]
    for cat in cats:
        keys += [f.name for f in CATEGORY_FIELDS[cat] if f.name not in keys]
    keys += ["tags", "status", "note", "as_written", "related", "disagrees_with", "former_date", "sources"]
    if any(f.name == "participants" for cat in cats for f in CATEGORY_FIELDS[cat]):
        keys.append("participant_names")
    if any(f.name == "place" for cat in cats for f in CATEGORY_FIELDS[cat]):
        keys.append("place_names")
    return keys


def listing_fields(command: str, category: str | None = None) -> list[str]:
    """The fields a listing command's --fields and --sort take (completion offers the same)."""
    from .fields import REGISTRY_FIELDS

    by_category = {
        "meetings": "meeting",
        "treaties": "treaty",
        "trade": "trade",
        "exchanges": "exchange",
        "figures": "figure",
    }
    marks = ["span"]  # beside each fact: within the dates asked for, or longer
    if command in by_category:
        extra = {"exchanges": ["amount"], "figures": ["numbers"]}.get(command, [])
        return [*fact_fields(by_category[command]), *extra, *marks]
    if command == "timeline":
        return [*fact_fields(category), *marks]
    if command == "search":
        return ["score", *fact_fields(), "matched", "unmatched", "missing", "why"]
    if command == "sources":
        return [*(f.name for f in REGISTRY_FIELDS["source"]), "facts"]
    if command == "people":
        return [*(f.name for f in REGISTRY_FIELDS["person"]), "offices"]
    if command == "places":
        return [*(f.name for f in REGISTRY_FIELDS["place"]), "within"]
    if command == "terms":
        return [f.name for f in REGISTRY_FIELDS["term"]]
    if command == "stats":
        return ["facet", "value", "count"]
    return []


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
        marks = [m for m in row["claim"].split(", ") if m]
        if rec["status"] == "claim":
            marks.append("claim")
        if rec["disagrees_with"]:
            marks.append("disagrees")  # with a figure of another source: `show` prints both
        row["claim"] = ", ".join(dict.fromkeys(marks))
        row["ids"].append(rec["id"])
    return list(rows.values())


_MONTHS = "January February March April May June July August September October November December".split()


def period_of_year(date: str | None) -> str:
    """The part of the year a figure's period covers: "" for whole years, else e.g. "January–October".

    Figures are comparable only with figures of the same part of the year (and of the same unit).
    """
    if not date:
        return "undated"
    from datetime import timedelta

    from .dates import DateSpan

    span = DateSpan.parse(date)
    lo, hi = span.lo, span.hi
    years = hi.year - lo.year + 1
    if (lo.month, lo.day, hi.month, hi.day) == (1, 1, 12, 31):
        return "" if years == 1 else f"{years} whole years"
    if years > 1:
        return f"{lo.isoformat()} to {hi.isoformat()}"
    whole_months = lo.day == 1 and (hi + timedelta(days=1)).day == 1
    if whole_months:
        first, last = _MONTHS[lo.month - 1], _MONTHS[hi.month - 1]
        return first if first == last else f"{first}–{last}"
    return f"{lo.day} {_MONTHS[lo.month - 1]}–{hi.day} {_MONTHS[hi.month - 1]}"


Bar = tuple[str, float, str]  # label, value, the value as text (with its qualifier)
Chart = tuple[str, list[tuple[str, bool, list[Bar]]]]  # title, [(heading, partial, bars)]


def trade_chart(records: list[dict[str, Any]], measure: str) -> list[Chart]:
    """The figures of one measure as charts to draw: one per unit, in sections of comparable periods.

    Each chart is (title, sections); a section is (heading, partial, bars).
    Whole years come first; each part of a year (January–October, ...) has a section of its own,
    marked as partial, so that a partial total is never read against a whole year's.
    """
    by_unit: dict[str, dict[str, list[Bar]]] = {}
    for rec in records:
        if rec["measure"] != measure:
            continue
        cited = ", ".join(dict.fromkeys(s["source"] for s in rec["sources"]))
        label = f"{rec['date'] or 'undated'}  {cited}" + ("  (claim)" if rec.get("status") == "claim" else "")
        period = period_of_year(rec["date"])
        text = amount(rec["value"], rec.get("qualifier"), "%" if rec["unit"] == "%" else "")
        if rec.get("baseline"):
            text += f" vs {rec['baseline']}"
        by_unit.setdefault(rec["unit"], {}).setdefault(period, []).append((label, rec["value"], text))
    charts = []
    for unit, periods in by_unit.items():
        sections = []
        for period in sorted(periods, key=lambda p: (p != "", p == "undated")):
            if period == "":
                heading, partial = "Whole years", False
            elif period == "undated":
                heading, partial = "Undated: periods not known, not comparable", True
            else:
                heading, partial = f"{period} only: part of a year, not comparable with whole years", True
            sections.append((heading, partial, periods[period]))
        charts.append((f"Trade, {measure}, {unit}", sections))
    return charts


def disagreements(records: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """Each pair of the listed facts' disagreements once, (id, other id), in listing order."""
    pairs: list[tuple[str, str]] = []
    for rec in records:
        for other in rec["disagrees_with"]:
            if (other, rec["id"]) not in pairs:
                pairs.append((rec["id"], other))
    return pairs


def amount(value: Any, qualifier: str | None, suffix: str = "") -> str:
    """A number with its qualifier as words: "over 20,000", "almost -33.3%"."""
    if isinstance(value, float) and value.is_integer() and abs(value) >= 1000:
        value = int(value)
    text = f"{value:,}" if isinstance(value, int) else f"{value:g}"
    if qualifier and qualifier != "exactly":
        text = f"{qualifier.replace('-', ' ')} {text}"
    return text + suffix


# --------------------------------------------------------------------------- registries and stats


def source_records(store: Store) -> list[dict[str, Any]]:
    """Each source with its metadata and how many facts cite it."""
    citing = store.citing()
    return [{**rec, "facts": citing.get(sid, 0)} for sid, rec in store.registry("source").items()]


def source_row(rec: dict[str, Any]) -> dict[str, Any]:
    """A source's record for a table: authors as names, a missing title as its description in brackets."""
    authors = rec["authors"]
    names = [a.get("name") or " ".join(p for p in (a.get("given"), a.get("family")) if p) for a in authors or ()]
    return rec | {
        "authors": "; ".join(names) if names else ("unknown" if authors is None else "none"),
        "title": rec["title"] or f"[{rec['described_as']}]",
        "licence": rec["licence"] or "unknown",
    }


FACETS = ("category", "year", "kind", "person", "place", "source", "tag", "status")
SEVERAL_YEARS, UNDATED = "several years", "undated"


def stats(
    records: list[dict[str, Any]],
    by: str,
    chosen: Filter | None = None,
    places: dict[str, dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Counts of facts by a facet, most first (in the manner of Datasette's facets); years in order.

    Each count is what the listing with that filter lists. By year, a fact counts as the listings
    list it: in every year its date overlaps (within the dates asked for), or, with --within, only
    in the year it lies within ("several years" else). By place, a fact counts at each of its places
    and at every place they lie within (`places`, the registry), as --place lists it: Japan counts
    the meetings in Tokyo.
    """
    if by not in FACETS:
        raise UsageError(f"--by: {by!r} is not one of: {', '.join(FACETS)}")
    counts: dict[str, int] = {}
    for rec in records:
        values = facet_values(rec, by, chosen, places)
        for value in values:
            counts[value] = counts.get(value, 0) + 1
    if by == "year":
        ordered = sorted(counts.items(), key=lambda kv: (not kv[0].isdigit(), kv[0] == UNDATED, kv[0].zfill(4)))
    else:
        ordered = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [{"facet": by, "value": value, "count": count} for value, count in ordered]


def _years(rec: dict[str, Any], chosen: Filter | None) -> list[str]:
    if rec["date"] is None:
        return [UNDATED]
    span = DateSpan.parse(rec["date"])
    first, last = span.lo.year, span.hi.year
    if chosen is not None and chosen.within:
        return [str(first)] if first == last else [SEVERAL_YEARS]
    years = range(first, last + 1)
    if chosen is not None and chosen.windows is not None:
        windows = [(int(lo[:4]), int(hi[:4])) for lo, hi in chosen.windows]
        years = [y for y in years if any(lo <= y <= hi for lo, hi in windows)]  # type: ignore[assignment]
    return [str(y) for y in years]


def facet_values(
    rec: dict[str, Any], by: str, chosen: Filter | None = None, places: dict[str, dict[str, Any]] | None = None
) -> list[str]:
    """The values a fact is counted under by a facet (none: a fact with no person, no place, ...)."""
    if by == "year":
        return _years(rec, chosen)
    if by == "place" and places is not None:
        return _places_around(rec, places)
    if by == "category":
        return [rec["category"]]
    if by == "kind":
        kind = rec.get("kind") or rec.get("measure") or rec.get("program")
        return [f"{rec['category']}: {kind}"] if kind else []
    if by == "person":
        return list(rec.get("participant_names") or ())
    if by == "place":
        return list(rec.get("place_names") or ())
    if by == "tag":
        return list(rec["tags"])
    if by == "status":
        return [rec["status"]]
    return sorted({s["source"] for s in rec["sources"]})


def _places_around(rec: dict[str, Any], places: dict[str, dict[str, Any]]) -> list[str]:
    """The names of a fact's places and of every place they lie within, each once: Nagato, Yamaguchi
    Prefecture, Japan."""
    names: list[str] = []
    for pid in rec.get("place") or ():
        seen: set[str] = set()
        while pid in places and pid not in seen:  # (the loader refuses a loop; never spin)
            seen.add(pid)
            names.append(places[pid]["name"])
            pid = places[pid].get("parent")
    return list(dict.fromkeys(names))


def figure_text(figures: list[dict[str, Any]] | None) -> str:
    """A figure's numbers as one line: "population, japan: 127,053,000 people; ..."."""
    parts = []
    for fig in figures or ():
        label = fig["label"] + (f", {fig['subject']}" if fig.get("subject") else "")
        unit = f" {fig['unit']}" if fig.get("unit") else ""
        parts.append(f"{label}: {amount(fig['value'], fig.get('qualifier'))}{unit}")
    return "; ".join(parts)


def people_records(store: Store) -> list[dict[str, Any]]:
    """Each person with the offices they held (from the offices' `holders`), in the order of the terms:
    `offices`, [{"office", "name", "start", "end", "basis"}], the dates as the registry gives them; [] for an office."""
    people = store.registry("person")
    held: dict[str, list[dict[str, Any]]] = {}
    for oid, office in people.items():
        for term in office.get("holders") or ():
            held.setdefault(term["person"], []).append(
                {
                    "office": oid,
                    "name": office["name"],
                    "start": term["start"],
                    "end": term.get("end"),
                    "basis": term["basis"],
                }
            )
    for terms in held.values():
        terms.sort(key=lambda t: PartialDate.parse(t["start"]).first_day())
    return [{**rec, "offices": held.get(pid, [])} for pid, rec in people.items()]


def offices_text(rec: dict[str, Any], people: dict[str, dict[str, Any]]) -> str:
    """The offices a person held, or who held an office, as one line: "President of Russia 2000-05-07 to
    2008-05-07; President of Russia since 2012-05-07"."""

    def term(start: str, end: str | None) -> str:
        return f"{start} to {end}" if end else f"since {start}"

    if rec.get("kind") == "office":
        holders = [
            f"{people.get(t['person'], {}).get('name', t['person'])} {term(t['start'], t.get('end'))}"
            for t in rec.get("holders") or ()
        ]
        return "an office" + (f", held by: {'; '.join(holders)}" if holders else "")
    by_office: dict[str, list[str]] = {}  # an office held twice is named once: Abe's two terms
    for t in rec.get("offices") or ():
        by_office.setdefault(t["name"], []).append(term(t["start"], t["end"]))
    return "; ".join(f"{name} {' and '.join(terms)}" for name, terms in by_office.items())


def place_records(store: Store) -> list[dict[str, Any]]:
    """Each place with what it lies within, by its `parent` chain: Nagato's is "Yamaguchi Prefecture, Japan"."""
    places = store.registry("place")
    out = []
    for rec in places.values():
        chain: list[str] = []
        parent = rec.get("parent")
        while parent in places and len(chain) < len(places):  # (the loader refuses a loop; never spin)
            chain.append(places[parent]["name"])
            parent = places[parent].get("parent")
        out.append({**rec, "within": ", ".join(chain)})
    return out


def dump(base: FactBase) -> dict[str, Any]:
    """The whole base as one JSON-ready object, every list in a stable order: a reviewable snapshot."""
    return {
        "facts": sorted((f.to_record() for f in base.facts), key=lambda r: r["id"]),
        "sources": [s.to_record() for s in sorted(base.sources.values(), key=lambda s: s.id)],
        "people": [p.to_record() for p in sorted(base.people.values(), key=lambda p: p.id)],
        "places": [p.to_record() for p in sorted(base.places.values(), key=lambda p: p.id)],
        "terms": [t.to_record() for t in sorted(base.terms.values(), key=lambda t: t.id)],
        "tags": [t.to_record() for t in sorted(base.tags.values(), key=lambda t: t.id)],
    }
