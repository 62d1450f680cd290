"""The defects a researcher's round of questions found (qa-research, D3 to D16): a group of tests per defect.

Each asserts what a researcher who read only the docs was promised; each failed before its fix.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nichiro.errors import ExitCode

from .conftest import GOOD

F = ("--facts-only", "--facts", str(GOOD))


def ids(result) -> list[str]:  # type: ignore[no-untyped-def]
    assert result.code == 0, result.err
    return [rec["id"] for rec in json.loads(result.out)]


# --------------------------------------------------------------------------- D13. exit codes as documented


@pytest.mark.parametrize("where", ["/nonexistent/facts", str(GOOD / "base.toml")])
def test_a_facts_directory_that_is_not_there_is_a_usage_error(run, where: str) -> None:
    r = run("--facts", where, "meetings")
    assert (r.code, r.out) == (ExitCode.USAGE, "")
    assert r.err.startswith(f"nichiro: error: --facts {where}: ") and r.err.count("\n") == 1


def test_nichiro_facts_naming_no_directory_is_a_usage_error(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NICHIRO_FACTS", "/nonexistent/facts")
    r = run("meetings")
    assert r.code == ExitCode.USAGE and "NICHIRO_FACTS /nonexistent/facts: no such directory" in r.err


def test_an_export_into_a_directory_that_is_not_there_is_a_usage_error(run, tmp_path: Path) -> None:
    r = run(*F, "export", "json", str(tmp_path / "missing" / "x.json"))
    assert r.code == ExitCode.USAGE and "is not a directory" in r.err


def test_export_sqlite_to_stdout_names_only_what_was_given(run) -> None:
    r = run(*F, "export", "sqlite", "-")
    assert r.code == ExitCode.USAGE and "--metadata" not in r.err and "FILE must be a file, not '-'" in r.err
    r = run(*F, "export", "sqlite", "x.db", "--metadata", "-")
    assert r.code == ExitCode.USAGE and "--metadata must be a file, not '-'" in r.err


def test_the_exit_codes_are_documented_alike_everywhere() -> None:
    from nichiro.options import EXIT_CODES_HELP

    root = Path(__file__).resolve().parent.parent
    tables = [(root / name).read_text(encoding="utf-8") for name in ("README.md", "docs/index.md")]
    for text in tables:
        assert "a file or directory named that is not there" in text
        assert "no permission, a full disk" in text
    assert "a file or directory named that is not there" in EXIT_CODES_HELP


# --------------------------------------------------------------------------- D16. an id of something else


@pytest.mark.parametrize(
    ("wanted", "said"),
    [
        ("src-a", "src-a is a source, not a fact: nichiro sources lists it, nichiro cite src-a cites it"),
        ("vladimir-putin", "vladimir-putin is a person, not a fact: nichiro people lists it"),
        ("vladivostok", "vladivostok is a place, not a fact: nichiro places lists it"),
    ],
)
def test_show_given_the_id_of_a_source_person_or_place_says_what_it_is(run, wanted: str, said: str) -> None:
    r = run(*F, "show", wanted)
    assert (r.code, r.out) == (ExitCode.NOT_FOUND, "")
    assert said in r.err and r.err.count("\n") == 1


def test_show_and_cite_point_to_the_commands_of_the_bundled_registries(run) -> None:
    r = run("show", "pecob-2017")
    assert "pecob-2017 is a source" in r.err and "nichiro timeline --source pecob-2017" in r.err
    r = run("show", "president-of-russia")
    assert "president-of-russia is an office, not a fact" in r.err
    r = run("cite", "tokyo")
    assert r.code == ExitCode.NOT_FOUND and "tokyo is a place, not a fact" in r.err
    r = run("show", "joint-declaration-1956")
    assert "is a key term, not a fact: nichiro terms lists it" in r.err


# --------------------------------------------------------------------------- D9. figures and polls


def test_figures_help_sends_polls_to_the_timeline(run) -> None:
    out = " ".join(run("figures", "--help").out.split())
    assert "polls" not in out.split("Dated figures")[0]  # the first line promises no polls
    assert "timeline --kind poll" in out and "figures --tag embassy" in out


@pytest.mark.parametrize(
    ("args", "pointer"),
    [
        (("figures", "--kind", "poll"), "it is a kind of event: nichiro timeline --kind poll"),
        (("meetings", "--kind", "treaty"), "it is a kind of treaty: nichiro treaties --kind treaty"),
        (("treaties", "--kind", "phone call"), "it is a kind of meeting: nichiro meetings --kind phone-call"),
    ],
)
def test_a_kind_of_another_listing_points_to_it(run, args: tuple[str, ...], pointer: str) -> None:
    r = run(*args)
    assert (r.code, r.out) == (ExitCode.USAGE, "") and pointer in r.err


# --------------------------------------------------------------------------- D12. suggestions and corrections


def test_a_country_of_the_past_is_found_by_its_other_names(run) -> None:
    for value in ("USSR", "Soviet Union", "СССР"):
        r = run("people", "--country", value, "--json")
        assert r.code == 0 and "did you mean" not in r.err, value
    assert run("people", "--country", "Russian Empire", "--json").code == 0


def test_a_beginning_of_a_name_is_suggested_not_the_nearest_other(run) -> None:
    r = run("timeline", "--source", "wiki")
    assert r.code == ExitCode.USAGE and "did you mean: wikipedia-2019, wikipedia-2022?" in r.err


@pytest.mark.parametrize("value", ["wikipedia-2020", "Wikipedia 2021", "sputnik-2015"])
def test_a_different_number_is_never_corrected_as_a_typo(run, value: str) -> None:
    r = run("timeline", "--source", value, "--json")
    assert (r.code, r.out) == (ExitCode.USAGE, "") and "did you mean" in r.err


@pytest.mark.parametrize(
    ("value", "source"),
    [
        ("Russian government", "russian-government-2012"),
        ("Wikipedia (2019)", "wikipedia-2019"),
        ("Wikipedia 2022", "wikipedia-2022"),
        ("Pecob 2017", "pecob-2017"),
    ],
)
def test_a_source_is_found_by_the_name_the_facts_titles_give_it(run, value: str, source: str) -> None:
    r = run("timeline", "--source", value, "--with-undated", "--json")
    assert r.code == 0, r.err
    assert all(source in {s["source"] for s in rec["sources"]} for rec in json.loads(r.out))


def test_several_values_joined_by_commas_are_told_to_repeat_the_option(run) -> None:
    r = run("timeline", "--kind", "summit,phone-call")
    assert r.code == ExitCode.USAGE
    assert "repeating the option: --kind summit --kind phone-call" in r.err
