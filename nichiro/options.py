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
    `values` lists the values a "str" option is checked against after parsing (a field's choices):
    they go to the help, to completion and to "did you mean", not to the parser. `complete` names
    a source of completions for typer (see cli._COMPLETERS).
    """

    __slots__ = (
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
    ) -> None:
        self.flags = tuple(flags.split())
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

    @property
    def name(self) -> str:
        return self.flags[0]

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

    __slots__ = ("arguments", "call", "commands", "help", "name", "options", "panel")

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
    ) -> None:
        self.name = name
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


YEAR = Option("--year", "Only facts whose date overlaps this year.", kind="int", metavar="YEAR", panel=FILTERS)
FROM = Option(
    "--from",
    "Only facts on or after this date: YYYY, YYYY-MM or YYYY-MM-DD.",
    dest="date_from",
    metavar="DATE",
)
TO = Option(
    "--to",
    "Only facts on or before this date: YYYY, YYYY-MM or YYYY-MM-DD.",
    dest="date_to",
    metavar="DATE",
)
PERSON = Option(
    "--person", "Only facts this person took part in (id, name or alias).", metavar="NAME", complete="person"
)
PLACE = Option("--place", "Only facts at this place (id, name or alias).", metavar="NAME", complete="place")
CATEGORY = Option(
    "--category", "Only this category: {values}.", metavar="CATEGORY", values=CATEGORIES, complete="category"
)

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
OUTPUT_OPTIONS = (FORMAT, JSON, FIELDS)

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
    return Option("--kind", help, metavar="KIND", values=_choices(category, "kind"))


PERSON_COUNTRIES = next(f.choices for f in REGISTRY_FIELDS["person"] if f.name == "country")
FACETS = ("category", "year", "kind", "person", "place", "source")


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
            panel=LOOK_UP,
            options=(
                YEAR,
                FROM,
                TO,
                PERSON.but(help="Only meetings this person took part in (id, name or alias)."),
                PLACE.but(help="Only meetings held at this place (id, name or alias)."),
                _kind("meeting", "Only this kind: {values}."),
                *OUTPUT_OPTIONS,
            ),
        ),
        Command(
            "search",
            "Fuzzy search over every fact.\n\n"
            "Typos, spelling variants and aliases in English, Japanese and Russian are forgiven; a year or month in "
            "the query narrows by date. Each result says why it matched. The words need no quotes: "
            "nichiro search Abe Putin.",
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
                Option("--limit", "At most this many results.", kind="int", metavar="N", panel=OUTPUT, default=20),
                *OUTPUT_OPTIONS,
            ),
        ),
        Command(
            "show",
            "Everything about one fact, with its sources.\n\n"
            "Every field, each source with its verbatim quote, and the facts of other sources that disagree.",
            panel=LOOK_UP,
            arguments=(
                Argument("fact_id", "A fact id, as listed by the other commands.", metavar="ID", complete="fact_id"),
            ),
            options=(
                JSON,
                Option(
                    "--context",
                    "Show each quote within the sentences around it in its source text, the quote highlighted "
                    "(needs the source texts: --sources or NICHIRO_SOURCES).",
                    kind="flag",
                    panel=OUTPUT,
                ),
                Option(
                    "--sentences",
                    "With --context: this many sentences either side of the quote.",
                    kind="int",
                    metavar="N",
                    default=1,
                    panel=OUTPUT,
                ),
                SOURCE_TEXTS,
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
            panel=LOOK_UP,
            arguments=(
                Argument(
                    "ids",
                    "Fact ids or source ids (as nichiro sources lists them).",
                    metavar="ID...",
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
            "Every dated fact in date order.",
            panel=LOOK_UP,
            options=(YEAR, FROM, TO, CATEGORY, *OUTPUT_OPTIONS),
        ),
        Command(
            "treaties",
            "Treaties, declarations and agreements.\n\n"
            "Every instrument with its parties, place and what it did or provided.",
            panel=VIEWS,
            options=(YEAR, FROM, TO, _kind("treaty", "Only this kind: {values}."), *OUTPUT_OPTIONS),
        ),
        Command(
            "trade",
            "Trade figures by period, reporter and source.\n\n"
            "The table has one row per period and source: total, exports and imports side by side. Machine formats "
            "give one record per figure. Figures of different periods or sources are never added up.",
            panel=VIEWS,
            options=(
                YEAR,
                FROM,
                TO,
                Option("--measure", "Only these figures: {values}.", values=_choices("trade", "measure")),
                Option(
                    "--chart",
                    "Draw one measure (total, or --measure) as bars, parts of years apart from whole years; "
                    "with a machine format, print the figures drawn.",
                    kind="flag",
                    panel=OUTPUT,
                ),
                *OUTPUT_OPTIONS,
            ),
        ),
        Command(
            "exchanges",
            "Visa-free and cultural exchange counts.\n\n"
            "Visits per year in each direction, cumulative totals with their qualifier and as-of date, and the "
            "cultural exchange figures.",
            panel=VIEWS,
            options=(
                YEAR,
                FROM,
                TO,
                Option("--program", "Only this programme: {values}.", values=_choices("exchange", "program")),
                *OUTPUT_OPTIONS,
            ),
        ),
        Command("sources", "The source documents and how many facts cite each.", panel=VIEWS, options=OUTPUT_OPTIONS),
        Command(
            "people",
            "People, with their roles and every alias.",
            panel=VIEWS,
            options=(
                Option("--country", "Only people of this country: {values}.", values=PERSON_COUNTRIES),
                *OUTPUT_OPTIONS,
            ),
        ),
        Command(
            "places",
            "Places, with their kind, country and every alias.",
            panel=VIEWS,
            options=(Option("--country", "Only places of this country: japan, russia, disputed, ..."), *OUTPUT_OPTIONS),
        ),
        Command(
            "terms",
            "Key terms (treaties, organisations, summits), with every alias search knows.",
            panel=VIEWS,
            options=OUTPUT_OPTIONS,
        ),
        Command(
            "stats",
            "Counts of facts by category, year, kind, person, place or source.",
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
                YEAR,
                FROM,
                TO,
                CATEGORY,
                *OUTPUT_OPTIONS,
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
            "serve",
            "Browse the base in Datasette, in a web browser (needs the web extra).\n\n"
            "Exports the base to the cache and serves it read-only on 127.0.0.1 with Datasette: every table with "
            "facets and links, search that knows every alias, licences and column descriptions. Install it with "
            'pip install "nichiro[web]". See docs/sqlite.md.',
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
            "session with: source <(nichiro completion bash) (zsh the same; fish: nichiro completion fish | source), "
            "or save it where your shell finds completions (docs/completion.md). It changes no setting of the shell.",
            panel=MAINTAIN,
            arguments=(Argument("shell", "bash, zsh or fish.", complete="shell"),),
        ),
        Command(
            "check",
            "Validate the fact base (and find its quotes, with --sources).\n\n"
            "Reports every problem as file:line: id: field: message: TOML syntax, unknown keys, wrong types, "
            "impossible dates, duplicate ids, unknown references, missing quotes, empty fields. Validates the "
            "bundled facts and every --facts directory (with --facts-only, those alone).",
            panel=MAINTAIN,
            options=(SOURCE_TEXTS.but(help="Also find every quote in the source texts of this directory."),),
        ),
    )
}

ROOT = Command(
    "nichiro",
    "Look up facts on Japan–Russia relations (日露): meetings, treaties, trade, exchanges, the timeline. "
    "Every fact carries its source and a verbatim quote.",
    options=(VERSION,),
    commands=tuple(COMMANDS.values()),
)

EXIT_CODES_HELP = (
    "Exit codes: 0 success (an empty result included); 1 search, show or cite found nothing; "
    "2 usage error; 3 invalid fact base; 4 check --sources found a quote or a source text missing; "
    "70 internal error (a bug: please report it); 74 cannot write the output or a file; "
    "130 interrupted by Ctrl-C (another signal gives 128 plus its number, as 143 for SIGTERM)."
)
REPEAT_HELP = (
    "Repeated options: a filter of something a fact has one of (--year, --date, --kind, --category, --place, "
    "--source, --status) keeps the facts that match any of the values; --person and --tag keep those that match "
    "all of them, as gh --label does. The other options (--format, --fields, --sort, --limit, --by, --from, --to) "
    "may be given once. Filter values are matched as search matches names (case, script, accents, typos); a "
    "corrected value is named on stderr, and an unknown or ambiguous one is an error, never an empty answer."
)
EXAMPLES = (
    "nichiro meetings --year 2016",
    "nichiro search Southern Kurils 1956",
    "nichiro show 1956-10-19-soviet-japanese-joint-declaration",
    "nichiro cite 1956-10-19-soviet-japanese-joint-declaration --style mla",
    "nichiro trade --json | jq '.[] | select(.measure == \"total\")'",
)


def find(path: Sequence[str]) -> Command:
    """The command at a path of names: [] is the root, ["export", "json"] a subcommand."""
    command = ROOT
    for name in path:
        command = command.commands[name]
    return command


def walk(command: Command = ROOT, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Command]]:
    """Every command with its path, the root first, in declaration order."""
    yield path, command
    for name, sub in command.commands.items():
        yield from walk(sub, (*path, name))


# --------------------------------------------------------------------------- reading what was parsed


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
                raise UsageError(f"{opt.name} was given {len(got)} times ({shown}): give it once")
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
