"""The `nichiro` command line as typer's app, built from the declaration in `options`.

The only user of typer. Every command of `options.COMMANDS` becomes a typer command whose
parameters are the declared options (every option that takes a value is collected as a list, so
that `options.finish` sees a repetition, as it does on the fast path); it hands them to
`commands.run`, and errors become exit codes in `commands.guarded`. `--help` prints the text of
`helptext`, rendered from the same declaration. Completion of option values is typer's.
"""

from __future__ import annotations

import errno
import inspect
import sys
from collections.abc import Callable, Sequence
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
import typer.core

from . import __version__, commands
from .errors import ExitCode, NichiroError
from .options import (
    COMMANDS,
    FORMATS,
    GLOBAL_OPTIONS,
    ROOT,
    VERSION,
    Argument,
    Command,
    Option,
    find,
    finish,
    see_help,
    spell_out,
)

Format = Enum("Format", {value: value for value in FORMATS}, type=str)  # type: ignore[misc]


def _help_for(ctx: Any) -> str:
    from .helptext import render

    return render(ctx.command_path.split()[1:])


def _in_context(parse: Callable[[], list[str]], ctx: Any) -> list[str]:
    """Parse, and let a usage error know the command it was found in: click's parser raises
    "requires an argument" and "does not take a value" without one, which sent the user to the
    help of nichiro rather than of the command."""
    try:
        return parse()
    except typer.TyperException as exc:
        if getattr(exc, "ctx", None) is None:
            exc.ctx = ctx  # type: ignore[attr-defined]
        raise


class _Command(typer.core.TyperCommand):
    def get_help(self, ctx: Any) -> str:
        return _help_for(ctx).rstrip("\n")

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        # An option whose value is optional (show --context [N]) is spelled out for click, which has none.
        spelled = spell_out(find(ctx.command_path.split()[1:]), args)
        return _in_context(lambda: super(_Command, self).parse_args(ctx, spelled), ctx)


class _Group(typer.core.TyperGroup):
    def get_help(self, ctx: Any) -> str:
        return _help_for(ctx).rstrip("\n")

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        return _in_context(lambda: super(_Group, self).parse_args(ctx, args), ctx)


# --------------------------------------------------------------------------- completion


def _complete_id(incomplete: str) -> list[str]:
    try:
        return [i for i in commands.load_store().fact_ids() if i.startswith(incomplete)]
    except NichiroError:
        return []


def _complete_registry(kind: str) -> Callable[[str], list[str]]:
    def complete(incomplete: str) -> list[str]:
        try:
            return [i for i in commands.load_store().registry(kind) if i.startswith(incomplete)]
        except NichiroError:
            return []

    return complete


# How the values of an option or argument are completed, by the name its declaration gives.
_COMPLETERS: dict[str, Callable[[str], list[str]]] = {
    "fact_id": _complete_id,
    "person": _complete_registry("person"),
    "place": _complete_registry("place"),
    "source": _complete_registry("source"),
}


def _completer(spec: Option | Argument) -> Callable[[str], list[str]] | None:
    values = getattr(spec, "values", ())
    if values:
        return lambda incomplete: [v for v in values if v.startswith(incomplete)]
    return _COMPLETERS.get(spec.complete or "")


# --------------------------------------------------------------------------- the declaration as typer parameters


def _option(opt: Option) -> tuple[Any, Any]:
    """The annotation and default of a declared option, as typer reads a function's parameter."""
    extra: dict[str, Any] = {"help": opt.full_help(), "rich_help_panel": opt.panel}
    if opt.kind == "flag":
        return Annotated[bool, typer.Option(*opt.flags, **extra)], False
    base: Any = str
    if opt.kind == "int":
        base = int
    elif opt.kind == "path":
        base = Path
        # readable=False: whether a path can be read is for the command to say, as on the fast path
        # (an unreadable --facts directory is an invalid fact base, exit 3, not a usage error).
        extra.update(file_okay=opt.file_okay, dir_okay=opt.dir_okay, readable=False)
    elif opt.kind == "choice":
        base = Format if opt.choices == FORMATS else Enum(opt.dest, {c: c for c in opt.choices}, type=str)  # type: ignore[misc]
        extra["case_sensitive"] = False
    completer = _completer(opt)
    if completer is not None:
        extra["autocompletion"] = completer
    return Annotated[Optional[list[base]], typer.Option(*opt.flags, metavar=opt.metavar, **extra)], None


def _argument(arg: Argument) -> tuple[Any, Any]:
    base: Any = Path if arg.kind == "path" else str
    extra: dict[str, Any] = {"metavar": arg.metavar, "help": arg.help}
    if arg.kind == "path":
        extra["readable"] = False
    completer = _completer(arg)
    if completer is not None:
        extra["autocompletion"] = completer
    if arg.many:
        base = list[base]  # type: ignore[valid-type]
    default = inspect.Parameter.empty if arg.required else arg.default
    return Annotated[base, typer.Argument(**extra)], default


def _plain(value: Any) -> Any:
    """A value as the fast path gives it: an enum's value, a path as a str, lists as lists."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _function(
    name: str,
    specs: Sequence[Option | Argument],
    run: Callable[[dict[str, list[Any]]], Any],
    first: Sequence[inspect.Parameter] = (),
) -> Any:
    """A function typer can read: one keyword parameter per declared option or argument (after `first`).

    It hands `run` every value given, by dest, as lists: what the fast path collects too.
    """
    params = list(first)
    for spec in specs:
        annotation, default = _argument(spec) if isinstance(spec, Argument) else _option(spec)
        params.append(
            inspect.Parameter(spec.dest, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)
        )

    def callback(**values: Any) -> Any:
        given: dict[str, list[Any]] = {}
        for spec in specs:
            value = _plain(values.get(spec.dest))
            if value is not None and value is not False:
                given[spec.dest] = value if isinstance(value, list) else [value]
        return run(given)

    callback.__name__ = name
    callback.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    callback.__annotations__ = {p.name: p.annotation for p in params}
    return callback


_root_given: dict[str, list[Any]] = {}  # the global options given before the command


def _leaf(command: Command) -> Any:
    def run(given: dict[str, list[Any]]) -> int:
        merged = {dest: [*values, *given.get(dest, [])] for dest, values in _root_given.items()}
        merged.update((dest, values) for dest, values in given.items() if dest not in merged)
        return commands.run(command, finish(command, merged))

    return _function(command.call, [*command.arguments, *command.all_options()], run)


def _version(value: bool) -> None:
    if value:
        sys.stdout.write(f"nichiro {__version__}\n")
        raise typer.Exit(0)


def _root() -> Any:
    def run(given: dict[str, list[Any]]) -> None:
        _root_given.update(given)

    info = typer.Option(*VERSION.flags, callback=_version, is_eager=True, help=VERSION.help)
    version = inspect.Parameter(
        "version", inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[bool, info], default=False
    )
    return _function("nichiro", GLOBAL_OPTIONS, run, first=[version])


def _typer(command: Command, root: bool = False) -> typer.Typer:
    app = typer.Typer(
        name=command.name,
        cls=_Group,
        help=command.summary,
        no_args_is_help=True,
        add_completion=False,  # `nichiro completion SHELL` prints the scripts (nichiro/completion.py)
        rich_markup_mode=None,
        pretty_exceptions_enable=False,
        context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    )
    if root:
        app.callback()(_root())
    for sub in command.commands.values():
        if sub.commands:
            app.add_typer(_typer(sub), name=sub.name, rich_help_panel=sub.panel)
        else:
            app.command(sub.name, cls=_Command, help=sub.help, rich_help_panel=sub.panel)(_leaf(sub))
    return app


app = _typer(ROOT, root=True)
assert set(COMMANDS) == {c.name for c in ROOT.commands.values()}


# --------------------------------------------------------------------------- entry point


def main(argv: list[str] | None = None) -> int:
    """Run the CLI through typer; every error ends as one line on stderr and an exit code."""
    return commands.guarded(lambda: _parse_and_run(argv))


def _parse_and_run(argv: list[str] | None) -> int:
    command = typer.main.get_command(app)
    _root_given.clear()
    stdout, stderr = sys.stdout, sys.stderr
    try:
        result = command.main(args=argv, prog_name="nichiro", standalone_mode=False)
        return result if isinstance(result, int) else ExitCode.OK
    except SystemExit:
        if sys.stdout is not stdout:  # typer met a broken pipe: it wrapped stdout and exits 1; guarded decides
            sys.stdout, sys.stderr = stdout, stderr
            raise BrokenPipeError(errno.EPIPE, "Broken pipe") from None
        raise
    except typer.Abort:
        return commands.fail("aborted", ExitCode.USAGE)
    except typer.TyperException as exc:  # the parser's usage errors
        ctx = getattr(exc, "ctx", None)
        if type(exc).__name__ == "NoArgsIsHelpError" and ctx is not None:
            sys.stdout.write(ctx.get_help() + "\n")  # a bare `nichiro`: the guide, not an error
            return ExitCode.OK
        path = getattr(ctx, "command_path", "nichiro").split()[1:]
        return commands.fail(f"{_usage_message(exc)} {see_help(path)}", getattr(exc, "exit_code", ExitCode.USAGE))


def _usage_message(exc: typer.TyperException) -> str:
    """Click's message for a usage error, on one line, without a full stop before the help it points at."""
    possibilities = getattr(exc, "possibilities", None)
    if possibilities:  # click lists every option near a misspelt one: name the nearest, as typer does a command
        message = f"{getattr(exc, 'message', exc)}. Did you mean '{possibilities[0]}'?"
    else:
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    return " ".join(message.split()).rstrip(".")
