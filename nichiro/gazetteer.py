"""The gazetteer and the index terms: what the store and search both need to agree on.

How a fact becomes index terms (its fields, folded, and the words and gazetteer names each has),
which entries of the gazetteer a fact refers to, and the gazetteer itself: every name of every
person, place and key term, folded. The store builds its search index with these; search reads
queries with the same. Neither imports the other (docs/search.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from .text import fold_all, has_cjk, stem_phrase

TYPE_CHECKING = False
if TYPE_CHECKING:
    from .model import Fact, Person, Place, Term


# How much a hit in each field counts: a word in the title says more than one in a quote.
WEIGHTS = {
    "title": 1.0,
    "occasion": 0.95,
    "tags": 0.95,
    "names": 0.9,
    "as_written": 0.9,
    "details": 0.85,
    "summary": 0.85,
    "note": 0.7,
    "quote": 0.7,
}
FIELDS = tuple(WEIGHTS)  # the order fields are looked at: heaviest first
FIELD_WEIGHTS = tuple((WEIGHTS[f], f) for f in FIELDS)
CJK_KEY = "\x00cjk"  # the posting of every fact with Japanese or Chinese text (searched as substrings)

STOPWORDS = frozenset(
    "a an and the of in on at to for with by from or vs about between is was "
    "и в во на с со о об по к у из за для от до г".split()
)

# --------------------------------------------------------------------------- what the store keeps


def doc_fields(fact: Fact, people: dict[str, Person], places: dict[str, Place]) -> list[tuple[str, str]]:
    """A fact's searchable fields, folded, heaviest first: (field, " folded text "); empty ones left out."""
    details = fact.details
    names: list[str] = [people[p].name for p in details.get("participants", ()) if p in people]
    names += [places[p].name for p in details.get("place", ()) if p in places]
    other = [
        str(details[k])
        for k in ("kind", "provisions", "parties", "reporter", "program", "measure")
        if details.get(k) is not None
    ]
    for fig in details.get("figures") or ():
        other += [str(fig.get("label", "")), str(fig.get("subject", ""))]
    raw = {
        "title": [fact.title],
        "occasion": [str(details.get("occasion") or "")],
        "tags": [t.replace("-", " ") for t in fact.tags],
        "names": names,
        "as_written": list(fact.as_written),
        "details": other,
        "summary": [fact.summary],
        "note": [fact.note or ""],
        "quote": [s.quote for s in fact.sources],
    }
    # " | " keeps a phrase from running across two texts.
    folded = iter(fold_all([t for parts in raw.values() for t in parts]))
    fields = []
    for name, parts in raw.items():
        text = " | ".join(f for f in (next(folded) for _ in parts) if f)
        if text:
            fields.append((name, f" {text} "))
    return fields


def word_fields(fields: list[tuple[str, str]], gazetteer: Gazetteer | None = None) -> dict[str, int]:
    """Each word of a fact and the first (heaviest) field it is in, as an index into FIELDS.

    With the gazetteer, its names of several words or in Japanese script too (found as a query
    would find them: a phrase of whole words, a substring in Japanese), so that a query for a name
    reads its postings rather than every text that has its words.
    """
    out: dict[str, int] = {}
    cjk = False
    for name, text in fields:
        i = FIELDS.index(name)
        for word in text.split():
            if word not in out and word != "|":
                out[word] = i
        cjk = cjk or has_cjk(text)
    if gazetteer is not None:
        names = [n for w in out for n in gazetteer.phrases_by_word.get(w, ())]
        for phrase in dict.fromkeys(names + (gazetteer.cjk_names if cjk else [])):
            padded = phrase if has_cjk(phrase) else f" {phrase} "
            found = next((i for i, (name, text) in enumerate(fields) if padded in text), None)
            if found is not None:
                out[phrase] = FIELDS.index(fields[found][0])
    if cjk:
        out[CJK_KEY] = 0
    return out


def in_vocabulary(word: str) -> bool:
    """Whether a word of the facts may be a variant, a prefix or a typo's correction of a query word."""
    return word[0].isalnum() and " " not in word and not has_cjk(word)


def fact_links(fact: Fact, gazetteer: Gazetteer, about: dict[str, list[str]]) -> dict[str, str]:
    """The gazetteer entries a fact refers to, and how: participants, place, tags or about (a term's facts)."""
    links = {pid: "participants" for pid in fact.details.get("participants", ())}
    for place in fact.details.get("place", ()):
        links.setdefault(place, "place")
    for tag in fact.tags:
        for ent in gazetteer.by_tag.get(tag, ()):
            links.setdefault(ent.id, "tags")
    for term_id in about.get(fact.id, ()):
        links[term_id] = "about"
    return links


# --------------------------------------------------------------------------- the gazetteer


class Entity:
    """A gazetteer entry: a person, a place or a key term, with every name it goes by."""

    __slots__ = ("id", "kind", "name", "names")

    def __init__(self, id: str, kind: str, name: str, names: tuple[str, ...]) -> None:
        self.id = id
        self.kind = kind  # person | place | term
        self.name = name
        self.names = names  # folded; Japanese script without spaces


Entry = tuple[str, str, str, Sequence[str]]  # (kind, id, name, aliases)


def registry_entries(people: Iterable[Person], places: Iterable[Place], terms: Iterable[Term]) -> list[Entry]:
    return [
        *(("person", p.id, p.name, p.aliases) for p in people),
        *(("place", p.id, p.name, p.aliases) for p in places),
        *(("term", t.id, t.name, t.aliases) for t in terms),
    ]


def fold_names(names: list[str]) -> list[str]:
    """Names folded; a name in Japanese script also loses its spaces ("安倍 晋三" is "安倍晋三")."""
    return [n.replace(" ", "") if has_cjk(n) else n for n in fold_all(names)]


def _family_name(folded: str) -> str | None:
    """The family name of a person's Latin name ("valentina matviyenko" -> "matviyenko"), if plain."""
    parts = folded.split()
    if not 2 <= len(parts) <= 3 or any(p in STOPWORDS for p in parts):
        return None
    last = parts[-1]
    return last if len(last) >= 4 and last.isalpha() and last.isascii() else None


class Gazetteer:
    """Every name of every person, place and key term, folded, and the entries each names."""

    def __init__(self, registry: Sequence[Entry]) -> None:
        folded_all = iter(fold_names([n for _, _, name, aliases in registry for n in (name, *aliases)]))
        self.names: dict[str, list[Entity]] = {}  # folded name or alias -> the entries it names
        self.stemmed: dict[str, list[Entity]] = {}  # the same with every word stemmed
        self.by_tag: dict[str, list[Entity]] = {}
        self.entities: list[Entity] = []
        for kind, eid, name, aliases in registry:
            folded = tuple(dict.fromkeys(n for n in (next(folded_all) for _ in range(1 + len(aliases))) if n))
            ent = Entity(eid, kind, name, folded)
            self.entities.append(ent)
            keys = list(folded)
            if kind == "person":  # a person is also found by the family name alone ("Matviyenko")
                keys += [f for f in map(_family_name, folded) if f and f not in keys]
            for n in keys:
                self.names.setdefault(n, []).append(ent)
                if not has_cjk(n):
                    self.stemmed.setdefault(stem_phrase(n), []).append(ent)
            # A fact tagged with an entry's id or name (`g20`, `eastern-economic-forum`) is about it.
            for tag in {eid, *(n.replace(" ", "-") for n in folded if not has_cjk(n))}:
                self.by_tag.setdefault(tag, []).append(ent)
        for entries in (*self.names.values(), *self.stemmed.values(), *self.by_tag.values()):
            entries[:] = list({id(e): e for e in entries}.values())
        # Names in Japanese script, longest first: for queries written without spaces.
        self.cjk_names = sorted((n for n in self.names if has_cjk(n)), key=len, reverse=True)
        # Names of several words or in Japanese script have postings of their own; the Latin ones
        # by their first word, to find which a fact may have.
        self.phrases = {n for n in self.names if " " in n or has_cjk(n)}
        self.phrases_by_word: dict[str, list[str]] = {}
        for n in sorted(self.phrases):
            if not has_cjk(n):
                self.phrases_by_word.setdefault(n.split()[0], []).append(n)
