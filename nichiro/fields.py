"""The field schema of every category and registry: what a record may hold, and its types.

Kept apart from the record classes (`model`) and free of `dataclasses`, so that a command can check
an option's value against the schema without importing them.
"""

from __future__ import annotations

import re

# ID_RE and FACT_ID_RE, compiled when first asked for (module __getattr__, below): only reading fact
# files needs them, and each compiled pattern costs a lookup a tenth of a millisecond.
_PATTERNS = {
    "ID_RE": r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
    "FACT_ID_RE": r"^(?:\d{4}(?:-\d{2}(?:-\d{2})?)?|undated)-[a-z0-9]+(?:-[a-z0-9]+)*$",
}
ID_RE: re.Pattern[str]
FACT_ID_RE: re.Pattern[str]


def __getattr__(name: str) -> re.Pattern[str]:
    if name not in _PATTERNS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    pattern = globals()[name] = re.compile(_PATTERNS[name])
    return pattern


# What kind of work a source is; each maps to one CSL type (nichiro.cite).
SOURCE_TYPES = ("news", "government-page", "encyclopedia-article", "analysis")
# The fields a citation wants that a source may not show: each is either given or listed in `unknown`.
CITATION_FIELDS = ("authors", "title", "url", "licence")

QUALIFIERS = ("exactly", "over", "more-than", "some", "about", "almost", "at-least", "up-to")


class Field:
    """One field of a record: its type, whether it is required, the values it may take."""

    __slots__ = ("choices", "help", "name", "required", "type")

    def __init__(
        self, name: str, type: str, required: bool = False, choices: tuple[str, ...] = (), help: str = ""
    ) -> None:
        self.name = name
        # text, enum, int, number, date, partial (one date), entity (one id), texts, ids, people, places,
        # sources, figures, holders, authors
        self.type = type
        self.required = required
        self.choices = choices
        self.help = help

    def __repr__(self) -> str:
        return f"Field({self.name!r}, {self.type!r})"


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
    Field(
        "former_date",
        "date",
        help="the date the fact had when its id was made, kept where a correction moved the date (ids never change)",
    ),
)

PARTICIPANTS_HELP = (
    "who took part, as the sources name them: person ids, or the id of an office (president-of-russia) "
    "where a source names only the office"
)
PLACE_HELP = (
    "where it happened: place ids, at the precision the sources give (a city, or only the country); never the topic"
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
        Field("participants", "people", help=PARTICIPANTS_HELP),
        Field("place", "places", help=PLACE_HELP),
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
        Field("place", "places", help="where it was signed: place ids, at the precision the sources give"),
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
        Field(
            "place",
            "places",
            help="where the exchange went: place ids, at the precision the sources give (the islands the visitors "
            "went to, or the country they came to)",
        ),
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
        Field("participants", "people", help=PARTICIPANTS_HELP),
        Field("place", "places", help=PLACE_HELP),
        Field("figures", "figures"),
    ),
    "figure": (
        Field("kind", "enum", True, ("comparison", "envoy", "other")),
        Field("participants", "people", help=PARTICIPANTS_HELP),
        Field("place", "places", help=PLACE_HELP),
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

PERSON_KINDS = ("person", "office")
# Where a term of office comes from: the source texts (then `source` and `quote` say where), or
# outside them (general knowledge, allowed only here, in the registry, and marked as such).
HOLDER_BASES = ("sources", "outside-sources")

HOLDER_FIELDS: tuple[Field, ...] = (
    Field("person", "entity", True, help="the person who held the office"),
    Field("start", "partial", True, help="the first day (or month, or year) of the term"),
    Field("end", "partial", help="the last day of the term; none while it lasts"),
    Field("basis", "enum", True, HOLDER_BASES, help="outside-sources: the term is not from the source texts"),
    Field("source", "text", help="for basis sources: the source id"),
    Field("quote", "text", help="for basis sources: the verbatim text"),
    Field("note", "text"),
)


REGISTRY_FIELDS: dict[str, tuple[Field, ...]] = {
    "source": (
        Field("id", "text", True),
        Field("file", "text", True, help="the file name in the sources directory"),
        Field("type", "enum", choices=SOURCE_TYPES, help="what kind of work the text is"),
        Field(
            "title", "text", help="the title as the text shows it; left out (and listed in unknown) where it shows none"
        ),
        Field(
            "described_as",
            "text",
            help="what the work is, in a few words: cited in place of a title where the text shows none",
        ),
        Field("authors", "authors", help="as the byline gives them: [] for a work without one (an encyclopedia)"),
        Field("publisher", "text", True, help="the news outlet, website or organisation that published the text"),
        Field(
            "aliases",
            "texts",
            help="other names the source goes by, as the facts' titles name it (Russian government): "
            "--source takes them",
        ),
        Field("date", "date", True, help="the date published, or the date the text is as of (date_kind)"),
        Field("date_kind", "enum", choices=("published", "as-of"), help="what date means"),
        Field("url", "text", help="only where the text shows it or the same text was found there"),
        Field("licence", "text", help="the text's licence, as the text or its publisher states it"),
        Field("language", "text", help="the text's language, a BCP 47 tag: en"),
        Field("unknown", "texts", help=f"the citation fields nothing shows ({', '.join(CITATION_FIELDS)}): say so"),
        Field("description", "text", help="what the text covers"),
        Field("basis", "text", help="where each citation field comes from"),
    ),
    "person": (
        Field("id", "text", True),
        Field("name", "text", True),
        Field(
            "kind",
            "enum",
            choices=PERSON_KINDS,
            help="person (the default), or office: a post such as President of Russia, a participant where a "
            "source names only the office",
        ),
        Field("country", "enum", True, ("japan", "russia", "soviet-union", "russian-empire", "other")),
        Field("roles", "texts", help="required for a person: roles as the sources give them"),
        Field("aliases", "texts"),
        Field("holders", "holders", help="for an office: who held it when"),
        Field("sources", "sources"),
    ),
    "place": (
        Field("id", "text", True),
        Field("name", "text", True),
        Field(
            "kind",
            "enum",
            True,
            ("city", "region", "prefecture", "island", "island-group", "country", "venue", "other"),
        ),
        Field("country", "text", True),
        Field(
            "parent",
            "entity",
            help="the place it lies in: a city's region, prefecture or country; the disputed islands' Kuril Islands",
        ),
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
    "tag": (
        Field("id", "text", True),
        Field("description", "text", help="what facts with the tag are about"),
        Field("aliases", "texts", help="other spellings, never used as tags themselves: defense for defence"),
    ),
}

SOURCE_REF_FIELDS: tuple[Field, ...] = (Field("source", "text", True), Field("quote", "text", True))

# A source's author: a person (family and given names) or an organisation (name).
AUTHOR_FIELDS: tuple[Field, ...] = (
    Field("family", "text", help="a person's family name"),
    Field("given", "text", help="a person's given names"),
    Field("name", "text", help="an organisation's name"),
)


def fields_of(kind: str) -> tuple[Field, ...]:
    """Every field a record of this kind (category or registry) may have."""
    if kind in REGISTRY_FIELDS:
        return REGISTRY_FIELDS[kind]
    return COMMON_FIELDS + CATEGORY_FIELDS[kind]
