"""The fast path: built from the same declaration as typer's app, reading every line alike, and really taken.

Every CLI test already runs through both typer and the fast path (the `run` fixture); these tests
make sure that the two parsers give a command the same values, that the fast path is not silently
declining everything, and that the declaration and the commands agree.
"""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from nichiro import cli, commands, fast
from nichiro.options import GLOBAL_OPTIONS, walk

REPO = Path(__file__).resolve().parent.parent
DECLARATION = "1956-10-19-soviet-japanese-joint-declaration"


@pytest.mark.parametrize("path", [p for p, c in walk() if p and not c.commands], ids=" ".join)
def test_each_declared_command_has_its_function(path: tuple[str, ...]) -> None:
    from nichiro.options import find

    function = getattr(commands, find(path).call)
    assert list(inspect.signature(function).parameters) == ["args"]


def test_global_options_match_configure() -> None:
    assert set(inspect.signature(commands.configure).parameters) == {o.dest for o in GLOBAL_OPTIONS}


def _parsed(main: Any, line: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[str, dict[str, Any]] | int:
    """What a parser hands to commands.run for a line (or its exit code, when it refuses the line)."""
    seen: list[tuple[str, dict[str, Any]]] = []
    monkeypatch.setattr(commands, "run", lambda command, args: seen.append((command.call, args.values())) or 0)
    code = main(line)
    return seen[0] if seen else code


@pytest.mark.parametrize(
    "line",
    [
        "meetings",
        "meetings --year 2016 --format table",
        "meetings --year=2016 -f csv --fields id,date --json",
        "meetings --person Abe --place Vladivostok --kind summit",
        "--no-cache --facts a --facts b timeline --from 1991 --to 1999 --facts c --no-color",
        "timeline --category meeting --facts-only --facts a",
        "search Abe Putin 2016 --limit 3",
        "search Shikotan --json --category treaty",
        "show 1956-10-19-soviet-japanese-joint-declaration --json",
        "stats --by year --year 2016",
        "trade --chart --measure total",
        "exchanges --program visa-free",
        "people --country japan -f tsv",
        "places --country disputed",
        "sources --fields id",
        "terms",
        "schema",
        "schema facts",
        "check --sources /nonexistent-dir",
        "export json - --force",
        "export sqlite out.db",
        "meetings --format csv --format json",  # a usage error, read the same way
        "meetings --json --json",
        # An option whose value is optional: a number after it is its value, anything else is not.
        f"show {DECLARATION} --context",
        f"show {DECLARATION} --context 2",
        f"show {DECLARATION} --context=0",
        f"show --context 2 {DECLARATION}",  # 2 sentences, of the fact DECLARATION
        f"show --context {DECLARATION}",  # the id is not a number: --context 1
        f"show --context --json {DECLARATION} --context",  # given twice: a usage error
        f"show {DECLARATION} --context -1",  # taken, and refused by the command (not 0 or more)
        f"show {DECLARATION} --context=abc",  # a usage error
        f"show {DECLARATION} --context abc",  # abc is an extra argument
        "show --context 2",  # no id
    ],
)
def test_both_parsers_read_each_line_alike(line: str, monkeypatch: pytest.MonkeyPatch) -> None:
    args = line.split()
    via_typer = _parsed(cli.main, args, monkeypatch)
    assert _parsed(fast.main, args, monkeypatch) == via_typer
    if isinstance(via_typer, tuple):
        assert fast.parse(args) is not None, "the fast path declines a line typer takes"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("search Shikotan --json", ("search", {"query": "Shikotan", "as_json": True, "limit": 20, "fmt": "auto"})),
        ("search Abe Putin", ("search", {"query": "Abe Putin"})),  # words without quotes
        ("meetings --year 2016 --format table", ("meetings", {"year": (2016,), "fmt": "table", "kind": ()})),
        ("meetings --no-color --facts d", ("meetings", {})),  # global options after the command
        (
            "meetings --year=2016 -f csv --fields id,date",
            ("meetings", {"year": (2016,), "fmt": "csv", "fields": "id,date"}),
        ),
        (
            "show 1956-10-19-soviet-japanese-joint-declaration",
            ("show", {"fact_id": "1956-10-19-soviet-japanese-joint-declaration"}),
        ),
        (
            "--no-cache --facts a --facts b timeline --from 1991 --to 1999",
            ("timeline", {"date_from": "1991", "date_to": "1999"}),
        ),
        ("stats --by year", ("stats", {"by": "year"})),
        (f"show {DECLARATION}", ("show", {"fact_id": DECLARATION, "context": None})),
        (f"show {DECLARATION} --context", ("show", {"fact_id": DECLARATION, "context": 1})),
        (f"show {DECLARATION} --context 2", ("show", {"fact_id": DECLARATION, "context": 2})),
        (f"show {DECLARATION} --context=0", ("show", {"fact_id": DECLARATION, "context": 0})),
        (f"show --context 2 {DECLARATION}", ("show", {"fact_id": DECLARATION, "context": 2})),
        (f"show --context {DECLARATION} --json", ("show", {"fact_id": DECLARATION, "context": 1, "as_json": True})),
        (f"show {DECLARATION} --context=x", None),  # typer says what is wrong
        ("trade --chart", ("trade", {"chart": True})),
        ("search -- x", None),  # `--` is typer's
        ("search", None),  # a missing argument: typer's message
        ("show a b", None),  # one argument too many
        ("meetings --help", None),
        ("--version", None),
        ("meetings --year abc", None),  # typer says what is wrong
        ("meetings --year -5", None),
        ("meetings --format JSON", None),  # typer's case-insensitive choice
        ("meetings --json=yes", None),
        ("meetings --bogus", None),
        ("export json -", ("export json", {"file": "-", "force": False})),
        ("export", None),  # a group without its command: typer prints the help
        ("nonsense", None),
        ("", None),
    ],
)
def test_what_the_fast_path_takes(line: str, expected: tuple[str, dict[str, object]] | None) -> None:
    plan = fast.parse(line.split())
    if expected is None:
        assert plan is None
        return
    assert plan is not None
    name, root, kwargs = plan
    assert name == expected[0]
    assert {k: kwargs[k] for k in expected[1]} == expected[1]
    if "--facts a" in line:
        assert [str(p) for p in root["facts"]] == ["a", "b"] and root["no_cache"] is True
    if "--no-color" in line:
        assert root["no_color"] is True and root["facts"] == ("d",)


def test_optional_values_are_spelled_out_for_typer() -> None:
    """Typer's parser has no optional value: cli hands it `--context` written out, by the fast path's rule."""
    from nichiro.options import find, spell_out

    show = find(["show"])
    assert spell_out(show, [DECLARATION, "--context"]) == [DECLARATION, "--context=1"]
    assert spell_out(show, ["--context", "2", DECLARATION]) == ["--context=2", DECLARATION]
    assert spell_out(show, ["--context", DECLARATION, "--json"]) == ["--context=1", DECLARATION, "--json"]
    assert spell_out(show, ["--context", "-1"]) == ["--context=-1"]
    assert spell_out(show, ["--context=x", "3"]) == ["--context=x", "3"]  # given with =: as typed
    # Another option's value is not an option, as click reads it; nor is anything after `--`.
    assert spell_out(show, ["--sources", "--context", "2"]) == ["--sources", "--context", "2"]
    assert spell_out(show, ["--", "--context"]) == ["--", "--context"]
    assert spell_out(find(["meetings"]), ["--year", "2016"]) == ["--year", "2016"]


def test_completion_requests_go_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_NICHIRO_COMPLETE", "complete_bash")
    assert fast.parse(["show", "x"]) is None


# What each common line must not import: typer on all of them; and what only some runs need
# (rich draws, rapidfuzz corrects typos; dataclasses and pathlib cost more than a whole lookup;
# the stemmer is loaded only for a word the facts do not have, `array` only to build the store;
# datetime, whose module body is Python, only for the dates of a filter: the store talks to
# SQLite's C module, not to the `sqlite3` package that imports datetime).
HEAVY = (
    "typer",
    "rich",
    "rapidfuzz",
    "dataclasses",
    "pathlib",
    "tomli",
    "citeproc",
    "lxml",
    "Stemmer",
    "array",
    "datetime",
    "sqlite3",
)


def _imported(argv: list[str], tmp_path: Path) -> set[str]:
    """The modules a run of this line imports beyond the interpreter's own start, in a process of its own
    on the store an earlier run built: what nichiro's modules import at their top counts as much as
    what a command imports when it runs."""
    env = {"NICHIRO_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "COLUMNS": "100"}
    build = "import sys\nfrom nichiro import fast\nsys.exit(fast.main(sys.argv[1:]))"
    r = subprocess.run([sys.executable, "-c", build, *argv], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.returncode in (0, 1), r.stderr
    code = "\n".join(
        [
            "import sys",
            "start = set(sys.modules)",
            "from nichiro import fast",
            "rc = fast.main(sys.argv[1:])  # the run that matters: the store is warm",
            "sys.stderr.write('imported: ' + ' '.join(sorted(set(sys.modules) - start)))",
            "sys.exit(rc)",
        ]
    )
    r = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.returncode in (0, 1), r.stderr
    return set(r.stderr.rpartition("imported: ")[2].split())


@pytest.mark.parametrize(
    ("argv", "allowed"),
    [
        (["search", "Shikotan", "--json"], ()),
        (
            ["meetings", "--year", "2016", "--format", "table"],
            ("rich", "datetime"),
        ),  # rich.cells measures; its console is not needed
        (["timeline", "--year", "2016", "--json"], ("datetime",)),
        (["show", "1956-10-19-soviet-japanese-joint-declaration", "--json"], ()),
        (["show", "nope"], ("rapidfuzz", "array")),  # "did you mean" (rapidfuzz imports array)
        (["meetings", "--help"], ()),
        # The CSL processor (citeproc, lxml) for the text styles alone; BibTeX, RIS and CSL-JSON need no library.
        (["cite", "1956-10-19-soviet-japanese-joint-declaration", "--style", "bibtex"], ()),
        (["cite", "1956-10-19-soviet-japanese-joint-declaration", "--style", "csl-json"], ()),
        (["cite", "1956-10-19-soviet-japanese-joint-declaration"], ("citeproc", "lxml", "pathlib")),  # nichiro.csl
        (["--version"], ()),
        (["--facts-only", "--facts", str(REPO / "tests" / "fixtures" / "good"), "search", "Putin", "--json"], ()),
    ],
)
def test_common_commands_import_only_what_they_need(argv: list[str], allowed: tuple[str, ...], tmp_path: Path) -> None:
    imported = {m.split(".")[0] for m in _imported(argv, tmp_path)}
    assert imported & set(HEAVY) <= set(allowed)


@pytest.fixture(scope="module")
def re_modules() -> set[str]:
    """What `import re` imports (enum, functools, collections, ...), in this Python: every lookup needs re."""
    code = "import sys\nstart = set(sys.modules)\nimport re\nprint(' '.join(set(sys.modules) - start))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return {m.split(".")[0] for m in out.split()}


# Every package the timed lines of benchmarks/coldstart.py import, other than nichiro's own: a module
# imported at start-up costs each run of the line (a few hundred thousand instructions for a small
# one, millions for datetime or json), so one more fails this test. Import it where it is needed, or
# add it here with what it costs the line (docs/performance.md). "re" stands for re and what it imports.
@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["search", "Shikotan", "--json"], {"re", "math", "zlib", "_sqlite3", "_json"}),
        (["show", DECLARATION, "--json"], {"re", "zlib", "_sqlite3", "_json"}),
        (
            ["timeline", "--year", "2016", "--json"],
            {"re", "math", "zlib", "_sqlite3", "_json", "datetime", "_datetime"},
        ),
        (["--help"], {"re"}),
        (["--version"], set()),
    ],
)
def test_the_timed_lines_import_nothing_more(
    argv: list[str], expected: set[str], tmp_path: Path, re_modules: set[str]
) -> None:
    allowed = expected | (re_modules if "re" in expected else set()) | {"nichiro", "__future__"}
    imported = {m.split(".")[0] for m in _imported(argv, tmp_path)}
    assert imported <= allowed, f"{' '.join(argv)} imports {sorted(imported - allowed)}"
