"""The README never lies: every command of its tour runs against the bundled facts and prints what it shows.

A block of the tour is a ```console block: `$ nichiro ...` lines are commands, the lines after each
are the first lines of its output (exactly, trailing spaces aside), as on a terminal 100 columns wide.
"""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest

from .conftest import needs_sources

README = Path(__file__).resolve().parent.parent / "README.md"


def tour() -> list[tuple[str, list[str]]]:
    text = README.read_text(encoding="utf-8")
    start, end = text.index("<!-- tour"), text.index("<!-- end tour -->")
    examples: list[tuple[str, list[str]]] = []
    for block in re.findall(r"```console\n(.*?)```", text[start:end], flags=re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                examples.append((line[2:], []))
            elif examples:
                examples[-1][1].append(line)
    return examples


def test_the_tour_has_examples() -> None:
    assert len(tour()) >= 5


@pytest.mark.parametrize(("command", "shown"), tour(), ids=[c for c, _ in tour()])
def test_readme_example(run, monkeypatch: pytest.MonkeyPatch, command: str, shown: list[str]) -> None:
    argv = shlex.split(command)
    assert argv[0] == "nichiro"
    lines = None
    if "|" in argv:  # only `| head -N` is allowed in the tour
        pipe = argv.index("|")
        assert argv[pipe + 1 :][:1] == ["head"], command
        lines = int(argv[pipe + 2].lstrip("-n").lstrip("-"))
        argv = argv[:pipe]
    else:
        monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    if "--context" in argv:  # needs the source texts, which a fresh clone has not
        monkeypatch.setenv("NICHIRO_SOURCES", str(needs_sources()))
    result = run(*argv[1:])
    assert result.code == 0, result.err
    # Styles (bold, dim) are dropped: the README shows the text a terminal prints.
    actual = [re.sub(r"\x1b\[[0-9;]*m", "", line).rstrip() for line in result.out.splitlines()]
    if lines is not None:
        actual = actual[:lines]
    assert actual[: len(shown)] == [line.rstrip() for line in shown]
