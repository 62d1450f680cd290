"""Fuzzy search over every category: query terms, alias expansion, scoring and ranking.

The only user of rapidfuzz. A query is split into terms; a term is a year or year-month (which
restricts by date), a name in the gazetteer of people and places (which matches the entity by any
of its names), or a word (matched whole, as a prefix, or fuzzily for typos).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process

from .errors import UsageError
from .model import Fact, FactBase, PartialDate, Person, Place
from .text import has_cjk, normalize, words

# How much a hit in each field counts: a word in the title says more than one in a quote.
WEIGHTS = {
    "title": 1.0,
    "names": 1.0,
    "as_written": 0.95,
    "tags": 0.9,
    "details": 0.9,
    "summary": 0.85,
    "note": 0.75,
    "quote": 0.75,
}
MIN_TERM_SCORE = 70.0
FUZZY_CUTOFF = 80.0
_DATE_TERM = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


@dataclass(slots=True)
class Hit:
    fact: Fact
    score: float
    matched: list[dict[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class _Field:
    name: str
    text: str  # normalised
    words: list[str]


@dataclass(slots=True)
class _Entity:
    id: str
    names: list[str]  # normalised names and aliases


@dataclass(slots=True)
class _Term:
    text: str  # as typed, normalised
    entity: _Entity | None = None


def _fields(base: FactBase, fact: Fact) -> list[_Field]:
    names: list[str] = []
    for pid in fact.details.get("participants", ()):
        person = base.people.get(pid)
        names += [person.name, *person.aliases] if person else [pid]
    place = base.places.get(fact.details.get("place") or "")
    if place:
        names += [place.name, *place.aliases]
    detail_text = [str(v) for k, v in fact.details.items() if k in ("kind", "occasion", "provisions", "parties")]
    raw = {
        "title": [fact.title],
        "names": names,
        "as_written": list(fact.as_written),
        "tags": [t.replace("-", " ") for t in fact.tags],
        "details": detail_text,
        "summary": [fact.summary],
        "note": [fact.note or ""],
        "quote": [s.quote for s in fact.sources],
    }
    out = []
    for name, texts in raw.items():
        text = normalize(" | ".join(t for t in texts if t))
        if text:
            out.append(_Field(name, text, words(text)))
    return out


def _gazetteer(base: FactBase) -> dict[str, _Entity]:
    """Every normalised name and alias of a person or place, to the entity it names."""
    index: dict[str, _Entity] = {}
    entities: list[Person | Place] = [*base.people.values(), *base.places.values()]
    for entity in entities:
        names = [normalize(n) for n in (entity.name, *entity.aliases)]
        ent = _Entity(entity.id, names)
        for n in names:
            index.setdefault(n, ent)
    return index


def _terms(query: str, gazetteer: dict[str, _Entity]) -> list[_Term]:
    """Split a query into terms, joining the longest runs of words that name an entity."""
    tokens = words(query) if not has_cjk(query) else normalize(query).split()
    terms: list[_Term] = []
    i = 0
    while i < len(tokens):
        for j in range(len(tokens), i, -1):
            phrase = " ".join(tokens[i:j])
            ent = gazetteer.get(phrase)
            if ent and (j - i > 1 or len(phrase) > 3 or has_cjk(phrase)):
                terms.append(_Term(phrase, ent))
                i = j
                break
        else:
            terms.append(_Term(tokens[i]))
            i += 1
    return terms


def _score_term(term: _Term, fact: Fact, fields: list[_Field]) -> tuple[float, dict[str, str] | None]:
    """The best weighted score of one term in a fact's fields, and what matched where."""
    best, why = 0.0, None
    if term.entity is not None:
        refs = set(fact.details.get("participants", ())) | {fact.details.get("place")}
        if term.entity.id in refs:
            return 100.0, {"field": "names", "term": term.text, "match": term.entity.id}
        for f in fields:
            for name in term.entity.names:
                if name and _contains(f, name):
                    score = 100.0 * WEIGHTS[f.name]
                    if score > best:
                        best, why = score, {"field": f.name, "term": term.text, "match": name}
        return best, why
    for f in fields:
        weight = WEIGHTS[f.name]
        if _contains(f, term.text):
            score, match = 100.0, term.text
        elif len(term.text) >= 4 and (m := next((w for w in f.words if w.startswith(term.text)), None)):
            score, match = 92.0, m
        elif len(term.text) >= 4 and not term.text.isdigit():
            found = process.extractOne(term.text, f.words, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF)
            if not found:
                continue
            score, match = found[1] * 0.9, found[0]
        else:
            continue
        if score * weight > best:
            best, why = score * weight, {"field": f.name, "term": term.text, "match": match}
    return best, why


def _contains(f: _Field, text: str) -> bool:
    """Whole-word containment for alphabetic text; substring for Japanese and Chinese script."""
    if has_cjk(text):
        return text in f.text
    if " " in text:
        return re.search(rf"(?<!\w){re.escape(text)}(?!\w)", f.text) is not None
    return text in f.words


def search(base: FactBase, query: str, categories: tuple[str, ...], limit: int = 20) -> list[Hit]:
    """The facts that match the query, best first (then by date); empty when nothing matches."""
    if not query.strip():
        raise UsageError("search: the query is empty")
    if limit < 1:
        raise UsageError(f"--limit: {limit} is not a positive number")
    gazetteer = _gazetteer(base)
    terms = _terms(query[:1000], gazetteer)
    dates = [t for t in terms if t.entity is None and _DATE_TERM.match(t.text)]
    terms = [t for t in terms if t not in dates]
    hits: list[tuple[int, float, Hit]] = []
    for fact in base.facts:
        if fact.category not in categories or not _in_dates(fact, dates):
            continue
        if not terms:
            hits.append(
                (0, 100.0, Hit(fact, 100.0, [{"field": "date", "term": dates[0].text, "match": str(fact.date)}]))
            )
            continue
        fields = _fields(base, fact)
        scored = [_score_term(t, fact, fields) for t in terms]
        kept = [(s, w) for s, w in scored if s >= MIN_TERM_SCORE and w]
        if not kept:
            continue
        score = round(sum(s for s, _ in kept) / len(terms), 1)
        hits.append((len(kept), score, Hit(fact, score, [w for _, w in kept if w])))
    if len(terms) > 1 and hits:
        most = max(n for n, _, _ in hits)
        hits = [h for h in hits if h[0] == most or h[1] >= 60.0]
    hits.sort(key=lambda h: (-h[0], -h[1], h[2].fact.sort_key()))
    return [h for _, _, h in hits[:limit]]


def _in_dates(fact: Fact, dates: list[_Term]) -> bool:
    if not dates:
        return True
    if fact.date is None:
        return False
    for term in dates:
        try:
            span = PartialDate.parse(term.text)
        except ValueError:
            continue
        if not fact.date.overlaps(span.first_day(), span.last_day()):
            return False
    return True


def suggest(base: FactBase, query: str) -> list[str]:
    """Names and words near the query, for a "did you mean" when nothing matched."""
    vocabulary: set[str] = set()
    entities: list[Person | Place] = [*base.people.values(), *base.places.values()]
    for entity in entities:
        vocabulary.update([entity.name, *entity.aliases])
    for fact in base.facts:
        vocabulary.update(w for w in re.findall(r"[A-Za-z][\w'-]{3,}", fact.title))
    found = process.extract(query, list(vocabulary), scorer=fuzz.WRatio, processor=normalize, limit=3, score_cutoff=75)
    return [name for name, _, _ in found]


def suggest_ids(base: FactBase, wanted: str, limit: int = 5) -> list[str]:
    """Fact ids close to an unknown one."""
    found = process.extract(wanted, list(base.by_id), scorer=fuzz.WRatio, limit=limit, score_cutoff=60)
    return [fid for fid, _, _ in found]


def explain(hit: Hit) -> str:
    """One line saying why a fact matched: field: term -> matched text."""
    return "; ".join(
        f"{m['field']}: {m['match']}" if m["term"] == m["match"] else f"{m['field']}: {m['term']}→{m['match']}"
        for m in hit.matched
    )


def hit_record(record: dict[str, Any], hit: Hit) -> dict[str, Any]:
    return {"score": hit.score, **record, "matched": hit.matched}
