"""What each command does, given its parsed options: the CLI without its parser.

The options are declared in `options`; typer's app (`cli`) and the fast path (`fast`) both parse a
command line into its `Args` and call `run`, which calls the function of the command's name here.
Both turn errors into exit codes through `guarded`, the one place where that happens. Nothing here
imports typer, rich or rapidfuzz at the top: each command imports what it needs when it runs.
"""

from __future__ import annotations

import os
import sys

from .errors import ExitCode, FactBaseError, NichiroError, NotFoundError, Terminated, UsageError, printable
from .options import FORMATS as FORMATS  # the formats Output knows

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from pathlib import Path
    from typing import Any

    from .filters import Filter
    from .model import FactBase
    from .options import Args, Command
    from .render import Column
    from .store import Store


class Settings:
    """The global options (--facts, --facts-only, --no-color, --no-cache), set before a command runs."""

    store_path: str | None = None  # the store the command opened, if any: removed if found damaged
    busy = False  # the store was found locked by another process: this run answers without it
    facts_dirs: tuple[str | Path, ...] = ()
    facts_only: bool = False
    no_color: bool = False
    no_cache: bool = False
    notes: list[str] = []  # noqa: RUF012  (lines for stderr after the output: what a listing left out, and why)
    # Lines for a reader only (a table or a pipe's plain rows), not for a script that chose a machine format
    # and its options: how the dates or --limit cut the listing.
    reader_notes: list[str] = []  # noqa: RUF012
    for_reader = False


def configure(
    facts: Sequence[str | Path] | None = None, facts_only: bool = False, no_color: bool = False, no_cache: bool = False
) -> None:
    env = [p for p in os.environ.get("NICHIRO_FACTS", "").split(os.pathsep) if p]
    # A directory named that is not there is a bad value, as `check --sources /nonexistent` is (exit 2);
    # one that is there but cannot be read makes the base invalid (exit 3), as a bad file does.
    for option, directories in (("NICHIRO_FACTS", env), ("--facts", facts or ())):
        for directory in directories:
            if not os.path.isdir(directory):
                why = "not a directory" if os.path.exists(directory) else "no such directory"
                raise UsageError(f"{option} {os.fspath(directory)}: {why}")
    Settings.facts_dirs = (*env, *(facts or ()))
    Settings.facts_only = facts_only
    Settings.no_color = no_color
    Settings.no_cache = no_cache
    if facts_only and not Settings.facts_dirs:
        raise UsageError("--facts-only needs at least one --facts directory (or NICHIRO_FACTS)")


def fact_dirs() -> list[str | Path]:
    from .paths import bundled_dir

    return [*([] if Settings.facts_only else [bundled_dir()]), *Settings.facts_dirs]


def load_store() -> Store:
    """The fact base to query: the store in the user's cache (kept up to date), or one in memory."""
    from .store import load

    store = load(fact_dirs(), use_cache=not (Settings.no_cache or Settings.busy))
    Settings.store_path = store.path
    if store.warning:
        warn(store.warning)
    return store


def load_base() -> FactBase:
    """The whole fact base, read afresh (for check and export, which need every record)."""
    from .factbase import load_factbase

    return load_factbase(fact_dirs())


# --------------------------------------------------------------------------- output


class Output:
    """How a listing prints, decided once per command from its options: format, fields, order and limit."""

    def __init__(self, args: Args) -> None:
        given = args.values()
        fmt, as_json, fields = given.get("fmt", "auto"), given.get("as_json", False), given.get("fields")
        if as_json and fmt not in ("auto", "json"):
            raise UsageError(f"--json and --format {fmt} contradict each other")
        if as_json:
            self.format = "json"
        elif fmt == "auto":
            self.format = "table" if sys.stdout.isatty() else "plain"
        else:
            self.format = fmt
        self.fields = [f.strip() for f in fields.split(",") if f.strip()] if fields is not None else None
        if self.fields is not None and not self.fields:
            raise UsageError("--fields: give at least one field name")
        self.csv_safe: bool = given.get("csv_safe", False)
        if self.csv_safe and self.format not in ("csv", "tsv"):
            raise UsageError(f"--csv-safe is for --format csv or tsv, not {self.format}")
        self.sort: str | None = given.get("sort")
        self.reverse: bool = given.get("reverse", False)
        self.limit: int | None = given.get("limit")
        if self.limit is not None and self.limit < 1:
            raise UsageError(f"--limit: {self.limit} is not a positive number")
        Settings.for_reader = self.format in ("table", "plain")

    def emit(
        self,
        records: list[dict[str, Any]],
        columns: list[Column],
        available: list[str],
        title: str,
        empty: str,
        chosen: Filter | None = None,
        counted: str = "",
    ) -> None:
        """Print records in the chosen format, fields, order and number; say so on stderr when there are none.

        A table's title is followed by the number of rows and `counted` ("Facts by year (3 years; 30 facts in all)").

        Fact records get their marks: `status` (fact or claim) in every format, shown in a table only
        for a claim, and, when the filter has dates, `span` ("longer" for a fact whose date spans more
        than the dates asked for, in every format: JSON's records have the key then, and only then).
        """
        from . import render

        if chosen is not None:  # fact records: a status in every format, a span where there are dates
            marks = [c for c in MARK_COLUMNS if c[0] != "span" or chosen.windows is not None]
            columns = [*columns, *(c for c in marks if c[0] not in dict(columns))]
            records = [_marked(rec, chosen) for rec in records]
        records = self.order(records, available)
        if self.fields is not None:
            unknown = [f for f in self.fields if f not in available]
            if unknown:
                raise UsageError(f"--fields: unknown field {unknown[0]!r}; valid fields: {', '.join(available)}")
            columns = [(f, f.replace("_", " ").capitalize()) for f in self.fields]
            records = [{f: rec.get(f) for f in self.fields} for rec in records]
        elif self.format in ("json", "jsonl"):  # the span mark is a field where there are dates
            hidden = DISPLAY_KEYS - {"span"} if chosen is not None and chosen.windows is not None else DISPLAY_KEYS
            records = [{k: v for k, v in rec.items() if k not in hidden} for rec in records]
        if self.format == "table" and chosen is not None:  # a table marks claims only, spans only where longer
            columns = [("claim", "Status") if key == "status" else (key, header) for key, header in columns]
            records = [rec | {"claim": "claim" if rec.get("status") == "claim" else ""} for rec in records]
            records = [rec | {"span": rec["span"] if rec.get("span") == "longer" else ""} for rec in records]
        if self.format == "json":
            sys.stdout.write(render.to_json(records))
        elif self.format == "jsonl":
            sys.stdout.write(render.to_jsonl(records))
        elif self.format in ("csv", "tsv"):
            sys.stdout.write(render.to_delimited(records, columns, self.format, formula_safe=self.csv_safe))
        elif self.format == "plain":
            sys.stdout.write(render.to_plain(records, columns))
        elif records:
            listing = render.table(records, columns, title=f"{title} ({len(records)}{counted})")
            sys.stdout.write(listing.text(terminal_size()[0], _unicode(), _styled()))
        if not records and self.format in ("table", "plain"):
            say(empty)
        longer = sum(1 for rec in records if rec.get("span") == "longer")
        if longer and chosen is not None and self.format in ("table", "plain"):
            say(
                f"{longer} of these span more than the dates asked for: listed last, the nearest first, marked "
                "'longer' (--within leaves them out)."
            )

    def order(self, records: list[dict[str, Any]], available: list[str], cut: bool = True) -> list[dict[str, Any]]:
        """The records sorted by --sort (missing values last), reversed by --reverse, cut by --limit (unless
        not `cut`); a cut is said on stderr, to a reader: how many rows were not shown."""
        if self.sort is not None:
            if self.sort not in available:
                raise UsageError(f"--sort: unknown field {self.sort!r}; valid fields: {', '.join(available)}")
            key = _sort_key(self.sort)
            present = [r for r in records if r.get(self.sort) not in (None, "", [])]
            missing = [r for r in records if r.get(self.sort) in (None, "", [])]
            records = sorted(present, key=key, reverse=self.reverse) + missing
        elif self.reverse:
            records = records[::-1]
        if not cut or self.limit is None or len(records) <= self.limit:
            return records
        left = len(records) - self.limit
        Settings.reader_notes.append(f"--limit {self.limit}: {self.limit} of {len(records)} rows shown, {left} not.")
        return records[: self.limit]


MARK_COLUMNS: list[Column] = [("status", "Status"), ("span", "Span")]
# Keys a listing adds to records for display, left out of JSON unless --fields asks for them.
DISPLAY_KEYS = frozenset({"span", "claim", "numbers", "within"})


def _marked(rec: dict[str, Any], chosen: Filter | None) -> dict[str, Any]:
    fits = chosen.fits(rec) if chosen is not None else None
    return rec | {"span": None if fits is None else "within" if fits else "longer"}


_DATE_FIELDS = frozenset({"date", "since", "as_of", "baseline"})


def _sort_key(field: str) -> Callable[[dict[str, Any]], Any]:
    """How --sort orders a field: dates as dates (a year before its months), numbers as numbers, text by its words."""

    def key(rec: dict[str, Any]) -> Any:
        value = rec.get(field)
        if field in _DATE_FIELDS and isinstance(value, str):
            from .dates import DateSpan

            try:
                return (0, DateSpan.parse(value).sort_key(), "")
            except ValueError:
                pass
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return (1, value, "")
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        return (2, 0, str(value).casefold())

    return key


def print_rich(renderable: Any) -> None:
    """Print to a terminal: no escape sequence at all under --no-color or NO_COLOR (bold and dim too)."""
    from rich.console import Console

    # The size as shutil sees it (COLUMNS first): rich would take 80 columns for TERM=dumb.
    columns, lines = terminal_size()
    console = Console(color_system=None if _no_color() else "auto", width=columns, height=lines, highlight=False)
    console.on_broken_pipe = _broken_pipe  # type: ignore[method-assign]  # rich would exit 1: guarded decides
    console.print(renderable, crop=False)  # a value wider than the terminal is wrapped by it, never cut


def terminal_size() -> tuple[int, int]:
    """Columns and lines as shutil.get_terminal_size((100, 24)) gives them (COLUMNS and LINES first),
    without importing shutil (it imports the compression modules: a cost on every table)."""
    size = [0, 0]
    for i, name in enumerate(("COLUMNS", "LINES")):
        try:
            size[i] = int(os.environ[name])
        except (KeyError, ValueError):
            pass
    if size[0] <= 0 or size[1] <= 0:
        try:
            real = os.get_terminal_size(sys.__stdout__.fileno())  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            real = os.terminal_size((100, 24))
        size = [size[0] if size[0] > 0 else real.columns, size[1] if size[1] > 0 else real.lines]
    return size[0], size[1]


def _no_color() -> bool:
    return Settings.no_color or os.environ.get("NO_COLOR", "") != ""


def _styled() -> bool:
    """Whether bold and dim are written as escape sequences: as rich decides colour ("auto"), on a
    terminal that is not dumb (TTY_COMPATIBLE and FORCE_COLOR as rich reads them), and never under
    --no-color or NO_COLOR."""
    if _no_color():
        return False
    compatible, forced = os.environ.get("TTY_COMPATIBLE", ""), os.environ.get("FORCE_COLOR")
    if compatible in ("0", "1"):
        terminal = compatible == "1"
    elif forced is not None:
        terminal = forced != ""
    else:
        try:
            terminal = sys.stdout.isatty()
        except ValueError:
            terminal = False
    return terminal and os.environ.get("TERM", "").lower() not in ("dumb", "unknown")


def _unicode() -> bool:
    """Whether stdout takes box-drawing characters (as rich reads the console's encoding)."""
    return (getattr(sys.stdout, "encoding", "utf-8") or "utf-8").lower().startswith("utf")


def _broken_pipe() -> None:
    raise BrokenPipeError(32, "Broken pipe")


def choices_of(kind: str, field: str) -> tuple[str, ...]:
    """The values a field of a category or registry may take."""
    from .fields import fields_of

    return next(f.choices for f in fields_of(kind) if f.name == field)


def listing_fields(command: str, category: str | None = None) -> list[str]:
    from .views import listing_fields as fields

    return fields(command, category)


def _width() -> int:
    return terminal_size()[0]


# --------------------------------------------------------------------------- columns

MEETING_COLUMNS: list[Column] = [
    ("date", "Date"),
    ("kind", "Kind"),
    ("place_names", "Place"),
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
    ("place_names", "Place"),
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
    ("authors", "Authors"),
    ("title", "Title"),
    ("publisher", "Publisher"),
    ("date", "Date"),
    ("licence", "Licence"),
    ("facts", "Facts"),
]
PEOPLE_COLUMNS: list[Column] = [
    ("id", "Id"),
    ("name", "Name"),
    ("country", "Country"),
    ("roles", "Roles"),
    ("offices", "Offices"),
    ("aliases", "Aliases"),
]
PLACE_COLUMNS: list[Column] = [
    ("id", "Id"),
    ("name", "Name"),
    ("kind", "Kind"),
    ("country", "Country"),
    ("aliases", "Aliases"),
    ("within", "Within"),
]
FIGURE_COLUMNS: list[Column] = [("date", "Date"), ("kind", "Kind"), ("title", "Title"), ("id", "Id")]
TERM_COLUMNS: list[Column] = [("id", "Id"), ("name", "Name"), ("kind", "Kind"), ("aliases", "Aliases")]
STATS_COLUMNS: list[Column] = [("value", "Value"), ("count", "Facts")]


# --------------------------------------------------------------------------- commands


def run(command: Command, args: Args) -> int:
    """Run a parsed command line: the global options, then the command's function (of the same name)."""
    _utf8_only(command, args)
    configure(args.facts, args.facts_only, args.no_color, args.no_cache)
    Settings.notes, Settings.reader_notes, Settings.for_reader = [], [], False
    function: Callable[[Args], None] = globals()[command.call]
    function(args)
    sys.stdout.flush()  # the output first, then what it left out
    for note in [*Settings.notes, *(Settings.reader_notes if Settings.for_reader else ())]:
        say(note)
    return ExitCode.OK


def _utf8_only(command: Command, args: Args) -> None:
    """A value that is not UTF-8 (a byte the locale cannot decode, kept by Python as a lone surrogate)
    can match nothing and be shown nowhere: a usage error. Paths are exempt: a file's name may be any bytes."""
    from .options import Argument, Option

    specs: list[Argument | Option] = [*command.arguments, *command.all_options()]
    for spec in specs:
        if spec.kind == "path":
            continue
        value = getattr(args, spec.dest, None)
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if isinstance(item, str) and not item.isascii():
                try:
                    item.encode("utf-8")
                except UnicodeEncodeError:
                    name = spec.metavar if isinstance(spec, Argument) else spec.flags[0]
                    raise UsageError(f"{name} {item}: not UTF-8 text") from None


def _facts(args: Args, categories: tuple[str, ...], dated: bool | None = None) -> tuple[list[dict[str, Any]], Filter]:
    """The records a fact listing shows, and the filter they passed: the one implementation of every filter."""
    store, chosen = _filter(args, categories, dated)
    return _select(store, chosen), chosen


def _filter(args: Args, categories: tuple[str, ...], dated: bool | None = None) -> tuple[Store, Filter]:
    from .filters import build

    store = load_store()
    return store, build(store, args, categories, dated)


def _select(store: Store, chosen: Filter) -> list[dict[str, Any]]:
    from .filters import office_notes, place_notes, select, undated_note

    records = select(store, chosen)
    Settings.notes += office_notes(store, chosen) if chosen.people else []
    Settings.notes += place_notes(store, chosen) if chosen.places else []
    undated = undated_note(store, chosen) if chosen.left_undated else None
    Settings.reader_notes += [undated] if undated else []
    return records


def meetings(args: Args) -> None:

    out = Output(args)
    records, chosen = _facts(args, ("meeting",))
    out.emit(records, MEETING_COLUMNS, listing_fields("meetings"), "Meetings", "No meetings match.", chosen)


def search(args: Args) -> None:
    from .fields import CATEGORIES
    from .filters import build
    from .search import explain, hit_record, no_facts_match, notes, nothing_found, run, suggest

    out = Output(args)
    query = args.query
    store = load_store()
    chosen = build(store, args, CATEGORIES)
    narrowed = chosen.sources is not None or chosen.equal or chosen.unequal or chosen.tags
    # Filters other than the category are applied to the ranked hits: rank them all, then keep the best.
    result = run(store, query, chosen.categories, store.count if narrowed else args.limit)
    hits = result.hits
    if not hits:
        raise NotFoundError(nothing_found(result, query, [] if result.declined else suggest(store, query)))
    for note in notes(result, sentence=True):
        say(f"nichiro: {note}")
    found = store.records([h.n for h in hits])
    pairs = [(hit_record(found[h.n], h, result.unmatched), h) for h in hits]
    if narrowed:
        pairs = [(rec, h) for rec, h in pairs if chosen.matches(rec) and chosen.cites(rec)][: args.limit]
        if not pairs:
            raise NotFoundError(f"{no_facts_match(query)} with these filters")
    records = [rec for rec, _ in pairs]
    if out.format not in ("json", "jsonl"):
        sep = "\n" if out.format == "table" else "; "  # one reason a line in a table
        records = [rec | {"why": explain(h).replace("; ", sep)} for rec, h in pairs]
    out.emit(records, SEARCH_COLUMNS, listing_fields("search"), f"Search: {query}", "")


def show(args: Args) -> None:
    from . import render
    from .views import detail

    store = load_store()
    fact_id = args.fact_id
    fact = store.fact(fact_id.strip())
    if fact is None:
        from .search import suggest_ids
        from .views import what_is

        other = what_is(store, fact_id)
        if other is not None:
            raise NotFoundError(other)
        near = suggest_ids(store, fact_id)
        raise NotFoundError(f"no fact with id {fact_id!r}" + (f"; did you mean: {', '.join(near)}?" if near else ""))
    rec = detail(store, fact)
    if args.context is not None:
        _add_context(rec, store, args.sources, args.context)
    elif args.sources is not None:
        raise UsageError("--sources goes with --context")
    if args.as_json:
        sys.stdout.write(render.to_json(rec))
    elif sys.stdout.isatty():
        print_rich(render.detail(rec, plain=False))
    else:
        sys.stdout.write(str(render.detail(rec, plain=True)))


def _add_context(rec: dict[str, Any], store: Store, sources: str | None, sentences: int) -> None:
    """Each quote's context in its source text (show --context); a quote not found is said on stderr."""
    from .context import around, read_text, texts_dir

    if sentences < 0:
        raise UsageError(f"--context: {sentences} is not 0 or more (sentences either side of the quote)")
    directory = texts_dir(sources)
    registry = store.registry("source")
    texts: dict[str, str] = {}
    for ref in rec["sources"]:
        src = registry.get(ref["source"])
        if src is None:
            continue
        if ref["source"] not in texts:
            texts[ref["source"]] = read_text(directory, src["file"])
        found = around(texts[ref["source"]], ref["quote"], sentences)
        ref["context"] = found.to_record() if found else None
        if found is None:
            say(f"show: quote not found in {src['file']} ({ref['source']}): shown without context")


def cite(args: Args) -> None:
    from . import cite as citations

    store = load_store()
    registry = store.registry("source")
    cited: dict[str, citations.Cited] = {}
    for wanted in (i.strip() for i in args.ids):
        fact = store.fact(wanted)
        if fact is not None:
            for ref in fact["sources"]:
                entry = cited.setdefault(ref["source"], citations.Cited(registry[ref["source"]]))
                entry.quotes.append((fact["id"], ref["quote"]))
        elif wanted in registry:
            cited.setdefault(wanted, citations.Cited(registry[wanted]))
        else:
            from .search import suggest_among, suggest_ids
            from .views import what_is

            other = what_is(store, wanted)
            if other is not None:
                raise NotFoundError(other)
            near = [*suggest_among(wanted, list(registry)), *suggest_ids(store, wanted, limit=3)]
            hint = f"; did you mean: {', '.join(near)}?" if near else ""
            raise NotFoundError(f"no fact or source with id {wanted!r}{hint}")
    style, quotes = args.style, not args.no_quotes
    found = list(cited.values())
    notes: list[str] = []
    if style == "csl-json":
        text = citations.csl_json(found, quotes)
    elif style == "bibtex":
        text = citations.bibtex(found, quotes)
    elif style == "ris":
        text = citations.ris(found, quotes)
    else:
        from .render import printable

        text, notes = citations.styled(found, style, quotes)
        text = printable(text)  # a human format: a user's fact file cannot drive the terminal
    for entry in found:
        missing = citations.unknown_fields(entry.source)
        if missing:
            notes.append(f"{entry.source['id']}: not known, so not in the reference: {', '.join(missing)}")
    sys.stdout.write(text)
    for note in notes:
        say(f"cite: {note}")


def timeline(args: Args) -> None:
    from .fields import CATEGORIES

    out = Output(args)
    # A timeline leaves the undated facts out (--with-undated lists them after it), and says so to a reader.
    store, chosen = _filter(args, CATEGORIES, dated=True)
    records = _select(store, chosen)
    category = chosen.categories[0] if len(chosen.categories) == 1 else None
    out.emit(records, TIMELINE_COLUMNS, listing_fields("timeline", category), "Timeline", "No facts match.", chosen)


def treaties(args: Args) -> None:

    out = Output(args)
    records, chosen = _facts(args, ("treaty",))
    out.emit(records, TREATY_COLUMNS, listing_fields("treaties"), "Treaties", "No treaties match.", chosen)


def trade(args: Args) -> None:
    from . import render
    from .views import disagreements, trade_chart, trade_table_rows

    out = Output(args)
    records, chosen = _facts(args, ("trade",))
    if args.chart:
        # Bars for one measure; in a machine format, the figures the bars would show.
        measures = chosen.equal.get("measure") or {"total"}
        if len(measures) > 1:
            raise UsageError("--chart draws one measure: give one --measure")
        (measure,) = measures
        charted = [r for r in records if r["measure"] == measure]
        if out.format not in ("table", "plain"):
            out.emit(charted, TRADE_COLUMNS, listing_fields("trade"), "Trade", "", chosen)
        elif out.fields is not None:
            raise UsageError("--fields: a chart has no fields; give --format json, jsonl, csv or tsv with --chart")
        elif not charted:
            hint = "" if args.measure else " (--measure charts another)"
            say(f"No {measure} trade figures match.{hint}")
        else:
            charted = out.order(charted, listing_fields("trade"))
            sys.stdout.write(render.bar_chart(trade_chart(charted, measure), _width(), unicode=out.format == "table"))
    elif out.format == "table" and out.fields is None:
        rows = trade_table_rows(out.order(records, listing_fields("trade"), cut=False))
        out.sort, out.reverse = None, False  # ordered above, as records: the rows keep that order (--limit cuts them)
        units = {r["unit"] for r in rows if r["unit"] != "%"}
        columns, title = TRADE_TABLE_COLUMNS, "Trade"
        if len(units) == 1:  # one unit for every figure: say it once, in the title
            columns, title = [c for c in columns if c[0] != "unit"], f"Trade, {units.pop()}"
        out.emit(rows, columns, [k for k, _ in TRADE_TABLE_COLUMNS], title, "No trade figures match.")
        for fact_id, other in disagreements(records):  # the sources do not fit: say so, never settle it
            Settings.notes.append(f"note: {fact_id} disagrees with {other}: see nichiro show {fact_id}")
    else:
        out.emit(records, TRADE_COLUMNS, listing_fields("trade"), "Trade", "No trade figures match.", chosen)


def exchanges(args: Args) -> None:
    from .views import amount

    out = Output(args)
    records, chosen = _facts(args, ("exchange",))
    records = [rec | {"amount": amount(rec["count"], rec["qualifier"])} for rec in records]
    out.emit(records, EXCHANGE_COLUMNS, listing_fields("exchanges"), "Exchanges", "No exchange figures match.", chosen)


def figures(args: Args) -> None:
    from .views import figure_text

    out = Output(args)
    records, chosen = _facts(args, ("figure",))
    records = [rec | {"numbers": figure_text(rec["figures"])} for rec in records]
    out.emit(records, FIGURE_COLUMNS, listing_fields("figures"), "Figures", "No figures match.", chosen)


def sources(args: Args) -> None:
    from .views import source_records, source_row

    out = Output(args)
    records = source_records(load_store())
    available = listing_fields("sources")
    if out.format in ("table", "plain") and out.fields is None:
        records = [source_row(rec) for rec in records]  # what is unknown said in words
    out.emit(records, SOURCE_COLUMNS, available, "Sources", "No sources.")


def people(args: Args) -> None:
    from .filters import countries, registry, resolve
    from .views import offices_text, people_records

    out = Output(args)
    store = load_store()
    records = sorted(people_records(store), key=lambda r: r["name"])
    if args.country:
        vocabulary = countries(store, "--country", choices_of("person", "country"))
        wanted = {i for text in args.country for i in resolve(vocabulary, text)}
        records = [p for p in records if p["country"] in wanted]
    if args.source:
        from .filters import Filter

        vocabulary = registry(store, "source", "--source")
        cited = frozenset(i for text in args.source for i in resolve(vocabulary, text))
        # A person of a source: a participant of a fact it supports (the quotes may name only the office, or
        # another source the person), or a person whose entry it is quoted for.
        named = {pid for rec in store.select(Filter(sources=cited)) for pid in rec.get("participants") or ()}
        records = [p for p in records if p["id"] in named or any(s["source"] in cited for s in p["sources"])]
    terms = [t for p in records for t in (p["offices"] or p["holders"] or ())]
    if any(t["basis"] == "outside-sources" for t in terms):
        Settings.reader_notes.append(
            "The offices' terms are from outside the sources (general knowledge), not from the texts; "
            "--json says which (basis)."
        )
    columns = PEOPLE_COLUMNS
    if out.format not in ("json", "jsonl"):  # a line of text; JSON keeps the terms as objects
        everyone = store.registry("person")
        records = [p | {"offices": offices_text(p, everyone)} for p in records]
    if out.format == "table" and out.fields is None:  # one column for both: a fifth would not fit 80 columns
        held = [(p, p["offices"] if p["kind"] == "office" else f"in office: {p['offices']}") for p in records]
        records = [p | {"roles": [*p["roles"], *([text] if p["offices"] else [])]} for p, text in held]
        columns = [("roles", "Roles and offices") if k == "roles" else (k, h) for k, h in columns if k != "offices"]
    out.emit(records, columns, listing_fields("people"), "People", "No people match.")


def places(args: Args) -> None:
    from .filters import closed, countries, resolve
    from .views import place_records

    out = Output(args)
    store = load_store()
    records = sorted(place_records(store), key=lambda r: r["name"])
    if args.country:
        vocabulary = countries(store, "--country", sorted({p["country"] for p in records}))
        wanted = {i for text in args.country for i in resolve(vocabulary, text)}
        records = [p for p in records if p["country"] in wanted]
    if args.kind:
        vocabulary = closed("--kind", "kind", choices_of("place", "kind"))
        kinds = {i for text in args.kind for i in resolve(vocabulary, text)}
        records = [p for p in records if p["kind"] in kinds]
    out.emit(records, PLACE_COLUMNS, listing_fields("places"), "Places", "No places match.")


def terms(args: Args) -> None:
    from .filters import closed, resolve

    out = Output(args)
    records = sorted(load_store().registry("term").values(), key=lambda r: r["name"])
    if args.kind:
        vocabulary = closed("--kind", "kind", choices_of("term", "kind"))
        kinds = {i for text in args.kind for i in resolve(vocabulary, text)}
        records = [t for t in records if t["kind"] in kinds]
    out.emit(records, TERM_COLUMNS, listing_fields("terms"), "Terms", "No terms match." if args.kind else "No terms.")


def stats(args: Args) -> None:
    from .fields import CATEGORIES
    from .filters import closed, resolve
    from .views import FACETS
    from .views import stats as facet

    out = Output(args)
    (by,) = resolve(closed("--by", "facet", FACETS), args.by)
    store, chosen = _filter(args, CATEGORIES)
    records = _select(store, chosen)
    places = store.registry("place")
    rows = facet(records, by, chosen, places)
    total = len(records)
    plural = {"category": "categories", "person": "people", "status": "statuses"}.get(by, f"{by}s")
    counted = f" {plural}; {total} {'fact' if total == 1 else 'facts'} in all"
    out.emit(rows, STATS_COLUMNS, listing_fields("stats"), f"Facts by {by}", "No facts match.", counted=counted)
    if records:
        Settings.notes.insert(0, stats_total(records, by, chosen, places))


def stats_total(records: list[dict[str, Any]], by: str, chosen: Filter, places: dict[str, Any]) -> str:
    """What stats counted: the facts in all (as the listing with the same filters lists them), how a
    fact counts under several values, and how many count under none."""
    from .views import facet_values

    total = len(records)
    counted = [len(facet_values(rec, by, chosen, places)) for rec in records]
    none = counted.count(0)
    said = f"{total} {'fact' if total == 1 else 'facts'} in all"
    several = {
        "year": "a fact counts in every year its date overlaps" if not chosen.within else "",
        "person": "a fact counts under each person in it",
        "place": "a fact counts at each of its places and at every place they lie within, as --place lists it",
        "source": "a fact counts under each source it cites",
        "tag": "a fact counts under each of its tags",
    }.get(by, "")
    if several and any(n > 1 for n in counted):
        said += f"; {several}"
    if none:
        said += f"; {none} {'has' if none == 1 else 'have'} no {by}, so {'counts' if none == 1 else 'count'} under none"
    return said + "."


def export_json(args: Args) -> None:
    from pathlib import Path

    from . import render
    from .outfile import check_target, write_text
    from .views import dump

    file, force = Path(args.file), args.force
    if str(file) == "-":
        sys.stdout.write(render.to_json(dump(load_base())))
        return
    check_target(file, force)
    write_text(file, render.to_json(dump(load_base())))
    say(f"wrote {file}")


def export_sqlite(args: Args) -> None:
    from pathlib import Path

    from .export import export_sqlite as write_db
    from .export import metadata_json
    from .outfile import check_target, write_text

    file, force = Path(args.file), args.force
    metadata = None if args.metadata is None else Path(args.metadata)
    for name, value in (("FILE", args.file), ("--metadata", args.metadata)):
        if value is not None and str(value) == "-":
            raise UsageError(f"export sqlite: {name} must be a file, not '-' (only export json writes to stdout)")
    if metadata is not None:
        if metadata.resolve() == file.resolve():
            raise UsageError("export sqlite: --metadata must be another file than FILE")
        check_target(metadata, force)  # before the database is written: all or nothing
    base = load_base()
    counts = write_db(base, file, force)
    say(f"wrote {file}: {sum(counts.values())} rows in {len(counts)} tables")
    if metadata is not None:
        # Datasette names a database after its file: the metadata is keyed by that name.
        write_text(metadata, metadata_json(base, file.name.rsplit(".", 1)[0] if "." in file.name else file.name))
        say(f"wrote {metadata}: Datasette's metadata (datasette {file} -m {metadata})")


def cache_info(args: Args) -> None:
    from . import render
    from .store import cache_info as report

    info = report(fact_dirs())
    if args.as_json:
        sys.stdout.write(render.to_json(info))
        return
    store = info["store"]
    lines = [
        f"cache: {info['directory']}" + ("" if info["used"] else f" (not used: {info['why_not'] or 'cannot be made'})")
    ]
    if store["exists"]:
        size = f"{store['bytes'] / 1e6:.1f} MB"
        contents = f", {store['facts']} facts from {store['files']} files" if "facts" in store else ""
        lines.append(f"store: {store['path']}: {size}{contents}, written {store['written']}, {store['state']}")
    else:
        lines.append(f"store: {store['path']}: not built yet (the next lookup builds it)")
    others = len(info["stores"]) - store["exists"]
    total = sum(s["bytes"] for s in info["stores"])
    lines.append(
        f"stores in all: {len(info['stores'])} ({total / 1e6:.1f} MB; {others} of other fact directories or versions)"
    )
    if info["temporary"]:
        lines.append(f"temporary files of builds that were killed: {len(info['temporary'])}")
    if info["served"]:
        lines.append(f"database of nichiro serve: {info['served']}")
    if info["other_files"]:
        lines.append(f"other files (not nichiro's, never touched): {info['other_files']}")
    sys.stdout.write("".join(f"{printable(line)}\n" for line in lines))


def cache_clear(args: Args) -> None:
    from .store import cache_dir, clear_cache

    removed = clear_cache()
    size = sum(n for _, n in removed)
    files = f"{len(removed)} file{'' if len(removed) == 1 else 's'}"
    say(f"removed {files} nichiro wrote ({size / 1e6:.1f} MB) from {cache_dir()}")


def serve(args: Args) -> None:
    import shutil
    import tempfile

    from .store import usable_cache_dir
    from .web import serve as run_server

    directory, refused = usable_cache_dir()  # the same rule as the store's: a private directory only
    if refused:
        warn(refused.replace("answering from the fact files", "serving from a temporary directory"))
    scratch = tempfile.mkdtemp(prefix="nichiro-serve-") if directory is None else None
    try:
        run_server(load_base(), directory or scratch or "", load_store, args.port, args.open_browser)
    finally:
        if scratch is not None:
            shutil.rmtree(scratch, ignore_errors=True)


def completion(args: Args) -> None:
    from .completion import script

    sys.stdout.write(script(args.shell))


def schema(args: Args) -> None:
    from .schema import schema_text

    sys.stdout.write(schema_text(args.name))


def check(args: Args) -> None:
    """Validate the bundled facts and the --facts directories (global options: given anywhere)."""
    from pathlib import Path

    from .factbase import collect, find_quotes

    sources = args.sources
    if sources is not None and not os.path.isdir(sources):
        why = "not a directory" if os.path.exists(sources) else "no such directory"
        raise UsageError(f"--sources {sources}: {why}")
    base, problems = collect(fact_dirs())
    for p in problems:
        sys.stdout.write(f"{printable(str(p))}\n")
    if problems:
        raise FactBaseError(problems)
    quotes = 0
    if sources is not None:
        report = find_quotes(base, Path(sources))
        for p in [*report.missing_texts, *report.not_found]:
            sys.stdout.write(f"{printable(str(p))}\n")
        said = []
        if report.not_found:
            said.append(f"{len(report.not_found)} of {report.quotes} quotes not found")
        if report.missing_texts:
            said.append(
                f"{len(report.missing_texts)} of {report.texts} source texts missing or unreadable"
                f" ({report.unchecked} quotes not checked)"
            )
        if said:
            raise NichiroError.with_code(f"{'; '.join(said)} in {sources}", ExitCode.QUOTES_NOT_FOUND)
        quotes = report.quotes
    checked = f", {quotes} quotes found in {sources}" if sources is not None else ""
    offices = sum(p.kind == "office" for p in base.people.values())
    in_office = f", {offices} offices" if offices else ""
    tags = f", {len(base.tags)} tags" if base.tags else ""
    sys.stdout.write(
        f"ok: {len(base.facts)} facts, {len(base.sources)} sources, {len(base.people) - offices} people"
        f"{in_office}, {len(base.places)} places{tags}{checked}\n"
    )


# --------------------------------------------------------------------------- errors to exit codes


def guarded(call: Callable[[], int]) -> int:
    """Run a command; every error ends here as one line on stderr and an exit code (ExitCode).

    A store found damaged while the command reads it is removed and the command run again, once
    (nothing was printed yet: reads come first). SIGTERM and SIGHUP, while the command runs, raise
    `Terminated` where it is, as Ctrl-C raises KeyboardInterrupt, so that a file being written is
    removed on the way out (docs/reliability.md).
    """
    restore = _catch_termination()
    try:
        try:
            try:
                code = _rerun_if_damaged(call)
                sys.stdout.flush()
                return code
            except FactBaseError as exc:
                return fail(f"invalid fact base: {exc}", exc.exit_code)
            except NichiroError as exc:
                return fail(str(exc), exc.exit_code)
        except BrokenPipeError:
            # The reader went away (`nichiro timeline | head -1`): end quietly.
            silence_stdout()
            return ExitCode.OK
        except OSError as exc:
            if exc.filename is not None:  # every file nichiro opens is named: an unnamed one is stdout
                return _internal(exc)
            silence_stdout()
            return fail(f"cannot write to standard output: {exc.strerror or exc}", ExitCode.IO_ERROR)
        except KeyboardInterrupt:
            return ExitCode.INTERRUPTED
        except Terminated as exc:
            return exc.exit_code
        except Exception as exc:
            return _internal(exc)
    finally:
        restore()


def _rerun_if_damaged(call: Callable[[], int]) -> int:
    Settings.store_path, Settings.busy = None, False
    try:
        return call()
    except Exception as exc:
        if _store_busy(exc):
            return call()  # without the store, which another process has locked
        if not _store_damaged(exc):
            raise
        return call()  # the store was removed: this run builds it again


def _store_busy(exc: Exception) -> bool:
    """True (and the store set aside for this run) when a query found the store locked by another process."""
    if Settings.store_path is None:
        return False
    from .store import busy_warning, is_busy

    if not is_busy(exc):
        return False
    warn(busy_warning(Settings.store_path))
    Settings.store_path, Settings.busy = None, True
    return True


def _internal(exc: BaseException) -> int:
    """A bug: still one line, and a code that says so."""
    return fail(f"internal error: {type(exc).__name__}: {exc} (please report this)", ExitCode.INTERNAL)


def silence_stdout() -> None:
    """After stdout failed: point it at /dev/null, so that Python's own flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (a test's capture)


def _catch_termination() -> Callable[[], None]:
    """Make SIGTERM and SIGHUP raise Terminated until the returned function is called (unless ignored)."""
    signals = __import__("_signal")  # the C module: `signal` builds three enums when imported (0.7 ms a run)

    def terminate(signum: int, frame: object) -> None:
        raise Terminated(signum)

    previous = {}
    try:
        for signum in (signals.SIGTERM, getattr(signals, "SIGHUP", signals.SIGTERM)):  # (no SIGHUP on Windows)
            if signals.getsignal(signum) is not signals.SIG_IGN:  # `nohup` wants SIGHUP ignored: so be it
                previous[signum] = signals.signal(signum, terminate)
    except ValueError:  # not the main thread: signals are not ours to handle
        pass

    def restore() -> None:
        for signum, handler in previous.items():
            signals.signal(signum, handler)

    return restore


def _store_damaged(exc: Exception) -> bool:
    """True (and the store removed) when a query found the store damaged; reads come before any output."""
    if Settings.store_path is None:
        return False
    from .store import discard, is_damage

    if not is_damage(exc):
        return False
    discard(Settings.store_path)
    Settings.store_path = None
    return True


def fail(message: str, code: int) -> int:
    say(f"nichiro: error: {message}")
    return int(code)


def warn(message: str) -> None:
    """A note on stderr that does not change the answer (a cache that could not be used, say)."""
    say(f"nichiro: warning: {message}")


def say(line: str) -> None:
    """One message on stderr, escaped: a file name or a value a user gave cannot break it or drive the terminal.

    On a terminal it is wrapped between words to the terminal's width (a long note, an office's
    or a disagreement's, would otherwise run past the edge and break inside words), its further
    lines indented; in a pipe or a file it stays one line, which scripts read whole.
    """
    if sys.stderr is None:  # closed (2>&-): nowhere to say it
        return
    try:
        text = printable(line)
        width = _stderr_width()
        if width is not None and (len(text) > width or not text.isascii()):
            from .render import wrap_message

            text = wrap_message(text, width)
        sys.stderr.write(text + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _stderr_width() -> int | None:
    """The width of the terminal stderr writes to (COLUMNS first, as for the output); None when it is not one."""
    try:
        if not sys.stderr.isatty():
            return None
    except (AttributeError, ValueError):
        return None
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.stderr.fileno()).columns
        except (AttributeError, ValueError, OSError):
            return None
    return columns if columns > 0 else None
