"""What a listing's filters mean, decided in one place: the Filter every listing and `stats` hand the store.

`build` reads a command's options into a `Filter`. Every value given to --person, --place,
--country, --source, --tag and to the closed lists (--kind, --category, --status, ...) goes through
`resolve`: the gazetteer and the normalisation search uses (case, script, accents, a family name,
a word form, a typo). A unique confident match is used, and named on stderr when it is not what
was typed ("--person Abbe: Shinzo Abe"); an unknown or ambiguous value is a usage error with
"did you mean", never a silent empty list. Repeated values follow the rules of `options`: any of
the years, kinds, places, sources; all of the people and tags.

The store answers a Filter (`Store.select`): categories, dates, sources and the links to people
and places in SQL, the rest by `Filter.matches`. `select` then puts the facts dated within the
dates asked for before the longer spans that merely overlap them.
"""

from __future__ import annotations

import sys

from .dates import DateSpan, PartialDate
from .errors import UsageError
from .fields import CATEGORIES, CATEGORY_FIELDS, UNDATED_CATEGORIES

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from typing import Any

    from .options import Args
    from .store import Store

Window = tuple[str, str]  # first and last day, ISO


class Filter:
    """Which facts a listing shows: every condition must hold; within one, any of its values.

    categories: the categories listed. windows: the date windows (a fact overlaps one of them, or
    lies within one, with `within`), None for no dates. dated: True for dated facts only, False
    for undated ones only, None for both. linked: (field, entity ids) conditions: the fact refers
    to one of the ids in that field (participants, place). sources: the fact cites one of them.
    equal: field -> values, one of which the fact's field has (kind, status, measure, ...). tags:
    the fact has all of them.
    """

    __slots__ = (
        "categories",
        "dated",
        "equal",
        "every_source",
        "left_undated",
        "linked",
        "people",
        "places",
        "sources",
        "tags",
        "unequal",
        "whole_years",
        "windows",
        "within",
    )

    def __init__(
        self,
        categories: Sequence[str] = CATEGORIES,
        windows: Sequence[Window] | None = None,
        within: bool = False,
        dated: bool | None = None,
        linked: Sequence[tuple[str, frozenset[str]]] = (),
        sources: frozenset[str] | None = None,
        equal: dict[str, frozenset[str]] | None = None,
        tags: Sequence[str] = (),
    ) -> None:
        self.categories = tuple(categories)
        self.windows = list(windows) if windows is not None else None
        self.within = within
        self.dated = dated
        self.linked = list(linked)
        self.sources = sources
        self.equal = equal or {}
        self.tags = tuple(tags)
        self.people: list[str] = []  # the people of --person, each a condition of `linked`
        self.places: list[str] = []  # the places of --place (their condition includes the places within)
        self.left_undated = False  # undated facts were left out by the listing or its dates, not asked away
        self.unequal: dict[str, frozenset[str]] = {}  # field -> values the fact's field must not have (--not-kind)
        self.every_source: list[frozenset[str]] = []  # --all-sources: the fact cites one of each (a publisher's)
        self.whole_years = False  # only facts dated by whole calendar years (trade --whole-years)

    def but(self, **changes: Any) -> Filter:
        """A copy with some conditions changed: the same listing without its dates, its people, ..."""
        copy = Filter.__new__(Filter)
        for slot in Filter.__slots__:
            object.__setattr__(copy, slot, changes.get(slot, getattr(self, slot)))
        return copy

    def matches(self, rec: dict[str, Any]) -> bool:
        """The conditions the store leaves to Python: a field's value (or not), the tags, whole years."""
        for name, values in self.equal.items():
            if rec.get(name) not in values:
                return False
        for name, values in self.unequal.items():
            if rec.get(name) in values:
                return False
        if self.whole_years and not _whole_years(rec.get("date")):
            return False
        return all(tag in rec["tags"] for tag in self.tags)

    def cites(self, rec: dict[str, Any]) -> bool:
        """Whether the fact cites the sources asked for (the store asks this in SQL; search here)."""
        cited = {s["source"] for s in rec["sources"]}
        if self.sources is not None and not cited & self.sources:
            return False
        return all(cited & group for group in self.every_source)

    def fits(self, rec: dict[str, Any]) -> bool | None:
        """True when the fact's date lies within one of the windows, False when it only overlaps; None without."""
        if self.windows is None or rec.get("date") is None:
            return None
        span = DateSpan.parse(rec["date"])
        lo, hi = span.lo.isoformat(), span.hi.isoformat()
        return any(w_lo <= lo and hi <= w_hi for w_lo, w_hi in self.windows)


# --------------------------------------------------------------------------- dates


def _whole_years(date: str | None) -> bool:
    """Whether a date covers whole calendar years: 2015, 2014/2015; not 2015-01/2015-10, nor undated."""
    if date is None:
        return False
    span = DateSpan.parse(date)
    return (span.lo.month, span.lo.day, span.hi.month, span.hi.day) == (1, 1, 12, 31)


def _partial(option: str, text: str) -> PartialDate:
    try:
        return PartialDate.parse(text)
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None


def windows(
    years: Sequence[int] = (), dates: Sequence[str] = (), date_from: str | None = None, date_to: str | None = None
) -> list[Window] | None:
    """The date windows of --year, --date (any of them) within --from and --to; None when no date is given."""
    if not (years or dates or date_from is not None or date_to is not None):
        return None
    import datetime as _dt

    spans: list[tuple[_dt.date, _dt.date]] = []
    for year in years:
        if not 1 <= year <= 9999:
            raise UsageError(f"--year: {year} is not a year between 1 and 9999")
        spans.append((_dt.date(year, 1, 1), _dt.date(year, 12, 31)))
    for text in dates:
        day = _partial("--date", text)
        spans.append((day.first_day(), day.last_day()))
    lo = _partial("--from", date_from).first_day() if date_from is not None else None
    hi = _partial("--to", date_to).last_day() if date_to is not None else None
    if lo and hi and lo > hi:
        raise UsageError(f"--from {date_from} is after --to {date_to}")
    if not spans:
        if lo is None and hi is None:
            return None
        spans = [(lo or _dt.date.min, hi or _dt.date.max)]
    kept = [(max(a, lo) if lo else a, min(b, hi) if hi else b) for a, b in spans]
    kept = sorted({(a, b) for a, b in kept if a <= b})
    if not kept:
        raise UsageError(
            "the dates asked for do not overlap: "
            + ", ".join(f"--{k} {v}" for k, v in (("from", date_from), ("to", date_to)) if v)
            + " leave nothing of "
            + ", ".join([*(f"--year {y}" for y in years), *(f"--date {d}" for d in dates)])
        )
    return [(a.isoformat(), b.isoformat()) for a, b in kept]


# --------------------------------------------------------------------------- resolving values


def key(text: str) -> str:
    """A value as the gazetteer keys names: folded as search folds them (case, accents, script, spaces)."""
    from .gazetteer import fold_names

    return fold_names([text])[0] if text.strip() else ""


class Vocabulary:
    """The values an option takes: each entry's id, the name shown for it, and the keys that name it.

    A key naming several entries is ambiguous, unless it is a group's name (a publisher of two
    sources), when it means all of them.
    """

    def __init__(self, option: str, what: str, listing: str | None = None) -> None:
        self.option = option
        self.what = what  # "person", "place", "kind", ...: for the messages
        self.listing = listing  # the command that lists the values, for the messages
        self.keys: dict[str, list[str]] = {}
        self.shown: dict[str, str] = {}
        self.groups: set[str] = set()
        self.stemmed: dict[str, list[str]] = {}
        # Keys of another spelling or script (gazetteer.name_keys): of whole names, of their words.
        self.spelled: dict[str, list[str]] = {}
        self.spelled_words: dict[str, list[str]] = {}

    def add(self, eid: str, shown: str, names: Iterable[str], group: Iterable[str] = ()) -> None:
        from .gazetteer import name_keys
        from .text import stem_phrase

        self.shown.setdefault(eid, shown)
        for name in (eid, *names):
            k = key(name)
            if k and eid not in self.keys.setdefault(k, []):
                self.keys[k].append(eid)
                self.stemmed.setdefault(stem_phrase(k), []).append(eid)
                whole, parts = name_keys(k)
                for table, spelled in ((self.spelled, whole), *((self.spelled_words, w) for w in parts)):
                    if spelled and eid not in table.setdefault(spelled, []):
                        table[spelled].append(eid)
        for name in group:
            k = key(name)
            if k:
                self.groups.add(k)
                if eid not in self.keys.setdefault(k, []):
                    self.keys[k].append(eid)

    def values(self) -> list[str]:
        return list(self.shown)

    def words(self) -> dict[str, list[str]]:
        """Every key, and every word of three letters or more of a key, with the ids it names."""
        out = {k: list(ids) for k, ids in self.keys.items()}
        for k, ids in self.keys.items():
            for word in k.split() if " " in k else ():
                if len(word) >= 3:
                    out.setdefault(word, [])
                    out[word] += [i for i in ids if i not in out[word]]
        return out


def _edits_allowed(text: str) -> int:
    """Edits a value may have and still be corrected with certainty: none in a short word."""
    n = len(text)
    return 0 if n <= 3 else 1 if n <= 5 else 2 if n <= 9 else 3


def resolve(vocabulary: Vocabulary, text: str, note: bool = True) -> list[str]:
    """The ids a value names: by a name or alias (in any script, case and accents aside), a word form,
    a word of a name, or a typo corrected with certainty. Raises UsageError for an unknown or
    ambiguous value, with "did you mean". What is not a name or alias as typed (a typo, a word of a
    name, a publisher of several sources) is named on stderr: "--person Abbe: Shinzo Abe".
    """
    from .text import stem_phrase

    option, wanted = vocabulary.option, key(text)
    if not wanted:
        raise UsageError(f"{option}: give a value")
    stages: list[tuple[str, list[str]]] = [
        ("exact", vocabulary.keys.get(wanted, [])),
        ("form", vocabulary.stemmed.get(stem_phrase(wanted), [])),
    ]
    if " " not in wanted and len(wanted) >= 3:  # a word of a name: "Shinzo", "Sputnik", "Kuril"
        stages.append(("word", [i for k, ids in vocabulary.keys.items() if wanted in k.split() for i in ids]))
    if vocabulary.spelled:  # another romanisation, transliteration or script: "Hatojama", "Jelzin", "Хатояма"
        from .gazetteer import spelling_keys

        spelt = spelling_keys(wanted)
        stages.append(("spelling", [i for k in spelt for i in vocabulary.spelled.get(k, ())]))
        stages.append(("spelling", [i for k in spelt for i in vocabulary.spelled_words.get(k, ())]))
    for how, found in stages:
        ids = list(dict.fromkeys(found))
        if len(ids) == 1 or (ids and how == "exact" and wanted in vocabulary.groups):
            # Named on stderr when it is not what was typed: a word form, a word of a name, a group.
            return _used(vocabulary, text, ids, note and (how != "exact" or len(ids) > 1))
        if ids:
            raise _ambiguous(vocabulary, text, ids)
    _several_in_one(vocabulary, text)
    from .search import nearest

    # A typo of a name, or of a word of one ("Abbe", "Vladivostock", "Putn"). Per id, its nearest
    # name: fewest edits, a whole name before a word of one, then the most similar. A name whose
    # numbers differ is never a correction (wikipedia-2020 is not wikipedia-2022), only a suggestion.
    candidates = vocabulary.keys if " " in wanted else vocabulary.words()
    ranked: dict[str, tuple[int, bool, float]] = {}
    numbered: dict[str, bool] = {}  # whether the id's nearest name has the numbers of the value
    for name, edits, similarity in nearest(wanted, list(candidates), limit=20):
        for i in candidates[name]:
            rank = (edits, name not in vocabulary.keys, -similarity)
            if rank < ranked.get(i, (99, True, 0.0)):
                ranked[i], numbered[i] = rank, _numbers(name) == _numbers(wanted)
    order = sorted(ranked, key=lambda i: ranked[i])
    if order and ranked[order[0]][0] <= _edits_allowed(wanted) and numbered[order[0]]:
        best = [i for i in order if ranked[i][:2] == ranked[order[0]][:2]]
        if len(best) == 1:
            return _used(vocabulary, text, best, True)
        raise _ambiguous(vocabulary, text, best)
    # Suggestions: the names the value begins ("wiki": both Wikipedias), then the nearest.
    starting = [i for k, ids in vocabulary.words().items() if len(wanted) >= 2 and k.startswith(wanted) for i in ids]
    suggested = list(dict.fromkeys(starting)) or order[:3]
    raise _unknown(vocabulary, text, [vocabulary.shown[i] for i in suggested])


def _numbers(text: str) -> list[str]:
    import re

    return re.findall(r"\d+", text)


def _several_in_one(vocabulary: Vocabulary, text: str) -> None:
    """Raise a usage error when a value is several values joined by commas, each of them known: the
    option is repeated for several (--kind summit --kind phone-call), as --help says."""
    parts = [p.strip() for p in text.split(",")]
    if len(parts) < 2 or not all(parts):
        return
    for part in parts:
        try:
            resolve(vocabulary, part, note=False)
        except UsageError:
            return
    repeated = " ".join(f"{vocabulary.option} {p}" for p in parts)
    raise UsageError(f"{vocabulary.option} {text!r}: give one value each time, repeating the option: {repeated}")


def _used(vocabulary: Vocabulary, text: str, ids: list[str], say: bool) -> list[str]:
    if say:
        sys.stderr.write(f"{vocabulary.option} {text}: {', '.join(vocabulary.shown[i] for i in ids)}\n")
    return ids


def _ambiguous(vocabulary: Vocabulary, text: str, ids: list[str]) -> UsageError:
    names = [vocabulary.shown[i] for i in ids]
    return UsageError(
        f"{vocabulary.option} {text!r} could be {', '.join(names[:-1])} or {names[-1]}; did you mean one of them?"
    )


def _unknown(vocabulary: Vocabulary, text: str, suggestions: list[str]) -> UsageError:
    if vocabulary.listing is None:  # a closed list: say what it holds
        message = f"{vocabulary.option}: {text!r} is not one of: {', '.join(vocabulary.values())}"
    else:
        message = f"{vocabulary.option}: no {vocabulary.what} {text!r} (see 'nichiro {vocabulary.listing}')"
    return UsageError(message + (f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""))


def closed(option: str, what: str, values: Iterable[str]) -> Vocabulary:
    """A closed list of values (kinds, categories): "phone call" is phone-call, "Summits" is summit."""
    vocabulary = Vocabulary(option, what)
    for value in values:
        vocabulary.add(value, value, [value.replace("-", " ")])
    return vocabulary


def registry(store: Store, kind: str, option: str) -> Vocabulary:
    """The people, places or sources of the store, by id, name and every alias (a person by family name too)."""
    from .gazetteer import Gazetteer

    records = store.registry(kind)
    listing = {"person": "people", "place": "places", "source": "sources"}[kind]
    vocabulary = Vocabulary(option, kind, listing)
    if kind == "source":
        for sid, rec in records.items():
            publisher = rec.get("publisher") or ""
            short = publisher.split(" (")[0]  # "Sputnik (Moscow)": "Sputnik"
            authors = [
                a.get("name") or " ".join(p for p in (a.get("given"), a.get("family")) if p)
                for a in rec.get("authors") or ()
            ]
            year = (rec.get("date") or "")[:4]
            # By its title, what it is, its authors, its other names, and its publisher with its year.
            names = [rec.get("title") or "", rec.get("described_as") or "", *authors, *(rec.get("aliases") or ())]
            names += [f"{publisher} {year}", f"{short} {year}"] if year else []
            vocabulary.add(sid, sid, [n for n in names if n], group=[publisher, short])
        return vocabulary
    # An office goes by its name and aliases only: the gazetteer's short forms of a person's name (a family
    # name) would make "President" the Russian President alone, when the House of Councillors has one too.
    offices = {rid for rid, rec in records.items() if rec.get("kind") == "office"}
    gazetteer = Gazetteer(
        [(kind, rid, rec["name"], rec["aliases"]) for rid, rec in records.items() if rid not in offices]
    )
    for name, entities in gazetteer.names.items():
        for ent in entities:
            vocabulary.add(ent.id, records[ent.id]["name"], [name])
    for rid in sorted(offices):
        vocabulary.add(rid, records[rid]["name"], [records[rid]["name"], *records[rid]["aliases"]])
    return vocabulary


def countries(store: Store, option: str, values: Iterable[str]) -> Vocabulary:
    """Country values (japan, russia, disputed, ...), also by the name of the country's place in any script."""
    places, terms = store.registry("place"), store.registry("term")
    vocabulary = Vocabulary(option, "country")
    for value in values:
        names = [value.replace("-", " ")]
        for entry in (places.get(value), terms.get(value)):  # a state of the past is a term: USSR
            names += [entry["name"], *entry["aliases"]] if entry else []
        vocabulary.add(value, value, names)
    return vocabulary


def tags(store: Store) -> Vocabulary:
    """The closed list of tags (facts/tags.toml), by id and alias: "Visa free" is visa-free, "defense" defence.

    A base of one's own without a list of tags (--facts-only) has the tags its facts carry.
    """
    vocabulary = Vocabulary("--tag", "tag", "stats --by tag")
    registry = store.registry("tag")
    if not registry:
        registry = {t: {} for rec in store.select(Filter()) for t in rec["tags"]}
    for tag, rec in sorted(registry.items()):
        vocabulary.add(tag, tag, [tag.replace("-", " "), *(rec.get("aliases") or ())])
    return vocabulary


def within_places(store: Store, ids: Iterable[str]) -> frozenset[str]:
    """These places and every place within them (their `parent` chains: Japan holds Tokyo and Nagato)."""
    from .views import places_within

    return frozenset(places_within(store.registry("place"), list(ids)))


# --------------------------------------------------------------------------- building a filter


def _choices_of(categories: Sequence[str], field: str) -> tuple[str, ...]:
    return tuple(
        dict.fromkeys(c for cat in categories for f in CATEGORY_FIELDS[cat] if f.name == field for c in f.choices)
    )


def _any(vocabulary: Vocabulary, texts: Sequence[str]) -> frozenset[str]:
    return frozenset(i for text in texts for i in resolve(vocabulary, text))


# The listing of each category's facts, and how it takes a field's value: where to send a value of another's.
LISTINGS = {
    "meeting": "meetings",
    "treaty": "treaties",
    "trade": "trade",
    "exchange": "exchanges",
    "event": "timeline",
    "figure": "figures",
}


def _elsewhere(field: str, texts: Sequence[str], categories: Sequence[str], option: str | None = None) -> None:
    """Raise a usage error that says which listing has a value this one does not: `figures --kind poll`
    is told that poll is a kind of event, listed by `timeline --kind poll`. Nothing when no other has it."""
    for text in texts:
        if _choices_of(categories, field) and any(key(text) == key(v) for v in _choices_of(categories, field)):
            continue
        for category in CATEGORIES:
            if category in categories:
                continue
            values = _choices_of((category,), field)
            match = next((v for v in values if key(v) == key(text) or key(v.replace("-", " ")) == key(text)), None)
            if match is not None:
                own = ", ".join(_choices_of(categories, field))
                what = " or ".join(dict.fromkeys(categories)) if len(categories) < 3 else "these facts"
                raise UsageError(
                    f"{option or '--' + field}: {text!r} is not a {field} of {what} ({own}); "
                    f"it is a {field} of {category}: "
                    f"nichiro {LISTINGS[category]} --{field} {match}"
                )


def build(store: Store, args: Args, categories: Sequence[str], dated: bool | None = None) -> Filter:
    """The Filter of a command's options: every option the command has that restricts what it lists."""
    given: dict[str, Any] = args.values()
    wanted = given.get("category") or ()
    if wanted:
        asked = _any(closed("--category", "category", categories), wanted)
        categories = tuple(c for c in categories if c in asked)
    dates = windows(given.get("year") or (), given.get("date") or (), given.get("date_from"), given.get("date_to"))
    _contradictions(given, dates is not None)
    if given.get("undated"):
        dated = False
        categories = tuple(c for c in categories if c in UNDATED_CATEGORIES)
    left_undated = False
    if given.get("with_undated"):
        dated = None  # the dated facts (in the dates asked for), then the undated ones
    elif dated is True or (dates is not None and dated is None):
        dated, left_undated = True, True  # an undated fact has no date to compare with the dates asked for
    linked: list[tuple[str, frozenset[str]]] = []
    people = registry(store, "person", "--person") if given.get("person") else None
    chosen_people: list[str] = []
    for text in given.get("person") or ():  # all of them: one condition each
        chosen_people += resolve(people, text)  # type: ignore[arg-type]
        linked.append(("participants", frozenset(chosen_people[-1:])))
    places: frozenset[str] = frozenset()
    if given.get("place"):
        places = _any(registry(store, "place", "--place"), given["place"])
        linked.append(("place", within_places(store, places)))
    sources = None
    every_source: list[frozenset[str]] = []
    if given.get("source"):
        vocabulary = registry(store, "source", "--source")
        groups = [frozenset(resolve(vocabulary, text)) for text in given["source"]]
        sources = frozenset().union(*groups)
        if given.get("all_sources"):
            if len(groups) < 2:
                raise UsageError("--all-sources needs several --source: the facts every one of them supports")
            every_source = groups
    elif given.get("all_sources"):
        raise UsageError("--all-sources needs several --source: the facts every one of them supports")
    equal: dict[str, frozenset[str]] = {}
    for field in ("kind", "level", "measure", "program", "direction", "status"):
        if given.get(field):
            values = _choices_of(categories, field) if field != "status" else ("fact", "claim")
            try:
                equal[field] = _any(closed(f"--{field}", field, values), given[field])
            except UsageError:
                _elsewhere(field, given[field], categories)
                raise
    unequal: dict[str, frozenset[str]] = {}
    if given.get("not_kind"):
        try:
            unequal["kind"] = _any(closed("--not-kind", "kind", _choices_of(categories, "kind")), given["not_kind"])
        except UsageError:
            _elsewhere("kind", given["not_kind"], categories, "--not-kind")
            raise
        both = sorted(equal.get("kind", frozenset()) & unequal["kind"])
        if both:
            raise UsageError(f"--kind {both[0]} and --not-kind {both[0]} contradict each other")
    tag_values = [resolve(tags(store), t)[0] for t in given.get("tag") or ()]
    out = Filter(categories, dates, bool(given.get("within")), dated, linked, sources, equal, tag_values)
    out.people = chosen_people
    out.places = sorted(places)
    out.left_undated = left_undated and any(c in UNDATED_CATEGORIES for c in categories)
    out.unequal, out.every_source = unequal, every_source
    out.whole_years = bool(given.get("whole_years"))
    return out


_DATE_FLAGS = (("year", "--year"), ("date", "--date"), ("date_from", "--from"), ("date_to", "--to"))


def _contradictions(given: dict[str, Any], dates: bool) -> None:
    """Options that contradict each other, or one that means nothing without another, are a usage error:
    never one of them silently ignored."""
    named = [flag for dest, flag in _DATE_FLAGS if given.get(dest)]
    if given.get("year") and given.get("date"):
        raise UsageError(
            "--year and --date both say which dates: give one of them (--date takes a year too; repeat it for "
            "any of several: --date 2016 --date 2015-03)"
        )
    if given.get("undated"):
        for option, on in (("--with-undated", given.get("with_undated")), ("--within", given.get("within"))):
            if on:
                raise UsageError(f"--undated lists only the undated facts: it cannot go with {option}")
        if named:
            raise UsageError(f"--undated lists only the facts that have no date: it cannot go with {named[0]}")
    if given.get("within") and not dates and given.get("by") != "year":
        raise UsageError("--within needs dates to lie within: give --year, --date, --from or --to")


def office_notes(store: Store, chosen: Filter) -> list[str]:
    """For each --person, a note on the facts that would match but name only an office the person then held.

    "meetings --person Medvedev": some sources name only "the Russian President"; those meetings list
    the office, never the person, and are not in the listing; the note says which they are.
    """
    from .views import office_notice, office_only_facts

    noun = "meetings" if chosen.categories == ("meeting",) else "facts"
    notes = []
    for pid in chosen.people:
        base = chosen.but(linked=[c for c in chosen.linked if c != ("participants", frozenset({pid}))])
        notes += [office_notice(e, noun) for e in office_only_facts(store, [pid], windows=chosen.windows, base=base)]
        notes += _holder_notes(store, pid, base, noun)
    return notes


def _holder_notes(store: Store, office_id: str, base: Filter, noun: str) -> list[str]:
    """For an office asked for as --person: the facts that name whoever held it then, not the office."""
    office = store.registry("person").get(office_id) or {}
    people = store.registry("person")
    notes = []
    for holder in office.get("holders") or ():
        lo = PartialDate.parse(holder["start"]).first_day().isoformat()
        hi = PartialDate.parse(holder["end"]).last_day().isoformat() if holder.get("end") else "9999-12-31"
        term = [(max(lo, w_lo), min(hi, w_hi)) for w_lo, w_hi in base.windows or [(lo, hi)]]
        term = [(a, b) for a, b in term if a <= b]
        if not term:
            continue
        by_holder = base.but(windows=term, linked=[*base.linked, ("participants", frozenset({holder["person"]}))])
        found = [r["id"] for r in store.select(by_holder) if office_id not in (r.get("participants") or ())]
        if found:
            name = people.get(holder["person"], {}).get("name", holder["person"])
            end = holder.get("end") or "today"
            n = len(found)
            notes.append(
                f"note: {n} {noun if n != 1 else noun.rstrip('s')} in {name}'s term as {office['name']} "
                f"({holder['start']} to {end}) name{'s' if n == 1 else ''} {name}, not the office: {', '.join(found)}"
            )
    return notes


def place_notes(store: Store, chosen: Filter) -> list[str]:
    """For --place, a note on the facts that would match but are placed only in a place around it.

    "meetings --place Tokyo": a source that says only "visited Japan" gives a meeting whose place is
    Japan. It may have been in Tokyo, or not: it is not listed, and the note says how many there are.
    """
    places = store.registry("place")
    around: set[str] = set()
    for pid in chosen.places:
        parent = places.get(pid, {}).get("parent")
        while parent in places and parent not in around:
            around.add(parent)
            parent = places[parent].get("parent")
    around -= set(within_places(store, chosen.places))
    if not around:
        return []
    others = [c for c in chosen.linked if c[0] != "place"]
    base = chosen.but(linked=[*others, ("place", frozenset(around))])
    vague = [r for r in store.select(base) if set(r.get("place") or ()) <= around]
    if not vague:
        return []
    noun = "meetings" if chosen.categories == ("meeting",) else "facts"
    names = sorted({places[p]["name"] for r in vague for p in r["place"]})
    asked = ", ".join(places[p]["name"] for p in chosen.places)
    return [
        f"note: {len(vague)} {noun if len(vague) != 1 else noun.rstrip('s')} placed only in {' or '.join(names)} "
        f"(the sources say no more) may or may not have been in {asked}, and are not listed: "
        + ", ".join(r["id"] for r in vague)
    ]


def select(store: Store, f: Filter) -> list[dict[str, Any]]:
    """The records of the facts the filter keeps: those dated within the dates asked for first, in date
    order, then the longer spans that only overlap them (without `within`), then the undated facts
    (with dates and --with-undated: `dated` None)."""
    if f.windows is None:
        return store.select(f)
    records = store.select(f.but(dated=True) if f.dated is None else f)
    if not f.within:  # the longer spans after, the nearest to the dates first: a month before a decade
        inside = [r for r in records if f.fits(r) is not False]
        records = inside + sorted((r for r in records if f.fits(r) is False), key=_length)
    if f.dated is None:
        records += store.select(f.but(windows=None, within=False, dated=False))
    return records


def _length(rec: dict[str, Any]) -> int:
    """How many days a fact's date spans (a day: 1, a year: 365 or 366)."""
    span = DateSpan.parse(rec["date"])
    return (span.hi - span.lo).days + 1


def undated_note(store: Store, f: Filter) -> str | None:
    """What a listing says when its dates (or the timeline) left out undated facts that match the rest."""
    if not f.left_undated:
        return None
    n = len(store.select(f.but(windows=None, within=False, dated=False)))
    if not n:
        return None
    why = "they have no date to compare with the dates asked for" if f.windows is not None else "not in the timeline"
    return (
        f"{n} undated {'fact matches' if n == 1 else 'facts match'} too, {why}: "
        "add --with-undated to list them after the dated ones."
    )
