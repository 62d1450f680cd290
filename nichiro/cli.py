"""The `nichiro` command line as typer declares it: every command, option, help text and completion.

The only user of typer. Each command hands its options to the function of the same name in
`commands`, which does the work; errors become exit codes in `commands.guarded`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
import typer.core

from . import __version__, commands
from .errors import ExitCode, NichiroError

EXIT_CODES_HELP = (
    "Exit codes: 0 success (an empty result included); 1 search or show found nothing; "
    "2 usage error; 3 invalid fact base; 4 check --sources found a quote missing from its source; "
    "70 internal error (a bug: please report it)."
)
EPILOG = (
    "\b\nExamples:\n"
    "  nichiro meetings --year 2016\n"
    '  nichiro search "Southern Kurils 1956"\n'
    "  nichiro show 1956-10-19-soviet-japanese-joint-declaration\n"
    "  nichiro trade --json | jq '.[] | select(.measure == \"total\")'\n\n" + EXIT_CODES_HELP
)


def _format_grouped(command: Any, ctx: Any, formatter: Any) -> None:
    """Help in sections: arguments, then options by their panel (Filters, Output), then commands by theirs."""
    sections: dict[str, list[tuple[str, str]]] = {}
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is None:
            continue
        default = "Arguments" if param.param_type_name == "argument" else "Options"
        sections.setdefault(getattr(param, "rich_help_panel", None) or default, []).append(record)
    if isinstance(command, typer.core.TyperGroup):
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                panel = getattr(sub, "rich_help_panel", None) or "Commands"
                sections.setdefault(panel, []).append((name, sub.get_short_help_str(limit=80)))
    order = ["Arguments", "Options"]
    for title in [*order, *(t for t in sections if t not in order)]:
        if sections.get(title):
            with formatter.section(title):
                formatter.write_dl(sections[title])


class _Command(typer.core.TyperCommand):
    def format_options(self, ctx: Any, formatter: Any) -> None:
        _format_grouped(self, ctx, formatter)


class _Group(typer.core.TyperGroup):
    def format_options(self, ctx: Any, formatter: Any) -> None:
        _format_grouped(self, ctx, formatter)


app = typer.Typer(
    name="nichiro",
    cls=_Group,
    help="Look up facts on Japan–Russia relations (日露): meetings, treaties, trade, exchanges, the timeline. "
    "Every fact carries its source and a verbatim quote.",
    epilog=EPILOG,
    add_completion=True,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


class Format(str, Enum):
    auto = "auto"
    table = "table"
    plain = "plain"
    json = "json"
    jsonl = "jsonl"
    csv = "csv"
    tsv = "tsv"


# Options shared by many commands, declared once.
FILTERS, OUTPUT = "Filters", "Output"
YearOpt = Annotated[
    Optional[int],
    typer.Option("--year", metavar="YEAR", help="Only facts whose date overlaps this year.", rich_help_panel=FILTERS),
]
FromOpt = Annotated[
    Optional[str],
    typer.Option(
        "--from",
        metavar="DATE",
        help="Only facts on or after this date: YYYY, YYYY-MM or YYYY-MM-DD.",
        rich_help_panel=FILTERS,
    ),
]
ToOpt = Annotated[
    Optional[str],
    typer.Option(
        "--to",
        metavar="DATE",
        help="Only facts on or before this date: YYYY, YYYY-MM or YYYY-MM-DD.",
        rich_help_panel=FILTERS,
    ),
]
FormatOpt = Annotated[
    Format,
    typer.Option(
        "--format",
        "-f",
        help="Output format. auto: a table on a terminal, tab-separated rows in a pipe.",
        rich_help_panel=OUTPUT,
        case_sensitive=False,
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (short for --format json).", rich_help_panel=OUTPUT)]


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"nichiro {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    facts: Annotated[
        Optional[list[Path]],
        typer.Option(
            "--facts",
            metavar="DIR",
            help="Also load the TOML fact files of this directory (repeatable; or set NICHIRO_FACTS, ':'-separated).",
            file_okay=True,
            dir_okay=True,
        ),
    ] = None,
    facts_only: Annotated[
        bool, typer.Option("--facts-only", help="Use only the --facts directories, not the bundled facts.")
    ] = False,
    no_color: Annotated[
        bool, typer.Option("--no-color", help="No colour, even on a terminal (as does NO_COLOR).")
    ] = False,
    no_cache: Annotated[
        bool, typer.Option("--no-cache", help="Read the fact files afresh; neither read nor write the cache.")
    ] = False,
) -> None:
    commands.configure(facts, facts_only, no_color, no_cache)


FieldsOpt = Annotated[
    Optional[str],
    typer.Option(
        "--fields",
        metavar="FIELD,...",
        help="Comma-separated fields to print, in this order (all formats).",
        rich_help_panel=OUTPUT,
    ),
]


def _complete_category(incomplete: str) -> list[str]:
    from .model import CATEGORIES

    return [c for c in CATEGORIES if c.startswith(incomplete)]


def _completer(category: str, field: str) -> Callable[[str], list[str]]:
    """Completion of a field's choices, e.g. the kinds of meeting."""

    def complete(incomplete: str) -> list[str]:
        return [k for k in commands.choices(category, field) if k.startswith(incomplete)]

    return complete


def _complete_facet(incomplete: str) -> list[str]:
    from .views import FACETS

    return [f for f in FACETS if f.startswith(incomplete)]


def _complete_id(incomplete: str) -> list[str]:
    try:
        return [i for i in commands.load_base().by_id if i.startswith(incomplete)]
    except NichiroError:
        return []


CategoryOpt = Annotated[
    Optional[str],
    typer.Option(
        help="Only this category: meeting, treaty, trade, exchange, event, figure.",
        rich_help_panel=FILTERS,
        autocompletion=_complete_category,
    ),
]


# --------------------------------------------------------------------------- commands

LOOK_UP, VIEWS, MAINTAIN = "Look up", "Views", "Export and maintain"


@app.command(cls=_Command, rich_help_panel=LOOK_UP)
def meetings(
    year: YearOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    person: Annotated[
        Optional[str],
        typer.Option(help="Only meetings this person took part in (id, name or alias).", rich_help_panel=FILTERS),
    ] = None,
    place: Annotated[
        Optional[str],
        typer.Option(help="Only meetings held at this place (id, name or alias).", rich_help_panel=FILTERS),
    ] = None,
    kind: Annotated[
        Optional[str],
        typer.Option(
            help="Only this kind: summit, official-visit, sidelines, phone-call, ...",
            rich_help_panel=FILTERS,
            autocompletion=_completer("meeting", "kind"),
        ),
    ] = None,
    fmt: FormatOpt = Format.auto,
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
) -> None:
    """Summits, visits, phone calls and other contacts.

    Leaders, ministers, deputy ministers, parliaments, the military and parties: every meeting in the sources.
    """
    commands.meetings(year, date_from, date_to, person, place, kind, fmt.value, as_json, fields)


@app.command(cls=_Command, rich_help_panel=LOOK_UP)
def search(
    query: Annotated[
        str, typer.Argument(help="Words, names or aliases; a year (2016) or month (2016-05) narrows by date.")
    ],
    category: CategoryOpt = None,
    limit: Annotated[int, typer.Option(help="At most this many results.", rich_help_panel=OUTPUT)] = 20,
    fmt: FormatOpt = Format.auto,
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
) -> None:
    """Fuzzy search over every fact.

    Typos, spelling variants and aliases in English, Japanese and Russian are forgiven; a year or month in
    the query narrows by date. Each result says why it matched.
    """
    commands.search(query, category, limit, fmt.value, as_json, fields)


@app.command(cls=_Command, rich_help_panel=LOOK_UP)
def show(
    fact_id: Annotated[
        str,
        typer.Argument(metavar="ID", help="A fact id, as listed by the other commands.", autocompletion=_complete_id),
    ],
    as_json: JsonOpt = False,
) -> None:
    """Everything about one fact, with its sources.

    Every field, each source with its verbatim quote, and the facts of other sources that disagree.
    """
    commands.show(fact_id, as_json)


@app.command(cls=_Command, rich_help_panel=LOOK_UP)
def timeline(
    year: YearOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    category: CategoryOpt = None,
    fmt: FormatOpt = Format.auto,
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
) -> None:
    """Every dated fact in date order."""
    commands.timeline(year, date_from, date_to, category, fmt.value, as_json, fields)


@app.command(cls=_Command, rich_help_panel=VIEWS)
def treaties(
    year: YearOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    kind: Annotated[
        Optional[str],
        typer.Option(
            help="Only this kind: treaty, declaration, agreement, pact, ...",
            rich_help_panel=FILTERS,
            autocompletion=_completer("treaty", "kind"),
        ),
    ] = None,
    fmt: FormatOpt = Format.auto,
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
) -> None:
    """Treaties, declarations and agreements.

    Every instrument with its parties, place and what it did or provided.
    """
    commands.treaties(year, date_from, date_to, kind, fmt.value, as_json, fields)


@app.command(cls=_Command, rich_help_panel=VIEWS)
def trade(
    year: YearOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    measure: Annotated[
        Optional[str],
        typer.Option(
            help="Only total, exports, imports or change.",
            rich_help_panel=FILTERS,
            autocompletion=_completer("trade", "measure"),
        ),
    ] = None,
    chart: Annotated[bool, typer.Option("--chart", help="Draw the totals as bars.", rich_help_panel=OUTPUT)] = False,
    fmt: FormatOpt = Format.auto,
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
) -> None:
    """Trade figures by period, reporter and source.

    The table has one row per period and source: total, exports and imports side by side. Machine formats
    give one record per figure. Figures of different periods or sources are never added up.
    """
    commands.trade(year, date_from, date_to, measure, chart, fmt.value, as_json, fields)


@app.command(cls=_Command, rich_help_panel=VIEWS)
def exchanges(
    year: YearOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    program: Annotated[
        Optional[str],
        typer.Option(
            help="Only visa-free or cultural.",
            rich_help_panel=FILTERS,
            autocompletion=_completer("exchange", "program"),
        ),
    ] = None,
    fmt: FormatOpt = Format.auto,
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
) -> None:
    """Visa-free and cultural exchange counts.

    Visits per year in each direction, cumulative totals with their qualifier and as-of date, and the
    cultural exchange figures.
    """
    commands.exchanges(year, date_from, date_to, program, fmt.value, as_json, fields)


@app.command(cls=_Command, rich_help_panel=VIEWS)
def sources(fmt: FormatOpt = Format.auto, as_json: JsonOpt = False, fields: FieldsOpt = None) -> None:
    """The source documents and how many facts cite each."""
    commands.sources(fmt.value, as_json, fields)


@app.command(cls=_Command, rich_help_panel=VIEWS)
def people(
    country: Annotated[
        Optional[str], typer.Option(help="Only people of this country: japan, russia, ...", rich_help_panel=FILTERS)
    ] = None,
    fmt: FormatOpt = Format.auto,
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
) -> None:
    """People, with their roles and every alias."""
    commands.people(country, fmt.value, as_json, fields)


@app.command(cls=_Command, rich_help_panel=VIEWS)
def places(
    country: Annotated[
        Optional[str],
        typer.Option(help="Only places of this country: japan, russia, disputed, ...", rich_help_panel=FILTERS),
    ] = None,
    fmt: FormatOpt = Format.auto,
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
) -> None:
    """Places, with their kind, country and every alias."""
    commands.places(country, fmt.value, as_json, fields)


@app.command(cls=_Command, rich_help_panel=VIEWS)
def terms(fmt: FormatOpt = Format.auto, as_json: JsonOpt = False, fields: FieldsOpt = None) -> None:
    """Key terms (treaties, organisations, summits), with every alias search knows."""
    commands.terms(fmt.value, as_json, fields)


@app.command(cls=_Command, rich_help_panel=VIEWS)
def stats(
    by: Annotated[
        str,
        typer.Option(
            help="Count facts by: category, year, kind, person, place or source.",
            rich_help_panel=OUTPUT,
            autocompletion=_complete_facet,
        ),
    ] = "category",
    year: YearOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    category: CategoryOpt = None,
    fmt: FormatOpt = Format.auto,
    as_json: JsonOpt = False,
    fields: FieldsOpt = None,
) -> None:
    """Counts of facts by category, year, kind, person, place or source."""
    commands.stats(by, year, date_from, date_to, category, fmt.value, as_json, fields)


export_app = typer.Typer(
    cls=_Group,
    help="Write the whole base to a file (JSON or SQLite).",
    no_args_is_help=True,
)
app.add_typer(export_app, name="export", rich_help_panel=MAINTAIN)
ForceOpt = Annotated[bool, typer.Option("--force", help="Overwrite FILE if it exists.")]
FileArg = Annotated[Path, typer.Argument(metavar="FILE", help="The file to write ('-' for stdout, JSON only).")]


@export_app.command("json", cls=_Command)
def export_json(file: FileArg, force: ForceOpt = False) -> None:
    """The whole base as one sorted, indented JSON object.

    Facts, sources, people, places and terms, each list in a stable order: a snapshot that diffs well.
    """
    commands.export_json(file, force)


@export_app.command("sqlite", cls=_Command)
def export_sqlite(file: FileArg, force: ForceOpt = False) -> None:
    """An SQLite database with full-text search, for sqlite3 or Datasette.

    One table per category plus sources, people, places, terms, quotes and participants, and an FTS5
    index (facts_fts) over titles, summaries, notes and quotes. See docs/sqlite.md.
    """
    commands.export_sqlite(file, force)


@app.command(cls=_Command, rich_help_panel=MAINTAIN)
def schema(
    name: Annotated[
        str, typer.Argument(help="records: the JSON the commands print; facts: the TOML fact files.")
    ] = "records",
) -> None:
    """Print a JSON Schema: of the JSON records (versioned), or of the TOML fact files for editors."""
    commands.schema(name)


@app.command(cls=_Command, rich_help_panel=MAINTAIN)
def check(
    sources: Annotated[
        Optional[Path],
        typer.Option(
            "--sources",
            metavar="DIR",
            help="Also find every quote in the source texts of this directory.",
            file_okay=False,
        ),
    ] = None,
    facts: Annotated[
        Optional[list[Path]],
        typer.Option(
            "--facts", metavar="DIR", help="Also validate this directory of your own fact files (repeatable)."
        ),
    ] = None,
    facts_only: Annotated[
        bool, typer.Option("--facts-only", help="Validate only the --facts directories, not the bundled facts.")
    ] = False,
) -> None:
    """Validate the fact base (and find its quotes, with --sources).

    Reports every problem as file:line: id: field: message: TOML syntax, unknown keys, wrong types,
    impossible dates, duplicate ids, unknown references, missing quotes, empty fields.
    """
    commands.check(sources, facts, facts_only)


# --------------------------------------------------------------------------- entry point


def main(argv: list[str] | None = None) -> int:
    """Run the CLI through typer; every error ends as one line on stderr and an exit code."""
    return commands.guarded(lambda: _parse_and_run(argv))


def _parse_and_run(argv: list[str] | None) -> int:
    command = typer.main.get_command(app)
    try:
        result = command.main(args=argv, prog_name="nichiro", standalone_mode=False)
        return result if isinstance(result, int) else ExitCode.OK
    except typer.Abort:
        return commands.fail("aborted", ExitCode.USAGE)
    except typer.TyperException as exc:  # the parser's usage errors
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
            sys.stdout.write(ctx.get_help() + "\n")  # a bare `nichiro`: the guide, not an error
            return ExitCode.OK
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        message = " ".join(message.split())
        sub = getattr(ctx, "command_path", "nichiro")
        return commands.fail(f"{message} (see '{sub} --help')", getattr(exc, "exit_code", ExitCode.USAGE))
