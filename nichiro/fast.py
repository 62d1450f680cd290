"""The console script: the common command lines parsed without importing typer, the rest by typer.

Importing typer takes about as long as everything else in a cold run together (docs/performance.md),
so a command line made only of the options in `fastspec` (generated from the typer app) is parsed
here and handed to the same function in `commands` that typer would call. Anything else (--help,
--version, completion, an unknown or malformed option, a value that needs checking) goes to typer
untouched, so that its messages and exit codes stay the only ones. tests/test_fast.py runs every
CLI test through both paths.
"""

from __future__ import annotations

import os
import sys

from .fastspec import SPEC

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    Plan = tuple[str, dict[str, Any], dict[str, Any]]  # command, global options, command options


class _Declined(Exception):
    """This command line is typer's to parse."""


def parse(args: list[str]) -> Plan | None:
    """The command and its options, or None when the line should go to typer."""
    if "_NICHIRO_COMPLETE" in os.environ:
        return None
    try:
        root = dict(SPEC["root"]["defaults"])
        i = 0
        while i < len(args) and args[i].startswith("-"):
            i = _option(SPEC["root"]["options"], args, i, root)
        if i >= len(args) or args[i] not in SPEC["commands"]:
            return None
        name, command = args[i], SPEC["commands"][args[i]]
        kwargs = dict(command["defaults"])
        positional: list[str] = []
        i += 1
        while i < len(args):
            if args[i].startswith("-") and args[i] != "-":
                i = _option(command["options"], args, i, kwargs)
            else:
                positional.append(args[i])
                i += 1
        arguments = command["arguments"]
        if len(positional) > len(arguments):
            return None
        for spec, value in zip(arguments, positional, strict=False):
            kwargs[spec["dest"]] = _convert(spec, value)
        if any(spec["required"] for spec in arguments[len(positional) :]):
            return None
    except _Declined:
        return None
    return name, root, kwargs


def _option(options: dict[str, Any], args: list[str], i: int, out: dict[str, Any]) -> int:
    """Read the option at args[i] into out; the index of what follows it."""
    flag, eq, inline = args[i].partition("=")
    spec = options.get(flag)
    if spec is None or (eq and not flag.startswith("--")):
        raise _Declined
    if spec["kind"] == "flag":
        if eq:
            raise _Declined
        out[spec["dest"]] = spec["value"]
        return i + 1
    if eq:
        value, following = inline, i + 1
    else:
        if i + 1 >= len(args) or (args[i + 1].startswith("-") and args[i + 1] != "-"):
            raise _Declined  # a missing value, or one that looks like an option: typer decides
        value, following = args[i + 1], i + 2
    converted = _convert(spec, value)
    if spec.get("multiple"):
        out[spec["dest"]] = [*(out[spec["dest"]] or ()), converted]
    else:
        out[spec["dest"]] = converted
    return following


def _convert(spec: dict[str, Any], value: str) -> Any:
    kind = spec["kind"]
    if kind == "int":
        try:
            return int(value)
        except ValueError:
            raise _Declined from None
    if kind == "choice" and value not in spec["choices"]:
        raise _Declined
    if kind == "path":
        if (not spec["file_okay"] and os.path.isfile(value)) or (not spec["dir_okay"] and os.path.isdir(value)):
            raise _Declined
        return value  # a str: the commands take any path-like (pathlib costs more than a lookup)
    return value


def main(argv: list[str] | None = None) -> int:
    """Run a command line: by the fast path when it can, else by typer."""
    args = sys.argv[1:] if argv is None else list(argv)
    plan = parse(args)
    if plan is None:
        from .cli import main as full

        return full(args)
    name, root, kwargs = plan
    from . import commands

    def call() -> int:
        commands.configure(**root)
        getattr(commands, name)(**kwargs)
        return 0

    return commands.guarded(call)


def run() -> None:
    """The console script."""
    sys.exit(main())
