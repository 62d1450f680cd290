"""The `nichiro` command line: parses options, calls the library, hands results to render.

The only user of typer. Every error becomes a one-line message on stderr and an exit code here,
in `main`, and nowhere else.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer
import typer.core

from . import __version__
from .errors import ExitCode, FactBaseError, NichiroError, NotFoundError, UsageError

if TYPE_CHECKING:
    from .model import FactBase
    from .render import Column

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


class _State:
    """Global options, set by the root callback before any command runs."""

    facts_dirs: tuple[Path, ...] = ()
    facts_only: bool = False
    no_color: bool = False
    no_cache: bool = False


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
    env = [Path(p) for p in os.environ.get("NICHIRO_FACTS", "").split(os.pathsep) if p]
    _State.facts_dirs = (*env, *(facts or ()))
    _State.facts_only = facts_only
    _State.no_color = no_color
    _State.no_cache = no_cache
    if facts_only and not _State.facts_dirs:
        raise UsageError("--facts-only needs at least one --facts directory (or NICHIRO_FACTS)")


# --------------------------------------------------------------------------- plumbing


def _fact_dirs() -> list[Path]:
    from .factbase import bundled_facts_dir

    return [*([] if _State.facts_only else [bundled_facts_dir()]), *_State.facts_dirs]


def _base() -> FactBase:
    from .factbase import load_factbase

    return load_factbase(_fact_dirs(), use_cache=not _State.no_cache)


class _Output:
    """The output format and fields, decided once per command from its options."""

    def __init__(self, fmt: Format, as_json: bool, fields: str | None) -> None:
        if as_json and fmt not in (Format.auto, Format.json):
            raise UsageError(f"--json and --format {fmt.value} contradict each other")
        if as_json:
            self.format = "json"
        elif fmt is Format.auto:
            self.format = "table" if sys.stdout.isatty() else "plain"
        else:
            self.format = str(fmt.value)
        self.fields = [f.strip() for f in fields.split(",") if f.strip()] if fields is not None else None
        if self.fields is not None and not self.fields:
            raise UsageError("--fields: give at least one field name")

    def emit(
        self,
        records: list[dict[str, Any]],
        columns: list[Column],
        available: list[str],
        title: str,
        empty: str,
    ) -> None:
        """Print records in the chosen format and fields; say so on stderr when there are none."""
        from . import render

        if self.fields is not None:
            unknown = [f for f in self.fields if f not in available]
            if unknown:
                raise UsageError(f"--fields: unknown field {unknown[0]!r}; valid fields: {', '.join(available)}")
            columns = [(f, f.replace("_", " ").capitalize()) for f in self.fields]
            records = [{f: rec.get(f) for f in self.fields} for rec in records]
        if self.format == "json":
            sys.stdout.write(render.to_json(records))
        elif self.format == "jsonl":
            sys.stdout.write(render.to_jsonl(records))
        elif self.format in ("csv", "tsv"):
            sys.stdout.write(render.to_delimited(records, columns, self.format))
        elif self.format == "plain":
            sys.stdout.write(render.to_plain(records, columns))
        elif records:
            _print(render.table(records, columns, title=f"{title} ({len(records)})"))
        if not records and self.format in ("table", "plain"):
            sys.stderr.write(f"{empty}\n")


def _print(renderable: Any) -> None:
    from rich.console import Console

    Console(no_color=_State.no_color or None, highlight=False).print(renderable)


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
        return [k for k in _choices(category, field) if k.startswith(incomplete)]

    return complete


def _complete_facet(incomplete: str) -> list[str]:
    from .views import FACETS

    return [f for f in FACETS if f.startswith(incomplete)]


def _complete_id(incomplete: str) -> list[str]:
    try:
        return [i for i in _base().by_id if i.startswith(incomplete)]
    except NichiroError:
        return []


def _choices(category: str, field: str) -> tuple[str, ...]:
    from .model import CATEGORY_FIELDS

    return next(f.choices for f in CATEGORY_FIELDS[category] if f.name == field)


def _check_choice(option: str, value: str | None, choices: tuple[str, ...]) -> None:
    if value is not None and value not in choices:
        raise UsageError(f"{option}: {value!r} is not one of: {', '.join(choices)}")


CategoryOpt = Annotated[
    Optional[str],
    typer.Option(
        help="Only this category: meeting, treaty, trade, exchange, event, figure.",
        rich_help_panel=FILTERS,
        autocompletion=_complete_category,
    ),
]


# --------------------------------------------------------------------------- commands

MEETING_COLUMNS: list[Column] = [
    ("date", "Date"),
    ("kind", "Kind"),
    ("place_name", "Place"),
    ("participant_names", "Participants"),
    ("title", "Title"),
    ("id", "Id"),
]
TIMELINE_COLUMNS: list[Column] = [("date", "Date"), ("category", "Category"), ("title", "Title"), ("id", "Id")]
SEARCH_COLUMNS: list[Column] = [
    ("score", "Score"),
    ("date", "Date"),
    ("category", "Category"),
    ("title", "Title"),
    ("why", "Matched"),
    ("id", "Id"),
]
TREATY_COLUMNS: list[Column] = [
    ("date", "Date"),
    ("kind", "Kind"),
    ("title", "Name"),
    ("parties", "Parties"),
    ("place_name", "Place"),
    ("provisions", "What it did"),
    ("id", "Id"),
]
TRADE_COLUMNS: list[Column] = [
    ("date", "Period"),
    ("measure", "Measure"),
    ("value", "Value"),
    ("unit", "Unit"),
    ("qualifier", "Qualifier"),
    ("reporter", "Reporter"),
    ("title", "Title"),
    ("id", "Id"),
]
TRADE_TABLE_COLUMNS: list[Column] = [
    ("date", "Period"),
    ("total", "Total"),
    ("exports", "Exports"),
    ("imports", "Imports"),
    ("change", "Change"),
    ("unit", "Unit"),
    ("reporter", "Reporter"),
    ("source_ids", "Source"),
    ("claim", "Status"),
]
EXCHANGE_COLUMNS: list[Column] = [
    ("date", "Date"),
    ("program", "Program"),
    ("direction", "Direction"),
    ("scope", "Scope"),
    ("amount", "Count"),
    ("since", "Since"),
    ("title", "Title"),
    ("id", "Id"),
]
SOURCE_COLUMNS: list[Column] = [
    ("id", "Id"),
    ("publisher", "Publisher"),
    ("date", "Date"),
    ("title", "Title"),
    ("licence", "Licence"),
    ("facts", "Facts"),
]
PEOPLE_COLUMNS: list[Column] = [
    ("id", "Id"),
    ("name", "Name"),
    ("country", "Country"),
    ("roles", "Roles"),
    ("aliases", "Aliases"),
]
PLACE_COLUMNS: list[Column] = [
    ("id", "Id"),
    ("name", "Name"),
    ("kind", "Kind"),
    ("country", "Country"),
    ("aliases", "Aliases"),
]
TERM_COLUMNS: list[Column] = [("id", "Id"), ("name", "Name"), ("kind", "Kind"), ("aliases", "Aliases")]
STATS_COLUMNS: list[Column] = [("value", "Value"), ("count", "Facts")]

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
    from .views import DateFilter, fact_fields, record, select

    out = _Output(fmt, as_json, fields)
    _check_choice("--kind", kind, _choices("meeting", "kind"))
    dates = DateFilter.from_options(year, date_from, date_to)
    base = _base()
    facts = select(base, ("meeting",), dates, person=person, place=place, kind=kind)
    out.emit(
        [record(base, f) for f in facts], MEETING_COLUMNS, fact_fields("meeting"), "Meetings", "No meetings match."
    )


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
    from .model import CATEGORIES
    from .search import explain, hit_record, suggest
    from .search import search as run_search
    from .views import check_category, fact_fields, record

    out = _Output(fmt, as_json, fields)
    check_category(category)
    base = _base()
    hits = run_search(base, query, (category,) if category else CATEGORIES, limit)
    if not hits:
        near = suggest(base, query)
        raise NotFoundError(f"no facts match {query!r}" + (f"; did you mean: {', '.join(near)}?" if near else ""))
    records = [hit_record(record(base, h.fact), h) for h in hits]
    if out.format not in ("json", "jsonl"):
        sep = "\n" if out.format == "table" else "; "  # one reason a line in a table
        records = [rec | {"why": explain(h).replace("; ", sep)} for rec, h in zip(records, hits, strict=True)]
    available = ["score", *fact_fields(), "matched", "why"]
    out.emit(records, SEARCH_COLUMNS, available, f"Search: {query}", "")


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
    from . import render
    from .views import detail

    base = _base()
    fact = base.by_id.get(fact_id.strip())
    if fact is None:
        from .search import suggest_ids

        near = suggest_ids(base, fact_id)
        raise NotFoundError(f"no fact with id {fact_id!r}" + (f"; did you mean: {', '.join(near)}?" if near else ""))
    rec = detail(base, fact)
    if as_json:
        sys.stdout.write(render.to_json(rec))
    elif sys.stdout.isatty():
        _print(render.detail(rec, plain=False))
    else:
        sys.stdout.write(str(render.detail(rec, plain=True)))


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
    from .model import CATEGORIES
    from .views import DateFilter, check_category, fact_fields, record, select

    out = _Output(fmt, as_json, fields)
    check_category(category)
    dates = DateFilter.from_options(year, date_from, date_to)
    base = _base()
    facts = select(base, (category,) if category else CATEGORIES, dates, dated_only=True)
    out.emit([record(base, f) for f in facts], TIMELINE_COLUMNS, fact_fields(category), "Timeline", "No facts match.")


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
    from .views import DateFilter, fact_fields, record, select

    out = _Output(fmt, as_json, fields)
    _check_choice("--kind", kind, _choices("treaty", "kind"))
    base = _base()
    facts = select(base, ("treaty",), DateFilter.from_options(year, date_from, date_to), kind=kind)
    out.emit([record(base, f) for f in facts], TREATY_COLUMNS, fact_fields("treaty"), "Treaties", "No treaties match.")


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
    from . import render
    from .views import DateFilter, fact_fields, record, select, trade_table_rows

    out = _Output(fmt, as_json, fields)
    _check_choice("--measure", measure, _choices("trade", "measure"))
    base = _base()
    facts = select(base, ("trade",), DateFilter.from_options(year, date_from, date_to))
    records = [record(base, f) for f in facts if measure is None or f.details.get("measure") == measure]
    if chart:
        bars = [
            (f"{r['date']}  {', '.join(s['source'] for s in r['sources'])}", r["value"], r["unit"])
            for r in records
            if r["measure"] == "total"
        ]
        block = "█" if sys.stdout.isatty() else "#"
        sys.stdout.write(render.bar_chart(bars, _width(), block))
    elif out.format == "table" and out.fields is None:
        rows = trade_table_rows(records)
        units = {r["unit"] for r in rows if r["unit"] != "%"}
        columns, title = TRADE_TABLE_COLUMNS, "Trade"
        if len(units) == 1:  # one unit for every figure: say it once, in the title
            columns, title = [c for c in columns if c[0] != "unit"], f"Trade, {units.pop()}"
        out.emit(rows, columns, [k for k, _ in TRADE_TABLE_COLUMNS], title, "No trade figures match.")
    else:
        out.emit(records, TRADE_COLUMNS, fact_fields("trade"), "Trade", "No trade figures match.")


def _width() -> int:
    import shutil

    return shutil.get_terminal_size((100, 24)).columns


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
    from .views import DateFilter, amount, fact_fields, record, select

    out = _Output(fmt, as_json, fields)
    _check_choice("--program", program, _choices("exchange", "program"))
    base = _base()
    facts = select(base, ("exchange",), DateFilter.from_options(year, date_from, date_to))
    records = [record(base, f) for f in facts if program is None or f.details.get("program") == program]
    for rec in records:
        rec["amount"] = amount(rec["count"], rec["qualifier"])
    available = [*fact_fields("exchange"), "amount"]
    out.emit(records, EXCHANGE_COLUMNS, available, "Exchanges", "No exchange figures match.")


@app.command(cls=_Command, rich_help_panel=VIEWS)
def sources(fmt: FormatOpt = Format.auto, as_json: JsonOpt = False, fields: FieldsOpt = None) -> None:
    """The source documents and how many facts cite each."""
    from .views import source_records

    out = _Output(fmt, as_json, fields)
    records = source_records(_base())
    out.emit(records, SOURCE_COLUMNS, list(records[0]) if records else ["id"], "Sources", "No sources.")


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
    out = _Output(fmt, as_json, fields)
    base = _base()
    records = [p.to_record() for p in base.people.values() if country is None or p.country == country]
    records.sort(key=lambda r: r["name"])
    available = ["id", "name", "country", "roles", "aliases", "sources"]
    out.emit(records, PEOPLE_COLUMNS, available, "People", "No people match.")


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
    out = _Output(fmt, as_json, fields)
    base = _base()
    records = [p.to_record() for p in base.places.values() if country is None or p.country == country]
    records.sort(key=lambda r: r["name"])
    available = ["id", "name", "kind", "country", "aliases", "sources"]
    out.emit(records, PLACE_COLUMNS, available, "Places", "No places match.")


@app.command(cls=_Command, rich_help_panel=VIEWS)
def terms(fmt: FormatOpt = Format.auto, as_json: JsonOpt = False, fields: FieldsOpt = None) -> None:
    """Key terms (treaties, organisations, summits), with every alias search knows."""
    out = _Output(fmt, as_json, fields)
    records = sorted((t.to_record() for t in _base().terms.values()), key=lambda r: r["name"])
    out.emit(records, TERM_COLUMNS, ["id", "name", "kind", "aliases", "facts"], "Terms", "No terms.")


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
    from .model import CATEGORIES
    from .views import DateFilter, check_category, select
    from .views import stats as facet

    out = _Output(fmt, as_json, fields)
    check_category(category)
    base = _base()
    facts = select(base, (category,) if category else CATEGORIES, DateFilter.from_options(year, date_from, date_to))
    rows = facet(base, facts, by)
    out.emit(rows, STATS_COLUMNS, ["facet", "value", "count"], f"Facts by {by}", "No facts match.")


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
    from . import render
    from .views import dump

    text = render.to_json(dump(_base()))
    if str(file) == "-":
        sys.stdout.write(text)
        return
    _refuse_overwrite(file, force)
    _write_text(file, text)
    sys.stderr.write(f"wrote {file}\n")


@export_app.command("sqlite", cls=_Command)
def export_sqlite(file: FileArg, force: ForceOpt = False) -> None:
    """An SQLite database with full-text search, for sqlite3 or Datasette.

    One table per category plus sources, people, places, terms, quotes and participants, and an FTS5
    index (facts_fts) over titles, summaries, notes and quotes. See docs/sqlite.md.
    """
    from .export import export_sqlite as write_db

    if str(file) == "-":
        raise UsageError("export sqlite: FILE must be a file, not '-'")
    counts = write_db(_base(), file, force)
    sys.stderr.write(f"wrote {file}: {sum(counts.values())} rows in {len(counts)} tables\n")


@app.command(cls=_Command, rich_help_panel=MAINTAIN)
def schema(
    name: Annotated[
        str, typer.Argument(help="records: the JSON the commands print; facts: the TOML fact files.")
    ] = "records",
) -> None:
    """Print a JSON Schema: of the JSON records (versioned), or of the TOML fact files for editors."""
    from .schema import schema_text

    sys.stdout.write(schema_text(name))


def _refuse_overwrite(file: Path, force: bool) -> None:
    if file.exists() and not force:
        raise UsageError(f"{file} exists; give --force to overwrite it")


def _write_text(file: Path, text: str) -> None:
    """Write through a temporary file renamed into place, so a failure leaves no half-written file."""
    import tempfile

    try:
        fd, tmp = tempfile.mkstemp(dir=file.parent if str(file.parent) else ".", prefix=f".{file.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(tmp, file)
    except OSError as exc:
        raise UsageError(f"cannot write {file}: {exc.strerror or exc}") from None


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
    from .factbase import check_quotes, collect

    _State.facts_dirs = (*_State.facts_dirs, *(facts or ()))
    _State.facts_only = _State.facts_only or facts_only
    if _State.facts_only and not _State.facts_dirs:
        raise UsageError("--facts-only needs at least one --facts directory (or NICHIRO_FACTS)")
    base, problems = collect(_fact_dirs())
    for p in problems:
        sys.stdout.write(f"{p}\n")
    if problems:
        raise FactBaseError(problems)
    missing = check_quotes(base, sources) if sources is not None else []
    for p in missing:
        sys.stdout.write(f"{p}\n")
    quotes = sum(len(f.sources) for f in base.facts)
    if missing:
        raise NichiroError.with_code(
            f"{len(missing)} of {quotes} quotes not found in {sources}", ExitCode.QUOTES_NOT_FOUND
        )
    checked = f", {quotes} quotes found in {sources}" if sources is not None else ""
    sys.stdout.write(
        f"ok: {len(base.facts)} facts, {len(base.sources)} sources, {len(base.people)} people, "
        f"{len(base.places)} places{checked}\n"
    )


# --------------------------------------------------------------------------- entry point


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every error ends here as one line on stderr and an exit code."""
    command = typer.main.get_command(app)
    try:
        try:
            result = command.main(args=argv, prog_name="nichiro", standalone_mode=False)
            sys.stdout.flush()
            return result if isinstance(result, int) else ExitCode.OK
        except FactBaseError as exc:
            return _fail(f"invalid fact base: {exc}", exc.exit_code)
        except NichiroError as exc:
            return _fail(str(exc), exc.exit_code)
        except typer.Abort:
            return _fail("aborted", ExitCode.USAGE)
        except typer.TyperException as exc:  # the parser's usage errors
            ctx = getattr(exc, "ctx", None)
            if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
                sys.stdout.write(ctx.get_help() + "\n")  # a bare `nichiro`: the guide, not an error
                return ExitCode.OK
            message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
            message = " ".join(message.split())
            sub = getattr(getattr(exc, "ctx", None), "command_path", "nichiro")
            return _fail(f"{message} (see '{sub} --help')", getattr(exc, "exit_code", ExitCode.USAGE))
    except BrokenPipeError:
        # The reader went away (`nichiro timeline | head -1`): end quietly, and keep Python
        # from complaining when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return ExitCode.OK
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: still one line, and a code that says so
        return _fail(f"internal error: {type(exc).__name__}: {exc} (please report this)", ExitCode.INTERNAL)


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"nichiro: error: {message}\n")
    return int(code)


def run() -> None:
    """The console script."""
    sys.exit(main())
