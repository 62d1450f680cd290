"""The console script: command lines parsed from the declaration in `options`, without importing typer.

Importing typer takes about as long as everything else in a cold run together (docs/performance.md),
so every well-formed command line is parsed here, from the same declaration typer's app is built
from, and handed to the same `commands.run`. `--version` and `--help` are answered here too. A line
this parser cannot read (an unknown option, a malformed value, `--`, a completion request) goes to
typer untouched, so that its messages and exit codes stay the only ones. tests/test_fast.py runs
every CLI test through both paths and checks that both read each line alike.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .options import Command, Option

    Plan = tuple[str, dict[str, Any], dict[str, Any]]  # command path, global options, the command's own


class _Declined(Exception):
    """This command line is typer's to parse."""


class _Help(Exception):
    """-h or --help: the help of the command named so far."""

    def __init__(self, path: list[str]) -> None:
        self.path = path


def _read(args: list[str]) -> tuple[list[str], Command, dict[str, list[Any]]]:
    """The command path, the command, and every value given for each dest (in order)."""
    from .options import ROOT

    command: Command = ROOT
    path: list[str] = []
    given: dict[str, list[Any]] = {}
    table = _table(command)
    positional: list[str] = []
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-h", "--help"):
            raise _Help(path)
        if arg == "--":
            raise _Declined
        if arg.startswith("-") and arg != "-":
            i = _option(table, args, i, given)
        elif command.commands and not positional:
            if arg not in command.commands:
                raise _Declined  # typer says "No such command"
            command = command.commands[arg]
            path.append(arg)
            table = _table(command)
            i += 1
        else:
            positional.append(arg)
            i += 1
    if command.commands:
        raise _Declined  # a group without its command: typer prints the help
    arguments = command.arguments
    if len(positional) > len(arguments) and not (arguments and arguments[-1].many):
        raise _Declined
    for n, spec in enumerate(arguments):
        taken = positional[n:] if spec.many else positional[n : n + 1]
        if not taken and spec.required:
            raise _Declined  # typer names the missing argument
        given[spec.dest] = [_convert(spec.kind, value) for value in taken]
    return path, command, given


def _table(command: Command) -> dict[str, Option]:
    return {flag: opt for opt in command.all_options() for flag in opt.flags}


def _option(table: dict[str, Option], args: list[str], i: int, given: dict[str, list[Any]]) -> int:
    """Read the option at args[i] into given; the index of what follows it."""
    flag, eq, inline = args[i].partition("=")
    opt = table.get(flag)
    if opt is None or opt.typer_only or (eq and not flag.startswith("--")):
        raise _Declined
    if opt.kind == "flag":
        if eq:
            raise _Declined
        given.setdefault(opt.dest, []).append(True)
        return i + 1
    if eq:
        value, following = inline, i + 1
    elif opt.bare is not None:  # its value is optional: the next word only if it is one (Option.takes)
        if i + 1 < len(args) and opt.takes(args[i + 1]):
            value, following = args[i + 1], i + 2
        else:
            value, following = str(opt.bare), i + 1
    else:
        if i + 1 >= len(args) or (args[i + 1].startswith("-") and args[i + 1] != "-"):
            raise _Declined  # a missing value, or one that looks like an option: typer decides
        value, following = args[i + 1], i + 2
    if opt.kind == "choice" and value not in opt.choices:
        raise _Declined  # typer's choices forgive case, and say what is wrong
    if opt.kind == "path" and (
        (not opt.file_okay and os.path.isfile(value)) or (not opt.dir_okay and os.path.isdir(value))
    ):
        raise _Declined
    given.setdefault(opt.dest, []).append(_convert(opt.kind, value))
    return following


def _convert(kind: str, value: str) -> Any:
    if kind == "int":
        try:
            return int(value)
        except ValueError:
            raise _Declined from None
    return value  # a path stays a str: the commands take any path-like (pathlib costs more than a lookup)


def parse(args: list[str]) -> Plan | None:
    """The command and its values (global options apart), or None when typer should read the line.

    Raises UsageError when the line is well formed but its values are not (an option given twice
    that may be given once), exactly as the typer path does.
    """
    if "_NICHIRO_COMPLETE" in os.environ:
        return None
    try:
        path, command, given = _read(args)
    except (_Declined, _Help):
        return None
    from .options import GLOBAL_OPTIONS, finish

    values = finish(command, given).values()
    root = {opt.dest: values.pop(opt.dest) for opt in GLOBAL_OPTIONS}
    return " ".join(path), root, values


def main(argv: list[str] | None = None) -> int:
    """Run a command line: by the fast path when it can, else by typer."""
    args = sys.argv[1:] if argv is None else list(argv)
    if args[:1] == ["--version"]:  # first, and before importing anything
        from . import __version__

        sys.stdout.write(f"nichiro {__version__}\n")
        return 0
    if os.environ.get("_NICHIRO_COMPLETE") in ("bash", "zsh", "fish"):  # the scripts of `nichiro completion`
        from .completion import respond

        return respond(os.environ["_NICHIRO_COMPLETE"], args)
    if "_NICHIRO_COMPLETE" in os.environ:  # typer's own protocol (a script its installer wrote)
        return _typer(args)
    from . import commands

    try:
        _, command, given = _read(args)
    except _Help as asked:
        wanted = asked.path
        return commands.guarded(lambda: _help(wanted))
    except _Declined:
        if not args:  # a bare `nichiro`: the guide, not an error
            return commands.guarded(lambda: _help([]))
        return _typer(args)
    from .options import finish

    return commands.guarded(lambda: commands.run(command, finish(command, given)))


def _typer(args: list[str]) -> int:
    from .cli import main as full

    return full(args)


def _help(path: list[str]) -> int:
    from .helptext import render

    return _write(render(path))


def _write(text: str) -> int:
    sys.stdout.write(text)
    return 0


def run() -> None:
    """The console script."""
    sys.exit(main())
