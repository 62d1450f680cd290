"""`--help` of every command, rendered from the declaration in `options` (typer is not imported).

Both parsers print this text, and docs/cli.md is made of it (scripts/gen_cli_docs.py), so the
three cannot disagree.
"""

from __future__ import annotations

import os

from .options import EXAMPLES, EXIT_CODES_HELP, REPEAT_HELP, ROOT, Command, find, walk

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

MAX_WIDTH = 100
HELP = ("-h, --help", "Show this message and exit.")


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


def _definitions(rows: Sequence[tuple[str, str]], width: int) -> list[str]:
    """Two columns, as click lays them out: the term, then its help wrapped beside it."""
    column = min(max(len(term) for term, _ in rows) + 4, 32)
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
    options = command.all_options()
    for opt in options:
        sections.setdefault(opt.panel, []).append((opt.term, opt.full_help()))
    sections.setdefault("Options", []).append(HELP)
    for sub in command.commands.values():
        sections.setdefault(sub.panel, []).append((sub.name, sub.summary))
    order = ["Arguments", "Options"]
    for title in [*order, *(t for t in sections if t not in order)]:
        if sections.get(title):
            lines.append(f"{title}:")
            lines += _definitions(sections[title], w)
            lines.append("")
    if any(opt.repeat in ("any", "all") and opt.kind != "flag" for opt in options):
        lines += _wrap(REPEAT_HELP, w, "  ")
        lines.append("")
    if command is ROOT:
        lines.append("  Examples:")
        lines += [f"    {e}" for e in EXAMPLES]
        lines.append("")
        if any(o.repeat in ("any", "all") and o.kind != "flag" for _, c in walk() for o in c.options):
            lines += _wrap(REPEAT_HELP, w, "  ")
            lines.append("")
        lines += _wrap(EXIT_CODES_HELP, w, "  ")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
