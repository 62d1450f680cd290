"""The command line declared once: every command, its options and arguments, and their help.

Everything else is built from this table: typer's app (`cli`, the product's CLI), the fast path
that parses the common command lines without importing typer (`fast`), `--help` and docs/cli.md
(`helptext`), and how a repeated option is read (`finish`). Nothing here imports anything but the
field schema: the table is read on every run.

Adding an option: declare it (an `Option`, or one of the shared ones below) in the command's
`options`, and read it in the command's function in `commands` as `args.<dest>`. Adding a command:
a `Command` in COMMANDS (or in a group's `commands`), and a function of the same name in `commands`
(`export json` calls `commands.export_json`) that takes the parsed `Args`. Then run
`python scripts/gen_cli_docs.py`. Typer, the fast path and the help follow without another edit;
tests/test_fast.py checks that both parsers read every command line alike.

How a repeated option is read (`repeat`, and the rules of `--help`):
- ANY: several values of a single-valued attribute (year, kind, category, place, source) mean
  any of them: `--year 2013 --year 2016`;
- ALL: several values of an attribute a fact has many of (people, tags) mean all of them, as
  `gh --label` does: `--person Abe --person Putin`;
- EACH: every value is used (`--facts A --facts B`);
- ONCE: repetition makes no sense (`--format`, `--fields`, `--limit`): given twice, a usage error.
"""

from __future__ import annotations

from .fields import CATEGORIES, CATEGORY_FIELDS, REGISTRY_FIELDS
from .views import FACETS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from typing import Any

ONCE, ANY, ALL, EACH = "once", "any", "all", "each"
FILTERS, DATES, ORDER, OUTPUT, GLOBAL = (
    "Filters",
    "Dates",
    "Order and limit",
    "Output",
    "Global options (before or after the command)",
)
FORMATS = ("auto", "table", "plain", "json", "jsonl", "csv", "tsv")

_REPEAT_HELP = {
    ANY: "Repeat for any of several.",
    ALL: "Repeat for all of several.",
    EACH: "Repeatable.",
}


class Option:
    """One option: its flags, the kind of value it takes, its help, and how a repetition is read.

    kind: "flag" (no value), "str", "int", "choice" (one of `choices`, case aside) or "path".
    `bare`, for an "int" option, makes its value optional: given alone (`--context`), the option has
    this value; it takes the word after it only when that word is an integer (`--context 2`, see
    `takes`), and `--context=2` always gives one. `values` lists the values a "str" option is
    checked against after parsing (a field's choices): they go to the help, to completion and to
    "did you mean", not to the parser. `complete` names a source of completions for typer (see
    cli._COMPLETERS).
    """

    __slots__ = (
        "bare",
        "choices",
        "complete",
        "default",
        "dest",
        "dir_okay",
        "file_okay",
        "flags",
        "help",
        "kind",
        "metavar",
        "panel",
        "repeat",
        "typer_only",
        "values",
    )

    def __init__(
        self,
        flags: str,
        help: str,
        *,
        kind: str = "str",
        dest: str | None = None,
        metavar: str | None = None,
        panel: str = FILTERS,
        repeat: str = ONCE,
        default: Any = None,
        choices: Sequence[str] = (),
        values: Sequence[str] = (),
        complete: str | None = None,
        file_okay: bool = True,
        dir_okay: bool = True,
        typer_only: bool = False,
        bare: int | None = None,
    ) -> None:
        self.flags = tuple(flags.split())
        if bare is not None:
            assert kind == "int" and repeat == ONCE and all(f.startswith("--") for f in self.flags), flags
        self.help = help
        self.kind = kind
        self.dest = dest or self.flags[0].lstrip("-").replace("-", "_")
        self.metavar = metavar or ("" if kind == "flag" else self.dest.upper())
        self.panel = panel
        self.repeat = EACH if kind == "flag" else repeat  # a flag given twice is the flag given once
        self.default = False if kind == "flag" else default
        self.choices = tuple(choices)
        self.values = tuple(values)
        self.complete = complete
        self.file_okay = file_okay
        self.dir_okay = dir_okay
        self.typer_only = typer_only  # handled by typer alone (completion): the fast path leaves the line to it
        self.bare = bare

    @property
    def name(self) -> str:
        return self.flags[0]

    @property
    def term(self) -> str:
        """The option as --help shows it: `--format, -f FORMAT`, `--context [N]` where the value is optional."""
        flags = ", ".join(sorted(self.flags, key=len))
        if not self.metavar:
            return flags
        return f"{flags} [{self.metavar}]" if self.bare is not None else f"{flags} {self.metavar}"

    def takes(self, word: str) -> bool:
        """Whether an option whose value is optional takes the word after it as its value: only an
        integer (digits, a minus sign allowed, so that `--context -1` is told it is not 0 or more).
        Anything else (a fact id, another option) is left where it is, and the option has its `bare`
        value. Both parsers ask this, so that they read `show --context 2 ID` and `show --context ID` alike."""
        digits = word[1:] if word.startswith("-") else word
        return digits.isascii() and digits.isdigit()

    @property
    def many(self) -> bool:
        """Whether the option's value is a tuple of every value given."""
        return self.kind != "flag" and self.repeat != ONCE

    def full_help(self) -> str:
        """The help with the repetition rule and the values, as --help prints it."""
        parts = [self.help]
        if self.values and "{values}" not in self.help:
            parts.append(f"One of: {', '.join(self.values)}.")
        if self.kind != "flag" and self.repeat in _REPEAT_HELP:
            parts.append(_REPEAT_HELP[self.repeat])
        if self.kind != "flag" and self.default not in (None, ()):
            parts.append(f"Default: {self.default}.")
        return " ".join(parts).replace("{values}", ", ".join(self.values))

    def but(self, **changes: Any) -> Option:
        """A copy with some attributes changed: a shared option with a command's own help."""
        copy = Option.__new__(Option)
        for slot in Option.__slots__:
            object.__setattr__(copy, slot, changes.get(slot, getattr(self, slot)))
        return copy


class Argument:
    """A positional argument; `many` takes every remaining word (joined by spaces when `join`)."""

    __slots__ = ("complete", "default", "dest", "help", "join", "kind", "many", "metavar", "required")

    def __init__(
        self,
        dest: str,
        help: str,
        *,
        metavar: str | None = None,
        kind: str = "str",
        required: bool = True,
        default: Any = None,
        many: bool = False,
        join: bool = False,
        complete: str | None = None,
    ) -> None:
        self.dest = dest
        self.help = help
        self.metavar = metavar or dest.upper()
        self.kind = kind
        self.required = required
        self.default = default
        self.many = many
        self.join = join
        self.complete = complete


class Command:
    """A command: its help (a first line, then paragraphs), its options and arguments, or its subcommands."""

    __slots__ = ("arguments", "call", "commands", "examples", "help", "name", "options", "panel")

    def __init__(
        self,
        name: str,
        help: str,
        *,
        panel: str = "Commands",
        options: Sequence[Option] = (),
        arguments: Sequence[Argument] = (),
        commands: Sequence[Command] = (),
        call: str | None = None,
        examples: Sequence[str] = (),
    ) -> None:
        self.name = name
        self.examples = tuple(examples)  # command lines, shown as typed (tests/test_docs.py runs each)
        self.help = help
        self.panel = panel
        self.options = tuple(options)
        self.arguments = tuple(arguments)
        self.commands = {c.name: c for c in commands}
        self.call = call or name.replace("-", "_")

    @property
    def summary(self) -> str:
        return self.help.split("\n\n", 1)[0]

    def all_options(self) -> tuple[Option, ...]:
        """The command's own options, then the global options that nichiro and every command (not a group) take."""
        if self.commands and self.name != "nichiro":
            return self.options
        return (*self.options, *GLOBAL_OPTIONS)


class Args:
    """The values of one command line, by dest: `args.year`, `args.fmt`. Built by `finish`."""

    def __init__(self, values: dict[str, Any]) -> None:
        self.__dict__.update(values)

    def __getattr__(self, name: str) -> Any:  # typed as Any for the commands; a missing dest is a bug
        raise AttributeError(f"no option or argument {name!r} on this command")

    def __repr__(self) -> str:
        return f"Args({self.__dict__!r})"

    def values(self) -> dict[str, Any]:
        return dict(self.__dict__)


# --------------------------------------------------------------------------- shared options


def _choices(category: str, field: str) -> tuple[str, ...]:
    return next(f.choices for f in CATEGORY_FIELDS[category] if f.name == field)


def _kinds(*categories: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(k for c in categories if c in CATEGORY_FIELDS for k in _choices_or_none(c, "kind")))


def _choices_or_none(category: str, field: str) -> tuple[str, ...]:
    return next((f.choices for f in CATEGORY_FIELDS[category] if f.name == field), ())


# Dates: a fact is kept when its date overlaps the window (or lies in it, with --within).
YEAR = Option(
    "--year",
    "Only facts whose date overlaps this year (lies in it, with --within).",
    kind="int",
    metavar="YEAR",
    panel=DATES,
    repeat=ANY,
)
DATE = Option(
    "--date",
    "Only facts whose date overlaps this year, month or day: YYYY, YYYY-MM or YYYY-MM-DD.",
    metavar="DATE",
    panel=DATES,
    repeat=ANY,
)
FROM = Option(
    "--from",
    "Only facts on or after this date: YYYY, YYYY-MM or YYYY-MM-DD.",
    dest="date_from",
    metavar="DATE",
    panel=DATES,
)
TO = Option(
    "--to",
    "Only facts on or before this date: YYYY, YYYY-MM or YYYY-MM-DD.",
    dest="date_to",
    metavar="DATE",
    panel=DATES,
)
WITHIN = Option(
    "--within",
    "Only facts whose whole date lies within the dates asked for, not spans that merely overlap them. "
    "Without it, facts dated precisely within the dates come first, and longer spans after them, marked.",
    kind="flag",
    panel=DATES,
)
WITH_UNDATED = Option(
    "--with-undated",
    "Also the facts the sources give no date for, after the dated ones. Dates asked for leave them out "
    "(they have no date to compare), and a note on stderr says how many match.",
    kind="flag",
    panel=DATES,
)
DATE_OPTIONS = (YEAR, DATE, FROM, TO, WITHIN, WITH_UNDATED)

PERSON = Option(
    "--person",
    "Only facts this person took part in: an id, a name or an alias, in any script; typos are corrected "
    "when the match is certain.",
    metavar="NAME",
    repeat=ALL,
    complete="person",
)
PLACE = Option(
    "--place",
    "Only facts at this place or a place within it (--place Japan includes Tokyo): an id, name or alias.",
    metavar="NAME",
    repeat=ANY,
    complete="place",
)
SOURCE = Option(
    "--source",
    "Only facts this source supports: its id, publisher, title or another name it goes by, with its year or not "
    "(sputnik-2016, Pecob, Russian government, Wikipedia 2019).",
    metavar="SOURCE",
    repeat=ANY,
    complete="source",
)
TAG = Option("--tag", "Only facts with this tag (sanctions, visa-free).", metavar="TAG", repeat=ALL, complete="tag")
STATUS = Option(
    "--status",
    "Only facts (events the sources report) or only claims (a source's forecasts, opinions and superlatives): "
    "{values}.",
    values=("fact", "claim"),
    repeat=ANY,
)
CATEGORY = Option(
    "--category",
    "Only this category: {values}.",
    metavar="CATEGORY",
    values=CATEGORIES,
    repeat=ANY,
)
ALL_SOURCES = Option(
    "--all-sources",
    "With several --source: only the facts every one of them supports (without it, any of them).",
    kind="flag",
)
FACT_FILTERS = (SOURCE, ALL_SOURCES, TAG, STATUS)

LIMIT = Option("--limit", "At most this many rows.", kind="int", metavar="N", panel=ORDER)
SORT = Option(
    "--sort",
    "Order by this field (any of --fields) instead of the default order.",
    metavar="FIELD",
    panel=ORDER,
)
REVERSE = Option("--reverse", "Reverse the order.", kind="flag", panel=ORDER)
ORDER_OPTIONS = (SORT, REVERSE, LIMIT)

FORMAT = Option(
    "--format -f",
    "Output format: {values}. auto: a table on a terminal, tab-separated rows in a pipe.",
    kind="choice",
    dest="fmt",
    metavar="FORMAT",
    panel=OUTPUT,
    choices=FORMATS,
    values=FORMATS,
    default="auto",
)
JSON = Option("--json", "Print JSON (short for --format json).", kind="flag", dest="as_json", panel=OUTPUT)
FIELDS = Option(
    "--fields",
    "Comma-separated fields to print, in this order (all formats).",
    metavar="FIELD,...",
    panel=OUTPUT,
)
CSV_SAFE = Option(
    "--csv-safe",
    "For spreadsheets: a ' before each CSV or TSV value a spreadsheet would run as a formula "
    "(one starting with =, +, - or @; plain numbers aside).",
    kind="flag",
    panel=OUTPUT,
)
OUTPUT_OPTIONS = (FORMAT, JSON, FIELDS, CSV_SAFE)
LISTING = (*ORDER_OPTIONS, *OUTPUT_OPTIONS)

# Global options: before the command or anywhere after it.
GLOBAL_OPTIONS = (
    Option(
        "--facts",
        "Also load the TOML fact files of this directory (or set NICHIRO_FACTS, ':'-separated).",
        kind="path",
        metavar="DIR",
        panel=GLOBAL,
        repeat=EACH,
    ),
    Option("--facts-only", "Use only the --facts directories, not the bundled facts.", kind="flag", panel=GLOBAL),
    Option("--no-color", "No colour, even on a terminal (as does NO_COLOR).", kind="flag", panel=GLOBAL),
    Option("--no-cache", "Read the fact files afresh; neither read nor write the cache.", kind="flag", panel=GLOBAL),
)
VERSION = Option("--version", "Print the version and exit.", kind="flag", panel="Options")


def _kind(category: str, help: str) -> Option:
    return Option("--kind", help, metavar="KIND", values=_choices(category, "kind"), repeat=ANY)


def _not_kind(values: Sequence[str]) -> Option:
    return Option(
        "--not-kind",
        "Leave out this kind (any of --kind's values): --not-kind phone-call.",
        metavar="KIND",
        values=values,
        repeat=EACH,
    )


def _registry_choices(kind: str, field: str) -> tuple[str, ...]:
    return next(f.choices for f in REGISTRY_FIELDS[kind] if f.name == field)


ANY_KIND = Option(
    "--kind",
    "Only this kind (of any category): {values}.",
    metavar="KIND",
    values=_kinds(*CATEGORIES),
    repeat=ANY,
)

# --------------------------------------------------------------------------- the commands

LOOK_UP, VIEWS, MAINTAIN = "Look up", "Views", "Export and maintain"
CITE_STYLES = ("apa", "chicago", "mla", "bibtex", "ris", "csl-json")  # nichiro.cite.STYLES, without its import
SOURCE_TEXTS = Option(
    "--sources",
    "The directory of the source texts (or set NICHIRO_SOURCES).",
    kind="path",
    metavar="DIR",
    panel="Options",
    file_okay=False,
)
EXPORT_FILE = Argument("file", "The file to write ('-' for stdout, JSON only).", metavar="FILE", kind="path")
FORCE = Option("--force", "Overwrite FILE if it exists.", kind="flag", panel="Options")

COMMANDS: dict[str, Command] = {
    c.name: c
    for c in (
        Command(
            "meetings",
            "Summits, visits, phone calls and other contacts.\n\n"
            "Leaders, ministers, deputy ministers, parliaments, the military and parties: every meeting in the "
            "sources.",
            examples=(
                "nichiro meetings --year 2016",
                "nichiro meetings --person Abe --person Putin --place Japan",
                "nichiro meetings --kind phone-call --from 2012 --to 2014 --json",
            ),
            panel=LOOK_UP,
            options=(
                *DATE_OPTIONS,
                PERSON.but(
                    help="Only meetings this person took part in: an id, a name or an alias, in any "
                    "script; typos are corrected when the match is certain."
                ),
                PLACE.but(
                    help="Only meetings held at this place or a place within it (--place Japan includes "
                    "Tokyo): an id, name or alias."
                ),
                _kind("meeting", "Only this kind of meeting: {values}."),
                _not_kind(_choices("meeting", "kind")),
                Option(
                    "--level", "Only meetings at this level: {values}.", values=_choices("meeting", "level"), repeat=ANY
                ),
                *FACT_FILTERS,
                *LISTING,
            ),
        ),
        Command(
            "search",
            "Fuzzy search over every fact.\n\n"
            "Typos, spelling variants and aliases in English, Japanese and Russian are forgiven; a year or month in "
            "the query narrows by date. Each result says why it matched. A word no fact has is named on stderr; "
            "a query about what the sources do not cover finds nothing (exit 1). The words need no quotes: "
            "nichiro search Abe Putin.",
            examples=(
                "nichiro search Southern Kurils 1956",
                "nichiro search Hatojama",
                "nichiro search 北方領土 --category treaty --json",
            ),
            panel=LOOK_UP,
            arguments=(
                Argument(
                    "query",
                    "Words, names or aliases; a year (2016) or month (2016-05) narrows by date.",
                    many=True,
                    join=True,
                ),
            ),
            options=(
                CATEGORY,
                *FACT_FILTERS,
                Option("--limit", "At most this many results.", kind="int", metavar="N", panel=ORDER, default=20),
                *OUTPUT_OPTIONS,
            ),
        ),
        Command(
            "show",
            "Everything about one fact, with its sources.\n\n"
            "Every field, each source with its verbatim quote, and the facts of other sources that disagree.",
            examples=(
                "nichiro show 1956-10-19-soviet-japanese-joint-declaration",
                "nichiro show 1956-10-19-soviet-japanese-joint-declaration --json",
            ),
            panel=LOOK_UP,
            arguments=(
                Argument("fact_id", "A fact id, as listed by the other commands.", metavar="ID", complete="fact_id"),
            ),
            options=(
                JSON,
                Option(
                    "--context",
                    "Show each quote within N sentences either side of it in its source text, highlighted "
                    "(1 when --context is given alone). Only a number after --context is read as N: "
                    "show --context 2 ID, show --context ID. Needs the source texts: --sources or NICHIRO_SOURCES.",
                    kind="int",
                    metavar="N",
                    bare=1,
                    panel=OUTPUT,
                ),
                SOURCE_TEXTS.but(
                    help="With --context: the directory of the source texts (or set NICHIRO_SOURCES).", panel=OUTPUT
                ),
            ),
        ),
        Command(
            "cite",
            "Citations of the sources of facts, ready to paste or to import into Zotero.\n\n"
            "Takes fact ids (or source ids) and prints each source they cite once, in the chosen style, each "
            "followed by the facts' ids and quotes so that the fact can be found again. APA, Chicago and MLA "
            "come from the Citation Style Language's official styles; bibtex, ris and csl-json are for "
            "reference managers. What the sources do not show (an author, a title, a URL) is left out, and "
            "said on stderr. See docs/citing.md.",
            examples=(
                "nichiro cite 1956-10-19-soviet-japanese-joint-declaration --style mla",
                "nichiro cite 1941-soviet-japanese-nonaggression-pact --style ris > pact.ris",
                "nichiro cite sputnik-2016 --style bibtex --no-quotes",
            ),
            panel=LOOK_UP,
            arguments=(
                Argument(
                    "ids",
                    "Fact ids or source ids (as nichiro sources lists them).",
                    metavar="ID",
                    many=True,
                    complete="fact_id",
                ),
            ),
            options=(
                Option(
                    "--style",
                    "Citation style or format: {values}.",
                    kind="choice",
                    metavar="STYLE",
                    panel=OUTPUT,
                    choices=CITE_STYLES,
                    values=CITE_STYLES,
                    default="apa",
                ),
                Option(
                    "--no-quotes",
                    "Only the references: without the facts' ids and quotes.",
                    kind="flag",
                    panel=OUTPUT,
                ),
            ),
        ),
        Command(
            "timeline",
            "Every dated fact in date order.\n\n"
            "Facts the sources give no date for (the country comparison, envoys, some claims) are listed after "
            "the dated ones with --with-undated; without it, a note on stderr says how many match.",
            examples=(
                "nichiro timeline --from 1991 --to 1999",
                "nichiro timeline --category event --tag sanctions",
                "nichiro timeline --with-undated --format csv > timeline.csv",
            ),
            panel=LOOK_UP,
            options=(
                *DATE_OPTIONS,
                CATEGORY,
                PERSON,
                PLACE,
                ANY_KIND,
                _not_kind(_kinds(*CATEGORIES)),
                *FACT_FILTERS,
                *LISTING,
            ),
        ),
        Command(
            "treaties",
            "Treaties, declarations and agreements.\n\nEvery instrument with its parties, place and what it did "
            "or provided.",
            examples=(
                "nichiro treaties",
                "nichiro treaties --kind declaration --json",
            ),
            panel=VIEWS,
            options=(
                *DATE_OPTIONS,
                _kind("treaty", "Only this kind of instrument: {values}."),
                _not_kind(_choices("treaty", "kind")),
                PLACE.but(help="Only instruments signed at this place or a place within it: an id, name or alias."),
                *FACT_FILTERS,
                *LISTING,
            ),
        ),
        Command(
            "trade",
            "Trade figures by period, reporter and source.\n\n"
            "The table has one row per period and source: total, exports and imports side by side. Machine formats "
            "give one record per figure. Figures of different periods or sources are never added up.",
            examples=(
                "nichiro trade --year 2014",
                "nichiro trade --chart",
                "nichiro trade --measure exports --format csv",
            ),
            panel=VIEWS,
            options=(
                *DATE_OPTIONS,
                Option("--measure", "Only these figures: {values}.", values=_choices("trade", "measure"), repeat=ANY),
                Option(
                    "--whole-years",
                    "Only the figures for whole calendar years (2015, 2014/2015), not parts of a year "
                    "(2015-01/2015-10).",
                    kind="flag",
                ),
                *FACT_FILTERS,
                Option(
                    "--chart",
                    "Draw one measure (total, or --measure) as bars, parts of years apart from whole years; "
                    "with a machine format, print the figures drawn.",
                    kind="flag",
                    panel=OUTPUT,
                ),
                *LISTING,
            ),
        ),
        Command(
            "exchanges",
            "Visa-free and cultural exchange counts.\n\n"
            "Visits per year in each direction, cumulative totals with their qualifier and as-of date, and the "
            "cultural exchange figures.",
            examples=("nichiro exchanges --program visa-free",),
            panel=VIEWS,
            options=(
                *DATE_OPTIONS,
                Option(
                    "--program", "Only this programme: {values}.", values=_choices("exchange", "program"), repeat=ANY
                ),
                Option(
                    "--direction",
                    "Only the counts of visits in this direction: {values} (both: counts of the two together).",
                    values=_choices("exchange", "direction"),
                    repeat=ANY,
                ),
                PLACE.but(
                    help="Only counts of visits to this place or a place within it (--place Kurils includes Shikotan): "
                    "an id, name or alias."
                ),
                *FACT_FILTERS,
                *LISTING,
            ),
        ),
        Command(
            "figures",
            "Figures: the country comparison, envoys, embassies and other records, dated or not.\n\n"
            "Dated figures in date order, then the undated ones (--undated for those alone). Embassies are of "
            "kind other (figures --tag embassy). Polls and other events that carry numbers are in the timeline: "
            "timeline --kind poll.",
            examples=(
                "nichiro figures --undated",
                "nichiro figures --kind envoy",
            ),
            panel=VIEWS,
            options=(
                *DATE_OPTIONS,
                Option("--undated", "Only the figures the sources give no date for.", kind="flag", panel=DATES),
                _kind("figure", "Only this kind of figure: {values}."),
                _not_kind(_choices("figure", "kind")),
                *FACT_FILTERS,
                *LISTING,
            ),
        ),
        Command(
            "sources",
            "The source documents and how many facts cite each.",
            examples=(
                "nichiro sources",
                "nichiro sources --json",
            ),
            panel=VIEWS,
            options=LISTING,
        ),
        Command(
            "people",
            "People, with their roles, the offices they held and every alias.\n\n"
            "Offices (President of Russia) are listed too, with who held them when; a term from outside the sources "
            "is said so (basis in JSON). --person takes an office's name where it names one office only.",
            examples=(
                "nichiro people --country russia",
                "nichiro people --source pecob-2017 --fields id,name",
            ),
            panel=VIEWS,
            options=(
                Option(
                    "--country",
                    "Only people of this country: {values}; or a country's name in any script.",
                    values=_registry_choices("person", "country"),
                    repeat=ANY,
                ),
                SOURCE.but(
                    help="Only people who take part in a fact this source supports, or whose entry it is quoted for "
                    "(its id, publisher or title)."
                ),
                *LISTING,
            ),
        ),
        Command(
            "places",
            "Places, with their kind, country, what they are within, and every alias.",
            examples=(
                "nichiro places --country disputed",
                "nichiro places --kind island",
            ),
            panel=VIEWS,
            options=(
                Option(
                    "--country",
                    "Only places of this country (japan, russia, disputed, ...), by name in any script.",
                    repeat=ANY,
                ),
                Option(
                    "--kind",
                    "Only this kind of place: {values}.",
                    values=_registry_choices("place", "kind"),
                    repeat=ANY,
                ),
                *LISTING,
            ),
        ),
        Command(
            "terms",
            "Key terms (treaties, organisations, summits), with every alias search knows.",
            examples=("nichiro terms --fields name,aliases",),
            panel=VIEWS,
            options=(
                Option(
                    "--kind",
                    "Only this kind of term: {values}.",
                    values=_registry_choices("term", "kind"),
                    repeat=ANY,
                ),
                *LISTING,
            ),
        ),
        Command(
            "stats",
            "Counts of facts by category, year, kind, person, place, source, tag or status.\n\n"
            "Takes the filters of the listings, and counts as they list: a fact is counted in every year its date "
            "overlaps (as --year lists it), or, with --within, only in the year it lies within; at each of its places "
            "and every place they lie within (as --place lists it). Stderr says the total: the facts counted, each "
            "once, as many as the listing with the same filters lists.",
            examples=(
                "nichiro stats --by year --category meeting",
                "nichiro stats --by person --limit 10",
            ),
            panel=VIEWS,
            options=(
                Option(
                    "--by",
                    "Count facts by: {values}.",
                    values=FACETS,
                    default="category",
                    panel=OUTPUT,
                    complete="facet",
                ),
                *DATE_OPTIONS,
                CATEGORY,
                PERSON,
                PLACE,
                ANY_KIND,
                _not_kind(_kinds(*CATEGORIES)),
                *FACT_FILTERS,
                *LISTING,
            ),
        ),
        Command(
            "export",
            "Write the whole base to a file (JSON or SQLite).",
            panel=MAINTAIN,
            commands=(
                Command(
                    "json",
                    "The whole base as one sorted, indented JSON object.\n\n"
                    "Facts, sources, people, places and terms, each list in a stable order: a snapshot that diffs "
                    "well.",
                    examples=(
                        "nichiro export json facts.json",
                        "nichiro export json - | jq '.facts | length'",
                    ),
                    call="export_json",
                    arguments=(EXPORT_FILE,),
                    options=(FORCE,),
                ),
                Command(
                    "sqlite",
                    "An SQLite database with full-text search, for sqlite3 or Datasette.\n\n"
                    "facts (every fact), one table per category, sources, people, places, terms, link tables "
                    "(participants, places, tags, quotes, related facts) and an FTS5 index on facts that knows "
                    "every alias. See docs/sqlite.md.",
                    examples=("nichiro export sqlite nichiro.db --metadata metadata.json",),
                    call="export_sqlite",
                    arguments=(EXPORT_FILE,),
                    options=(
                        FORCE,
                        Option(
                            "--metadata",
                            "Also write Datasette's metadata to this file (licences, facets, column descriptions, "
                            "a search query); FILE's --force applies to it too.",
                            kind="path",
                            metavar="JSON",
                            panel="Options",
                            dir_okay=False,
                        ),
                    ),
                ),
            ),
        ),
        Command(
            "cache",
            "Where the checked base is kept, and clearing it.\n\n"
            "nichiro keeps the checked fact base as an SQLite store in $NICHIRO_CACHE_DIR, else "
            "$XDG_CACHE_HOME/nichiro, else ~/.cache/nichiro (a directory of the user's own that no one else may "
            "write to), and brings it up to date after an edit. See docs/reliability.md.",
            panel=MAINTAIN,
            commands=(
                Command(
                    "info",
                    "The cache directory, whether it is used (and why not), and the stores in it.\n\n"
                    "The store of the fact directories this line reads is opened as a lookup opens it: its size, "
                    "its facts and files, and whether it is sound. Files that nichiro did not write are counted, "
                    "never touched.",
                    examples=(
                        "nichiro cache info",
                        "nichiro cache info --json",
                    ),
                    call="cache_info",
                    options=(JSON.but(help="Print JSON."),),
                ),
                Command(
                    "clear",
                    "Remove every file nichiro wrote in the cache directory, and nothing else.\n\n"
                    "The stores, the temporary files of builds that were killed, and the database `serve` exported. "
                    "The next lookup builds its store again (about 0.2 s for the bundled facts).",
                    examples=("nichiro cache clear",),
                    call="cache_clear",
                ),
            ),
        ),
        Command(
            "serve",
            "Browse the base in Datasette, in a web browser (needs the web extra).\n\n"
            "Exports the base to the cache and serves it read-only on 127.0.0.1 with Datasette: every table with "
            "facets and links, search that knows every alias and reads typos as nichiro search does, licences and "
            "column descriptions. Install it with "
            'pip install "nichiro[web]". See docs/sqlite.md.',
            examples=(
                "nichiro serve --open",
                "nichiro serve --port 8002",
            ),
            panel=VIEWS,
            options=(
                Option(
                    "--port",
                    "The port to listen on (127.0.0.1 only).",
                    kind="int",
                    metavar="N",
                    default=8001,
                    panel="Options",
                ),
                Option("--open", "Open the base in a web browser.", kind="flag", dest="open_browser", panel="Options"),
            ),
        ),
        Command(
            "schema",
            "Print a JSON Schema: of the JSON records (versioned), or of the TOML fact files for editors.",
            examples=(
                "nichiro schema > records.schema.json",
                "nichiro schema facts",
            ),
            panel=MAINTAIN,
            arguments=(
                Argument(
                    "name",
                    "records: the JSON the commands print; facts: the TOML fact files.",
                    required=False,
                    default="records",
                    complete="schema",
                ),
            ),
        ),
        Command(
            "completion",
            "Print the shell completion script for bash, zsh or fish.\n\n"
            "Completes commands, options and their values from the base itself: people and places by any of "
            "their names (shown with them), sources, tags, categories, --fields and fact ids. Load it for this "
            "session, or save it where your shell finds completions, as the examples do for bash and zsh "
            "(fish, and where each shell looks: docs/completion.md). It changes no setting of the shell.",
            examples=(
                "source <(nichiro completion bash)",
                "mkdir -p ~/.zfunc && nichiro completion zsh > ~/.zfunc/_nichiro",
            ),
            panel=MAINTAIN,
            arguments=(Argument("shell", "bash, zsh or fish.", complete="shell"),),
        ),
        Command(
            "check",
            "Validate the fact base (and find its quotes, with --sources).\n\n"
            "Reports every problem as file:line: id: field: message: TOML syntax, unknown keys, wrong types, "
            "impossible dates, duplicate ids, unknown references, missing quotes, empty fields. Validates the "
            "bundled facts and every --facts directory (with --facts-only, those alone).",
            examples=("nichiro check",),
            panel=MAINTAIN,
            options=(SOURCE_TEXTS.but(help="Also find every quote in the source texts of this directory."),),
        ),
    )
}

EXAMPLES = (
    "nichiro meetings --year 2016",
    "nichiro meetings --person Abe --person Putin --place Japan",
    "nichiro timeline --date 2016-09-02",
    "nichiro figures --undated",
    "nichiro search Southern Kurils 1956",
    "nichiro show 1956-10-19-soviet-japanese-joint-declaration",
    "nichiro cite 1956-10-19-soviet-japanese-joint-declaration --style mla",
    "nichiro trade --json | jq '.[] | select(.measure == \"total\")'",
)


ROOT = Command(
    "nichiro",
    "Look up facts on Japan–Russia relations (日露): meetings, treaties, trade, exchanges, the timeline. "
    "Every fact carries its source and a verbatim quote.",
    options=(VERSION,),
    commands=tuple(COMMANDS.values()),
    examples=EXAMPLES,
)

EXIT_CODES_HELP = (
    "Exit codes: 0 success (an empty result included); 1 search, show or cite found nothing; "
    "2 usage error (a file or directory named that is not there included); 3 invalid fact base; "
    "4 check --sources found a quote or a source text missing; 70 internal error (a bug: please report it); "
    "74 cannot write the output or a file (no permission, a full disk); "
    "130 interrupted by Ctrl-C (another signal gives 128 plus its number, as 143 for SIGTERM)."
)
REPEAT_HELP = (
    "Repeated options: a filter of something a fact has one of (--year, --date, --kind, --category, --place, "
    "--source, --status) keeps the facts that match any of the values; --person and --tag keep those that match "
    "all of them, as gh --label does (and several --source with --all-sources); each --not-kind leaves a kind "
    "out. The other options (--format, --fields, --sort, --limit, --by, --from, --to) "
    "may be given once. Filter values are matched as search matches names (case, script, accents, typos); a "
    "corrected value is named on stderr, and an unknown or ambiguous one is an error, never an empty answer."
)


def find(path: Sequence[str]) -> Command:
    """The command at a path of names: [] is the root, ["export", "json"] a subcommand."""
    command = ROOT
    for name in path:
        command = command.commands[name]
    return command


def see_help(path: Sequence[str]) -> str:
    """What a usage error ends with: the help of the command the line was read as (either parser)."""
    return f"(see '{' '.join(['nichiro', *path, '--help'])}')"


def walk(command: Command = ROOT, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Command]]:
    """Every command with its path, the root first, in declaration order."""
    yield path, command
    for name, sub in command.commands.items():
        yield from walk(sub, (*path, name))


# --------------------------------------------------------------------------- reading what was parsed


def spell_out(command: Command, args: Sequence[str]) -> list[str]:
    """A command's words with each optional value written out: `--context` alone as `--context=1`,
    `--context 2` as `--context=2` (by `Option.takes`, as the fast path reads them).

    Typer's parser has no option whose value is optional (typer 0.28 vendors click without
    `flag_value`'s optional mode), so cli hands it the line spelled out; every other word is left as
    it is, and a word that is another option's value is skipped, as click skips it.
    """
    table = {flag: opt for opt in command.all_options() for flag in opt.flags}
    out: list[str] = []
    i = 0
    while i < len(args):
        word, following = args[i], args[i + 1] if i + 1 < len(args) else None
        opt = table.get(word)
        if word == "--":
            return [*out, *args[i:]]
        if opt is None or opt.kind == "flag":
            out.append(word)  # a flag, an argument, `--opt=value`, or what click will refuse
        elif opt.bare is None:
            out += [word] if following is None else [word, following]  # its value, whatever it looks like
            i += 1
        elif following is not None and opt.takes(following):
            out.append(f"{word}={following}")
            i += 1
        else:
            out.append(f"{word}={opt.bare}")
        i += 1
    return out


def finish(command: Command, given: dict[str, list[Any]]) -> Args:
    """The values of a command line, from what a parser collected: every value of each option given, in order.

    Both parsers hand over lists, so that a repetition is seen here, in one place: ONCE options given
    twice are a usage error, the others become tuples (ALL and ANY are applied by the filters).
    """
    from .errors import UsageError

    values: dict[str, Any] = {}
    for opt in command.all_options():
        got = [v for v in given.get(opt.dest) or () if v is not None]
        if opt.kind == "flag":
            values[opt.dest] = any(got)
        elif opt.repeat == ONCE:
            if len(got) > 1:
                shown = ", ".join(str(v) for v in got)
                path = next(p for p, c in walk() if c is command)
                raise UsageError(f"{opt.name} was given {len(got)} times ({shown}): give it once {see_help(path)}")
            values[opt.dest] = got[0] if got else opt.default
        else:
            values[opt.dest] = tuple(got)
    for arg in command.arguments:
        got = list(given.get(arg.dest) or ())
        if arg.many:
            values[arg.dest] = " ".join(str(v) for v in got) if arg.join else tuple(got)
        else:
            values[arg.dest] = got[0] if got else arg.default
    return Args(values)


def defaults(path: Sequence[str], **values: Any) -> Args:
    """A command's Args with every default, and some values given (for tests and scripts)."""
    command = find(path)
    args = finish(command, {})
    args.__dict__.update(values)
    return args
