"""The `nichiro` command line: parses options, calls the library, hands results to render.

The only user of typer. Every error becomes a one-line message on stderr and an exit code here,
in `main`, and nowhere else.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Optional

import typer

from . import __version__
from .errors import ExitCode, FactBaseError, NichiroError, NotFoundError, UsageError

if TYPE_CHECKING:
    from .model import FactBase
    from .render import Column

EXIT_CODES_HELP = (
    "Exit codes: 0 success (an empty result included); 1 search or show found nothing; "
    "2 usage error; 3 invalid fact base; 4 check --sources found a quote missing from its source."
)
EPILOG = (
    "Examples:  nichiro meetings --year 2016  ·  nichiro search Shikotan  ·  "
    "nichiro timeline --from 1991 --to 1999 --json\n\n" + EXIT_CODES_HELP
)

app = typer.Typer(
    name="nichiro",
    help="Look up facts on Japan–Russia relations (日露): meetings, treaties, trade, exchanges, the timeline. "
    "Every fact carries its source and a verbatim quote.",
    epilog=EPILOG,
    add_completion=False,
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


# Options shared by many commands, declared once.
FILTERS, OUTPUT = "Filters", "Output"
YearOpt = Annotated[
    Optional[int], typer.Option("--year", help="Only facts whose date overlaps this year.", rich_help_panel=FILTERS)
]
FromOpt = Annotated[
    Optional[str],
    typer.Option(
        "--from", help="Only facts on or after this date: YYYY, YYYY-MM or YYYY-MM-DD.", rich_help_panel=FILTERS
    ),
]
ToOpt = Annotated[
    Optional[str],
    typer.Option(
        "--to", help="Only facts on or before this date: YYYY, YYYY-MM or YYYY-MM-DD.", rich_help_panel=FILTERS
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
) -> None:
    env = [Path(p) for p in os.environ.get("NICHIRO_FACTS", "").split(os.pathsep) if p]
    _State.facts_dirs = (*env, *(facts or ()))
    _State.facts_only = facts_only
    _State.no_color = no_color
    if facts_only and not _State.facts_dirs:
        raise UsageError("--facts-only needs at least one --facts directory (or NICHIRO_FACTS)")


# --------------------------------------------------------------------------- plumbing


def _fact_dirs() -> list[Path]:
    from .factbase import bundled_facts_dir

    return [*([] if _State.facts_only else [bundled_facts_dir()]), *_State.facts_dirs]


def _base() -> FactBase:
    from .factbase import load_factbase

    return load_factbase(_fact_dirs())


def _resolve_format(fmt: Format, as_json: bool) -> str:
    if as_json:
        if fmt not in (Format.auto, Format.json):
            raise UsageError(f"--json and --format {fmt.value} contradict each other")
        return "json"
    if fmt is Format.auto:
        return "table" if sys.stdout.isatty() else "plain"
    return str(fmt.value)


def _console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, no_color=_State.no_color or None, highlight=False)


def _emit(records: list[dict[str, Any]], columns: list[Column], fmt: str, title: str, empty: str) -> None:
    """Print records in the chosen format; say so on stderr when there are none."""
    from . import render

    if fmt == "json":
        sys.stdout.write(render.to_json(records))
    elif fmt == "jsonl":
        sys.stdout.write(render.to_jsonl(records))
    elif fmt in ("csv", "tsv"):
        sys.stdout.write(render.to_delimited(records, columns, fmt))
    elif fmt == "plain":
        sys.stdout.write(render.to_plain(records, columns))
    elif records:
        _console().print(render.table(records, columns, title=f"{title} ({len(records)})"))
    if not records and fmt in ("table", "plain"):
        sys.stderr.write(f"{empty}\n")


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


@app.command(rich_help_panel="Look up")
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
            help="Only this kind: summit, official-visit, sidelines, phone-call, ...", rich_help_panel=FILTERS
        ),
    ] = None,
    fmt: FormatOpt = Format.auto,
    as_json: JsonOpt = False,
) -> None:
    """Summits, visits, phone calls and ministerial, parliamentary and military contacts."""
    from .model import CATEGORY_FIELDS
    from .views import DateFilter, record, select

    out = _resolve_format(fmt, as_json)
    kinds = next(f.choices for f in CATEGORY_FIELDS["meeting"] if f.name == "kind")
    if kind is not None and kind not in kinds:
        raise UsageError(f"--kind: {kind!r} is not one of: {', '.join(kinds)}")
    dates = DateFilter.from_options(year, date_from, date_to)
    base = _base()
    facts = select(base, ("meeting",), dates, person=person, place=place, kind=kind)
    _emit([record(base, f) for f in facts], MEETING_COLUMNS, out, "Meetings", "No meetings match.")


@app.command(rich_help_panel="Look up")
def search(
    query: Annotated[
        str, typer.Argument(help="Words, names or aliases; a year (2016) or month (2016-05) narrows by date.")
    ],
    category: Annotated[
        Optional[str],
        typer.Option(
            help="Only this category: meeting, treaty, trade, exchange, event, figure.", rich_help_panel=FILTERS
        ),
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many results.", rich_help_panel=OUTPUT)] = 20,
    fmt: FormatOpt = Format.auto,
    as_json: JsonOpt = False,
) -> None:
    """Fuzzy search over every fact: typos, spelling variants and aliases forgiven."""
    from .model import CATEGORIES
    from .search import explain, hit_record, suggest
    from .search import search as run_search
    from .views import check_category, record

    out = _resolve_format(fmt, as_json)
    check_category(category)
    base = _base()
    hits = run_search(base, query, (category,) if category else CATEGORIES, limit)
    if not hits:
        near = suggest(base, query)
        raise NotFoundError(f"no facts match {query!r}" + (f"; did you mean: {', '.join(near)}?" if near else ""))
    records = [hit_record(record(base, h.fact), h) | {"why": explain(h)} for h in hits]
    if out in ("json", "jsonl"):
        for rec in records:
            del rec["why"]
    _emit(records, SEARCH_COLUMNS, out, f"Search: {query}", "")


@app.command(rich_help_panel="Look up")
def show(
    fact_id: Annotated[str, typer.Argument(metavar="ID", help="A fact id, as listed by the other commands.")],
    as_json: JsonOpt = False,
) -> None:
    """Everything about one fact: its fields, its sources with their quotes, and any disagreement."""
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
        _console().print(render.detail(rec, plain=False))
    else:
        sys.stdout.write(str(render.detail(rec, plain=True)))


@app.command(rich_help_panel="Look up")
def timeline(
    year: YearOpt = None,
    date_from: FromOpt = None,
    date_to: ToOpt = None,
    category: Annotated[
        Optional[str],
        typer.Option(help="Only this category: meeting, treaty, trade, exchange, event.", rich_help_panel=FILTERS),
    ] = None,
    fmt: FormatOpt = Format.auto,
    as_json: JsonOpt = False,
) -> None:
    """Every dated fact in date order."""
    from .model import CATEGORIES
    from .views import DateFilter, check_category, record, select

    out = _resolve_format(fmt, as_json)
    check_category(category)
    dates = DateFilter.from_options(year, date_from, date_to)
    base = _base()
    facts = select(base, (category,) if category else CATEGORIES, dates, dated_only=True)
    _emit([record(base, f) for f in facts], TIMELINE_COLUMNS, out, "Timeline", "No facts match.")


@app.command(rich_help_panel="Maintain")
def check(
    sources: Annotated[
        Optional[Path],
        typer.Option("--sources", help="Also find every quote in the source texts of this directory.", file_okay=False),
    ] = None,
) -> None:
    """Validate the fact base: syntax, fields, dates, ids, references (and quotes, with --sources)."""
    from .factbase import check_quotes, collect

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


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"nichiro: error: {message}\n")
    return int(code)


def run() -> None:
    """The console script."""
    sys.exit(main())
