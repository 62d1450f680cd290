"""Docs that cannot drift: the CLI reference is generated from the app, and every command has help."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
import typer

from nichiro.cli import app

REPO = Path(__file__).resolve().parent.parent


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("gen_cli_docs", REPO / "scripts" / "gen_cli_docs.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_cli_reference_is_fresh() -> None:
    gen = _generator()
    committed = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    assert gen.render() == committed, "docs/cli.md is stale: run `python scripts/gen_cli_docs.py`"


def _commands():  # type: ignore[no-untyped-def]
    root = typer.main.get_command(app)
    out = []

    def walk(cmd, path):  # type: ignore[no-untyped-def]
        out.append(pytest.param(cmd, id=" ".join(path) or "nichiro"))
        for name, sub in getattr(cmd, "commands", {}).items():
            walk(sub, [*path, name])

    walk(root, [])
    return out


@pytest.mark.parametrize("command", _commands())
def test_every_command_and_option_has_help(command) -> None:  # type: ignore[no-untyped-def]
    assert (command.help or "").strip(), f"{command.name} has no help"
    for param in command.params:
        if param.param_type_name == "option":
            assert (param.help or "").strip(), f"{command.name} {param.opts} has no help"
        else:
            assert (getattr(param, "help", None) or "").strip(), f"{command.name} {param.name} has no help"


def test_docs_index_links_exist() -> None:
    index = (REPO / "docs" / "index.md").read_text(encoding="utf-8")
    import re

    links = re.findall(r"\]\(([^)#]+)\)", index)
    assert links, "docs/index.md links nothing"
    for link in links:
        if "://" not in link:
            assert (REPO / "docs" / link).resolve().exists(), f"docs/index.md links a missing page: {link}"


def test_every_exit_code_is_documented_where_they_are_listed() -> None:
    """The README's table, docs/index.md's and `--help` name every code of ExitCode, and no other."""
    import re

    from nichiro.errors import ExitCode
    from nichiro.options import EXIT_CODES_HELP

    codes = {int(c) for c in ExitCode}
    for page in (REPO / "README.md", REPO / "docs" / "index.md"):
        text = page.read_text(encoding="utf-8")
        table = text[text.index("## Exit codes") :]
        assert {int(c) for c in re.findall(r"^\| (\d+) \|", table, re.M)} == codes, page
    assert {int(c) for c in re.findall(r"(?:: |; )(\d+) ", EXIT_CODES_HELP)} == codes
