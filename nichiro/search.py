"""Search over every category: query parsing, the gazetteer, scoring, ranking and why each fact matched.

The only user of rapidfuzz, and only for a word the facts do not have (a typo). A query is read
as terms: a run of words that names an entry of the gazetteer (a person, a place or a key term,
by any of its names in any script), a year or a month (which restricts by date), or a word (found
whole, as another form of the same word, as a prefix, or with a typo). A fact scores each term by
the best field it is found in; facts that match more terms rank first, then by score, then by
date. docs/search.md has the details and the measurements.

Two halves: what the store keeps of each fact, computed once when it is built (`doc_fields`,
`word_fields`, `fact_links`), and the query, which reads the postings of its words from the store
and scores only the facts that have one of them.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterable, Sequence

from .dates import PartialDate
from .errors import UsageError
from .fields import CATEGORIES
from .gazetteer import CJK_KEY, FIELD_WEIGHTS, STOPWORDS, WEIGHTS, Entity, Gazetteer, fold_names
from .text import fold, has_cjk, normalize, stem, stem_phrase

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .store import Store

# How close a form of a term is to what was typed (times the field's weight: a term's score).
EXACT, STEM, PREFIX = 100.0, 95.0, 85.0
ALIAS = 0.98  # an entry found by another of its names, or by reference, counts a little less than as typed
TYPO_SCALE = 90.0  # a typo scores at most 90% of its similarity: always below a whole word
BROADER_DATE = 80.0  # a fact whose date only overlaps the asked-for span (a range, or a whole year)
YEAR_IN_TEXT = 90.0  # a fact that mentions the asked-for year rather than happening in it
DEFAULT_TYPO = "osa"

MONTHS = {
    name: month
    for month, names in enumerate(
        "january jan|february feb|march mar|april apr|may|june jun|july jul|august aug|"
        "september sep sept|october oct|november nov|december dec".split("|"),
        start=1,
    )
    for name in names.split()
}
_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DECADE = re.compile(r"^(1[0-9]{2}|2[0-9]{2})0s$")
_TOKEN = re.compile(r"\d{4}-\d{1,2}(?:-\d{1,2})?|[^\W_]+")
_JA_DATE = re.compile(r"(\d{4})年(?:(\d{1,2})月)?")
# Latin next to Japanese script is two words ("G20サミット"); a katakana middle dot joins ("プーチン").
_CJK_RUN = re.compile(r"(?<=[a-z])(?=[\u3040-\u30ff\u3400-\u9fff])|(?<=[\u3040-\u30ff\u3400-\u9fff])(?=[a-z])")
_MIDDLE_DOTS = str.maketrans("", "", "・･")
_PARTICLES = "のとでにはをがやへも"


class Hit:
    """A fact that matched, its score (0-100), and one entry per query term saying where and how."""

    __slots__ = ("category", "id", "matched", "n", "score")

    def __init__(self, n: int, id: str, category: str, score: float, matched: list[dict[str, str]]) -> None:
        self.n = n  # the fact's number in the store
        self.id = id
        self.category = category
        self.score = score
        self.matched = matched


class _Index:
    """What parsing a query needs: the gazetteer, and the words of the facts (from the store)."""

    def __init__(self, store: Store, gazetteer: Gazetteer) -> None:
        self.store = store
        self.gazetteer = gazetteer
        self.names = gazetteer.names
        self.stemmed = gazetteer.stemmed
        self.cjk_names = gazetteer.cjk_names
        self._vocabulary: list[str] | None = None
        self._variants: dict[str, list[str]] = {}

    def vocabulary(self) -> list[str]:
        """Every word of the facts, sorted (read only for a typo)."""
        if self._vocabulary is None:
            self._vocabulary = self.store.vocabulary()
        return self._vocabulary

    def variants(self, word: str) -> list[str]:
        """The words of the facts with the same stem as this one: "meeting", "meetings", "meets"."""
        if word not in self._variants:
            key = stem(word)
            start = key[:-1] if key.endswith("y") else key  # "ies" plurals: the stem's "y" is not in the word
            self._variants[word] = [w for w in self.store.words_with_prefix(start) if stem(w) == key]
        return self._variants[word]

    def prefixed(self, prefix: str, limit: int = 50) -> list[str]:
        return self.store.words_with_prefix(prefix, limit)


# --------------------------------------------------------------------------- typo matchers

TypoMatcher = Callable[[str, Sequence[str]], list[tuple[str, float]]]


def _edits(word: str) -> int:
    """Edits a typo may have: none in a word of up to 4 letters, 1 up to 8, then 2.

    Measured (docs/search.md): one edit in a four-letter word finds noise ("wall" is "will").
    """
    return 0 if len(word) <= 4 else 1 if len(word) <= 8 else 2


def _by_distance(metric: str) -> TypoMatcher:
    def match(word: str, choices: Sequence[str]) -> list[tuple[str, float]]:
        k = _edits(word)
        if not k:
            return []
        from rapidfuzz import distance, process  # only a query with an unknown word needs it

        scorer = getattr(distance, metric).distance
        found = process.extract(word, choices, scorer=scorer, score_cutoff=k, limit=None)
        return [(c, 1 - d / max(len(word), len(c))) for c, d, _ in found]

    return match


def _by_similarity(scorer: str, cutoff: float, scale: float = 100.0) -> TypoMatcher:
    def match(word: str, choices: Sequence[str]) -> list[tuple[str, float]]:
        if len(word) <= 4:
            return []
        from rapidfuzz import distance, fuzz, process

        module, _, name = scorer.rpartition(".")
        function = getattr(getattr(distance, module), name) if module else getattr(fuzz, name)
        found = process.extract(word, choices, scorer=function, score_cutoff=cutoff, limit=None)
        return [(c, s / scale) for c, s, _ in found]

    return match


# The matchers measured in docs/search.md; `osa` (edit distance with transpositions) won.
TYPO_MATCHERS: dict[str, TypoMatcher] = {
    "osa": _by_distance("OSA"),
    "levenshtein": _by_distance("Levenshtein"),
    "ratio80": _by_similarity("ratio", 80),
    "wratio85": _by_similarity("WRatio", 85),
    "jaro-winkler90": _by_similarity("JaroWinkler.normalized_similarity", 0.9, 1.0),
    "none": lambda word, choices: [],
}


# --------------------------------------------------------------------------- query terms


class _Form:
    """One way a term may appear in a fact: a word or phrase, or any name of a gazetteer entry."""

    __slots__ = ("entity", "how", "sim", "text")

    def __init__(self, text: str, sim: float, how: str, entity: Entity | None = None) -> None:
        self.text = text
        self.sim = sim
        self.how = how  # exact | alias | stem | prefix | typo
        self.entity = entity


class _Term:
    __slots__ = ("forms", "span", "typed", "year")

    def __init__(
        self,
        typed: str,
        forms: list[_Form] | None = None,
        span: tuple[_dt.date, _dt.date] | None = None,
        year: str = "",
    ) -> None:
        self.typed = typed
        self.forms = forms if forms is not None else []
        # A date term: the days it covers, as ISO text (what the store compares).
        self.span = (span[0].isoformat(), span[1].isoformat()) if span else None
        self.year = year  # a year term's year, which a fact may also mention


def _entity_forms(entries: Sequence[Entity], sim: float, how: str) -> list[_Form]:
    return [_Form(e.name, sim, how, e) for e in entries]


def _resolve(phrase: str, index: _Index, typo: TypoMatcher) -> _Term:
    """A word or phrase of the query with every form it may take in the facts."""
    forms: list[_Form] = []
    exact_entities = index.names.get(phrase, [])
    forms += _entity_forms(exact_entities, EXACT, "alias")
    known = bool(exact_entities)
    if " " not in phrase:
        variants = index.variants(phrase)
        if phrase in variants:
            forms.append(_Form(phrase, EXACT, "exact"))
            known = True
        forms += [_Form(w, STEM, "stem") for w in variants if w != phrase]
        if len(phrase) >= 4 and not phrase.isdigit():
            forms += [_Form(w, PREFIX, "prefix") for w in index.prefixed(phrase) if w not in variants]
    else:
        forms.append(_Form(phrase, EXACT, "exact"))
    stemmed = index.stemmed.get(stem_phrase(phrase), [])
    forms += _entity_forms([e for e in stemmed if e not in exact_entities], STEM, "alias")
    known = known or bool(stemmed)
    if not known and not phrase.isdigit():
        # Only a word the facts and the gazetteer do not have is read as a typo: a real word stays itself.
        for name, sim in typo(phrase, list(index.names)):
            forms += _entity_forms(index.names[name], TYPO_SCALE * sim, "typo")
        if " " not in phrase:
            forms += [_Form(w, TYPO_SCALE * sim, "typo") for w, sim in typo(phrase, index.vocabulary())]
    forms.sort(key=lambda f: -f.sim)
    return _Term(phrase, forms)


def _date_term(text: str) -> _Term | None:
    """A year, month or day ("2016", "2016-05", "2016-09-02"), or a decade ("1990s")."""
    decade = _DECADE.match(text)
    if decade:
        lo = PartialDate.parse(decade[1] + "0")
        return _Term(text, span=(lo.first_day(), PartialDate(lo.year + 9).last_day()))
    m = _DATE.match(text)
    if not m or not 1000 <= int(m[1]) <= 2999:
        return None
    try:
        date = PartialDate.parse("-".join(f"{int(p):02d}" if i else p for i, p in enumerate(m.groups()) if p))
    except ValueError:
        return None
    return _Term(str(date), span=(date.first_day(), date.last_day()), year="" if m[2] else m[1])


def _tokens(query: str) -> list[str]:
    text = _JA_DATE.sub(lambda m: f" {m[1]}" + (f"-{m[2]} " if m[2] else " "), normalize(query))
    text = _CJK_RUN.sub(" ", text.translate(_MIDDLE_DOTS))
    text = re.sub(r"(?<=\w)['’]s\b", "", text).translate(str.maketrans("", "", "'’ʼ‘`"))
    tokens = _TOKEN.findall(text)
    out: list[str] = []
    for tok in tokens:  # "September 2016" is 2016-09
        if out and out[-1] in MONTHS and re.fullmatch(r"\d{4}", tok):
            out[-1] = f"{tok}-{MONTHS[out[-1]]:02d}"
        else:
            out.append(tok)
    return out


def parse(query: str, index: _Index, typo: TypoMatcher) -> list[_Term]:
    """The terms of a query: gazetteer names (longest first), dates, and words."""
    tokens = _tokens(query[:1000])
    content = [t for t in tokens if t not in STOPWORDS] or tokens
    terms: list[_Term] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if has_cjk(tok):
            terms += _segment(tok, index, typo)
            i += 1
            continue
        for j in range(min(len(tokens), i + 8), i, -1):
            phrase = " ".join(tokens[i:j])
            if j - i > 1 and tokens[j - 1] in STOPWORDS:
                continue
            if phrase in index.names or (not phrase.isdigit() and stem_phrase(phrase) in index.stemmed):
                terms.append(_resolve(phrase, index, typo))
                i = j
                break
        else:
            date = _date_term(tok)
            if date is not None:
                terms.append(date)
            elif tok in content:
                fuzzy = _fuzzy_phrase(tokens, i, index, typo)
                if fuzzy is not None:
                    terms.append(fuzzy[0])
                    i = fuzzy[1]
                    continue
                terms.append(_resolve(tok, index, typo))
            i += 1
    return terms


def _fuzzy_phrase(tokens: list[str], i: int, index: _Index, typo: TypoMatcher) -> tuple[_Term, int] | None:
    """A misspelt name of several words ("Nothern Teritories"), matched as a whole."""
    multi = [n for n in index.names if " " in n]
    for j in range(min(len(tokens), i + 4), i + 1, -1):
        words = tokens[i:j]
        if any(w in STOPWORDS or _DATE.match(w) for w in (words[0], words[-1])):
            continue
        if all(w in index.variants(w) for w in words):
            continue  # real words, not a misspelt name
        phrase = " ".join(words)
        found = [(n, s) for n, s in typo(phrase, multi) if n.count(" ") == phrase.count(" ")]
        if found:
            name, sim = max(found, key=lambda f: f[1])
            return _Term(phrase, _entity_forms(index.names[name], TYPO_SCALE * sim, "typo")), j
    return None


def _segment(run: str, index: _Index, typo: TypoMatcher) -> list[_Term]:
    """Japanese written without spaces ("プーチン安倍") cut into the gazetteer's names, longest first."""
    terms: list[_Term] = []
    rest = ""
    k = 0
    while k < len(run):
        name = next((n for n in index.cjk_names if run.startswith(n, k)), None)
        if name is None:
            rest += run[k]
            k += 1
            continue
        terms += _leftover(rest, index)
        rest = ""
        terms.append(_resolve(name, index, typo))
        k += len(name)
    return terms + _leftover(rest, index)


def _leftover(text: str, index: _Index) -> list[_Term]:
    """Japanese text between the names: a family name alone ("玄葉") finds the full name's entry."""
    text = text.strip(_PARTICLES)
    if len(text) < 2:
        return []
    fuller = [e for n in index.cjk_names if n.startswith(text) for e in index.names[n]]
    unique = list({e.id: e for e in fuller}.values())
    return [_Term(text, [_Form(text, EXACT, "exact"), *_entity_forms(unique, PREFIX, "prefix")])]


# --------------------------------------------------------------------------- scoring


_WORD, _PHRASE, _SUBSTRING = 0, 1, 2  # how a needle is looked for


def _needle_kind(needle: str) -> int:
    return _SUBSTRING if has_cjk(needle) else _PHRASE if " " in needle else _WORD


# What matched where: (term as typed, field, what matched, how, gazetteer entry or None), made a
# dict for the facts shown only (`_why`); and a term's score in a fact (0-100) with it.
Why = tuple[str, str, str, str, "str | None"]
Match = tuple[float, Why]


def _why(why: Why) -> dict[str, str]:
    term, field, match, how, entity = why
    out = {"term": term, "field": field, "match": match, "how": how}
    if entity is not None:
        out["entity"] = entity
    return out


class _Query:
    """Scores a query's terms in the facts that have them, reading only their postings from the store.

    The loops run over a term's postings, not over facts: the cost follows the facts a query finds,
    not the size of the base.
    """

    def __init__(self, store: Store, terms: list[_Term], gazetteer: Gazetteer) -> None:
        self.store = store
        needles: set[str] = set()
        entities: set[str] = set()
        for term in terms:
            if term.span is not None:
                if term.year:
                    needles.add(term.year)
                continue
            for form in term.forms:
                if form.entity is None:
                    needles.add(form.text)
                else:
                    needles.update(form.entity.names)
                    entities.add(form.entity.id)
        # A name of the gazetteer has postings of its own, whatever its words or script.
        self.kinds = {n: _WORD if n in gazetteer.phrases else _needle_kind(n) for n in needles}
        fetch: set[str] = set()
        for needle, kind in self.kinds.items():
            fetch.update((needle,) if kind == _WORD else needle.split() if kind == _PHRASE else (CJK_KEY,))
        self.postings = store.postings(fetch)
        self.links = store.links(entities)
        self.texts: dict[int, list[tuple[str, str, float]]] = {}

    def having(self, needle: str) -> set[int]:
        """The facts that may have the needle (all of a phrase's words; any Japanese text)."""
        kind = self.kinds[needle]
        if kind == _WORD:
            return set(self.postings.get(needle, ()))
        if kind == _SUBSTRING:
            return set(self.postings.get(CJK_KEY, ()))
        found: set[int] | None = None
        for word in needle.split():
            posting = self.postings.get(word, {})
            found = set(posting) if found is None else found.intersection(posting)
        return found or set()

    def occurrences(self, needle: str, among: set[int] | None = None) -> Iterable[tuple[int, float, str]]:
        """(fact, weight, field) for each fact (of those given) that has the needle, in its heaviest field."""
        if self.kinds[needle] == _WORD:
            for n, i in self.postings.get(needle, {}).items():
                if among is None or n in among:
                    weight, field = FIELD_WEIGHTS[i]
                    yield n, weight, field
            return
        having = self.having(needle)
        if among is not None:
            having &= among
        missing = having.difference(self.texts)
        if missing:
            for n, fields in self.store.fields(missing).items():
                self.texts[n] = [(name, text, WEIGHTS[name]) for name, text in fields]
        padded = needle if self.kinds[needle] == _SUBSTRING else f" {needle} "
        for n in having:
            for name, text, weight in self.texts.get(n, ()):
                if padded in text:
                    yield n, weight, name
                    break

    def words(self, term: _Term, among: set[int] | None = None) -> dict[int, Match]:
        """A word term's best match in every fact (of those given) that has it: 0-100, and what matched where."""
        best: dict[int, Match] = {}
        for form in term.forms:  # best first: a later form replaces a match only when it scores higher
            if form.entity is None:
                for n, weight, field in self.occurrences(form.text, among):
                    score = form.sim * weight
                    if score > (best[n][0] if n in best else 0.0):
                        best[n] = (score, (term.typed, field, form.text, form.how, None))
                continue
            entity = form.entity
            # The entry by any of its names in the text (the name as typed counts a little more)...
            found: dict[int, tuple[float, str, str]] = {}
            for name in entity.names:
                factor = 1.0 if name == term.typed else ALIAS
                for n, weight, field in self.occurrences(name, among):
                    candidate = (weight * factor, field, name)
                    if n not in found or candidate > found[n]:
                        found[n] = candidate
            # ... or by reference: participants, place, tags, or a term's own list of facts.
            links = self.links.get(entity.id, {})
            if among is not None:
                links = {n: how for n, how in links.items() if n in among}
            for n in found.keys() | links.keys():
                hit, link = found.get(n), links.get(n)
                # A fact the curator listed under a term is about it: nothing counts more.
                linked = form.sim * (1.0 if link == "about" else ALIAS) if link else 0.0
                if hit and hit[0] * form.sim >= linked:
                    score, where, text = form.sim * hit[0], hit[1], hit[2]
                elif link:
                    score, where, text = linked, link, entity.name
                else:
                    continue
                if score > (best[n][0] if n in best else 0.0):
                    best[n] = (score, (term.typed, where, text, form.how, entity.id))
        return best

    def dates(self, term: _Term, among: set[int] | None) -> dict[int, Match]:
        """A date term's match in the facts (among those given) whose date overlaps it or that name its year."""
        assert term.span is not None
        lo, hi = term.span
        overlapping = set(self.store.overlapping(lo, hi))
        if among is not None:
            overlapping &= among
        out: dict[int, Match] = {}
        for n, (first, last, date) in self.store.columns(overlapping, "lo, hi, date").items():
            score = EXACT if lo <= first and last <= hi else BROADER_DATE
            out[n] = (score, (term.typed, "date", date, "date", None))
        if term.year:
            for n, weight, field in self.occurrences(term.year, among):
                if n not in out or YEAR_IN_TEXT * weight > out[n][0]:
                    out[n] = (YEAR_IN_TEXT * weight, (term.typed, field, term.year, "exact", None))
        return out


def search(
    store: Store, query: str, categories: tuple[str, ...], limit: int = 20, *, typo: str = DEFAULT_TYPO
) -> list[Hit]:
    """The facts that match the query, best first (then by date); empty when nothing matches."""
    if not query.strip():
        raise UsageError("search: the query is empty")
    if limit < 1:
        raise UsageError(f"--limit: {limit} is not a positive number")
    index = _index(store)
    terms = parse(query, index, TYPO_MATCHERS[typo])
    words = [i for i, t in enumerate(terms) if t.span is None]
    if not terms or (words and not any(terms[i].forms for i in words)):
        return []
    q = _Query(store, terms, index.gazetteer)
    # Dates first: a date restricts, and a fact outside it is not looked at for the words.
    dated: dict[int, dict[int, Match]] = {}
    among: set[int] | None = None
    for i, term in enumerate(terms):
        if term.span is not None:
            dated[i] = q.dates(term, among)
            among = set(dated[i])
    found: dict[int, list[Match | None]] = {}
    for i in words:
        for n, match in q.words(terms[i], among).items():
            found.setdefault(n, [None] * len(terms))[i] = match
    if not words:
        found = {n: [None] * len(terms) for n in among or ()}
    for i, matches in dated.items():  # every fact found is in every date term's matches
        for n, f in found.items():
            f[i] = matches[n]
    if set(categories) != set(CATEGORIES):
        kept = store.columns(found, "category")
        found = {n: f for n, f in found.items() if kept[n][0] in categories}
    # Facts that cover more of the words rank first, then by score, by words in the title, by date.
    scored: list[Scored] = []
    if len(terms) == 1 and words:  # the commonest query, one word or name: nothing to add up
        scored = [(1, round(m[0], 1), int(m[1][1] == "title"), n, [m[1]]) for n, (m,) in found.items() if m]
    else:
        for n, f in found.items():
            matched = [m for m in f if m is not None]
            covered = sum(1 for i in words if f[i] is not None)
            if covered or not words:
                why = [m[1] for m in matched]
                in_title = sum(w[1] == "title" for w in why)
                scored.append((covered, round(sum(m[0] for m in matched) / len(terms), 1), in_title, n, why))
    if words and scored:
        # Of a query of several words, keep the facts that match (nearly) as many as the best does.
        most = max(s[0] for s in scored)
        scored = [s for s in scored if s[0] >= most - (len(words) - 1) // 2]
    return _ranked(store, scored, limit)


Scored = tuple[int, float, int, int, list[Why]]  # (words covered, score, words in the title, fact, why)


def _ranked(store: Store, scored: list[Scored], limit: int) -> list[Hit]:
    """The best `limit` of the scored facts, ties broken by date; only the last place's ties are read by date."""
    if len(scored) > limit:
        import heapq

        last = heapq.nlargest(limit, (s[:3] for s in scored))[-1]
        better = [s for s in scored if s[:3] > last]
        tied = {s[3]: s for s in scored if s[:3] == last}
    else:
        better, tied = scored, {}
    meta = store.columns([s[3] for s in better], "id, category, sortkey")
    better.sort(key=lambda s: (-s[0], -s[1], -s[2], meta[s[3]][2]))
    hits = [Hit(n, meta[n][0], meta[n][1], score, [_why(w) for w in why]) for _, score, _, n, why in better]
    for n, fid, category in store.earliest(tied, limit - len(hits)):
        hits.append(Hit(n, fid, category, tied[n][1], [_why(w) for w in tied[n][4]]))
    return hits


_cached: tuple[Store, _Index] | None = None


def _index(store: Store) -> _Index:
    """The store's gazetteer, built on first use (a CLI run searches once; a benchmark many times)."""
    global _cached
    if _cached is None or _cached[0] is not store:
        _cached = (store, _Index(store, Gazetteer(store.entries())))
    return _cached[1]


# --------------------------------------------------------------------------- suggestions and explanations


def suggest(store: Store, query: str) -> list[str]:
    """Names of the gazetteer near the query, for a "did you mean" when nothing matched."""
    from rapidfuzz import fuzz, process

    written = [n for _, _, name, aliases in store.entries() for n in (name, *aliases)]
    shown: dict[str, str] = {}
    for folded, name in zip(fold_names(written), written, strict=True):
        shown.setdefault(folded, name)
    out: list[str] = []
    wanted = [fold(query), *(t for t in _tokens(query) if t not in STOPWORDS and len(t) >= 3)]
    for text in dict.fromkeys(w for w in wanted if w):
        for name, _, _ in process.extract(text, list(shown), scorer=fuzz.ratio, score_cutoff=70, limit=3):
            if shown[name] not in out:
                out.append(shown[name])
    return out[:3]


def suggest_ids(store: Store, wanted: str, limit: int = 5) -> list[str]:
    """Fact ids close to an unknown one."""
    from rapidfuzz import fuzz, process

    found = process.extract(wanted, store.fact_ids(), scorer=fuzz.WRatio, limit=limit, score_cutoff=60)
    return [fid for fid, _, _ in found]


def suggest_among(wanted: str, choices: list[str], limit: int = 3) -> list[str]:
    """The choices close to an unknown one (a source id, a style), for a "did you mean"."""
    from rapidfuzz import fuzz, process

    return [c for c, _, _ in process.extract(wanted, choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=60)]


def explain(hit: Hit) -> str:
    """One line saying why a fact matched: "title: abe; place: kanawa → Kawana; date: 1998 (1998-04)"."""
    parts = []
    for m in hit.matched:
        term, match, how = m["term"], m["match"], m.get("how", "")
        if how == "date":
            parts.append(f"date: {term}" + (f" ({match})" if match != term else ""))
        elif match == term:
            parts.append(f"{m['field']}: {match}")
        elif how in ("alias", "exact"):
            parts.append(f"{m['field']}: {term} → {match}")
        else:
            parts.append(f"{m['field']}: {term} ~ {match}" + (" (typo)" if how == "typo" else ""))
    return "; ".join(parts)


def hit_record(record: dict[str, Any], hit: Hit) -> dict[str, Any]:
    """A fact's JSON record as a search hit: `score` first, `matched` last (docs/json.md)."""
    return {"score": hit.score, **record, "matched": hit.matched}
