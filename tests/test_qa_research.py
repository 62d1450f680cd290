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


# --------------------------------------------------------------------------- D5. people --source


def test_people_of_a_source_include_those_its_facts_name(run) -> None:
    # The fixture's people have no quotes of their own: src-b names both in the Sochi meeting.
    r = run(*F, "people", "--source", "src-b", "--json")
    assert r.code == 0 and [p["id"] for p in json.loads(r.out)] == ["shinzo-abe", "vladimir-putin"]


def test_people_named_by_sputnik_include_putin(run) -> None:
    found = [p["id"] for p in json.loads(run("people", "--source", "Sputnik", "--json").out)]
    timeline = json.loads(run("timeline", "--source", "sputnik-2016", "--with-undated", "--json").out)
    assert {p for rec in timeline for p in rec.get("participants") or ()} <= set(found)
    assert "vladimir-putin" in found


# --------------------------------------------------------------------------- D7, D14. stats counts as the listings list


def _counts(run, *args: str) -> dict[str, int]:  # type: ignore[no-untyped-def]
    r = run("stats", *args, "--json")
    assert r.code == 0, r.err
    return {row["value"]: row["count"] for row in json.loads(r.out)}


@pytest.mark.parametrize(
    "place", ["Japan", "Russia", "Kuril Islands", "Southern Kuril Islands", "Yamaguchi Prefecture"]
)
def test_stats_by_place_counts_what_place_lists(run, place: str) -> None:
    listed = json.loads(run("timeline", "--place", place, "--with-undated", "--json").out)
    assert _counts(run, "--by", "place")[place] == len(listed)


def test_stats_by_place_counts_the_meetings_in_japan_under_japan(run) -> None:
    counts = _counts(run, "--by", "place", "--category", "meeting")
    assert counts["Japan"] == len(json.loads(run("meetings", "--place", "Japan", "--json").out))
    assert counts["Japan"] > counts["Tokyo"] > 0


@pytest.mark.parametrize(
    ("filters", "listing"),
    [
        ((), ("timeline", "--with-undated")),
        (("--year", "2016"), ("timeline", "--year", "2016")),
        (("--year", "2016", "--within"), ("timeline", "--year", "2016", "--within")),
        (("--person", "Putin", "--by", "person"), ("timeline", "--person", "Putin", "--with-undated")),
        (("--to", "1854", "--with-undated", "--by", "year"), ("timeline", "--to", "1854", "--with-undated")),
    ],
)
def test_stats_gives_the_total_the_listing_lists(run, filters: tuple[str, ...], listing: tuple[str, ...]) -> None:
    n = len(json.loads(run(*listing, "--json").out))
    for fmt in ("json", "plain", "csv"):
        r = run("stats", *filters, "--format", fmt)
        assert r.code == 0 and f"{n} facts in all" in r.err, (fmt, r.err)
    table = run("stats", *filters, "--format", "table").out
    assert f"; {n} facts in all)" in table.splitlines()[0]


def test_stats_says_how_many_facts_count_under_no_value(run) -> None:
    r = run(*F, "stats", "--by", "place")
    assert "8 facts in all" in r.err and "7 have no place, so count under none" in r.err


# --------------------------------------------------------------------------- D3. undated facts and date filters


def test_with_undated_is_offered_wherever_dates_are() -> None:
    from nichiro.options import walk

    for path, command in walk():
        flags = {f for opt in command.options for f in opt.flags}
        if "--year" in flags:
            assert "--with-undated" in flags, path


def test_dates_leave_undated_facts_out_and_say_how_many(run) -> None:
    r = run(*F, "figures", "--year", "2016")
    assert r.out == "" and "1 undated fact matches too, they have no date to compare" in r.err
    assert "--with-undated" in r.err


@pytest.mark.parametrize("command", ["figures", "timeline", "stats"])
def test_with_undated_adds_the_undated_facts_to_a_date_filter(run, command: str) -> None:
    r = run(*F, command, "--to", "1854", "--with-undated", "--json")
    assert r.code == 0, r.err
    if command == "stats":
        assert json.loads(r.out) == [{"facet": "category", "value": "figure", "count": 1}]
    else:
        assert ids(r) == ["undated-population"]


def test_with_undated_lists_them_after_the_dated_facts_in_the_dates(run) -> None:
    found = ids(run(*F, "timeline", "--year", "2016", "--with-undated", "--json"))
    assert found[-1] == "undated-population" and "2016-09-02-putin-abe-vladivostok" in found
    assert "2013-04-28-abe-visit" not in found


def test_the_bundled_facts_before_1855_with_the_undated_ones(run) -> None:
    r = run("timeline", "--to", "1854", "--with-undated", "--json")
    assert r.code == 0 and json.loads(r.out) and all(rec["date"] is None for rec in json.loads(r.out))
    assert len(json.loads(r.out)) == len(json.loads(run("figures", "--undated", "--json").out))


# --------------------------------------------------------------------------- D4. --limit says what it cut


def test_a_limit_that_cuts_says_how_many_were_not_shown(run) -> None:
    r = run(*F, "meetings", "--limit", "2")
    assert r.out.count("\n") == 2 and "--limit 2: 2 of 3 rows shown, 1 not." in r.err
    assert "--limit" not in run(*F, "meetings", "--limit", "3").err
    r = run(*F, "stats", "--by", "year", "--limit", "1", "--format", "plain")
    assert "--limit 1: 1 of 5 rows shown, 4 not." in r.err


def test_a_limit_cuts_the_trade_table_by_its_rows(run) -> None:
    r = run("trade", "--limit", "2", "--format", "table")
    assert r.code == 0 and "Trade" in r.out and "rows shown" in r.err
    assert r.out.splitlines()[0].endswith("(2)")


# --------------------------------------------------------------------------- D8. contradictory options


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("meetings", "--within"), "--within needs dates to lie within"),
        (("stats", "--within"), "--within needs dates to lie within"),
        (("meetings", "--year", "2016", "--date", "2016-09"), "--year and --date both say which dates"),
        (("figures", "--undated", "--year", "2016"), "--undated lists only the facts that have no date"),
        (("figures", "--undated", "--with-undated"), "it cannot go with --with-undated"),
    ],
)
def test_contradictory_options_are_a_usage_error(run, args: tuple[str, ...], said: str) -> None:
    r = run(*F, *args)
    assert (r.code, r.out) == (ExitCode.USAGE, "") and said in r.err


def test_within_without_dates_still_counts_stats_by_year(run) -> None:
    assert run(*F, "stats", "--by", "year", "--within").code == 0


# --------------------------------------------------------------------------- D6, D15. spans longer than the dates


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_marks_the_spans_longer_than_the_dates(run, fmt: str) -> None:
    r = run("timeline", "--date", "2016-09-02", "--format", fmt)
    records = json.loads(r.out) if fmt == "json" else [json.loads(line) for line in r.out.splitlines()]
    spans = [rec["span"] for rec in records]
    assert spans[:2] == ["within", "within"] and set(spans[2:]) == {"longer"}
    assert all("span" not in rec for rec in json.loads(run("timeline", "--json").out))


def test_the_undated_facts_have_no_span(run) -> None:
    records = json.loads(run(*F, "timeline", "--year", "2016", "--with-undated", "--json").out)
    assert records[-1]["id"] == "undated-population" and records[-1]["span"] is None


@pytest.mark.parametrize("command", ["timeline", "meetings", "exchanges"])
def test_the_longer_spans_come_nearest_first_in_every_format(run, command: str) -> None:
    from nichiro.dates import DateSpan

    def days(date: str) -> int:
        span = DateSpan.parse(date)
        return (span.hi - span.lo).days

    records = json.loads(run(command, "--date", "2016-12-15", "--json").out)
    longer = [days(rec["date"]) for rec in records if rec["span"] == "longer"]
    assert longer and longer == sorted(longer)
    plain = [line.split("\t")[0] for line in run(command, "--date", "2016-12-15").out.splitlines()]
    assert plain == [rec["date"] for rec in records]


# --------------------------------------------------------------------------- D10. filters a researcher asked for


def test_all_sources_keeps_the_facts_every_source_supports(run) -> None:
    args = ("timeline", "--source", "sputnik-2016", "--source", "wikipedia-2019", "--with-undated")
    both = json.loads(run(*args, "--all-sources", "--json").out)
    either = json.loads(run(*args, "--json").out)
    assert both and len(both) < len(either)
    for rec in both:
        assert {"sputnik-2016", "wikipedia-2019"} <= {s["source"] for s in rec["sources"]}
    assert {r["id"] for r in either if {"sputnik-2016", "wikipedia-2019"} <= {s["source"] for s in r["sources"]}} == {
        r["id"] for r in both
    }


def test_all_sources_needs_several(run) -> None:
    r = run(*F, "timeline", "--source", "src-a", "--all-sources")
    assert r.code == ExitCode.USAGE and "--all-sources needs several --source" in r.err
    assert ids(run(*F, "timeline", "--source", "src-a", "--source", "src-b", "--all-sources", "--json")) == []


def test_terms_by_kind(run) -> None:
    r = run("terms", "--kind", "treaty", "--json")
    found = json.loads(r.out)
    assert r.code == 0 and found and {t["kind"] for t in found} == {"treaty"}
    assert "joint-declaration-1956" in {t["id"] for t in found}
    assert run("terms", "--kind", "treatise").code == ExitCode.USAGE


def test_exchanges_by_direction(run) -> None:
    found = json.loads(run("exchanges", "--direction", "japan-to-islands", "--json").out)
    assert found and {rec["direction"] for rec in found} == {"japan-to-islands"}
    assert ids(run(*F, "exchanges", "--direction", "islands-to-japan", "--json")) == []


def test_not_kind_leaves_a_kind_out(run) -> None:
    args = ("meetings", "--person", "Abe", "--person", "Putin", "--from", "2013", "--to", "2016")
    every = json.loads(run(*args, "--json").out)
    kept = json.loads(run(*args, "--not-kind", "phone call", "--json").out)
    assert [r for r in every if r["kind"] != "phone-call"] == kept and len(kept) < len(every)
    r = run("meetings", "--kind", "summit", "--not-kind", "summit")
    assert r.code == ExitCode.USAGE and "contradict" in r.err
    r = run("figures", "--not-kind", "poll")
    assert r.code == ExitCode.USAGE and r.err.startswith("nichiro: error: --not-kind: 'poll'")


def test_trade_whole_years_leaves_parts_of_a_year_out(run) -> None:
    every = json.loads(run("trade", "--year", "2015", "--measure", "total", "--json").out)
    whole = json.loads(run("trade", "--year", "2015", "--measure", "total", "--whole-years", "--json").out)
    assert [r["date"] for r in whole] == ["2015"] and len(every) > len(whole)
    assert ids(run(*F, "trade", "--whole-years", "--json")) == []  # the fixture's figure is of eight months


def test_facts_on_the_disputed_islands_nest_under_the_southern_kurils(run) -> None:
    r = run("timeline", "--place", "Northern Territories", "--with-undated", "--json")
    found = json.loads(r.out)
    assert "2016-visa-free-cumulative-japan-to-islands" in {rec["id"] for rec in found}  # on Shikotan, Iturup, ...
    assert "placed only in Kuril Islands" in r.err  # the whole chain's facts: maybe, maybe not


# --------------------------------------------------------------------------- D11. offices in people


def test_people_lists_the_offices_each_person_held(run) -> None:
    r = run("people", "--fields", "name,offices")
    rows = dict(line.split("\t") for line in r.out.splitlines())
    assert rows["Shinzo Abe"] == "Prime Minister of Japan 2006-09-26 to 2007-09-26 and 2012-12-26 to 2020-09-16"
    assert rows["Vladimir Putin"] == "President of Russia 2000-05-07 to 2008-05-07 and since 2012-05-07"
    assert rows["President of Russia"].startswith("an office, held by: Boris Yeltsin 1991-07-10 to 1999-12-31;")
    assert "from outside the sources" in r.err


def test_people_json_gives_the_terms_as_the_registry_does(run) -> None:
    people = {p["id"]: p for p in json.loads(run("people", "--json").out)}
    (term,) = people["dmitry-medvedev"]["offices"]
    assert term == {
        "office": "president-of-russia",
        "name": "President of Russia",
        "start": "2008-05-07",
        "end": "2012-05-07",
        "basis": "outside-sources",
    }
    assert people["president-of-russia"]["offices"] == [] and people["adam-laxman"]["offices"] == []


def test_an_office_is_taken_by_its_name_only_where_it_is_unambiguous(run) -> None:
    r = run("meetings", "--person", "President")
    assert r.code == ExitCode.USAGE and "President of Russia or President of the House of Councillors" in r.err
    assert run("meetings", "--person", "Russian President", "--json").code == 0
    r = run("meetings", "--person", "Foreign Minister")
    assert r.code == ExitCode.USAGE and "Foreign Minister of Russia" in r.err and "Foreign Minister of Japan" in r.err


def test_stats_counts_with_kind_and_not_kind_as_the_listings_list(run) -> None:
    for args in (("--kind", "summit"), ("--category", "meeting", "--not-kind", "phone-call")):
        n = len(json.loads(run("timeline", *args, "--with-undated", "--json").out))
        r = run("stats", *args, "--by", "kind", "--json")
        assert r.code == 0 and f"{n} facts in all" in r.err, r.err
        assert "meeting: phone-call" not in {row["value"] for row in json.loads(r.out)}
