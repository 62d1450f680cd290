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
    """Indented JSON that keeps Japanese and Cyrillic readable, keys in the records' own order.

    The text of `json.dumps(data, ensure_ascii=False, indent=2)`, and, as `_json_safe` writes them,
    the characters a terminal acts on as \\u escapes. Written here rather than by json.dumps, whose
    import compiles six regular expressions and whose indenting encoder is a tree of generators: with
    the C encoder of strings that json itself uses, a search's output costs half the instructions
    (docs/performance.md). tests/test_listings.py checks it against json.dumps.
    """
    try:
        from _json import encode_basestring as quoted  # CPython's own, what json.dumps calls
    except ImportError:  # pragma: no cover - another Python
        from json.encoder import py_encode_basestring as quoted

    def string(text: str) -> str:
        return quoted(text) if text.isprintable() else quoted(text).translate(_JSON_UNSAFE)

    out: list[str] = []
    write = out.append

    def value(obj: Any, newline: str) -> None:  # json.encoder._make_iterencode's order of types
        if isinstance(obj, str):
            write(string(obj))
        elif obj is None:
            write("null")
        elif obj is True:
            write("true")
        elif obj is False:
            write("false")
        elif isinstance(obj, int):
            write(int.__repr__(obj))
        elif isinstance(obj, float):
            write(_float(obj))
        elif isinstance(obj, (list, tuple)):
            if not obj:
                write("[]")
                return
            inner = newline + "  "
            lead, sep = "[" + inner, "," + inner
            for item in obj:
                write(lead)
                lead = sep
                value(item, inner)
            write(newline + "]")
        elif isinstance(obj, dict):
            if not obj:
                write("{}")
                return
            inner = newline + "  "
            lead, sep = "{" + inner, "," + inner
            for key, item in obj.items():
                write(lead)
                lead = sep
                write(string(key if isinstance(key, str) else _key(key)) + ": ")
                value(item, inner)
            write(newline + "}")
        else:
            raise TypeError(f"Object of type {obj.__class__.__name__} is not JSON serializable")

    value(data, "\n")
    write("\n")
    return "".join(out)


def _float(number: float) -> str:
    if number != number:
        return "NaN"
    if number == _INFINITY or number == -_INFINITY:
        return "Infinity" if number > 0 else "-Infinity"
    return float.__repr__(number)


_INFINITY = float("inf")


def _key(key: Any) -> str:
    """A dict key that is not a string, as json.dumps writes it: a number, true, false or null as text."""
    if isinstance(key, float):
        return _float(key)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {key.__class__.__name__}")


# What _json_safe escapes, for str.translate: DEL, the C1 controls, the Arabic letter mark, the
# left-to-right and right-to-left marks, the line and paragraph separators and the bidi controls.
_JSON_UNSAFE = {
    code: f"\\u{code:04x}"
    for code in (*range(0x7F, 0xA0), 0x61C, 0x200E, 0x200F, *range(0x2028, 0x202F), *range(0x2066, 0x206A))
}


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

# How a listing is laid out (docs/output.md): a table when its columns fit the width at their
# floors and it takes no more lines than the blocks would, else a block per record. A line breaks
# only between words, between wide (CJK) characters, and after the "/" of a date range: an id, a
# single date, a number, a kind is never broken. Each column is at least as wide as its header and
# its widest unbreakable piece, and a text column at least its floor (or its longest line, if
# shorter): below the floors a table is harder to read than blocks. A list item that has to wrap
# starts a line of its own and continues on indented lines. Nothing is ever cut: a value longer
# than the whole terminal gets a line of its own, which the terminal wraps (and copies) whole.
_MARGIN = 1  # the space before the first column (the last may end at the edge)
_GAPS = (3, 2)  # the space between columns: three, or two where that saves lines
# Floors of the text columns, chosen by reading every listing at 120 to 60 columns: with them,
# every listing whose table can be read is one at 100 and at 80 columns (docs/output.md).
_FLOOR = {
    **{"title": 18, "summary": 18, "provisions": 18, "note": 18, "roles": 18, "aliases": 18, "why": 14},
    **{"participant_names": 15, "place_names": 11, "parties": 13, "name": 14, "within": 11},
}
_DEFAULT_FLOOR = 8
_HANG = 2  # a list item that wraps continues on lines indented this much (less where a word would not fit)
_STACKED_VALUE_MIN = 16  # below this many columns for values, a block puts each label above its value
# The columns under which a listing puts each record's id, the first of them it has.
_ID_UNDER = ("title", "name")


class _Column:
    __slots__ = ("_wrapped", "area", "atomic", "cells", "header", "key", "max", "min")

    def __init__(self, key: str, header: str, values: list[Any], extra: Sequence[str] = ()) -> None:
        from rich.cells import cell_len

        self.key, self.header = key, printable(header)
        self.cells = [_glued(v) for v in values]
        lines = [_unglue(line) for text in (*self.cells, *extra) for line in text.split("\n")]
        self.max = max(cell_len(self.header), *(cell_len(line.strip()) for line in lines))
        # A column of values without spaces (ids, dates, numbers, kinds) has no floor: it is as
        # wide as its widest value, and only a date range in it may break, when space is short.
        atomic = not extra and all(len(_unglue(text).split()) <= 1 for text in self.cells)
        floor = 0 if atomic else _FLOOR.get(key, _DEFAULT_FLOOR)
        least = max((_longest_unit(_unglue(text)) for text in self.cells), default=0)
        self.min = max(min(max(floor, least), self.max), cell_len(self.header))
        self.atomic = atomic
        self.area = sum(_text_width(_unglue(text)) for text in self.cells)  # how much text it holds
        self._wrapped: dict[int, list[list[str]]] = {}

    def wrapped(self, width: int) -> list[list[str]]:
        """Each cell wrapped to a width (remembered: the layouts tried share most columns)."""
        if width not in self._wrapped:
            self._wrapped[width] = [_wrap(text, width) for text in self.cells]
        return self._wrapped[width]


_GLUE = "\0"  # joins the words of a list item (printable() never leaves a NUL)


def _glued(value: Any) -> str:
    """A value's cell text, the words of each item of a list of several glued together (see _wrap)."""
    if not isinstance(value, list) or len(value) < 2:
        return cell(value)
    return ", ".join(cell(item).replace(" ", _GLUE) for item in value)


def _unglue(text: str) -> str:
    return text.replace(_GLUE, " ")


class Listing:
    """Records as a table when their columns fit the console, else as one block per record.

    The layout is decided when rich renders it, at the console's width. With both an id and a title
    column, the id goes under the title (dimmed), where it takes no width of its own; under a name
    (people, places, terms) only where its own column does not fit or costs more lines.
    """

    def __init__(self, records: Sequence[dict[str, Any]], columns: Sequence[Column], title: str | None) -> None:
        self.title = printable(title) if title is not None else None
        self.count = len(records)
        values = {key: [rec.get(key) for rec in records] for key, _ in columns}
        built = [_Column(key, header, values[key]) for key, header in columns]
        self.ids = [cell(v) for v in values["id"]] if "id" in values else []
        self.all_columns = [(c.key, c.header, c.cells) for c in built]
        # Columns with nothing in them are left out: a table has no room to waste.
        shown = [c for c in built if any(c.cells)]
        under = next((c for key in _ID_UNDER for c in shown if c.key == key), None)
        # The tables to try: their columns, and the one the ids go under (if they do).
        self.variants: list[tuple[list[_Column], int | None]] = []
        if not self.ids or under is None or under.key != "title":
            self.variants.append((shown, None))
        if self.ids and under is not None:
            with_ids = _Column(under.key, under.header, values[under.key], extra=self.ids)
            narrow = [with_ids if c is under else c for c in shown if c.key != "id"]
            self.variants.append((narrow, narrow.index(with_ids)))

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
        table = self._best_table(width, "─" if unicode else "-")
        return out + (table if table is not None else self._blocks(width))

    def _best_table(self, width: int, rule: str) -> list[list[tuple[str, str | None]]] | None:
        """The table at this width, or None when the columns do not fit at their floors or the table
        would take more lines than the blocks.

        Of the layouts (the id in a column of its own or under the name; date ranges whole or broken
        after "/"; three spaces between columns or two), the first in that order wins unless another
        takes a tenth fewer lines: at 120 columns the dates of meetings stay whole, at 100 they
        break, which costs nothing in rows already three lines tall.
        """
        from rich.cells import cell_len

        layouts: list[tuple[int, list[_Column], int | None, list[int], int]] = []  # (lines, ...)
        for columns, under in self.variants:
            if not columns:  # every value empty: nothing for a table to hold (the blocks say so)
                continue
            if under is not None and any(cell_len(i) > width - _MARGIN for i in self.ids):
                continue
            for ranges_whole in (True, False):
                for gap in _GAPS:
                    widths = _widths(columns, width - _MARGIN - gap * (len(columns) - 1), ranges_whole)
                    if widths is not None and not any(w == widths and g == gap for *_, w, g in layouts):
                        lines = 2 + sum(height for _, _, height in self._rows(columns, under, widths, gap, width))
                        layouts.append((lines, columns, under, widths, gap))
        # Columns so narrow that the blocks would be shorter: such a table is not worth it.
        least = self._least_block_lines()
        if any(lines > least for lines, *_ in layouts):
            blocks = len(self._blocks(width))
            layouts = [layout for layout in layouts if layout[0] <= blocks]
        if not layouts:
            return None
        fewest = min(lines for lines, *_ in layouts)
        _, columns, under, widths, gap = next(layout for layout in layouts if layout[0] * 10 <= fewest * 11)
        return self._table(columns, under, widths, gap, width, rule)

    def _least_block_lines(self) -> int:
        """Fewer lines than the blocks can take: a heading and a line per value, blank lines between."""
        values = sum(1 for key, _, cells in self.all_columns if key != "id" or not self.ids for text in cells if text)
        return values + (2 * self.count - 1 if self.ids else self.count - 1)

    def _rows(
        self, columns: list[_Column], under: int | None, widths: list[int], gap: int, width: int
    ) -> Iterator[tuple[list[list[str]], tuple[int, int] | None, int]]:
        """Each record's cells as lines, where its id goes (x, line) if under a column, and its height."""
        from rich.cells import cell_len

        xs = _starts(widths, gap)
        wrapped = [c.wrapped(w) for c, w in zip(columns, widths, strict=True)]
        for row in range(self.count):
            texts = [cells[row] for cells in wrapped]
            height = max(len(t) for t in texts)
            id_at: tuple[int, int] | None = None
            if under is not None and self.ids[row]:
                # Under its column, on the first line where the columns it runs across are empty.
                size = cell_len(self.ids[row])
                x = min(xs[under], width - size)
                # The columns it would run across, or come nearer than a gap to.
                span = [
                    i for i in range(len(xs)) if i != under and xs[i] < x + size + gap and x - gap < xs[i] + widths[i]
                ]
                y = max([len(texts[under]), *(len(texts[i]) for i in span)])
                id_at = (x, y)
                height = max(height, y + 1)
            yield texts, id_at, height

    def _table(
        self, columns: list[_Column], under: int | None, widths: list[int], gap: int, width: int, rule: str
    ) -> list[list[tuple[str, str | None]]]:
        """The table: a header, a rule, and each record's lines, its id under column `under` (if any)."""
        xs = _starts(widths, gap)
        out: list[list[tuple[str, str | None]]] = []
        out.append(_place([(x, c.header, "bold") for x, c in zip(xs, columns, strict=True)]))
        out.append([(" " * _MARGIN + rule * (xs[-1] + widths[-1] - _MARGIN), None)])
        for row, (texts, id_at, height) in enumerate(self._rows(columns, under, widths, gap, width)):
            for y in range(height):
                pieces: list[tuple[int, str, str | None]] = [
                    (xs[i], t[y], None) for i, t in enumerate(texts) if y < len(t) and t[y]
                ]
                if id_at is not None and id_at[1] == y:
                    pieces.append((id_at[0], self.ids[row], "dim"))
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


def _starts(widths: Sequence[int], gap: int) -> list[int]:
    """Where each column starts."""
    return [_MARGIN + sum(widths[:i]) + gap * i for i in range(len(widths))]


def _widths(cols: Sequence[_Column], room: int, ranges_whole: bool) -> list[int] | None:
    """Each column's width in this room, or None if the columns do not fit at their floors.

    The spare width goes to the text columns (see _share); with `ranges_whole`, it goes first to
    the columns of date ranges, to keep each range on one line.
    """
    widths = [c.min for c in cols]
    spare = room - sum(widths)
    if spare < 0:
        return None
    for first in (ranges_whole, True):
        for i, c in enumerate(cols):
            if first and c.atomic and widths[i] < c.max <= widths[i] + spare:
                spare -= c.max - widths[i]
                widths[i] = c.max
        spare = _share(cols, widths, spare)
    return widths


def _share(cols: Sequence[_Column], widths: list[int], spare: int) -> int:
    """Spare width given to the text columns in proportion to the text each holds, so that they come
    out about as tall as each other; none narrower than it is, none wider than its longest line.
    Returns what is left over."""
    budget = spare + sum(w for c, w in zip(cols, widths, strict=True) if not c.atomic)
    fixed: dict[int, int] = {}
    free = [i for i, c in enumerate(cols) if not c.atomic]
    while free:  # a column whose share is below its width, or beyond its longest line, is held there
        area = sum(cols[i].area for i in free) or 1
        per = (budget - sum(fixed.values())) / area
        held = {i: widths[i] for i in free if per * cols[i].area < widths[i]}
        held = held or {i: cols[i].max for i in free if per * cols[i].area > cols[i].max}
        if not held:
            break
        fixed.update(held)
        free = [i for i in free if i not in held]
    shares = {i: per * cols[i].area for i in free} if free else {}
    for i, w in fixed.items():
        widths[i] = w
    for i, share in shares.items():
        widths[i] = int(share)
    left = budget - sum(w for c, w in zip(cols, widths, strict=True) if not c.atomic)
    for i in sorted(shares, key=lambda i: int(shares[i]) - shares[i])[: max(left, 0)]:
        widths[i] += 1  # the columns rounded down most get the odd columns
    return budget - sum(w for c, w in zip(cols, widths, strict=True) if not c.atomic)


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
    """A word cut where a line may break inside it: after the "/" of a date range (2012-06-10/2012-06-11),
    and around each wide (CJK) character; nowhere else."""
    if "/" in word:
        import re

        whole = re.fullmatch(r"(.*\d{4}(?:-\d\d){0,2}/)(\d{4}(?:-\d\d){0,2}(?:\W.*)?)", word)
        if whole:
            return [*_units(whole.group(1)), *_units(whole.group(2))]
    if word.isascii():
        return [word]
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
    if text.isascii() and "/" not in text:  # the common case, quickly
        return max(map(len, text.split()), default=0)
    from rich.cells import cell_len

    return max((cell_len(u) for word in text.split() for u in _units(word)), default=0)


def _wrap(text: str, width: int, first: int | None = None) -> list[str]:
    """Text wrapped between words (and between wide characters, and after a date range's "/") to
    `width`; `first` for the first line.

    A word never breaks: one longer than the width has a line of its own and runs past it. The
    words of a list item (glued together) stay on one line when they fit; an item that does not
    fit on a line of its own starts a line, continues on lines indented by _HANG, and the next
    item starts a line of its own, so that where each item begins is never in doubt.
    """
    width = max(width, 1)
    lines: list[str] = []
    line, size_of_line = "", 0
    sealed = False  # the line holds the end of a list item that wrapped: nothing more goes on it

    def room() -> int:
        return first if first is not None and not lines else width

    for para in text.split("\n"):
        words = para.split()[::-1]
        while words:
            word = _unglue(words.pop())
            size = _text_width(word)
            if line and not sealed and size_of_line + 1 + size <= room():
                line += " " + word
                size_of_line += 1 + size
                continue
            if " " in word and size > width:  # a list item too long for a line of its own
                if line:
                    lines.append(line)
                start = room()
                if not lines and first is not None and _longest_unit(word.split(" ")[0]) > first:
                    lines.append("")  # its first word does not fit beside the label: start below it
                    start = width
                # (Less indented where a word would not fit the line: in a block at a very narrow width.)
                hang = max(0, min(_HANG, width - _longest_unit(word.split(" ", 1)[1])))
                item = _wrap(word, width - hang, first=start)
                item = [item[0], *(" " * hang + rest for rest in item[1:])]
                lines += item[:-1]
                line, size_of_line, sealed = item[-1], _text_width(item[-1]), True
                continue
            sealed = False
            if line:
                lines.append(line)
                line, size_of_line = "", 0
            elif not lines and first is not None and size > first:
                lines.append("")  # the first word does not fit beside the label: start below it
            if size <= room() or len(units := _units(word)) == 1:
                line, size_of_line = word, size
                continue
            for unit in units:  # a run of wide characters, or a date range, breaks between its units
                unit_size = _text_width(unit)
                if line and size_of_line + unit_size > room():
                    lines.append(line)
                    line, size_of_line = "", 0
                line += unit
                size_of_line += unit_size
        lines.append(line)
        line, size_of_line, sealed = "", 0, False
    return lines or [""]


def wrap_message(text: str, width: int) -> str:
    """A message for a terminal (a note, an error), wrapped between words to `width`, its further lines
    indented by two spaces so that where each message starts is plain. A word never breaks: a fact id
    stays whole, to be copied, and one longer than the line runs past it."""
    # What is quoted ('nichiro stats --by tag', a query) stays on one line where it fits, to be copied.
    import re

    glued = re.sub(r"(?<!\w)'[^'\n]{1,40}'(?!\w)", lambda m: m.group().replace(" ", _GLUE), text)
    lines = _wrap(glued, max(width - _HANG, 1), first=width)
    while len(lines) > 1 and not lines[0]:
        lines.pop(0)  # (_wrap leaves the first line empty when its first word is wider than it)
    return ("\n" + " " * _HANG).join(lines)


def _text_width(text: str) -> int:
    """Columns the text takes on a terminal."""
    if text.isascii():
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


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
        # One field a line; a value's own line breaks continue it on lines indented under its start
        # (as mail headers fold), so that no line of a value can pass for a field of its own.
        out = [_labelled(label, value) for label, value in rows]
        for header, quotes in sources:
            out.append(_labelled("source", header))
            for quote, context in quotes:
                if context is None:
                    out.append("    " + _hanging(f'"{quote}"', 5) + "\n")
                else:
                    before, q, following = context
                    out += [f"    {line}\n" for line in f"{before}**{q}**{following}".split("\n")]
        out += [_labelled(label, value) for label, value in after]
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


def _labelled(label: str, value: str) -> str:
    """A `label: value` line of plain output, the value's further lines indented under its start."""
    return f"{label}: " + _hanging(value, len(label) + 2) + "\n"


def _hanging(text: str, indent: int) -> str:
    """Text whose lines after the first are indented (a blank line stays blank)."""
    return "\n".join(line if n == 0 or not line else " " * indent + line for n, line in enumerate(text.split("\n")))


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
