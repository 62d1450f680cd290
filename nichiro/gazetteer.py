"""The gazetteer and the index terms: what the store and search both need to agree on.

How a fact becomes index terms (its fields, folded, and the words and gazetteer names each has),
which entries of the gazetteer a fact refers to, and the gazetteer itself: every name of every
person, place and key term, folded. The store builds its search index with these; search reads
queries with the same. Neither imports the other (docs/search.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from .text import fold_all, has_cjk, stem_phrase

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .model import Fact, Person, Place, Term
    from .store import Store


# The fields of a fact, heaviest first, and how BM25F weighs a word in each: its weight, how much
# a long field's words count for less (b), and the field's usual length in words (the pivot, the
# mean over the bundled facts: a constant, so that a fact's index terms do not depend on the others).
FIELD_MODEL = {
    #            weight    b  pivot
    "title": (3.0, 0.0, 11.0),
    "occasion": (1.5, 0.5, 3.0),
    "tags": (1.5, 0.5, 4.0),
    "names": (1.5, 0.5, 3.5),
    "as_written": (1.0, 0.5, 2.0),
    "details": (1.0, 0.5, 4.0),
    "summary": (1.0, 0.75, 26.0),
    "note": (0.3, 0.75, 33.0),
    "quote": (0.5, 0.75, 35.0),
}
FIELDS = tuple(FIELD_MODEL)
TF_SCALE = 256  # a term's weighted frequency is stored as round(tf * TF_SCALE) in 16 bits
CJK_KEY = "\x00cjk"  # the posting of every fact with Japanese or Chinese text (searched as substrings)

# Words that say nothing about which fact is wanted: function words, question words and
# auxiliaries in English and Russian (Japanese particles and auxiliaries are the hiragana between
# the words of a query, dropped when a Japanese query is cut into words). A query made only of
# them is searched as typed; a gazetteer name may contain them ("Treaty of Peace with Japan").
STOPWORDS = frozenset(
    """
    a an the and or but nor of in on at to for with by from into onto over under about between among
    against after before during since until till than then as per via vs versus upon within without
    is am are was were be been being do does did done doing has have had having will would shall
    should can could may might must what which who whom whose when where why how whether this that
    these those there here it its they them their he him his she her we our you your i me my any
    some all each every both either neither many much more most few such same other another not no
    also only just ever very too so if whatever whoever tell show list give find please info information
    details regarding concerning happen happens happened happening occur occurs occurred occurring
    event events thing things fact facts news
    и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне
    было вот от меня еще нет о об из ему теперь когда даже ну ли если уже или ни быть был него до вас
    нибудь уж вам ведь там потом себя ей может они тут где есть надо ней для мы тебя их чем была сам
    чтоб без будто чего тоже себе под будет ж тогда кто этот того потому этого какой какие каких
    каком какая какое которые который которая было были этом почти тем чтобы нее сейчас куда зачем
    всех можно при об над через эти нас про всего них сколько почему эту этой перед том ли же г год
    году года произошло произошли случилось происходило между против после перед около среди вокруг
    кроме вместо также
    """.split()
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


def index_terms(fields: list[tuple[str, str]], gazetteer: Gazetteer | None = None) -> dict[str, tuple[int, int]]:
    """Each word of a fact: the field it counts most in (an index into FIELDS), and how much: the
    field's weight over its length normalised as BM25F does, times TF_SCALE.

    A word counts as much as in its strongest field, not the sum over the fields: measured on both
    relevance sets, a fact that repeats a word in its summary and quote is not more about it
    (docs/search.md). With the gazetteer, its names of several words or in Japanese script too
    (found as a query would find them: a phrase of whole words, a substring in Japanese), so that a
    query for a name reads its postings rather than every text that has its words.
    """
    best: dict[str, tuple[float, int]] = {}
    norms: list[float] = []
    cjk = False
    for name, text in fields:
        norm = field_norm(name, text)
        norms.append(norm)
        f = FIELDS.index(name)
        for word in text.split():
            if word != "|" and norm > best.get(word, (0.0, 0))[0]:
                best[word] = (norm, f)
        cjk = cjk or has_cjk(text)
    if gazetteer is not None:
        names = [n for w in best for n in gazetteer.phrases_by_word.get(w, ())]
        for phrase in dict.fromkeys(names + (gazetteer.cjk_names if cjk else [])):
            padded = phrase if has_cjk(phrase) else f" {phrase} "
            for i, (name, text) in enumerate(fields):
                if padded in text and norms[i] > best.get(phrase, (0.0, 0))[0]:
                    best[phrase] = (norms[i], FIELDS.index(name))
    out = {w: (f, min(0xFFFF, round(norm * TF_SCALE))) for w, (norm, f) in best.items()}
    if cjk:
        out[CJK_KEY] = (0, TF_SCALE)
    return out


def field_norm(name: str, text: str) -> float:
    """How much a word in this field counts: the field's weight, less in a longer text (BM25F)."""
    weight, b, pivot = FIELD_MODEL[name]
    length = sum(1 for w in text.split() if w != "|")
    return weight / (1 - b + b * length / pivot)


def in_vocabulary(word: str) -> bool:
    """Whether a word of the facts may be a variant, a prefix or a typo's correction of a query word."""
    return word[0].isalnum() and " " not in word and not has_cjk(word)


def fact_links(
    fact: Fact, gazetteer: Gazetteer, about: dict[str, list[str]], places: Mapping[str, Place] | None = None
) -> dict[str, str]:
    """The gazetteer entries a fact refers to, and how: participants, place, within (a place its
    place lies in, below a country: Nagato's Yamaguchi Prefecture, Shikotan's Kuril Islands), tags or
    about (a term's facts)."""
    links = {pid: "participants" for pid in fact.details.get("participants", ())}
    for place in fact.details.get("place", ()):
        links.setdefault(place, "place")
    for place in fact.details.get("place", ()):
        parent = places[place].parent if places and place in places else None
        for _ in range(8):  # (a cycle would be a fault of the registry, caught by check)
            if not places or parent is None or parent not in places or places[parent].kind == "country":
                break
            links.setdefault(parent, "within")
            parent = places[parent].parent
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
        self.kind = kind  # person | office | place | term
        self.name = name
        self.names = names  # folded; Japanese script without spaces


Entry = tuple[str, str, str, Sequence[str]]  # (kind, id, name, aliases)


def registry_entries(people: Iterable[Person], places: Iterable[Place], terms: Iterable[Term]) -> list[Entry]:
    return [
        *((p.kind, p.id, p.name, p.aliases) for p in people),  # "person" or "office"
        *(("place", p.id, p.name, p.aliases) for p in places),
        *(("term", t.id, t.name, t.aliases) for t in terms),
    ]


def fold_names(names: list[str]) -> list[str]:
    """Names folded; a name in Japanese script also loses its spaces ("安倍 晋三" is "安倍晋三")."""
    return [n.replace(" ", "") if has_cjk(n) else n for n in fold_all(names)]


def _unqualified(names: Sequence[str]) -> list[str]:
    """Names as people write them without their qualifier in brackets: "Treaty of San Francisco
    (1951)" is also "Treaty of San Francisco", "Sakha Republic (Yakutia)" "Sakha Republic"."""
    import re

    out = []
    for name in names:
        if "(" in name:
            bare = " ".join(re.sub(r"\([^()]*\)", " ", name).split())
            if bare and bare not in names and bare not in out:
                out.append(bare)
    return out


def _family_name(folded: str) -> str | None:
    """The family name of a person's name ("valentina matviyenko" -> "matviyenko", "кунио хатояма" ->
    "хатояма"), if plain: two or three words, the last of four letters or more."""
    parts = folded.split()
    if not 2 <= len(parts) <= 3 or any(p in STOPWORDS for p in parts):
        return None
    last = parts[-1]
    return last if len(last) >= 4 and last.isalpha() and not has_cjk(last) else None


def _keys(name: str) -> list[str]:
    """The transliteration keys of a one-word name (in Latin letters or Cyrillic): see nichiro.translit."""
    from .translit import is_cyrillic, romanisations, skeleton, spellings

    if " " in name or has_cjk(name):
        return []
    latin = [s for s, _ in (*spellings(name), *romanisations(name))] if is_cyrillic(name) else [name]
    return [k for k in dict.fromkeys(skeleton(w) for w in latin) if k and len(k) >= 4]


def name_keys(name: str) -> tuple[str, list[str]]:
    """The keys (nichiro.translit) under which a folded name is found in another spelling or script:
    the whole name's, and each of its words' ("kunio hatoyama": "kunio hatoiama"; "kunio", "hatoiama")."""
    from .translit import is_cyrillic, skeleton, spellings

    if has_cjk(name):
        return "", []
    keys = []
    for word in name.split():
        latin = spellings(word)[0][0] if is_cyrillic(word) else word
        keys.append(skeleton(latin) or word)
    return " ".join(keys), [k for k in keys if len(k) >= 4] if len(keys) > 1 else []


def spelling_keys(text: str, limit: int = 64) -> list[str]:
    """The keys of every way a folded text may be spelt (each word by nichiro.translit.spellings):
    what `name_keys` of a name it means would be ("hatojama" -> "hatoiama", ...)."""
    from .translit import skeleton, spellings

    if has_cjk(text) and not all(ch in "ー・" or "\u3040" <= ch <= "\u30ff" or ch == " " for ch in text):
        return []
    per_word = [list(dict.fromkeys(skeleton(s) or s for s, _ in spellings(w))) or [w] for w in text.split()]
    keys = [""]
    for options in per_word:
        keys = [f"{k} {o}".strip() for k in keys for o in options][:limit]
    return keys


class Gazetteer:
    """Every name of every person, place and key term, folded, and the entries each names.

    Built from the registries when the store is built, and kept in the store (`rows`): a search
    reads the few rows it needs (`StoredGazetteer`) and does not fold, stem or key the names again.
    """

    def __init__(self, registry: Sequence[Entry] = ()) -> None:
        self.entities: list[Entity] = []
        self.names: dict[str, list[Entity]] = {}  # folded name or alias -> the entries it names
        self.stemmed: dict[str, list[Entity]] = {}  # the same with every word stemmed
        self.keys: dict[str, list[Entity]] = {}  # the transliteration key of a one-word name
        self.parts: dict[str, list[Entity]] = {}  # a word (or words) of a name of several words that only one entry has
        self.part_keys: dict[str, list[Entity]] = {}  # ... by its transliteration key ("tisima" of "chishima")
        self.phrase_keys: dict[str, list[Entity]] = {}  # the keys of a name of several words ("kurilskie ostrova")
        self.by_tag: dict[str, list[Entity]] = {}  # (to build the store only)
        self.cjk_names: list[str] = []  # names in Japanese script, longest first
        self.phrases: set[str] = set()  # names of several words or in Japanese script: postings of their own
        self.phrases_by_word: dict[str, list[str]] = {}  # (to build the store only)
        if registry:
            self._build(registry)

    def _build(self, registry: Sequence[Entry]) -> None:
        from .translit import is_cyrillic, phrase_keys, romanisations

        registry = [(kind, eid, name, (*names, *_unqualified((name, *names)))) for kind, eid, name, names in registry]
        folded_all = iter(fold_names([n for _, _, name, aliases in registry for n in (name, *aliases)]))
        part_of: dict[str, set[int]] = {}
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
                if " " in n and not has_cjk(n):
                    words = n.split()
                    for word in words:
                        if word not in STOPWORDS and len(word) >= 4 and word.isalpha():
                            part_of.setdefault(word, set()).add(len(self.entities) - 1)
                    # Runs of two words or more of it ("san francisco" of "treaty of san francisco").
                    for a in range(len(words)):
                        for b in range(a + 2, len(words) + (a > 0)):
                            if words[a] not in STOPWORDS and words[b - 1] not in STOPWORDS:
                                part_of.setdefault(" ".join(words[a:b]), set()).add(len(self.entities) - 1)
            # Keyed in every romanisation (nichiro.translit); ё, which folding makes е, also as yo, jo, io.
            yo = [n.replace("ё", "йо").replace("Ё", "Йо") for n in (name, *aliases) if "ё" in n or "Ё" in n]
            sources = keys + fold_names(yo)
            if kind == "person":
                sources += [f for f in map(_family_name, sources) if f and f not in sources]
            # An acronym (СССР, ООН, ВЭФ) by each system's spelling of it as is: "=sssr", "=oon", "=wef".
            for acronym in (n for n in (name, *aliases) if 2 <= len(n) <= 5 and n.isupper() and is_cyrillic(n.lower())):
                for spelt, _ in romanisations(acronym.lower()):
                    self.keys.setdefault("=" + spelt, []).append(ent)
            for n in dict.fromkeys(sources):
                for k in _keys(n):
                    self.keys.setdefault(k, []).append(ent)
                for k in phrase_keys(n):
                    if k != n:
                        self.phrase_keys.setdefault(k, []).append(ent)
            # A fact tagged with an entry's id or name (`g20`, `eastern-economic-forum`) is about it.
            for tag in {eid, *(n.replace(" ", "-") for n in folded if not has_cjk(n))}:
                self.by_tag.setdefault(tag, []).append(ent)
        tables = (self.names, self.stemmed, self.keys, self.phrase_keys, self.by_tag)
        for entries in (entries for table in tables for entries in table.values()):
            entries[:] = list({id(e): e for e in entries}.values())
        # "Chishima" of "Chishima Islands": a word that names one entry only, and is not a name itself.
        for word, owners in part_of.items():
            if len(owners) == 1 and word not in self.names:
                self.parts[word] = [self.entities[next(iter(owners))]]
                for k in _keys(word) if " " not in word else ():
                    self.part_keys.setdefault(k, []).append(self.entities[next(iter(owners))])
        self.cjk_names = sorted((n for n in self.names if has_cjk(n)), key=len, reverse=True)
        self.phrases = {n for n in self.names if " " in n or has_cjk(n)}
        # The Latin names of several words by their first word, to find which a fact may have.
        for n in sorted(self.phrases):
            if not has_cjk(n):
                self.phrases_by_word.setdefault(n.split()[0], []).append(n)

    def prefetch(self, names: Sequence[str], stems: Sequence[str]) -> None:
        """Names and stemmed names a query will look up (a stored gazetteer reads them at once)."""

    def has_postings(self, name: str) -> bool:
        """Whether a text is a name of several words or in Japanese script: the index keeps its postings."""
        return (" " in name or has_cjk(name)) and name in self.names

    def rows(self) -> tuple[list[tuple[int, str, str, str, str]], list[tuple[str, str, str]]]:
        """The gazetteer as the store keeps it: its entries (number, id, kind, name, folded names
        joined by \\x1f), and its tables (kind of key, key, entry numbers joined by spaces)."""
        number = {id(e): i for i, e in enumerate(self.entities)}
        entries = [(i, e.id, e.kind, e.name, "\x1f".join(e.names)) for i, e in enumerate(self.entities)]
        tables = [
            (kind, key, " ".join(str(number[id(e)]) for e in found))
            for kind, table in (
                ("name", self.names),
                ("stem", self.stemmed),
                ("key", self.keys),
                ("part", self.parts),
                ("part_key", self.part_keys),
                ("phrase_key", self.phrase_keys),
            )
            for key, found in table.items()
        ]
        return entries, tables


class StoredGazetteer(Gazetteer):
    """The gazetteer read from the store: a key is looked up when a query asks for it, an entry
    made when a lookup names it. A search reads a few rows, not the whole gazetteer."""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self._store = store
        self._entries: dict[int, Entity] = {}
        self.names = _Lookup(self, "name")
        self.stemmed = _Lookup(self, "stem")
        self.keys = _Lookup(self, "key")
        self.parts = _Lookup(self, "part")
        self.part_keys = _Lookup(self, "part_key")
        self.phrase_keys = _Lookup(self, "phrase_key")
        self._cjk: list[str] | None = None

    def prefetch(self, names: Sequence[str], stems: Sequence[str]) -> None:
        assert isinstance(self.names, _Lookup) and isinstance(self.stemmed, _Lookup)
        self.names.fetch(names)
        self.stemmed.fetch(stems)

    def entries(self, numbers: Iterable[int]) -> list[Entity]:
        numbers = list(numbers)
        missing = [n for n in numbers if n not in self._entries]
        if missing:
            for n, (eid, kind, name, names) in self._store.gazetteer_entries(missing).items():
                self._entries[n] = Entity(eid, kind, name, tuple(names.split("\x1f")))
        return [self._entries[n] for n in numbers]

    @property  # type: ignore[override]
    def cjk_names(self) -> list[str]:
        """Names in Japanese script, longest first (read for a query in Japanese only)."""
        if self._cjk is None:
            self._cjk = sorted((k for k in self.names if has_cjk(k)), key=len, reverse=True)
        return self._cjk

    @cjk_names.setter
    def cjk_names(self, value: list[str]) -> None:
        pass  # (Gazetteer.__init__ sets it; the stored gazetteer reads it from the store)


class _Lookup(dict):  # type: ignore[type-arg]
    """One table of the stored gazetteer (names, stems, keys, parts): key -> entries, read from the
    store when asked; every key at once only when iterated (a typo is looked for among them)."""

    def __init__(self, gazetteer: StoredGazetteer, kind: str) -> None:
        super().__init__()
        self._gazetteer = gazetteer
        self._kind = kind
        self._absent: set[str] = set()
        self._complete = False

    def fetch(self, keys: Iterable[str]) -> None:
        """Read these keys in one query (what parsing a query will ask for)."""
        wanted = [k for k in dict.fromkeys(keys) if k not in self._absent and not dict.__contains__(self, k)]
        if not wanted or self._complete:
            return
        found = self._gazetteer._store.gazetteer_keys(self._kind, wanted)
        for k in wanted:
            if k in found:
                super().__setitem__(k, found[k])
            else:
                self._absent.add(k)

    def _numbers(self, key: str) -> list[int] | None:
        if not super().__contains__(key) and key not in self._absent:
            self.fetch([key])
        return super().get(key)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._numbers(key) is not None

    def get(self, key: str, default: Any = None) -> Any:
        numbers = self._numbers(key)
        return default if numbers is None else self._gazetteer.entries(numbers)

    def __getitem__(self, key: str) -> list[Entity]:
        numbers = self._numbers(key)
        if numbers is None:
            raise KeyError(key)
        return self._gazetteer.entries(numbers)

    def __iter__(self) -> Any:
        if not self._complete:
            for k, numbers in self._gazetteer._store.gazetteer_keys(self._kind, None).items():
                super().__setitem__(k, numbers)
            self._complete = True
        return super().__iter__()

    def __len__(self) -> int:
        return sum(1 for _ in self)
