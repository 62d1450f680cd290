"""No traceback, whatever the input: every bad input is one line on stderr and a documented exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nichiro.errors import ExitCode

from .conftest import GOOD, needs_unprivileged

F = ("--facts-only", "--facts", str(GOOD))
CODES = {int(c) for c in ExitCode} - {int(ExitCode.INTERNAL)}  # 70 is a bug, never acceptable


def assert_clean(r, codes=CODES) -> None:  # type: ignore[no-untyped-def]
    assert r.code in codes, r
    assert "Traceback" not in r.err and "Traceback" not in r.out
    if r.code not in (0,):
        assert r.err.count("\n") <= 1 or r.err.startswith("No ")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.text(min_size=0, max_size=80))
def test_any_query(run, query: str) -> None:
    r = run(*F, "search", query, "--json")
    assert_clean(r, {0, 1, 2})


@pytest.mark.parametrize(
    "query",
    ["x" * 10_000, "\x00\x07\x1b[31m", "[bold]Abe[/]", "[/]", "   ", "'; drop table facts; --", "🇯🇵🇷🇺", "%s%n{0}"],
)
def test_awkward_queries(run, query: str) -> None:
    r = run(*F, "search", query)
    assert_clean(r, {0, 1, 2})


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(max_size=20))
def test_any_date_option(run, value: str) -> None:
    for option in ("--from", "--to"):
        r = run(*F, "timeline", option, value, "--json")
        assert_clean(r, {0, 2})
        if r.code == 2:
            assert option in r.err


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(year=st.integers(min_value=-(10**12), max_value=10**12))
def test_any_year(run, year: int) -> None:
    r = run(*F, "meetings", "--year", str(year), "--json")
    assert_clean(r, {0, 2})
    assert (r.code == 0) == (1 <= year <= 9999)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8")))
def test_any_fact_file(run, tmp_path_factory: pytest.TempPathFactory, content: bytes) -> None:
    directory = tmp_path_factory.mktemp("facts")
    (directory / "x.toml").write_bytes(content)
    r = run("--facts-only", "--facts", str(directory), "check")
    assert_clean(r, {0, 3})
    r = run("--facts-only", "--facts", str(directory), "timeline")
    assert_clean(r, {0, 3})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    key=st.sampled_from(["date", "title", "count", "kind", "participants", "sources", "figures", "tags", "id"]),
    value=st.sampled_from(
        ['"2016-02-30"', "5", "true", "[]", "[1, 2]", '""', "{ a = 1 }", '"x"', "1979-05-27T07:32:00Z"]
    ),
)
def test_wrong_types_in_a_record(run, tmp_path_factory: pytest.TempPathFactory, key: str, value: str) -> None:
    directory = tmp_path_factory.mktemp("facts")
    text = (GOOD / "base.toml").read_text(encoding="utf-8")
    text += '\n[[exchange]]\nid = "2015-x"\ndate = "2015"\ntitle = "T"\nsummary = "S."\nprogram = "visa-free"\n'
    text += (
        'direction = "both"\nqualifier = "exactly"\nscope = "annual"\nsources = [{ source = "src-a", quote = "q" }]\n'
    )
    text += f"count = 3\n{key}_extra = 1\n" if key == "count" else "count = 3\n"
    text = text.replace('title = "T"', f"{key} = {value}" if key == "title" else 'title = "T"')
    (directory / "base.toml").write_text(text, encoding="utf-8")
    r = run("--facts-only", "--facts", str(directory), "check")
    assert_clean(r, {0, 3})


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (("--facts", "/nonexistent/dir", "timeline"), 2),  # a directory named that is not there: a bad value
        (("--facts", str(GOOD / "base.toml"), "timeline"), 2),
        (("--facts-only", "timeline"), 2),
        (("timeline", "--from", "2016", "--to", "2015"), 2),
        (("timeline", "--year", "0"), 2),
        (("meetings", "--kind"), 2),
        (("show",), 2),
        (("export", "json"), 2),
        (("search", "--limit", "-5", "x"), 2),
        (("stats", "--by", ""), 2),
    ],
)
def test_bad_command_lines(run, args: tuple[str, ...], code: int) -> None:
    r = run(*args)
    assert r.code == code and r.out == ""
    assert r.err.startswith("nichiro: error: ") and r.err.count("\n") == 1


@pytest.mark.unprivileged
def test_unreadable_directory(run, tmp_path: Path) -> None:
    needs_unprivileged()
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "a.toml").write_text("")
    locked.chmod(0)
    try:
        r = run("--facts-only", "--facts", str(locked), "timeline")
        assert r.code == 3 and "Traceback" not in r.err
        assert r.err.startswith("nichiro: error: invalid fact base: ") and r.err.count("\n") == 1
    finally:
        locked.chmod(0o755)


def test_narrow_terminal_still_renders(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "20")
    r = run(*F, "meetings", "--format", "table")
    assert r.code == 0 and r.out.strip()
    meetings = json.loads(run(*F, "meetings", "--json").out)
    whole = {m["id"] for m in meetings} | {m["date"] for m in meetings}
    # Only an id or a date too long for any line runs past the edge, alone and whole: the terminal wraps it.
    assert all(len(line) <= 20 or line.strip() in whole for line in r.out.splitlines())


def test_markup_in_a_query_is_shown_literally_in_a_table_title(run) -> None:
    r = run(*F, "search", "[bold]Putin[/]", "--format", "table")
    assert r.code == 0 and "Search: [bold]Putin[/]" in r.out
