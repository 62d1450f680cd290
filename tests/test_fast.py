"""The fast path: generated from the typer app, agreeing with the commands, and really taken.

Every CLI test already runs through both typer and the fast path (the `run` fixture); these tests
make sure the fast path is not silently declining everything, and that its table is fresh.
"""

from __future__ import annotations

import importlib.util
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from nichiro import commands, fast
from nichiro.fastspec import SPEC

REPO = Path(__file__).resolve().parent.parent


def test_spec_is_fresh() -> None:
    spec = importlib.util.spec_from_file_location("gen_fastspec", REPO / "scripts" / "gen_fastspec.py")
    assert spec and spec.loader
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    committed = (REPO / "nichiro" / "fastspec.py").read_text(encoding="utf-8")
    assert gen.render() == committed, "nichiro/fastspec.py is stale: run `python scripts/gen_fastspec.py`"


@pytest.mark.parametrize("name", sorted(SPEC["commands"]))
def test_each_command_takes_what_typer_passes(name: str) -> None:
    params = inspect.signature(getattr(commands, name)).parameters
    assert set(params) == set(SPEC["commands"][name]["defaults"])


def test_global_options_match_configure() -> None:
    assert set(inspect.signature(commands.configure).parameters) == set(SPEC["root"]["defaults"])


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("search Shikotan --json", ("search", {"query": "Shikotan", "as_json": True, "limit": 20, "fmt": "auto"})),
        ("meetings --year 2016 --format table", ("meetings", {"year": 2016, "fmt": "table", "kind": None})),
        (
            "meetings --year=2016 -f csv --fields id,date",
            ("meetings", {"year": 2016, "fmt": "csv", "fields": "id,date"}),
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
        ("trade --chart", ("trade", {"chart": True})),
        ("search -- x", None),  # `--` is typer's
        ("search", None),  # a missing argument: typer's message
        ("search a b", None),  # one argument too many
        ("meetings --help", None),
        ("--version", None),
        ("meetings --year abc", None),  # typer says what is wrong
        ("meetings --year -5", None),
        ("meetings --format JSON", None),  # typer's case-insensitive choice
        ("meetings --json=yes", None),
        ("meetings --bogus", None),
        ("export json -", None),  # groups go through typer
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
    if "--facts" in line:
        assert [str(p) for p in root["facts"]] == ["a", "b"] and root["no_cache"] is True


def test_completion_requests_go_to_typer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("_NICHIRO_COMPLETE", "complete_bash")
    assert fast.parse(["show", "x"]) is None


# What each common line must not import: typer on all of them; and what only some runs need
# (rich draws, rapidfuzz corrects typos; dataclasses and pathlib cost more than a whole lookup).
HEAVY = ("typer", "rich", "rapidfuzz", "dataclasses", "pathlib", "tomli")


@pytest.mark.parametrize(
    ("argv", "allowed"),
    [
        (["search", "Shikotan", "--json"], ()),
        (["meetings", "--year", "2016", "--format", "table"], ("rich", "dataclasses")),  # rich uses them
        (["timeline", "--year", "2016", "--json"], ()),
        (["show", "1956-10-19-soviet-japanese-joint-declaration", "--json"], ()),
        (["show", "nope"], ("rapidfuzz",)),  # "did you mean"
        (["--facts-only", "--facts", str(REPO / "tests" / "fixtures" / "good"), "search", "Putin", "--json"], ()),
    ],
)
def test_common_commands_import_only_what_they_need(argv: list[str], allowed: tuple[str, ...], tmp_path: Path) -> None:
    code = "\n".join(
        [
            "import sys",
            "from nichiro import fast",
            "fast.main(sys.argv[1:])  # builds the store",
            f"for m in [m for m in sys.modules if m.split('.')[0] in {HEAVY!r}]: del sys.modules[m]",
            "rc = fast.main(sys.argv[1:])  # the run that matters: the store is warm",
            "sys.stderr.write('imported: ' + ' '.join(sorted({m.split('.')[0] for m in sys.modules})))",
            "sys.exit(rc)",
        ]
    )
    env = {"NICHIRO_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "COLUMNS": "100"}
    r = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True, env=env, cwd=tmp_path)
    assert r.returncode in (0, 1), r.stderr
    imported = set(r.stderr.rpartition("imported: ")[2].split())
    assert imported & set(HEAVY) <= set(allowed)
