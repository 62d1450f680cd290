"""Search over every category: query terms, scoring (BM25F), ranking, and why each fact matched.

The only user of rapidfuzz, and only for a word the facts do not have (a typo). A query is read
as terms: a run of words that names an entry of the gazetteer (a person, a place or a key term,
by any of its names in any script), a year or a month (which restricts by date), or a word (found
whole, as another form of the same word, in another spelling or script, or with a typo). Words
that say nothing (stopwords) are dropped; a word found nowhere is reported as unmatched. A fact
scores the sum over the terms of each term's rarity (IDF) times how strongly the fact has it
(BM25F over its fields, the gazetteer's references counting most). docs/search.md has the
details and the measurements.

What the store keeps of each fact (its index terms, its links) is computed when the store is
built, by nichiro.gazetteer; a query reads the postings of its words from the store and scores
only the facts that have one of them.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence

from .errors import UsageError
from .fields import CATEGORIES
from .gazetteer import CJK_KEY, FIELDS, STOPWORDS, TF_SCALE, Entity, Gazetteer, StoredGazetteer, field_norm, fold_names
from .text import fold, has_cjk, normalize, stem

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .store import Links, Posting, Store

# How close a form of a term is to what was typed: it scales the term's weighted frequency.
EXACT, SPELLING, STEM, TRANSLIT, PART, DERIVED, PREFIX = 1.0, 0.98, 0.9, 0.9, 0.85, 0.8, 0.75
TRANSLATED = 0.9  # a Russian or Japanese word of the glossary, as its English (nichiro.glossary)
# Suffixes that make a noun of an agent or an act, which Snowball leaves on: tried only for a word
# the facts do not have.
_DERIVATIONS = ("ors", "ers", "or", "er", "ions", "ion", "ments", "ment", "ship", "ist", "ists")
ALIAS = 0.85  # an entry found by another of its names, or by reference, counts less than by the name as typed
TYPO_SCALE = 0.9  # a typo counts at most 90% of its similarity: always below a whole word
K1 = 1.2  # BM25's saturation: a second mention of a word counts for less than the first
ENTITY_BOOST = 1.5  # a term that names an entry of the gazetteer, found by name or by reference
# A fact that refers to an entry (participants, place, tags) has it as strongly as a title word
# (FIELD_MODEL's title weight is 3); a fact the curator listed under a term is about it, and
# nothing counts more.
LINK_TF = {"about": 8.0, "participants": 3.0, "place": 3.0, "tags": 2.5, "within": 1.5}
# A date term's weight when the fact's date lies in the asked-for span: as much as a word that is
# neither rare nor common. Less when the date only overlaps the span: a broader one (a whole year
# for a month) counts half, a range of years (a fact about a period) a fifth.
HELD = 0.9  # a fact an office's holder took part in, against one that names the office
DATE_WEIGHT = 2.5
BROADER_DATE = 0.5
WIDE_DATE = 0.2
YEAR_IN_TEXT = 0.6  # ... when the fact mentions the year in its text
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
# Russian month names in any case ("декабрь", "декабря", "декабре"), by their stems.
_RU_MONTH_STEMS = "январ феврал март апрел ма июн июл август сентябр октябр ноябр декабр".split()


def _month(word: str) -> int | None:
    """The month a word names, in English ("december", "dec") or Russian ("декабре"), else None."""
    if word in MONTHS:
        return MONTHS[word]
    if word in ("май", "мая", "мае"):
        return 5
    for month, root in enumerate(_RU_MONTH_STEMS, start=1):
        if len(root) > 2 and word.startswith(root) and word[len(root) :] in ("", "ь", "я", "е", "у", "а"):
            return month
    return None


_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DECADE = re.compile(r"^(1[0-9]{2}|2[0-9]{2})0s$")
_TOKEN = re.compile(r"\d{4}\.\.(?:\d{4})?|\.\.\d{4}|\d{4}-\d{1,2}(?:-\d{1,2})?|\d+(?:[.,]\d+)+|[^\W_]+")
_RANGE = re.compile(r"^(\d{4})?\.\.(\d{4})?$")  # a span of years, open at one end or not: "2015..", "..1904"
# Years a span of: "from 2012 to 2016", "2012-2016", "since 2014", "after 2014" (from 2015), "before
# 1905" (to 1904), "until 1991"; in Russian and Japanese too. Read before the words are split.
_SPANS = (
    (r"\b(?:from|between|с|между)\s+(\d{4})\s+(?:to|and|until|till|through|по|до|и)\s+(\d{4})\b", r" \1..\2 "),
    (r"(\d{4})年?から(\d{4})年?(?:まで)?", r" \1..\2 "),
    (r"\b(\d{4})\s*[-–—]\s*(\d{4})\b", r" \1..\2 "),
    (r"\b(?:after|после)\s+(\d{4})\b", lambda m: f" {int(m[1]) + 1}.. "),
    (r"\b(?:since|from|с)\s+(\d{4})\b", r" \1.. "),
    (r"(\d{4})年?以降", r" \1.. "),
    (r"\b(?:before|до)\s+(\d{4})\b", lambda m: f" ..{int(m[1]) - 1} "),
    (r"\b(?:until|till|through|по)\s+(\d{4})\b", r" ..\1 "),
    (r"(\d{4})年?(?:以前|まで)", r" ..\1 "),
)
# Words in the longest name a query may have ("Chairman of the Federation Council of the Russian Federation").
_LONGEST = 12
_MIDDLE_DOTS = str.maketrans("", "", "・･")
# Japanese: what a query's hiragana between words is (particles, auxiliaries, okurigana) is
# dropped; these question words and counters in kanji too.
_JA_STOPWORDS = frozenset("何 誰 何人 何年 何回 何時 何故 幾つ 幾ら 年 月 日 時 事 方 等 際".split())


Key = tuple[float, ...]  # how a fact ranks, highest first: ([within the dates,] score, terms in the title)


class Hit:
    """A fact that matched, its score (0-100), and one entry per query term saying where and how."""

    __slots__ = ("category", "id", "matched", "missing", "n", "score")

    def __init__(
        self,
        n: int,
        id: str,
        category: str,
        score: float,
        matched: list[dict[str, str]],
        missing: Sequence[str] = (),
    ) -> None:
        self.n = n  # the fact's number in the store
        self.id = id
        self.category = category
        self.score = score
        self.matched = matched
        # The query's terms (words, names, dates) that were found in other facts but not in this one.
        self.missing = list(missing)


class Result:
    """What a search found: the hits, the query's words that nothing matched, and whether the
    search declined to answer because the query's distinctive words were all unmatched."""

    __slots__ = ("corrections", "declined", "elsewhere", "hits", "searched", "unmatched")

    def __init__(
        self,
        hits: list[Hit],
        unmatched: list[str],
        searched: list[str],
        declined: bool,
        corrections: list[tuple[str, str, str]],
    ) -> None:
        self.hits = hits
        self.unmatched = unmatched  # as typed
        self.searched = searched  # the terms that were searched for, as typed
        self.declined = declined
        self.corrections = corrections  # (as typed, read as, how): "hatojama", "hatoyama", "transliteration"
        # The query's dates, when its words are in facts but in none of those dates ("Abe 2019").
        self.elsewhere: list[str] = []


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


def _missing_letter(word: str, names: Iterable[str]) -> list[tuple[str, float]]:
    """Names one letter longer than a four-letter word that has lost it ("Putn" is "Putin").

    A four-letter word gets no other typo: one letter replaced finds noise ("wall" is "will").
    """
    out = []
    for name in names:
        if len(name) == 5 and name[0] == word[0] and any(name[:i] + name[i + 1 :] == word for i in range(1, 5)):
            out.append((name, 0.8))
    return out


# --------------------------------------------------------------------------- query terms


class _Form:
    """One way a term may appear in a fact: a word or phrase, or any name of a gazetteer entry."""

    __slots__ = ("entity", "how", "sim", "text")

    def __init__(self, text: str, sim: float, how: str, entity: Entity | None = None) -> None:
        self.text = text
        self.sim = sim
        self.how = how  # exact | alias | stem | spelling | prefix | transliteration | part | typo
        self.entity = entity


class _Term:
    __slots__ = ("forms", "span", "typed", "year")

    def __init__(
        self,
        typed: str,
        forms: list[_Form] | None = None,
        span: tuple[str, str] | None = None,
        year: str = "",
    ) -> None:
        self.typed = typed
        self.forms = forms if forms is not None else []
        self.span = span  # a date term: the days it covers, as ISO text (what the store compares)
        self.year = year  # a year term's year, which a fact may also mention


def _entity_forms(entries: Sequence[Entity], sim: float, how: str) -> list[_Form]:
    return [_Form(e.name, sim, how, e) for e in entries]


class _Reader:
    """What reading a query needs: the gazetteer, and the words of the facts (from the store)."""

    def __init__(self, store: Store, gazetteer: Gazetteer, typo: TypoMatcher) -> None:
        self.store = store
        self.gazetteer = gazetteer
        self.typo = typo
        self._vocabulary: list[str] | None = None
        self._bigrams: dict[str, set[str]] | None = None
        self._stems: dict[str, str] = {}
        self.known: set[str] = set()  # the query's words that the facts have (`learn`)
        # Russian and Japanese words the glossary translates, but into English that no fact has:
        # absent from the sources, as an English word would be.
        self.absent: set[str] = set()
        # Dates read as other than written ("spring 2016" as 2016): (as typed, read as, why).
        self.readings: list[tuple[str, str, str]] = []

    def learn(self, tokens: Sequence[str]) -> None:
        """The stems of the query's words that the facts have, as the store keeps them: a query of
        known words does not load the stemmer."""
        found = self.store.stems(tokens)
        self.known.update(found)
        self._stems.update(found)

    def stem(self, word: str) -> str:
        found = self._stems.get(word)
        if found is None:
            found = self._stems[word] = stem(word)
        return found

    def stem_phrase(self, phrase: str) -> str:
        return " ".join(self.stem(w) for w in phrase.split())

    def vocabulary(self) -> list[str]:
        """Every word of the facts, sorted (read only for a typo)."""
        if self._vocabulary is None:
            self._vocabulary = self.store.vocabulary()
        return self._vocabulary

    def resolve(self, phrase: str) -> _Term:
        """A word or phrase of the query with every form it may take in the facts."""
        g = self.gazetteer
        forms: list[_Form] = _entity_forms(g.names.get(phrase, []), EXACT, "alias")
        named = {f.entity for f in forms}
        if " " in phrase:
            forms.append(_Form(phrase, EXACT, "exact"))
        else:
            forms += self._variants(phrase)
            if len(phrase) >= 4 and not phrase.isdigit():
                have = {f.text for f in forms}
                forms += [_Form(w, PREFIX, "prefix") for w in self.store.words_with_prefix(phrase, 50) if w not in have]
        stemmed = [e for e in g.stemmed.get(self.stem_phrase(phrase), []) if e not in named]
        forms += _entity_forms(stemmed, STEM, "alias")
        if not any(f.how in ("exact", "alias", "stem", "spelling") for f in forms) and not phrase.isdigit():
            forms += self._unknown(phrase)
        forms.sort(key=lambda f: (-f.sim, f.entity is None))  # as close: an entry of the gazetteer first
        return _Term(phrase, forms)

    def split(self, word: str) -> list[str] | None:
        """A word the facts do not have as two words they do, written without the hyphen or space
        between them ("eightpoint", "russojapanese"): the most even cut; None when there is none."""
        if not (word.isascii() and word.isalpha() and len(word) >= 6):
            return None
        cuts = [(word[:k], word[k:]) for k in range(3, len(word) - 2)]
        cuts = [(a, b) for a, b in cuts if a not in STOPWORDS and b not in STOPWORDS]
        known = self.store.stems([w for cut in cuts for w in cut])
        found = [(a, b) for a, b in cuts if a in known and b in known]
        if not found:
            return None
        self._stems.update(known)
        self.known.update(known)
        first, second = max(found, key=lambda ab: min(len(ab[0]), len(ab[1])))
        return [first, second]

    def _variants(self, word: str) -> list[_Form]:
        """The word as typed, and the words of the facts with the same stem ("meetings", "defense")."""
        from .text import american

        key = self.stem(word)
        found = self.store.words_by("stem", [key]).get(key, [])
        out = []
        for w in found:
            if w == word:
                out.append(_Form(w, EXACT, "exact"))
            elif american(w) == american(word):
                out.append(_Form(w, SPELLING, "spelling"))
            else:
                out.append(_Form(w, STEM, "stem"))
        return out

    def _unknown(self, word: str) -> list[_Form]:
        """Forms of a word neither the facts nor the gazetteer have: another spelling or script,
        a word of a longer name, or a typo."""
        from .translit import is_cyrillic

        if is_cyrillic(word):
            from .glossary import russian

            english = russian(word)
            if english:
                return self.translated(word, english)
        forms = self.transliterated(word)
        if not forms and word in self.gazetteer.parts:
            forms = _entity_forms(self.gazetteer.parts[word], PART, "part")
        if not forms and word.isascii():  # a part of a name in another romanisation ("Tisima": "Chishima")
            forms = self.transliterated_part(word)
        if not forms and word.isascii():
            forms = self._derived(word)
        if not forms and " " not in word and not has_cjk(word) and word.isalpha():
            names = list(self.gazetteer.names)
            found = self.typo(word, names) or (_missing_letter(word, names) if len(word) == 4 else [])
            for name, sim in found:
                forms += _entity_forms(self.gazetteer.names[name], TYPO_SCALE * sim, "typo")
            forms += [_Form(w, TYPO_SCALE * sim, "typo") for w, sim in self.typo(word, self.vocabulary())]
        return forms

    def _derived(self, word: str) -> list[_Form]:
        """Words of the facts this one is derived from, which the stemmer does not join: "visitors"
        is "visit", "negotiators" "negotiate", "invaders" "invade"."""
        bases = [word[: -len(end)] for end in _DERIVATIONS if word.endswith(end) and len(word) - len(end) >= 4]
        if not bases:
            return []
        found = self.store.words_by("stem", [stem(b) for b in bases] + [stem(b + "e") for b in bases])
        return [_Form(w, DERIVED, "stem") for words in found.values() for w in words]

    def translated(self, word: str, english: Sequence[str]) -> list[_Form]:
        """The forms of a word's English translations (each as the facts have it: as typed, by stem,
        or as a name of the gazetteer); none when no fact has them (the word is then absent)."""
        forms: list[_Form] = []
        for text in english:
            forms += [
                _Form(f.text, f.sim * TRANSLATED, "translation", f.entity)
                for f in self.resolve(text).forms
                if f.how in ("exact", "alias", "stem", "spelling")
            ]
        if not forms:
            self.absent.add(word)
        return list({(f.text, id(f.entity)): f for f in forms}.values())

    def transliterated_part(self, word: str) -> list[_Form]:
        """The entries of which this word is a part of a name, in another spelling or script."""
        from .translit import skeleton, spellings

        keys = {k for k in (skeleton(s) for s, _ in spellings(word)) if k and len(k) >= 4}
        entries = {e.id: e for k in sorted(keys) for e in self.gazetteer.part_keys.get(k, [])}
        return _entity_forms(list(entries.values()), PART * TRANSLIT, "part")

    def transliterated(self, word: str) -> list[_Form]:
        """The words and names of the facts that are this word in another spelling or script."""
        from .translit import is_cyrillic, skeleton, spellings

        candidates = spellings(word)
        if is_cyrillic(word):  # an inflected Russian word: its stem too ("курилах" is "курил")
            stemmed = stem(word)
            if stemmed != word:
                candidates += spellings(stemmed)
        keys: dict[str, str] = {}
        for spelt, _ in candidates:
            key = skeleton(spelt)
            if key and len(key) >= 3:
                keys.setdefault(key, spelt)
        forms: list[_Form] = []
        if len(word) <= 5 and word.isascii():  # an acronym, as a system spells it ("sssr", "oon": СССР, ООН)
            for spelt, _ in candidates:
                forms += _entity_forms(self.gazetteer.keys.get("=" + spelt, []), TRANSLIT, "transliteration")
        if not keys:
            return forms
        seen: set[str] = set()
        for words in self.store.words_by("key", keys).values():
            for w in words:
                if w != word and w not in seen:
                    seen.add(w)
                    forms.append(_Form(w, TRANSLIT, "transliteration"))
        for key in keys:
            forms += [f for f in _entity_forms(self.gazetteer.keys.get(key, []), TRANSLIT, "transliteration")]
        if not forms and is_cyrillic(word):
            # The stem in Latin letters as the stem of an English word ("kuril" of "kurils").
            latin = [s for s, _ in candidates]
            found = self.store.words_by("stem", [stem(s) for s in latin])
            forms = [_Form(w, TRANSLIT, "transliteration") for ws in found.values() for w in ws]
        return list({(f.text, id(f.entity)): f for f in forms}.values())

    # ------------------------------------------------------------------ Japanese

    def segment(self, run: str) -> list[_Term]:
        """Japanese written without spaces ("プーチン安倍ウラジオストク") cut into the gazetteer's names,
        longest first; what lies between them is read by `_leftover`."""
        terms: list[_Term] = []
        rest = ""
        k = 0
        names = self.gazetteer.cjk_names
        while k < len(run):
            name = next((n for n in names if run.startswith(n, k)), None)
            if name is None:
                rest += run[k]
                k += 1
                continue
            terms += self._leftover(rest)
            rest = ""
            terms.append(self.resolve(name))
            k += len(name)
        return terms + self._leftover(rest)

    def _leftover(self, text: str) -> list[_Term]:
        """Japanese text between the gazetteer's names: hiragana (particles, auxiliaries) dropped;
        each run of kanji or katakana found as a family name ("玄葉"), by its character pairs in a
        longer name ("日ソ宣言"), or written in Latin letters (katakana: "クリル" is "kuril"); a run
        that none of these finds is cut into the glossary's words ("外相会談": 外相, 会談)."""
        terms: list[_Term] = []
        for piece in re.findall(r"[\u30a0-\u30ff]+|[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+", text):
            if piece in _JA_STOPWORDS or (len(piece) < 2 and not piece.isascii()):
                continue
            if piece.isascii():
                terms.append(self.resolve(piece))
                continue
            forms = self._japanese(piece)
            terms += [_Term(piece, [_Form(piece, EXACT, "exact"), *forms])] if forms else self._glossary(piece)
        return terms

    def _japanese(self, piece: str) -> list[_Form]:
        """The entries a run of kanji or katakana may be: a name it begins, in Latin letters, by pairs."""
        fuller = [e for n in self.gazetteer.cjk_names if n.startswith(piece) for e in self.gazetteer.names[n]]
        forms = _entity_forms(list({e.id: e for e in fuller}.values()), STEM, "prefix")
        if not forms and "\u30a0" <= piece[0] <= "\u30ff":  # katakana: a foreign word, written out
            forms = self.transliterated(piece)
        return forms or self._by_pairs(piece)

    def _glossary(self, piece: str) -> list[_Term]:
        """A run cut into the glossary's words (longest first), each searched for as its English; a
        translation of several words is as many terms ("訪日": visit, japan). What lies between
        them is looked for as `_japanese` does, and is unmatched when nothing has it."""
        from .glossary import JAPANESE, japanese_words

        words = japanese_words()
        terms: list[_Term] = []
        rest = ""

        def flush() -> None:
            if len(rest) >= 2 and rest not in _JA_STOPWORDS:
                terms.append(_Term(rest, [_Form(rest, EXACT, "exact"), *self._japanese(rest)]))

        k = 0
        while k < len(piece):
            word = next((w for w in words if piece.startswith(w, k)), None)
            if word is None:
                rest += piece[k]
                k += 1
                continue
            flush()
            rest = ""
            english = JAPANESE[word]
            parts = english[0].split() if len(english) == 1 and not has_cjk(english[0]) else [english]
            terms += [_Term(word, self.translated(word, [p] if isinstance(p, str) else p)) for p in parts]
            k += len(word)
        flush()
        return terms

    def _by_pairs(self, piece: str) -> list[_Form]:
        """Entries whose Japanese names have two thirds or more of the piece's pairs of characters."""
        if self._bigrams is None:
            self._bigrams = {}
            for name in self.gazetteer.cjk_names:
                for i in range(len(name) - 1):
                    self._bigrams.setdefault(name[i : i + 2], set()).add(name)
        pairs = {piece[i : i + 2] for i in range(len(piece) - 1)}
        shared: dict[str, int] = {}
        for pair in pairs:
            for name in self._bigrams.get(pair, ()):
                shared[name] = shared.get(name, 0) + 1
        best: dict[str, tuple[float, Entity]] = {}
        for name, count in shared.items():
            share = count / len(pairs)  # how much of the piece the name has
            if share >= 2 / 3:
                for e in self.gazetteer.names[name]:
                    if share > best.get(e.id, (0.0, e))[0]:
                        best[e.id] = (share, e)
        return [_Form(e.name, PART * share, "part", e) for share, e in best.values()]


def _date_term(text: str) -> _Term | None:
    """A year, month or day ("2016", "2016-05", "2016-09-02"), a decade ("1990s"), or a span of
    years ("2012..2016", "2015..", "..1904")."""
    from .dates import PartialDate

    years = _RANGE.match(text)
    if years:
        first = PartialDate(int(years[1])).first_day().isoformat() if years[1] else "0001-01-01"
        last = PartialDate(int(years[2])).last_day().isoformat() if years[2] else "9999-12-31"
        return _Term(text, span=(first, last)) if first <= last else None

    decade = _DECADE.match(text)
    if decade:
        lo = PartialDate.parse(decade[1] + "0")
        span = (lo.first_day().isoformat(), PartialDate(lo.year + 9).last_day().isoformat())
        return _Term(text, span=span)
    m = _DATE.match(text)
    if not m or not 1000 <= int(m[1]) <= 2999:
        return None
    try:
        date = PartialDate.parse("-".join(f"{int(p):02d}" if i else p for i, p in enumerate(m.groups()) if p))
    except ValueError:
        return None
    span = (date.first_day().isoformat(), date.last_day().isoformat())
    return _Term(str(date), span=span, year="" if m[2] else m[1])


def _is_day(word: str) -> bool:
    return word.isdigit() and len(word) <= 2 and 1 <= int(word) <= 31


def _tokens(query: str, said: list[tuple[str, str, str]] | None = None) -> list[str]:
    text = normalize(query)
    if any(ch.isdigit() for ch in text):
        from .querydates import dates_as_written

        text = dates_as_written(text, [] if said is None else said)
        for pattern, repl in _SPANS:
            text = re.sub(pattern, repl, text)
    if not text.isascii():
        text = re.sub(
            r"(\d{4})年(?:(\d{1,2})月(?:(\d{1,2})日)?)?",
            lambda m: f" {m[1]}" + (f"-{m[2]}" if m[2] else "") + (f"-{m[3]}" if m[3] else "") + " ",
            text,
        )
        text = text.translate(_MIDDLE_DOTS)
        # Latin next to Japanese script is two words ("G20サミット").
        cjk = "\u3040-\u30ff\u3400-\u9fff"
        text = re.sub(f"(?<=[a-z0-9])(?=[{cjk}])|(?<=[{cjk}])(?=[a-z])", " ", text)
    text = re.sub(r"(?<=\w)['’]s\b", "", text).translate(str.maketrans("", "", "'’ʼ‘`ʹʺˮ"))
    out: list[str] = []
    for tok in _TOKEN.findall(text):
        if re.fullmatch(r"\d{4}", tok) and len(out) > 1:  # "December 15, 2016", "15 декабря 2016" are 2016-12-15
            day, month = (out[-1], _month(out[-2])) if _is_day(out[-1]) else (out[-2], _month(out[-1]))
            if month is not None and _is_day(day):
                del out[-2:]
                out.append(f"{tok}-{month:02d}-{int(day):02d}")
                continue
        if re.fullmatch(r"\d{4}", tok) and out:  # "September 2016", "September of 2016", "сентябре 2016" are 2016-09
            before = out[-2] if out[-1] == "of" and len(out) > 1 else out[-1]
            month = _month(before)
            if month is not None:
                del out[-2 if out[-1] == "of" else -1 :]
                out.append(f"{tok}-{month:02d}")
                continue
        if tok[0].isdigit() and ("," in tok or "." in tok) and ".." not in tok:
            out.append(" ".join(re.split(r"[.,]", tok)))  # "30.77" and "20,000" as the facts have them
        else:
            out.append(tok)
    return out


def parse(query: str, reader: _Reader) -> list[_Term]:
    """The terms of a query: gazetteer names (longest first), dates, and words; stopwords dropped."""
    tokens = _tokens(query[:1000], reader.readings)
    content = [t for t in tokens if t not in STOPWORDS] or tokens
    reader.learn(content)
    # The names the loop below may ask for, read from the gazetteer at once.
    runs = [" ".join(tokens[i:j]) for i in range(len(tokens)) for j in range(i + 1, min(len(tokens), i + _LONGEST) + 1)]
    runs = [r for r in runs if not has_cjk(r)]
    reader.gazetteer.prefetch(runs, [reader.stem_phrase(r) for r in runs if not r.isdigit()])
    names, stemmed = reader.gazetteer.names, reader.gazetteer.stemmed
    terms: list[_Term] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if has_cjk(tok):
            terms += reader.segment(tok)
            i += 1
            continue
        for j in range(min(len(tokens), i + _LONGEST), i, -1):
            phrase = " ".join(tokens[i:j])
            if phrase in names and (j - i > 1 or tok not in STOPWORDS):  # a name as written ("Alexander I")
                terms.append(reader.resolve(phrase))
                i = j
                break
            if j - i > 1 and (tokens[j - 1] in STOPWORDS or tokens[i] in STOPWORDS):
                continue
            if not phrase.isdigit() and reader.stem_phrase(phrase) in stemmed:
                terms.append(reader.resolve(phrase))
                i = j
                break
        else:
            date = _date_term(tok)
            if date is not None:
                terms.append(date)
            elif tok in content and (spelt := _part_phrase(tokens, i, reader)) is not None:
                terms.append(spelt[0])
                i = spelt[1]
                continue
            elif tok in content and (spelt := _transliterated_phrase(tokens, i, reader)) is not None:
                terms.append(spelt[0])
                i = spelt[1]
                continue
            elif tok in content:
                fuzzy = _fuzzy_phrase(tokens, i, reader)
                if fuzzy is not None:
                    terms.append(fuzzy[0])
                    i = fuzzy[1]
                    continue
                term = reader.resolve(tok)
                parts = reader.split(tok) if all(f.how in ("typo", "prefix") for f in term.forms) else None
                if parts:  # "eightpoint" is "eight point", then read again (it may be a name with the next word)
                    tokens[i : i + 1] = parts
                    content += parts
                    reader.readings.append((tok, " ".join(parts), "joined words"))
                    continue
                terms.append(term)
            i += 1
    return terms


def _part_phrase(tokens: list[str], i: int, reader: _Reader) -> tuple[_Term, int] | None:
    """Words of a name of several words that only one entry has, with a word no fact has ("San
    Francisco" of "Treaty of San Francisco"): that entry, as a part of its name, not a word unmatched."""
    for j in range(min(len(tokens), i + 6), i + 1, -1):
        words = tokens[i:j]
        if not any(w not in reader.known and w not in STOPWORDS and not w.isdigit() for w in words):
            continue
        entries = reader.gazetteer.parts.get(" ".join(words), [])
        if entries:
            return _Term(" ".join(words), _entity_forms(entries, PART, "part")), j
    return None


def _transliterated_phrase(tokens: list[str], i: int, reader: _Reader) -> tuple[_Term, int] | None:
    """A name of several words in another romanisation or script ("Kurilskiye ostrova", "Kurilskije
    ostrowa" for Курильские острова), found by the keys its words meet in (nichiro.translit). Only
    for a run with a word that the facts do not have: a real phrase is never read as another."""
    from .gazetteer import spelling_keys

    for j in range(min(len(tokens), i + 8), i + 1, -1):
        words = tokens[i:j]
        if words[-1] in STOPWORDS or any(not w.isalnum() or has_cjk(w) for w in words) or words[0].isdigit():
            continue
        if all(w in reader.known or w in STOPWORDS for w in words):
            continue
        keys = spelling_keys(" ".join(words))
        table = reader.gazetteer.phrase_keys
        if hasattr(table, "fetch"):
            table.fetch(keys)
        entries = {e.id: e for k in keys for e in table.get(k, [])}
        if entries:
            return _Term(" ".join(words), _entity_forms(list(entries.values()), TRANSLIT, "transliteration")), j
    return None


def _fuzzy_phrase(tokens: list[str], i: int, reader: _Reader) -> tuple[_Term, int] | None:
    """A misspelt name of several words ("Nothern Teritories"), matched as a whole."""
    multi = [n for n in reader.gazetteer.names if " " in n]
    for j in range(min(len(tokens), i + 4), i + 1, -1):
        words = tokens[i:j]
        if any(w in STOPWORDS or _DATE.match(w) or " " in w for w in (words[0], words[-1])):
            continue
        known = reader.store.words_by("stem", [reader.stem(w) for w in words])
        if all(w in known.get(reader.stem(w), ()) for w in words):
            continue  # real words, not a misspelt name
        phrase = " ".join(words)
        found = [(n, s) for n, s in reader.typo(phrase, multi) if n.count(" ") == phrase.count(" ")]
        if found:
            name, sim = max(found, key=lambda f: f[1])
            return _Term(phrase, _entity_forms(reader.gazetteer.names[name], TYPO_SCALE * sim, "typo")), j
    return None


# --------------------------------------------------------------------------- scoring


_WORD, _PHRASE, _SUBSTRING = 0, 1, 2  # how a needle is looked for


def _needle_kind(needle: str) -> int:
    return _SUBSTRING if has_cjk(needle) else _PHRASE if " " in needle else _WORD


# What matched where: (term as typed, field, what matched, how, gazetteer entry or None), made a
# dict for the facts shown only (`_why`); and a term's weighted frequency in a fact with it.
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
        names: set[str] = set()  # needles that are names of the gazetteer
        entities: set[str] = set()
        offices: list[str] = []
        for term in terms:
            if term.span is not None:
                if term.year:
                    needles.add(term.year)
                continue
            for form in term.forms:
                if form.entity is None:
                    needles.add(form.text)
                else:
                    names.update(form.entity.names)
                    entities.add(form.entity.id)
                    if form.entity.kind == "office":
                        offices.append(form.entity.id)
        # A name of the gazetteer has postings of its own, whatever its words or script; a word or
        # phrase of the query may be one too.
        texts = [n for n in needles - names if _needle_kind(n) != _WORD]
        gazetteer.prefetch(texts, [])
        names.update(n for n in texts if n in gazetteer.names)
        self.kinds = {n: _WORD if n in names or _needle_kind(n) == _WORD else _needle_kind(n) for n in needles | names}
        fetch: set[str] = set()
        for needle, kind in self.kinds.items():
            fetch.update((needle,) if kind == _WORD else needle.split() if kind == _PHRASE else (CJK_KEY,))
        self.postings = store.postings(fetch)
        # An office (a person of kind "office") is also held by people, for a time: the facts its
        # holders took part in while they held it are about it ("Russian Foreign Minister": Lavrov).
        self.holders: dict[str, list[tuple[str, str, str, str]]] = {}  # office -> (person, name, first, last day)
        if offices:
            people = store.registry("person")
            for office in offices:
                for h in people[office].get("holders") or ():
                    if h["person"] in people:
                        first, last = _span_days(h["start"], h.get("end"))
                        self.holders.setdefault(office, []).append(
                            (h["person"], people[h["person"]]["name"], first, last)
                        )
            entities = entities | {p for held in self.holders.values() for p, _, _, _ in held}
        self.links = store.links(entities)
        self.texts: dict[int, list[tuple[str, str]]] = {}

    def held(self, office: str, among: set[int] | None) -> dict[int, str]:
        """The facts an office's holders took part in while they held it: fact -> the holder's name."""
        candidates = {
            n: (name, first, last)
            for person, name, first, last in self.holders.get(office, ())
            for n, how in (self.links[person].items() if person in self.links else ())
            if how == "participants" and (among is None or n in among)
        }
        if not candidates:
            return {}
        dates = self.store.columns(candidates, "lo, hi")
        return {
            n: name
            for n, (name, first, last) in candidates.items()
            if dates[n][0] is not None and first <= dates[n][0] and dates[n][1] <= last
        }

    def having(self, needle: str) -> set[int]:
        """The facts that may have the needle (all of a phrase's words; any Japanese text)."""
        kind = self.kinds[needle]
        if kind == _WORD:
            return set(self.postings[needle].keys()) if needle in self.postings else set()
        if kind == _SUBSTRING:
            return set(self.postings[CJK_KEY].keys()) if CJK_KEY in self.postings else set()
        found: set[int] | None = None
        for word in needle.split():
            facts = self.postings[word].keys() if word in self.postings else set()
            found = set(facts) if found is None else found.intersection(facts)
        return found or set()

    def occurrences(self, needle: str, among: set[int] | None = None) -> dict[int, tuple[float, str]]:
        """For each fact (of those given) that has the needle: its weight there, and the field."""
        if self.kinds[needle] == _WORD:
            posting = self.postings.get(needle)
            if not posting:
                return {}
            scale = 1 / TF_SCALE
            if among is None:
                return {n: (tf * scale, FIELDS[i]) for n, (i, tf) in posting.items()}
            return {n: (tf * scale, FIELDS[i]) for n, (i, tf) in posting.subset(among).items()}
        having = self.having(needle)
        if among is not None:
            having &= among
        missing = having.difference(self.texts)
        if missing:
            self.texts.update(self.store.fields(missing))
        padded = needle if self.kinds[needle] == _SUBSTRING else f" {needle} "
        out: dict[int, tuple[float, str]] = {}
        for n in having:
            found = [(field_norm(name, text), name) for name, text in self.texts.get(n, ()) if padded in text]
            if found:
                out[n] = max(found)
        return out

    def top_tier(self, term: _Term, limit: int) -> tuple[float, set[int], set[int]] | None:
        """For a term that many facts have as strongly as any fact does (a common word in a large
        base): that strength, and the facts that have it so, those with it in the title first.
        None when fewer than `limit` share the top, or when the term has a form looked for in the
        texts, or an office: then `words` scores every fact.

        Enough to rank a single term (ties go by date): it spares scoring thousands of facts of
        which twenty are shown. The strengths are computed as `words` computes them."""
        sources: list[tuple[Posting, float]] = []  # (posting, factor on its weight)
        linked: list[tuple[Links, float]] = []  # (links, closeness)
        named: set[str] = set()
        for form in term.forms:
            if form.entity is None:
                if form.text in named and form.sim <= EXACT:
                    continue
                if self.kinds.get(form.text) != _WORD:
                    return None
                if form.text in self.postings:
                    sources.append((self.postings[form.text], form.sim / TF_SCALE))
                continue
            entity = form.entity
            if entity.id in self.holders:
                return None
            named.update(entity.names)
            corrected = form.how in _CORRECTED
            for name in entity.names:
                if self.kinds.get(name) != _WORD:
                    return None
                factor = 1.0 if name == term.typed or corrected else ALIAS
                if name in self.postings:
                    sources.append((self.postings[name], form.sim * factor / TF_SCALE))
            if entity.id in self.links:
                linked.append((self.links[entity.id], form.sim))
        tops = [posting.top() * scale for posting, scale in sources]
        link_strength = {link: LINK_TF[link] * (1.0 if link == "about" else ALIAS) for link in LINK_TF}
        tops += [max((link_strength[h] for h in links.kinds()), default=0.0) * sim for links, sim in linked]
        best = max(tops, default=0.0)
        if best <= 0:
            return None
        close = best * (1 - 1e-9)
        in_title: set[int] = set()
        others: set[int] = set()
        for (posting, scale), top in zip(sources, tops, strict=False):
            if top >= close:
                titled, elsewhere = posting.at_least(close / scale)  # (the weight as stored)
                in_title.update(titled)
                others.update(elsewhere)
        for links, sim in linked:
            strong = {how for how in links.kinds() if link_strength[how] * sim >= close}
            if strong:
                others.update(links.by(strong))
        others -= in_title
        if len(in_title) + len(others) < limit:
            return None
        return best, in_title, others

    def words(self, term: _Term, among: set[int] | None = None) -> dict[int, tuple[float, bool, Why]]:
        """A term's strongest match in every fact (of those given) that has it: the weighted
        frequency times the form's closeness, whether it names a gazetteer entry, and what matched where."""
        best: dict[int, tuple[float, bool, Why]] = {}
        named: set[str] = set()  # the names of the entries already looked for
        typed = term.typed
        for form in term.forms:  # best first: a later form replaces a match only when it is stronger
            sim, how = form.sim, form.how
            if form.entity is None:
                if form.text in named and sim <= EXACT:
                    continue  # a name of an entry of this term: found with it, as strongly
                text = form.text
                occurring = self.occurrences(text, among)
                if not best:
                    best = {n: (sim * x, False, (typed, field, text, how, None)) for n, (x, field) in occurring.items()}
                    continue
                for n, (x, field) in occurring.items():
                    held = best.get(n)
                    if held is None or sim * x > held[0]:
                        best[n] = (sim * x, False, (typed, field, text, how, None))
                continue
            entity = form.entity
            named.update(entity.names)
            # The entry by any of its names in the text (the name as typed counts more)...
            found: dict[int, tuple[float, str, str]] = {}
            # (A word read as an entry by a correction was none of its names: all count alike.)
            corrected = how in _CORRECTED
            for name in entity.names:
                factor = 1.0 if name == typed or corrected else ALIAS
                posting = self.postings.get(name) if self.kinds[name] == _WORD and among is None else None
                if not found and posting:  # (the first name found at once: most of the work, for a common name)
                    scale = factor / TF_SCALE
                    found = {n: (tf * scale, FIELDS[i], name) for n, (i, tf) in posting.items()}
                    continue
                occurring = self.occurrences(name, among)
                if not found:
                    found = {n: (x * factor, field, name) for n, (x, field) in occurring.items()}
                    continue
                for n, (x, field) in occurring.items():
                    had = found.get(n)
                    # The strongest; as strong, the shortest name ("hatoyama" rather than "kunio hatoyama").
                    if had is None or x * factor > had[0] or (x * factor == had[0] and len(name) < len(had[2])):
                        found[n] = (x * factor, field, name)
            # ... or by reference (participants, place, tags, a term's own list of facts), when stronger.
            strength = {link: LINK_TF[link] * (1.0 if link == "about" else ALIAS) for link in LINK_TF}
            links: Mapping[int, str] = {}
            if entity.id in self.links:
                referring = self.links[entity.id]
                links = referring.mapping() if among is None else referring.subset(among)
            # Facts found by reference only, at once; then those found both ways where the link is stronger.
            both = links.keys() & found.keys()
            found.update({n: (strength[links[n]], links[n], entity.name) for n in links.keys() - both})
            for n in both:
                link = links[n]
                if strength[link] > found[n][0]:
                    found[n] = (strength[link], link, entity.name)
            if entity.id in self.holders:  # an office: by the people who held it, a little less
                for n, holder in self.held(entity.id, among).items():
                    if n not in found or found[n][0] < HELD * strength["participants"]:
                        found[n] = (HELD * strength["participants"], "holder", holder)
            eid = entity.id
            if not best:
                best = {n: (sim * x, True, (typed, where, match, how, eid)) for n, (x, where, match) in found.items()}
                continue
            for n, (x, where, match) in found.items():
                held = best.get(n)
                if held is None or sim * x > held[0]:
                    best[n] = (sim * x, True, (typed, where, match, how, eid))
        return best

    def _editions(self, year: str, facts: Iterable[int]) -> list[int]:
        """The facts whose title names the year only as the edition of a source ("Wikipedia (2019)")."""
        titles = {n: dict(fields).get("title", "") for n, fields in self.store.fields(facts).items()}
        return [n for n, title in titles.items() if _editions_in(year, title)]

    def dates(self, term: _Term, among: set[int] | None) -> dict[int, tuple[float, bool, Why]]:
        """A date term's match in the facts (among those given) whose date overlaps it or that name its year."""
        assert term.span is not None
        lo, hi = term.span
        overlapping = set(self.store.overlapping(lo, hi))
        if among is not None:
            overlapping &= among
        out: dict[int, tuple[float, bool, Why]] = {}
        asked = _days(lo, hi)
        for n, (first, last, date, wide) in self.store.columns(overlapping, "lo, hi, date, wide").items():
            inside = lo <= first and last <= hi
            broader = WIDE_DATE if wide else BROADER_DATE
            # Of two broader dates, the nearer the asked-for span counts a little more: the month
            # of a day before its year (issue 12: "search 2016-12-15" finds December 2016 first).
            broader *= 1 + 0.1 * min(1.0, asked / _days(first, last))
            weight = DATE_WEIGHT * (1.0 if inside else broader)
            out[n] = (weight, False, (term.typed, "date", date, "date", None))
        if term.year:
            # A fact that names the year in its title ("drills in 2018", of a fact dated 2017-12),
            # unless the year only dates a source it cites ("Wikipedia (2019): ..."). The year in a
            # note, a quote or a summary says little about what the fact is about: it is not a date.
            mentions = {n: tf for n, (tf, field) in self.occurrences(term.year, among).items() if field == "title"}
            for n in self._editions(term.year, mentions):
                del mentions[n]
            for n, tf in mentions.items():
                weight = DATE_WEIGHT * YEAR_IN_TEXT * _saturate(tf) / _saturate(3.0)
                if n not in out or weight > out[n][0]:
                    out[n] = (weight, False, (term.typed, "title", term.year, "exact", None))
        return out


_SOURCE_NAMES = ("wikipedia",)  # a year after one of these names dates the source, not the fact ("Wikipedia 2019")


def _editions_in(year: str, title: str) -> bool:
    """Whether every mention of the year in a folded title dates a source it cites."""
    words = title.split()
    at = [i for i, w in enumerate(words) if w == year]
    return bool(at) and all(i > 0 and words[i - 1] in _SOURCE_NAMES for i in at)


def _span_days(start: str, end: str | None) -> tuple[str, str]:
    """The first and last day (ISO) of an office holder's term; an open term runs to the end of time."""
    from .dates import PartialDate

    first = PartialDate.parse(start).first_day().isoformat()
    return first, PartialDate.parse(end).last_day().isoformat() if end else "9999-12-31"


def _days(lo: str, hi: str) -> int:
    """The days from lo to hi (ISO dates), both counted."""
    import datetime as dt

    return (dt.date.fromisoformat(hi) - dt.date.fromisoformat(lo)).days + 1


def _idf(df: int, n: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def _saturate(x: float) -> float:
    return x * (K1 + 1) / (K1 + x)


def run(store: Store, query: str, categories: tuple[str, ...], limit: int = 20, *, typo: str = DEFAULT_TYPO) -> Result:
    """Search: the facts that match the query, best first (then by date), and what was not found.

    Words not found, and words read as others, are given as the query wrote them ("Shimoda").
    """
    if not query.strip():
        raise UsageError("search: the query is empty")
    if limit < 1:
        raise UsageError(f"--limit: {limit} is not a positive number")
    result = _run(store, query, categories, limit, typo)
    if result.unmatched or result.corrections or any(h.missing for h in result.hits):
        written: dict[str, str] = {}
        for word in re.findall(r"[^\W_]+", query):
            written.setdefault(fold(word), word)
        result.unmatched = [written.get(w, w) for w in result.unmatched]
        result.corrections = [
            (" ".join(written.get(w, w) for w in t.split()), read, how) for t, read, how in result.corrections
        ]
        for hit in result.hits:
            hit.missing = [written.get(w, w) for w in hit.missing]
    return result


def _run(store: Store, query: str, categories: tuple[str, ...], limit: int, typo: str) -> Result:
    reader = _Reader(store, _gazetteer(store), TYPO_MATCHERS[typo])
    terms = parse(query, reader)
    unmatched = [t.typed for t in terms if t.span is None and not t.forms]
    terms = [t for t in terms if t.span is not None or t.forms]
    words = [i for i, t in enumerate(terms) if t.span is None]
    searched = [t.typed for t in terms]
    if not terms or (unmatched and not words):  # nothing to search for, or no word of the query found
        return Result([], unmatched, searched, False, [])
    q = _Query(store, terms, reader.gazetteer)
    n_facts = max(store.count, 1)
    if len(terms) == 1 and words and not unmatched and set(categories) == set(CATEGORIES):
        result = _one_term(store, q, terms[0], n_facts, limit)
        result.corrections[:0] = reader.readings
        return result
    # Dates first: a date restricts, and a fact outside it is not looked at for the words.
    found: dict[int, list[tuple[float, bool, Why] | None]] = {}
    among: set[int] | None = None
    dated: dict[int, dict[int, tuple[float, bool, Why]]] = {}
    for i, term in enumerate(terms):
        if term.span is not None:
            dated[i] = q.dates(term, among)
            among = set(dated[i])
    weights: dict[int, float] = {}
    for i in list(words):
        matches = q.words(terms[i], among)
        # Rarity over the whole base (not only the dated facts): how much finding the word says.
        df = len(matches) if among is None else len(q.words(terms[i], None))
        if not df:  # a word whose every form is in no fact
            unmatched.append(terms[i].typed)
            words.remove(i)
            continue
        weights[i] = _idf(df, n_facts)
        if len(terms) == 1:
            found = {n: [match] for n, match in matches.items()}
            continue
        for n, match in matches.items():
            found.setdefault(n, [None] * len(terms))[i] = match
    searched = [t.typed for i, t in enumerate(terms) if i in words or t.span is not None]
    # Words that most facts have ("Japan", "Russia" in this base) say little about which: beside a
    # date, every fact of the date is a candidate, and those words only add to the score.
    loose = bool(dated) and bool(words) and all(weights[i] < _idf(n_facts // 2, n_facts) for i in words)
    if loose:
        for n in among or ():
            found.setdefault(n, [None] * len(terms))
    if unmatched and not words:
        return Result([], unmatched, searched, False, [])
    if not words:
        found = {n: [None] * len(terms) for n in among or ()}
    for i, matches in dated.items():  # every fact found is in every date term's matches
        weights[i] = 1.0
        for n, f in found.items():
            f[i] = matches[n]
    if set(categories) != set(CATEGORIES):
        kept = store.columns(found, "category")
        found = {n: f for n, f in found.items() if kept[n][0] in categories}
    boost = {i: ENTITY_BOOST if any(f.entity for f in terms[i].forms) else 1.0 for i in words}
    # The most a fact could score (every term as strongly as can be), for a score of 0-100.
    ideal = sum(weights[i] * boost[i] * (K1 + 1) for i in words) + DATE_WEIGHT * len(dated)
    # Each fact: (score, terms in the title, terms covered); why it matched is made for the hits only.
    factor = {i: weights[i] * boost[i] for i in words}
    saturated = K1 + 1
    scored: dict[int, tuple[float, int, int]] = {}
    if len(terms) == 1 and words:  # the commonest query, one word or name: nothing to add up
        c = factor[0] * saturated
        scored = {n: (c * f[0][0] / (K1 + f[0][0]), f[0][2][1] == "title", 1) for n, f in found.items() if f[0]}
    for n, f in found.items() if not scored else ():
        total = 0.0
        covered = in_title = 0
        for i, found_i in enumerate(f):
            if found_i is None:
                continue
            x = found_i[0]
            if i in dated:
                total += x
            else:
                total += factor[i] * x * saturated / (K1 + x)
                covered += 1
            if found_i[2][1] == "title":
                in_title += 1
        if covered or not words or loose:
            scored[n] = (total, in_title, covered)
    if unmatched:
        # How much of what was found one fact has together: an absent topic's other words are
        # rarely all in one fact, a noisy query's are.
        mass = sum(factor.values())
        together = max((sum(factor[i] for i in words if f[i]) for f in found.values()), default=0.0)
        if _declines(terms, words, unmatched, weights, together / mass if mass else 0.0, reader.absent):
            return Result([], unmatched, searched, True, [])
    if len(words) > 1 and scored and not loose:
        # Of a query of several words, keep the facts that match (nearly) as many as the best does.
        fewest = max(s[2] for s in scored.values()) - (len(words) - 1) // 2
        scored = {n: s for n, s in scored.items() if s[2] >= fewest}
    # A fact that lacks some of the terms is ranked by its score as any other (measured: putting
    # those with every term first ranked worse on the tuning set, no better on the held-out one),
    # and says which it lacks.
    keys: dict[int, Key] = {n: s[:2] for n, s in scored.items()}
    if dated:  # a fact dated within the asked-for span first, then one that only overlaps it (a period)
        within = {n for n in keys if all((m := found[n][i]) is not None and m[0] >= DATE_WEIGHT for i in dated)}
        keys = {n: (float(n in within), *k) for n, k in keys.items()}
    hits = [
        Hit(
            n,
            fid,
            category,
            key[-2],
            [_why(m[2]) for m in found[n] if m is not None],
            [terms[i].typed for i in words if found[n][i] is None],
        )
        for n, fid, category, key in _ranked(store, keys, limit)
    ]
    corrections = reader.readings + [c for c in (_correction(terms[i]) for i in words) if c]
    for hit in hits:  # the score shown: 0-100
        hit.score = round(100 * min(1.0, hit.score / ideal), 1) if ideal else 0.0
    result = Result(hits, unmatched, searched, False, corrections)
    if not hits and dated and words:  # the words are in facts, none of them of the query's dates
        result.elsewhere = [terms[i].typed for i in dated]
    return result


def _one_term(store: Store, q: _Query, term: _Term, n_facts: int, limit: int) -> Result:
    """The commonest query, one word or name: nothing to add up, so the facts are ranked by how
    strongly they have it (the score is monotonic in it) without the bookkeeping of several terms."""
    tier = q.top_tier(term, limit)
    if tier is not None:
        strength, in_title, others = tier
        chosen = store.earliest(in_title, limit)
        chosen += store.earliest(others, limit - len(chosen))
        matches = q.words(term, {n for n, _, _ in chosen})  # why, for these only
        score = round(100 * _saturate(strength) / (K1 + 1), 1)  # (the term's weight cancels out)
        hits = [Hit(n, fid, category, score, [_why(matches[n][2])]) for n, fid, category in chosen]
        return Result(hits, [], [term.typed], False, [c for c in [_correction(term)] if c])
    matches = q.words(term, None)
    if not matches:
        return Result([], [term.typed], [], False, [])
    boost = ENTITY_BOOST if any(f.entity for f in term.forms) else 1.0
    weight = _idf(len(matches), n_facts) * boost
    keys: dict[int, Key] = {n: (x, float(m[1] == "title")) for n, (x, _, m) in matches.items()}
    ideal = weight * (K1 + 1)
    hits = [
        Hit(n, fid, category, round(100 * weight * _saturate(x) / ideal, 1), [_why(matches[n][2])])
        for n, fid, category, (x, _) in _ranked(store, keys, limit)
    ]
    return Result(hits, [], [term.typed], False, [c for c in [_correction(term)] if c])


_CORRECTED = ("transliteration", "part", "typo", "translation")  # a word read as another (not its stem or spelling)


def _correction(term: _Term) -> tuple[str, str, str] | None:
    """How a word the facts do not have was read: ("hatojama", "hatoyama", "transliteration").

    Only for a term whose every form is a correction; the best of them (an entry of the gazetteer
    by its name), and any other as close (`or`).
    """
    if not term.forms or any(f.how not in _CORRECTED for f in term.forms):
        return None
    named = [f for f in term.forms if f.entity] or term.forms  # an entry of the gazetteer says most
    best = max(f.sim for f in named)
    read = list(dict.fromkeys(f.entity.name if f.entity else f.text for f in named if f.sim == best))
    return term.typed, " or ".join(read[:3]), named[0].how


TermReading = tuple[str, list[tuple[str, str]], "tuple[str, str, str] | None"]


def read(store: Store, query: str, *, typo: str = DEFAULT_TYPO) -> list[TermReading]:
    """How search reads a query, term by term, for another engine (the full-text index of the
    SQLite export, under `nichiro serve`): (the term as typed and folded, every text it may take
    in the facts with how it was found, how a word the facts do not have was read, or None).

    A form that is an entry of the gazetteer gives its name as written, then every name it goes
    by (folded); a date term gives itself. The correction is `run`'s (`Result.corrections`).
    """
    reader = _Reader(store, _gazetteer(store), TYPO_MATCHERS[typo])
    out: list[TermReading] = []
    for term in parse(query[:1000], reader):
        texts: list[tuple[str, str]] = [(term.typed, "date")] if term.span is not None else []
        for form in term.forms:
            names = (form.entity.name, *form.entity.names) if form.entity else (form.text,)
            texts += [(name, form.how) for name in names]
        out.append((term.typed, list(dict.fromkeys(texts)), _correction(term)))
    return out


def search(
    store: Store, query: str, categories: tuple[str, ...], limit: int = 20, *, typo: str = DEFAULT_TYPO
) -> list[Hit]:
    """The facts that match the query, best first (then by date); empty when nothing matches."""
    return run(store, query, categories, limit, typo=typo).hits


DECLINE_ABSENT = 2  # this many absent words: the search declines whatever else it found


def _declines(
    terms: list[_Term],
    words: list[int],
    unmatched: list[str],
    weights: dict[int, float],
    together: float,
    translated: Iterable[str] = (),
) -> bool:
    """Whether to answer nothing: the query is about something the sources do not have (docs/search.md, 4).

    A word in Latin letters that no fact has (after stems, spellings, scripts and typos) is absent
    from the sources. Two absent words, or one and no fact that has all of the rest of the query
    together (`together` is the share of the found words' weight that the best-covered fact has):
    the query is about something else, and the search declines. One absent word beside words that
    one fact has together is noise or a detail ("Putin Abe Vladivostok pls"): the results are for
    the rest, labelled. A Japanese or Russian word that could not be read is not evidence of
    absence (the facts are written in English); one the glossary translates into English that no
    fact has (`translated`) is.
    """
    known = set(translated)
    absent = [w for w in unmatched if w.isascii() or w in known]
    return len(absent) >= DECLINE_ABSENT or (len(absent) == 1 and together < 0.999)


def _ranked(store: Store, keys: dict[int, Key], limit: int) -> list[tuple[int, str, str, Key]]:
    """The best `limit` of the scored facts (number, id, category, key) by their keys (highest
    first: score, terms in the title), then by date; only the last place's ties are read by date."""
    if len(keys) > limit:
        import heapq

        last = heapq.nlargest(limit, keys.values())[-1]
        better = [n for n, k in keys.items() if k > last]
        tied = [n for n, k in keys.items() if k == last]
    else:
        better, tied = list(keys), []
    meta = store.columns(better, "id, category, sortkey")
    better.sort(key=lambda n: (tuple(-k for k in keys[n]), meta[n][2]))
    out = [(n, meta[n][0], meta[n][1], keys[n]) for n in better]
    return out + [(n, fid, category, keys[n]) for n, fid, category in store.earliest(tied, limit - len(out))]


_cached: tuple[Store, Gazetteer] | None = None


def _gazetteer(store: Store) -> Gazetteer:
    """The store's gazetteer, read on first use (a CLI run searches once; a benchmark many times)."""
    global _cached
    if _cached is None or _cached[0] is not store:
        _cached = (store, StoredGazetteer(store))
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


def nearest(text: str, names: Sequence[str], limit: int = 5) -> list[tuple[str, int, float]]:
    """The names nearest a folded text, for a filter's value: (name, edits (OSA), similarity 0-100).

    Nearest first: by edits, then by similarity. Only names within 70% similarity or a few edits
    of the text are returned. Used by `filters.resolve`, which decides what counts as certain.
    """
    from rapidfuzz import distance, fuzz, process

    if not text or not names:
        return []
    edits = {n: distance.OSA.distance(text, n) for n in names}
    similar = {n: s for n, s, _ in process.extract(text, names, scorer=fuzz.ratio, score_cutoff=70, limit=None)}
    found = [(n, edits[n], similar.get(n, fuzz.ratio(text, n))) for n in names if n in similar or edits[n] <= 3]
    found.sort(key=lambda f: (f[1], -f[2], f[0]))
    return found[:limit]


def suggest_ids(store: Store, wanted: str, limit: int = 5) -> list[str]:
    """Fact ids close to an unknown one."""
    from rapidfuzz import fuzz, process

    found = process.extract(wanted, store.fact_ids(), scorer=fuzz.WRatio, limit=limit, score_cutoff=60)
    return [fid for fid, _, _ in found]


def suggest_among(wanted: str, choices: list[str], limit: int = 3) -> list[str]:
    """The choices close to an unknown one (a source id, a style), for a "did you mean"."""
    from rapidfuzz import fuzz, process

    return [c for c, _, _ in process.extract(wanted, choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=60)]


_NOTED = ("transliteration", "spelling", "part", "translation")  # how a term matched that a line says in words


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
        elif how in _NOTED:
            parts.append(f"{m['field']}: {term} → {match} ({'part of a name' if how == 'part' else how})")
        else:
            parts.append(f"{m['field']}: {term} ~ {match}" + (" (typo)" if how == "typo" else ""))
    if hit.missing:
        parts.append("missing: " + ", ".join(hit.missing))
    return "; ".join(parts)


# --------------------------------------------------------------------------- what a search says
# One wording for `nichiro search` (its error and its lines on stderr) and for `nichiro serve`'s
# search (web.py). Each place quotes as it should: the CLI as Python's repr ('Shikotn'), a web page
# in double quotes ("Shikotn").

Quote = Callable[[str], str]


def no_fact_mentions(words: Sequence[str], quote: Quote = repr) -> str:
    """ "no fact mentions 'Fukushima' or 'disaster'": the words of a query that nothing matched."""
    return "no fact mentions " + " or ".join(quote(w) for w in words)


def no_facts_match(query: str, quote: Quote = repr) -> str:
    return f"no facts match {quote(query)}"


def did_you_mean(near: Sequence[str]) -> str:
    """ "; did you mean: Vladivostok?" after a message, or nothing when nothing is near."""
    return f"; did you mean: {', '.join(near)}?" if near else ""


def read_as(typed: str, read: str, how: str, quote: Quote = repr, *, sentence: bool = False) -> str:
    """A word read as another: "'Shikotn' read as 'Shikotan' (typo)"; as a sentence of its own
    (the CLI's line, after "nichiro: "), "read 'Shikotn' as 'Shikotan' (typo)"."""
    if sentence:
        return f"read {quote(typed)} as {quote(read)} ({how})"
    return f"{quote(typed)} read as {quote(read)} ({how})"


def nothing_found(
    result: Result, query: str, near: Sequence[str] = (), quote: Quote = repr, *, every_word: bool = False
) -> str:
    """Why a search answers nothing, in one line, with names `near` what was not found.

    every_word: the search must match every word of the query (serve's), so a word nothing
    matched leaves nothing, whatever the others found.
    """
    absent = no_fact_mentions(result.unmatched, quote)
    if result.elsewhere and not result.unmatched:
        dates = " or ".join(quote(d) for d in result.elsewhere)
        words = quote(" ".join(t for t in result.searched if t not in result.elsewhere))
        return f"no fact dated {dates} matches {words} (facts of other dates do: search without the date)"
    if every_word and result.unmatched:
        said = absent + (", and every word must match" if result.searched else "")
    elif result.declined:
        rest = quote(" ".join(result.searched))
        return f"{absent} (what else the query has, {rest}, is not enough to answer)"
    elif result.unmatched and result.searched:  # some words found, but not the ones that say what is wanted
        said = absent
    else:
        said = no_facts_match(query, quote)
    return said + did_you_mean(near)


def notes(result: Result, quote: Quote = repr, *, sentence: bool = False) -> list[str]:
    """What a search that found something says about how it read the query: each word read as
    another, then the words nothing matched (the results are for the others)."""
    said = [read_as(typed, read, how, quote, sentence=sentence) for typed, read, how in result.corrections]
    if result.unmatched:
        said.append(f"{no_fact_mentions(result.unmatched, quote)}; results for {quote(' '.join(result.searched))}")
    partial = sum(1 for h in result.hits if h.missing)
    if partial:
        whole = len(result.hits) - partial
        terms = quote(" ".join(result.searched))
        if whole:
            said.append(f"{whole} of {len(result.hits)} results match all of {terms}; the others miss some (missing)")
        else:
            said.append(f"no fact matches all of {terms}; each result misses some (missing)")
    return said


def hit_record(record: dict[str, Any], hit: Hit, unmatched: Sequence[str] = ()) -> dict[str, Any]:
    """A fact's JSON record as a search hit: `score` first, then the record, `matched`, `unmatched`
    (the query's words that nothing matched) and `missing` (the query's terms that other facts have
    and this one lacks) last (docs/json.md)."""
    return {"score": hit.score, **record, "matched": hit.matched, "unmatched": list(unmatched), "missing": hit.missing}
