"""Turns records into output: tables that fit the terminal, panels, plain rows, JSON, JSON Lines, CSV and TSV.

The only user of rich, imported inside the functions that draw, so that machine formats never pay
for it. Functions return strings or renderables; where they go is the CLI's business.

Every human format shows text through `printable` (by way of `cell`): a fact file cannot move the
cursor, clear the screen, set a window title, write the clipboard or plant a link. JSON keeps the
text, with the characters json.dumps leaves raw written as \\u escapes.
"""

from __future__ import annotations

import io

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator, Sequence
    from typing import Any

    from rich.console import Console, ConsoleOptions, RenderableType

Column = tuple[str, str]  # (record key, header)

# --------------------------------------------------------------------------- escaping


def printable(text: str) -> str:
    """Text safe to print on a terminal: control characters shown as escapes (ESC as `\\x1b`).

    The rule is the one messages follow (errors.printable): C0 and C1 controls, DEL, the line and
    paragraph separators and the bidi controls become visible backslash escapes, as `git` and `gh`
    show them, so that nothing in a fact file can drive the terminal. Newlines and tabs are kept,
    since each format lays them out; a Windows line end counts as a newline.
    """
    if text.isprintable():
        return text
    from .errors import printable as escaped

    return escaped(text.replace("\r\n", "\n"), keep="\n\t")


def cell(value: Any, sep: str = ", ") -> str:
    """A record value as text for a table, plain or CSV cell, control characters escaped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return sep.join(cell(v, sep) for v in value)
    if isinstance(value, dict):
        import json

        return printable(json.dumps(value, ensure_ascii=False, sort_keys=False))
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else str(value)
    return printable(str(value))


# --------------------------------------------------------------------------- machine formats


def to_json(data: Any) -> str:
    """Indented JSON that keeps Japanese and Cyrillic readable, keys in the records' own order."""
    import json

    return _json_safe(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def to_jsonl(records: Sequence[dict[str, Any]]) -> str:
    import json

    return _json_safe("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))


def _json_safe(text: str) -> str:
    """JSON with DEL, C1 controls, separators and bidi marks written as \\u escapes: the same values parsed.

    json.dumps escapes C0 controls but, with ensure_ascii off, writes these raw; printed on a
    terminal, a C1 CSI (U+009B) can drive it as ESC [ does.
    """
    if text.isascii() and "\x7f" not in text:
        return text
    import re

    unsafe = "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"  # errors.printable's, less C0
    return re.sub(unsafe, lambda m: f"\\u{ord(m.group()):04x}", text)


def to_delimited(
    records: Sequence[dict[str, Any]], columns: Sequence[Column], dialect: str, formula_safe: bool = False
) -> str:
    """CSV (a header row, lists joined with "; ") or TSV (tabs and newlines in values become spaces).

    `formula_safe` (--csv-safe) puts a `'` before any value a spreadsheet would run as a formula.
    """
    guard = _formula_guard if formula_safe else _same
    buf = io.StringIO()
    if dialect == "csv":
        import csv

        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow([key for key, _ in columns])
        for rec in records:
            writer.writerow([guard(cell(rec.get(key), "; ")) for key, _ in columns])
        return buf.getvalue()
    lines = ["\t".join(key for key, _ in columns)]
    lines += ["\t".join(guard(_flat(cell(rec.get(key), "; "))) for key, _ in columns) for rec in records]
    return "\n".join(lines) + "\n"


def _same(text: str) -> str:
    return text


def _formula_guard(text: str) -> str:
    """A value that a spreadsheet would read as a formula, with a `'` before it (OWASP's advice).

    Excel, LibreOffice and Google Sheets run a cell that starts (spaces aside) with =, +, - or @,
    or with a tab, a carriage return or a NUL. A plain number (-38, +5.2, 1e3) is left alone: it is
    a number to them too, and a quote would turn it into text.
    """
    start = text.lstrip(" ")[:1]
    if start in ("=", "+", "-", "@", "\t", "\r", "\0") and not _is_number(text.strip()):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    import re

    return re.fullmatch(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", text) is not None


def to_plain(records: Sequence[dict[str, Any]], columns: Sequence[Column]) -> str:
    """Tab-separated rows with no header, for pipes (as `gh` prints when stdout is not a terminal)."""
    return "".join("\t".join(_flat(cell(rec.get(key))) for key, _ in columns) + "\n" for rec in records)


def _flat(text: str) -> str:
    return " ".join(text.split())


# --------------------------------------------------------------------------- tables

# How a listing is laid out (docs/output.md): a table when its columns fit the width, else a block
# per record. Ids, dates, numbers and every other value without a space are never broken: a column
# of them is as wide as its widest value. Text wraps between words, in a column at least as wide as
# its longest word and its header, and at least _FLOOR (or its longest line, if shorter). Nothing is
# ever cut: a value longer than the whole terminal gets a line of its own, which the terminal wraps
# (and copies) whole.
_MARGIN = 1  # the space before the first column, and after the last
_FLOOR = {"title": 24, "summary": 24, "provisions": 24, "note": 24, "why": 16}
_DEFAULT_FLOOR = 12
# Shares of the spare width for the columns that wrap: titles and summaries get the most.
_RATIOS = {
    **{"title": 5, "summary": 4, "participant_names": 2, "why": 2, "provisions": 4, "reporter": 3, "change": 3},
    **{"publisher": 3, "authors": 2},
}
_ITEM_MAX = 24  # a list item up to this wide is not split across lines
_STACKED_VALUE_MIN = 16  # below this many columns for values, a block puts each label above its value


class _Column:
    __slots__ = ("atomic", "cells", "header", "key", "max", "min", "ratio")

    def __init__(self, key: str, header: str, values: list[Any], extra: Sequence[str] = ()) -> None:
        from rich.cells import cell_len

        self.key, self.header = key, printable(header)
        self.cells = [_glued(v) for v in values]
        lines = [_unglue(line) for text in (*self.cells, *extra) for line in text.split("\n")]
        # A column of values without spaces (ids, dates, numbers, kinds) is never wrapped.
        self.atomic = not extra and all(len(text.split()) <= 1 for text in self.cells)
        self.max = max(cell_len(self.header), *(cell_len(line.strip()) for line in lines))
        # An item of a list (a name, a place) keeps to one line if it is not long.
        items = [cell_len(cell(item)) for v in values if isinstance(v, list) for item in v]
        floor = min(max(_FLOOR.get(key, _DEFAULT_FLOOR), *items, 0), _ITEM_MAX, self.max)
        words = [_longest_unit(_unglue(text)) for text in self.cells]
        self.min = self.max if self.atomic else max(floor, cell_len(self.header), *words)
        self.ratio = _RATIOS.get(key, 1)


_GLUE = "\0"  # joins the words of a list item that should not be split (printable() never leaves a NUL)


def _glued(value: Any) -> str:
    """A value's cell text, each short list item glued into one unbreakable word."""
    if not isinstance(value, list):
        return cell(value)
    items = [cell(item) for item in value]
    return ", ".join(item.replace(" ", _GLUE) if len(item) <= _ITEM_MAX else item for item in items)


def _unglue(text: str) -> str:
    return text.replace(_GLUE, " ")


class Listing:
    """Records as a table when their columns fit the console, else as one block per record.

    The layout is decided when rich renders it, at the console's width. With both an id and a title
    column, the id goes under the title (dimmed), where it takes no width of its own.
    """

    def __init__(self, records: Sequence[dict[str, Any]], columns: Sequence[Column], title: str | None) -> None:
        keys = [key for key, _ in columns]
        self.title = printable(title) if title is not None else None
        has_title = "title" in keys and any(cell(rec.get("title")) for rec in records)
        self.id_under_title = "id" in keys and has_title
        self.ids = [cell(rec.get("id")) for rec in records] if "id" in keys else []
        all_columns = [
            _Column(
                key,
                header,
                [rec.get(key) for rec in records],
                self.ids if key == "title" and self.id_under_title else (),
            )
            for key, header in columns
        ]
        self.all_columns = [(c.key, c.header, c.cells) for c in all_columns]
        # Columns with nothing in them are left out: a table has no room to waste.
        self.columns = [c for c in all_columns if not (self.id_under_title and c.key == "id") and any(c.cells)]
        self.count = len(records)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Any]:
        from rich.segment import Segment
        from rich.style import Style

        styles = {None: None, "bold": Style(bold=True), "dim": Style(dim=True)}
        unicode = (options.encoding or "").lower().startswith("utf")
        for line in self.lines(options.max_width, unicode):
            for text, style in line:
                yield Segment(text, styles[style])
            yield Segment.line()

    def text(self, width: int, unicode: bool = True, styled: bool = False) -> str:
        """The output as text, as rich would print it (bold and dim as escape sequences when styled).

        What a listing prints: rich's console is not needed to lay it out, and importing it costs
        more than the rest of a lookup (docs/performance.md).
        """
        codes = {"bold": "\x1b[1m", "dim": "\x1b[2m"} if styled else {}
        out = []
        for line in self.lines(width, unicode):
            out += [f"{codes[style]}{text}\x1b[0m" if style in codes else text for text, style in line]
            out.append("\n")
        return "".join(out)

    def lines(self, width: int, unicode: bool = True) -> list[list[tuple[str, str | None]]]:
        """The output, line by line, as (text, style) pieces: a table if it fits, else blocks."""
        out: list[list[tuple[str, str | None]]] = []
        if self.title is not None:
            out += [[(line, None)] for line in _wrap(self.title, width)]
            out.append([])
        for gap in (3, 2):
            widths = self._widths(width, gap)
            if widths is not None:
                return out + self._table(widths, gap, width, "─" if unicode else "-")
        return out + self._blocks(width)

    def _widths(self, width: int, gap: int) -> list[int] | None:
        """Each column's width at this total width, or None if the columns do not fit."""
        cols = self.columns
        if not cols:
            return None
        from rich.cells import cell_len

        room = width - 2 * _MARGIN - gap * (len(cols) - 1)
        if sum(c.min for c in cols) > room or any(cell_len(i) > width - 2 * _MARGIN for i in self.ids):
            return None
        widths = [c.min for c in cols]
        spare = room - sum(widths)
        if self.id_under_title:  # first, room for the ids under the titles
            i = next(i for i, c in enumerate(cols) if c.key == "title")
            add = min(spare, max(0, max(map(cell_len, self.ids), default=0) - widths[i]))
            widths[i] += add
            spare -= add
        # The spare width goes to the wrapping columns by ratio, none beyond its longest line.
        while spare > 0:
            growing = [i for i, c in enumerate(cols) if widths[i] < c.max]
            if not growing:
                break
            total = sum(cols[i].ratio for i in growing)
            given = 0
            for i in growing:
                add = min(max(1, (spare * cols[i].ratio) // total), cols[i].max - widths[i], spare - given)
                widths[i] += add
                given += add
            spare -= given
        return widths

    def _table(self, widths: list[int], gap: int, width: int, rule: str) -> list[list[tuple[str, str | None]]]:
        from rich.cells import cell_len

        xs = [_MARGIN + sum(widths[:i]) + gap * i for i in range(len(widths))]
        out: list[list[tuple[str, str | None]]] = []
        out.append(_place([(x, c.header, "bold") for x, c in zip(xs, self.columns, strict=True)]))
        out.append([(" " * _MARGIN + rule * (xs[-1] + widths[-1] - _MARGIN), None)])
        title_col = next((i for i, c in enumerate(self.columns) if c.key == "title"), None)
        for row in range(self.count):
            texts = [_wrap(c.cells[row], w) for c, w in zip(self.columns, widths, strict=True)]
            height = max(len(t) for t in texts)
            fact_id = self.ids[row] if self.id_under_title and title_col is not None else ""
            id_at: tuple[int, int] | None = None
            if fact_id and title_col is not None:
                # Under the title, on the first line where the columns it runs across are empty.
                size = cell_len(fact_id)
                x = min(xs[title_col], width - _MARGIN - size)
                # The columns it would run across, or come nearer than a gap to.
                span = [
                    i
                    for i in range(len(xs))
                    if i != title_col and xs[i] < x + size + gap and x - gap < xs[i] + widths[i]
                ]
                y = max([len(texts[title_col]), *(len(texts[i]) for i in span)])
                id_at = (x, y)
                height = max(height, y + 1)
            for y in range(height):
                pieces: list[tuple[int, str, str | None]] = [
                    (xs[i], t[y], None) for i, t in enumerate(texts) if y < len(t) and t[y]
                ]
                if id_at is not None and id_at[1] == y:
                    pieces.append((id_at[0], fact_id, "dim"))
                out.append(_place(sorted(pieces, key=lambda piece: piece[0])))
        return out

    def _blocks(self, width: int) -> list[list[tuple[str, str | None]]]:
        """One block per record: its id (when it has one) on a line of its own, then `Label: value` lines."""
        from rich.cells import cell_len

        fields = [(key, header, cells) for key, header, cells in self.all_columns if key != "id" or not self.ids]
        label_width = max((cell_len(header) + 1 for _, header, _ in fields), default=0)
        indent = 2 if self.ids else 0  # under the id that heads the block
        value_x = indent + label_width + 1
        # Labels in a column of their own when the values have room beside them, else above them.
        longest = max((_longest_unit(_unglue(text)) for _, _, cells in fields for text in cells), default=0)
        aligned = width - value_x >= max(_STACKED_VALUE_MIN, longest)
        out: list[list[tuple[str, str | None]]] = []
        for row in range(self.count):
            if row:
                out.append([])
            if self.ids:
                out.append([(self.ids[row], "bold")])
            for _key, header, cells in fields:
                text = cells[row]
                if not text:
                    continue
                label = f"{header}:"
                if aligned:
                    lines = _wrap(text, width - value_x)
                    out.append([(" " * indent, None), (label.ljust(label_width), "bold"), (" " + lines[0], None)])
                    out += [[(" " * value_x + line, None)] for line in lines[1:]]
                else:
                    hang = indent + 2
                    lines = _wrap(text, width - hang, first=width - indent - cell_len(label) - 1)
                    out.append([(" " * indent, None), (label, "bold"), (f" {lines[0]}" if lines[0] else "", None)])
                    out += [[(" " * hang + line, None)] for line in lines[1:]]
        return out


def table(records: Sequence[dict[str, Any]], columns: Sequence[Column], title: str | None = None) -> Listing:
    """Records laid out for a terminal: a table that fits its width, else a block per record."""
    return Listing(records, columns, title)


def _place(pieces: Sequence[tuple[int, str, str | None]]) -> list[tuple[str, str | None]]:
    """A line from (column, text, style) pieces in order, spaces between them."""
    from rich.cells import cell_len

    line: list[tuple[str, str | None]] = []
    at = 0
    for x, text, style in pieces:
        if x > at:
            line.append((" " * (x - at), None))
            at = x
        line.append((text, style))
        at += cell_len(text)
    return line


def _units(word: str) -> list[str]:
    """A word cut where a line may break inside it: around each wide (CJK) character, nowhere else."""
    from rich.cells import get_character_cell_size

    units: list[str] = []
    wide = False
    for ch in word:
        size = get_character_cell_size(ch)
        if size == 0 and units:
            units[-1] += ch  # a combining mark stays with its letter
        elif size == 2 or wide or not units:
            units.append(ch)
        else:
            units[-1] += ch
        wide = size == 2 or (size == 0 and wide)
    return units


def _longest_unit(text: str) -> int:
    """The width of the widest piece of text that a line must not break."""
    from rich.cells import cell_len

    return max((cell_len(u) for word in text.split() for u in _units(word)), default=0)


def _wrap(text: str, width: int, first: int | None = None) -> list[str]:
    """Text wrapped between words (and between wide characters) to `width`; `first` for the first line.

    A word never breaks: one longer than the width has a line of its own and runs past it. Words
    glued together (a list item) are kept on one line when they fit.
    """
    from rich.cells import cell_len

    width = max(width, 1)
    lines: list[str] = []
    line = ""

    def room() -> int:
        return first if first is not None and not lines else width

    for para in text.split("\n"):
        words = para.split()[::-1]
        while words:
            word = words.pop()
            size = cell_len(_unglue(word))
            if line and cell_len(line) + 1 + size <= room():
                line += " " + _unglue(word)
                continue
            if _GLUE in word and size > width:
                words += word.split(_GLUE)[::-1]  # an item too long for any line: its words one by one
                continue
            if line:
                lines.append(line)
                line = ""
            elif not lines and first is not None and size > first:
                lines.append("")  # the first word does not fit beside the label: start below it
            if size <= room() or len(units := _units(word)) == 1:
                line = _unglue(word)
                continue
            for unit in units:  # a run of wide characters breaks between them
                if line and cell_len(line) + cell_len(unit) > room():
                    lines.append(line)
                    line = ""
                line += unit
        lines.append(line)
        line = ""
    return lines or [""]


# --------------------------------------------------------------------------- one fact


def detail(rec: dict[str, Any], plain: bool) -> RenderableType | str:
    """Everything about one fact: a panel on a terminal, labelled lines otherwise.

    Each source is named once, with its quotes under it; a quote with its context (show --context)
    is shown within the sentences around it, the quote highlighted (in plain text, between **).
    """
    rows = [(printable(label), printable(value)) for label, value in _detail_lines(rec)]
    sources = _source_blocks(rec)
    after = [(printable(label), printable(value)) for label, value in _after_lines(rec)]
    if plain:
        out = [f"{label}: {value}\n" for label, value in rows]
        for header, quotes in sources:
            out.append(f"source: {header}\n")
            for quote, context in quotes:
                if context is None:
                    out.append(f'    "{quote}"\n')
                else:
                    before, q, following = context
                    out += [f"    {line}\n" for line in f"{before}**{q}**{following}".split("\n")]
        out += [f"{label}: {value}\n" for label, value in after]
        return "".join(out)
    from rich.padding import Padding
    from rich.table import Table
    from rich.text import Text

    grid = Table.grid(padding=(0, 1))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    for label, value in rows:
        grid.add_row(label, Text(value))
    for n, (header, quotes) in enumerate(sources):
        grid.add_row("sources" if n == 0 else "", Text(header))
        for quote, context in quotes:
            if context is None:
                text = Text(f"\u201c{quote}\u201d")
            else:
                before, q, following = context
                text = Text(before, style="dim")
                text.append(q, style="bold underline")
                text.append(following, style="dim")
            grid.add_row("", Padding(text, (0, 0, 0, 2)))  # a wrapped quote keeps its indent
    for label, value in after:
        grid.add_row(label, Text(value))
    return _TitledPanel(grid, printable(rec["title"]))


class _TitledPanel:
    """A panel whose title, when too long for the border, ends in an ellipsis rather than being cut."""

    def __init__(self, body: Any, title: str) -> None:
        self.body = body
        self.title = title

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Any]:
        from rich.panel import Panel
        from rich.text import Text

        room = max(1, options.max_width - 6)  # the corners, the border's dashes and a space either side
        title = self.title if len(self.title) <= room else self.title[: room - 1].rstrip() + "\u2026"
        yield Panel(self.body, title=Text(title), title_align="left", expand=True)


_SKIP = {
    "id",
    "title",
    "summary",
    "sources",
    "note",
    "status",
    "disagreements",
    "related_facts",
    "related",
    "disagrees_with",
    "date_precision",
    "as_written",
    "participants",
    "place",
    "places",
    "tags",
    "figures",
}


def number(value: Any) -> str:
    """A figure's value as people write it: thousands separated (127,053,000; 5.179; 1,234.5)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:,}"
    return cell(value)


def _detail_lines(rec: dict[str, Any]) -> list[tuple[str, str]]:
    lines: list[tuple[str, str]] = [("id", rec["id"]), ("category", rec["category"])]
    if rec.get("date"):
        lines.append(("date", f"{rec['date']} ({rec['date_precision']})"))
    else:
        lines.append(("date", "undated"))
    if rec.get("status") == "claim":
        cited = ", ".join(dict.fromkeys(s["source"] for s in rec["sources"]))
        lines.append(("status", f"CLAIM by {cited}: the sources cannot back this up"))
    lines.append(("title", rec["title"]))
    lines.append(("summary", rec["summary"]))
    for key, value in rec.items():
        if key in _SKIP or key in ("category", "date") or value in (None, [], ""):
            continue
        lines.append((key.replace("_", " "), number(value) if key == "value" else cell(value)))
    for fig in rec.get("figures") or ():
        parts = [fig.get("subject"), fig["label"]]
        qual = fig.get("qualifier")
        amount = f"{'' if not qual or qual == 'exactly' else qual.replace('-', ' ') + ' '}{number(fig['value'])}"
        lines.append(("figure", f"{': '.join(p for p in parts if p)} = {amount} {fig.get('unit') or ''}".rstrip()))
    if rec.get("tags"):
        lines.append(("tags", ", ".join(rec["tags"])))
    if rec.get("as_written"):
        lines.append(("as written", ", ".join(rec["as_written"])))
    if rec.get("note"):
        lines.append(("note", rec["note"]))
    return lines


Quote = tuple[str, "tuple[str, str, str] | None"]  # the quote, and (before, quote, after) with --context


def _source_blocks(rec: dict[str, Any]) -> list[tuple[str, list[Quote]]]:
    """Each source once, in the order the fact first cites it, with every quote of it."""
    blocks: dict[str, tuple[str, list[Quote]]] = {}
    for ref in rec["sources"]:
        if ref["source"] not in blocks:
            where = ", ".join(x for x in (ref.get("publisher"), ref.get("source_date")) if x)
            about = " ".join(x for x in (ref.get("title"), f"({where})" if where else "") if x)
            blocks[ref["source"]] = (printable(ref["source"] + (f": {about}" if about else "")), [])
        ctx = ref.get("context")
        context = None if ctx is None else (printable(ctx["before"]), printable(ctx["quote"]), printable(ctx["after"]))
        blocks[ref["source"]][1].append((printable(ref["quote"]), context))
    return list(blocks.values())


def _after_lines(rec: dict[str, Any]) -> list[tuple[str, str]]:
    lines = []
    for other in rec.get("disagreements") or ():
        lines.append(("DISAGREES WITH", f"{other['id']} [{', '.join(other['sources'])}]: {other['summary']}"))
    for other in rec.get("related_facts") or ():
        lines.append(("related", f"{other['id']}: {other['title']}"))
    return lines


# --------------------------------------------------------------------------- charts


Chart = tuple[str, "Sequence[tuple[str, bool, Sequence[tuple[str, float, str]]]]"]  # title, [(heading, partial, bars)]


def bar_chart(charts: Sequence[Chart], width: int, unicode: bool = True) -> str:
    """Horizontal bars, one chart per (title, sections): every bar of a chart on one scale.

    A section holds comparable figures under its heading; a bar is (label, value, value as text).
    A partial section's bars are drawn with a lighter block, so that they cannot pass for whole
    ones. Labels and values are never cut: when the width is too small for a label, its bar and its
    value on one line, the bar goes on the line below.
    """
    full, part = ("█", "▒") if unicode else ("#", "=")
    out: list[str] = []
    for title, sections in charts:
        bars = [(printable(label), value, printable(text)) for _, _, items in sections for label, value, text in items]
        if not bars:
            continue
        label_width = max(len(label) for label, _, _ in bars)
        value_width = max(len(text) for _, _, text in bars)
        top = max(abs(value) for _, value, _ in bars) or 1.0
        room = width - label_width - 2 - 1 - value_width
        below = room < 10  # too narrow: each bar on a line of its own under its label
        if below:
            room = max(1, width - 2 - 1 - value_width)
        if out:
            out.append("")
        out += _wrap(printable(title), width)
        for heading, partial, items in sections:
            out += ["", *_wrap(printable(heading), width)]
            for label, value, text in items:
                size = round(abs(value) / top * room) if value else 0
                bar = (part if partial else full) * max(size, 1 if value else 0)
                label, text = printable(label), printable(text)
                if below:
                    out += [label, f"  {bar} {text}"]
                else:
                    out.append(f"{label.ljust(label_width)}  {bar} {text}")
    return "\n".join(out) + "\n" if out else ""
