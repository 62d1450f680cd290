"""`--help` of every command, rendered from the declaration in `options` (typer is not imported).

Both parsers print this text, and docs/cli.md is made of it (scripts/gen_cli_docs.py), so the
three cannot disagree.
"""

from __future__ import annotations

import os

from .options import DATES, EXIT_CODES_HELP, FILTERS, GLOBAL, ORDER, OUTPUT, REPEAT_HELP, ROOT, Command, find, walk

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

MAX_WIDTH = 100
HELP = ("-h, --help", "Show this message and exit.")
# The order of the panels of options: the command's own options, what to select, how to order it,
# how to print it, then the global options (a group's commands come before all of them).
_PANEL_ORDER = {"Arguments": 0, "Options": 2, DATES: 3, FILTERS: 4, ORDER: 5, OUTPUT: 6, GLOBAL: 9}


def width() -> int:
    """The width of the help: the terminal's (COLUMNS first, as in a pipe), at most MAX_WIDTH, less a margin."""
    try:
        columns = int(os.environ.get("COLUMNS", ""))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(1).columns
        except OSError:
            columns = 80
    return max(min(columns, MAX_WIDTH) - 2, 50)  # as click's formatter does


def _wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    """Words of text in lines of at most width, the first prefixed by first (else indent)."""
    lines: list[str] = []
    line = first if first is not None else indent
    start = len(line)
    for word in text.split():
        if len(line) > start and len(line) + 1 + len(word) > width:
            lines.append(line.rstrip())
            line = indent
            start = len(line)
        line += (" " if len(line) > start else "") + word
    lines.append(line.rstrip())
    return lines


def _definitions(rows: Sequence[tuple[str, str]], width: int, column: int = 0) -> list[str]:
    """Two columns, as click lays them out: the term, then its help wrapped beside it (at `column`
    when given, else just past the longest term)."""
    column = column or min(max(len(term) for term, _ in rows) + 4, 32)
    out: list[str] = []
    for term, text in rows:
        term = f"  {term}"
        if len(term) + 2 > column:
            out.append(term)
            out += _wrap(text, width, " " * column)
        else:
            out += _wrap(text, width, " " * column, term.ljust(column))
    return out


def _usage(path: Sequence[str], command: Command) -> str:
    parts = ["Usage:", " ".join(["nichiro", *path]), "[OPTIONS]"]
    for arg in command.arguments:
        name = arg.metavar + ("..." if arg.many else "")
        parts.append(name if arg.required else f"[{name}]")
    if command.commands:
        parts.append("COMMAND [ARGS]...")
    return " ".join(parts)


def render(path: Sequence[str]) -> str:
    """The help of the command at path ([] for nichiro itself), wrapped to the terminal."""
    command = find(path)
    w = width()
    lines = [_usage(path, command), ""]
    for paragraph in command.help.split("\n\n"):
        lines += _wrap(paragraph, w, "  ")
        lines.append("")
    sections: dict[str, list[tuple[str, str]]] = {}
    if command.arguments:
        sections["Arguments"] = [(a.metavar + ("..." if a.many else ""), a.help) for a in command.arguments]
    for sub in command.commands.values():  # a group's commands come first: they are what it is for
        sections.setdefault(sub.panel, []).append((sub.name, sub.summary))
    commands = set(sections) - {"Arguments"}
    options = command.all_options()
    for opt in options:
        sections.setdefault(opt.panel, []).append((opt.term, opt.full_help()))
    # -h works before or after the command, as the global options do: it is listed with them, last.
    sections.setdefault(GLOBAL if GLOBAL in sections else "Options", []).append(HELP)
    # The commands' panels share one column, so that the list reads as one.
    names = min(max((len(name) for name in command.commands), default=0) + 4, 32)
    for title in sorted(sections, key=lambda t: 1 if t in commands else _PANEL_ORDER.get(t, 7)):
        lines.append(f"{title}:")
        lines += _definitions(sections[title], w, names if title in commands else 0)
        lines.append("")
    if any(opt.repeat in ("any", "all") and opt.kind != "flag" for opt in options) or (
        command is ROOT and any(o.repeat in ("any", "all") and o.kind != "flag" for _, c in walk() for o in c.options)
    ):
        lines += _wrap(REPEAT_HELP, w, "  ")
        lines.append("")
    if command is ROOT:
        lines += _wrap(EXIT_CODES_HELP, w, "  ")
        lines.append("")
    if command.examples:  # as typed, never wrapped: they are to be pasted
        lines.append("Examples:")
        lines += [f"  {e}" for e in command.examples]
        lines.append("")
    if command is ROOT:
        lines += _wrap("A command's options and examples: nichiro COMMAND --help (and man nichiro).", w, "  ")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
