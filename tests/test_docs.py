"""Docs that cannot drift: the CLI reference is generated from the app, and every command has help."""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

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


# --------------------------------------------------------------------------- the examples of --help


def _help_examples() -> list[Any]:
    from nichiro.options import walk

    return [pytest.param(path, line, id=line) for path, command in walk() for line in command.examples]


@pytest.fixture(scope="module")
def _example_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("examples-cache")  # one store for all the examples: built once


def test_every_command_has_examples() -> None:
    from nichiro.options import walk

    assert [" ".join(p) for p, c in walk() if p and not c.commands and not c.examples] == []


@pytest.mark.parametrize(("path", "line"), _help_examples())
def test_every_example_of_the_help_runs_as_pasted(
    path: tuple[str, ...], line: str, tmp_path: Path, _example_cache: Path
) -> None:
    """Each example line of every --help, run by bash as a user pastes it (the installed nichiro on PATH,
    a home and a directory of its own): it exits 0, says no error, and prints or writes something."""
    assert " ".join(["nichiro", *path]) in line, "an example of another command"
    assert len(f"  {line}") <= 78, "an example must fit --help 80 columns wide (78, as click's margin), unwrapped"
    if path == ("serve",):
        pytest.skip("serve serves until Ctrl-C: tests/test_web.py starts it and browses it")
    if "| jq " in line and shutil.which("jq") is None:
        if os.environ.get("CI"):
            pytest.fail("CI must have jq for the examples that pipe JSON to it")
        pytest.skip("jq is not installed")
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("NICHIRO_") and k not in ("COLUMNS", "LINES")}
    env.update(
        PATH=f"{Path(sys.executable).parent}:/usr/bin:/bin", HOME=str(home), NICHIRO_CACHE_DIR=str(_example_cache)
    )
    r = subprocess.run(
        ["bash", "-o", "pipefail", "-c", line],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert "error" not in r.stderr, r.stderr
    target = re.search(r"> (\S+)$", line)
    if target:  # written to a file: the file has it
        written = Path(target.group(1).replace("~", str(home), 1))
        assert (written if written.is_absolute() else tmp_path / written).stat().st_size > 0
    elif not line.startswith("source "):  # (loading completion prints nothing: bash has it now)
        assert r.stdout.strip() or r.stderr.strip(), "the example printed nothing"
