"""Listings a researcher can trust (issue 12): a group of tests per numbered item, on the fixture and bundled bases.

Repeated options (1), filter values resolved or refused (2), places that nest (3), dates that mean
what people ask (4), claims visible (5), the filters and controls of every listing (6), options
anywhere and words without quotes (7).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from .conftest import GOOD

F = ("--facts-only", "--facts", str(GOOD))


def ids(result) -> list[str]:  # type: ignore[no-untyped-def]
    assert result.code == 0, result.err
    return [rec["id"] for rec in json.loads(result.out)]


# --------------------------------------------------------------------------- 1. repeated options


def test_repeated_years_mean_any_of_them(run) -> None:
    assert ids(run(*F, "meetings", "--year", "2013", "--year", "2016", "--json")) == [
        "2013-04-28-abe-visit",
        "2016-05-putin-abe-sochi",
        "2016-09-02-putin-abe-vladivostok",
    ]


def test_repeated_kinds_mean_any_of_them(run) -> None:
    found = ids(run(*F, "meetings", "--kind", "summit", "--kind", "sidelines", "--json"))
    assert found == ["2016-05-putin-abe-sochi", "2016-09-02-putin-abe-vladivostok"]


def test_repeated_people_mean_all_of_them(run) -> None:
    assert len(ids(run(*F, "meetings", "--person", "Abe", "--json"))) == 3
    both = ids(run(*F, "meetings", "--person", "Abe", "--person", "Putin", "--json"))
    assert both == ["2016-05-putin-abe-sochi", "2016-09-02-putin-abe-vladivostok"]  # not Abe's visit alone


@pytest.mark.parametrize(
    "args",
    [
        ("meetings", "--format", "csv", "--format", "json"),
        ("meetings", "--fields", "id", "--fields", "date"),
        ("meetings", "--limit", "1", "--limit", "2"),
        ("timeline", "--from", "2013", "--from", "2014"),
        ("stats", "--by", "year", "--by", "kind"),
    ],
)
def test_an_option_that_takes_one_value_given_twice_is_a_usage_error(run, args: tuple[str, ...]) -> None:
    r = run(*F, *args)
    assert (r.code, r.out) == (2, "")
    assert f"{args[1]} was given 2 times" in r.err and r.err.count("\n") == 1


def test_help_states_the_rules_of_repetition(run) -> None:
    out = run("meetings", "--help").out
    flat = " ".join(out.split())
    assert "--person NAME" in out and "Repeat for all of several." in flat
    assert "Repeat for any of several." in flat
    assert "keeps the facts that match any of the values; --person and --tag keep those that match all" in flat
    assert "may be given once" in flat


# --------------------------------------------------------------------------- 2. filter values are checked


def test_a_country_is_matched_as_search_matches_names(run) -> None:
    for value in ("Russia", "RUSSIA", "russia"):
        r = run(*F, "people", "--country", value, "--json")
        assert [p["id"] for p in json.loads(r.out)] == ["vladimir-putin"], value


@pytest.mark.parametrize(
    ("args", "expected", "note"),
    [
        (("--person", "Abbe"), "2013-04-28-abe-visit", "--person Abbe: Shinzo Abe\n"),
        (("--person", "Синдзо Абэ"), "2013-04-28-abe-visit", ""),  # an alias, as typed
        (("--person", "Abe"), "2013-04-28-abe-visit", "--person Abe: Shinzo Abe\n"),  # a word of a name
        (("--place", "Vladivostock"), "2016-09-02-putin-abe-vladivostok", "--place Vladivostock: Vladivostok\n"),
        (("--place", "VLADIVOSTOK"), "2016-09-02-putin-abe-vladivostok", ""),
        (("--kind", "Official visit"), "2013-04-28-abe-visit", ""),
        (("--kind", "sumit"), "2016-05-putin-abe-sochi", "--kind sumit: summit\n"),
        (("--kind", "summits"), "2016-05-putin-abe-sochi", "--kind summits: summit\n"),
        (("--kind", "official"), "2013-04-28-abe-visit", "--kind official: official-visit\n"),
        (("--source", "Publisher B"), "2016-05-putin-abe-sochi", ""),
        (("--tag", "Eastern Economic Forum"), "2016-09-02-putin-abe-vladivostok", ""),
    ],
)
def test_a_confident_match_is_used_and_named_on_stderr(run, args: tuple[str, ...], expected: str, note: str) -> None:
    r = run(*F, "meetings", *args, "--json")
    assert r.code == 0 and expected in ids(r)
    assert r.err == note


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("meetings", "--person", "Abexyz"),
            "--person: no person 'Abexyz' (see 'nichiro people'); did you mean: Shinzo Abe?",
        ),
        (("meetings", "--person", "Zzyzx"), "--person: no person 'Zzyzx' (see 'nichiro people')"),
        (("meetings", "--place", "Tokyo"), "--place: no place 'Tokyo'"),
        (("meetings", "--kind", "picnic"), "--kind: 'picnic' is not one of: summit, official-visit"),
        (("meetings", "--kind", "sit"), "--kind: 'sit' is not one of: summit, official-visit, working-visit, visit"),
        (("meetings", "--kind", "sit"), "; did you mean: visit, "),
        (("meetings", "--source", "nowhere"), "--source: no source 'nowhere'"),
        (("meetings", "--tag", "gossip"), "--tag: no tag 'gossip'"),
        (("meetings", "--status", "rumour"), "--status: 'rumour' is not one of: fact, claim"),
        (("people", "--country", "Atlantis"), "--country: 'Atlantis' is not one of: japan, russia"),
        (("timeline", "--category", "gossip"), "--category: 'gossip' is not one of"),
        (("stats", "--by", "colour"), "--by: 'colour' is not one of"),
    ],
)
def test_an_unknown_value_is_a_usage_error_never_an_empty_list(run, args: tuple[str, ...], message: str) -> None:
    r = run(*F, *args)
    assert (r.code, r.out) == (2, "")
    assert r.err.startswith("nichiro: error: ") and message in r.err and r.err.count("\n") == 1


def test_an_ambiguous_value_is_a_usage_error_naming_both(run, facts_dir: Path) -> None:
    (facts_dir / "more.toml").write_text(
        '[[person]]\nid = "akie-abe"\nname = "Akie Abe"\ncountry = "japan"\nroles = ["Spouse"]\n', encoding="utf-8"
    )
    r = run("--facts-only", "--facts", str(facts_dir), "meetings", "--person", "Abe")
    assert (r.code, r.out) == (2, "")
    assert "--person 'Abe' could be Shinzo Abe or Akie Abe; did you mean one of them?" in r.err
    assert ids(run("--facts-only", "--facts", str(facts_dir), "meetings", "--person", "Shinzo Abe", "--json"))


def test_a_publisher_of_several_sources_means_all_of_them(run, facts_dir: Path) -> None:
    text = (facts_dir / "base.toml").read_text(encoding="utf-8").replace('"Publisher B"', '"Publisher A"')
    (facts_dir / "base.toml").write_text(text, encoding="utf-8")
    r = run("--facts-only", "--facts", str(facts_dir), "timeline", "--source", "Publisher A", "--json")
    assert len(ids(r)) == 7 and r.err.startswith("--source Publisher A: src-a, src-b\n")


# --------------------------------------------------------------------------- 3. places nest

PLACES = """
[[place]]
id = "russia"
name = "Russia"
kind = "country"
country = "russia"
aliases = ["Россия"]

[[place]]
id = "japan"
name = "Japan"
kind = "country"
country = "japan"

[[place]]
id = "yamaguchi-prefecture"
name = "Yamaguchi Prefecture"
kind = "prefecture"
country = "japan"
parent = "japan"

[[place]]
id = "nagato"
name = "Nagato"
kind = "city"
country = "japan"
parent = "yamaguchi-prefecture"

[[place]]
id = "tokyo"
name = "Tokyo"
kind = "city"
country = "japan"
parent = "japan"

[[meeting]]
id = "2017-tokyo-meeting"
date = "2017"
title = "A meeting in Tokyo"
summary = "S."
kind = "talks"
level = "ministers"
place = ["tokyo"]
sources = [{ source = "src-a", quote = "q" }]

[[meeting]]
id = "2018-nagato-and-tokyo"
date = "2018"
title = "A meeting in Nagato and Tokyo"
summary = "S."
kind = "visit"
level = "leaders"
place = ["nagato", "tokyo"]
sources = [{ source = "src-a", quote = "q" }]
"""


@pytest.fixture
def nested(facts_dir: Path) -> tuple[str, ...]:
    """The fixture base with countries, a prefecture and cities that nest, Vladivostok in Russia."""
    base = facts_dir / "base.toml"
    text = base.read_text(encoding="utf-8").replace('id = "vladivostok"\n', 'id = "vladivostok"\nparent = "russia"\n')
    base.write_text(text, encoding="utf-8")
    (facts_dir / "places.toml").write_text(PLACES, encoding="utf-8")
    return ("--facts-only", "--facts", str(facts_dir))


def test_a_place_includes_the_places_within_it(run, nested) -> None:  # type: ignore[no-untyped-def]
    assert ids(run(*nested, "meetings", "--place", "Russia", "--json")) == ["2016-09-02-putin-abe-vladivostok"]
    assert ids(run(*nested, "meetings", "--place", "Россия", "--json")) == ["2016-09-02-putin-abe-vladivostok"]
    in_japan = ["2017-tokyo-meeting", "2018-nagato-and-tokyo"]
    assert ids(run(*nested, "meetings", "--place", "Japan", "--json")) == in_japan
    assert ids(run(*nested, "meetings", "--place", "Yamaguchi", "--json")) == ["2018-nagato-and-tokyo"]
    assert ids(run(*nested, "meetings", "--place", "Japan", "--place", "Russia", "--json")) == [
        "2016-09-02-putin-abe-vladivostok",
        *in_japan,
    ]
    assert ids(run(*nested, "meetings", "--place", "Nagato", "--json")) == ["2018-nagato-and-tokyo"]


def test_a_place_says_what_is_recorded_only_around_it(run, nested, facts_dir: Path) -> None:  # type: ignore[no-untyped-def]
    """A meeting placed only in Japan is not listed for Tokyo, and a note says it may have been there."""
    vague = PLACES.split("[[meeting]]")[1].replace("2017-tokyo-meeting", "2017-somewhere-in-japan")
    (facts_dir / "vague.toml").write_text("[[meeting]]" + vague.replace('["tokyo"]', '["japan"]'), encoding="utf-8")
    r = run(*nested, "meetings", "--place", "Tokyo", "--json")
    assert ids(r) == ["2017-tokyo-meeting", "2018-nagato-and-tokyo"]
    assert r.err == (
        "note: 1 meeting placed only in Japan (the sources say no more) may or may not have been in Tokyo, "
        "and are not listed: 2017-somewhere-in-japan\n"
    )
    assert "2017-somewhere-in-japan" in ids(run(*nested, "meetings", "--place", "Japan", "--json"))
    assert "note" not in run(*nested, "meetings", "--place", "Japan").err
    assert "note" not in run(*nested, "meetings", "--place", "Tokyo", "--year", "2018").err


def test_places_say_what_they_lie_within(run, nested) -> None:  # type: ignore[no-untyped-def]
    r = run(*nested, "places", "--fields", "id,within", "--format", "csv")
    rows = dict(list(csv.reader(io.StringIO(r.out)))[1:])
    assert rows["nagato"] == "Yamaguchi Prefecture, Japan" and rows["vladivostok"] == "Russia"
    assert rows["japan"] == ""


def test_the_meetings_held_in_japan_include_its_cities(run) -> None:
    """The bundled base: `--place Japan` finds the meetings in Tokyo and at Kawana (it found none before)."""
    places = {p for rec in json.loads(run("meetings", "--place", "Japan", "--json").out) for p in _places(rec)}
    assert {"tokyo", "kawana"} <= places


def _places(rec: dict) -> list[str]:  # type: ignore[type-arg]
    place = rec.get("place")
    return place if isinstance(place, list) else [place] if place else []


# --------------------------------------------------------------------------- 4. dates mean what people ask

LONG = """
[[event]]
id = "1990-long-span"
date = "1990/2020"
title = "Thirty years of something"
summary = "S."
kind = "other"
sources = [{ source = "src-a", quote = "q" }]
"""


@pytest.fixture
def with_long_span(facts_dir: Path) -> tuple[str, ...]:
    (facts_dir / "long.toml").write_text(LONG, encoding="utf-8")
    return ("--facts-only", "--facts", str(facts_dir))


def test_facts_within_the_window_come_first_and_longer_spans_are_marked(run, with_long_span) -> None:  # type: ignore[no-untyped-def]
    r = run(*with_long_span, "timeline", "--year", "2016")
    rows = [line.split("\t") for line in r.out.splitlines()]
    assert [row[3] for row in rows][-1] == "1990-long-span"  # after the facts of 2016, though it starts earlier
    assert [row[-1] for row in rows] == ["within"] * (len(rows) - 1) + ["longer"]
    assert "1 of these span more than the dates asked for" in r.err
    table = run(*with_long_span, "timeline", "--year", "2016", "--format", "table").out
    assert "Span" in table and "longer" in table


def test_within_keeps_only_facts_whose_whole_date_is_inside(run, with_long_span) -> None:  # type: ignore[no-untyped-def]
    found = ids(run(*with_long_span, "timeline", "--year", "2016", "--within", "--json"))
    assert "1990-long-span" not in found and "2016-09-02-putin-abe-vladivostok" in found
    assert "1990-long-span" in ids(run(*with_long_span, "timeline", "--year", "2016", "--json"))  # overlap: the default


def test_a_day_lists_that_day_first_then_what_spans_it(run) -> None:
    r = run(*F, "timeline", "--date", "2016-09-02", "--fields", "id,span", "--format", "csv")
    rows = list(csv.reader(io.StringIO(r.out)))[1:]
    assert rows[0] == ["2016-09-02-putin-abe-vladivostok", "within"]
    assert {row[1] for row in rows[1:]} == {"longer"} and ["2016-visa-free-japan-to-islands", "longer"] in rows


@pytest.mark.parametrize("within", [False, True])
def test_stats_by_year_counts_as_year_lists(run, with_long_span, within: bool) -> None:  # type: ignore[no-untyped-def]
    flag = ("--within",) if within else ()
    counts = {
        s["value"]: s["count"] for s in json.loads(run(*with_long_span, "stats", "--by", "year", *flag, "--json").out)
    }
    for year in (1956, 1995, 2013, 2014, 2016, 2020, 2021):
        listed = ids(run(*with_long_span, "timeline", "--year", str(year), *flag, "--json"))
        assert counts.get(str(year), 0) == len(listed), year
    assert counts["undated"] == 1
    assert counts.get("several years", 0) == (1 if within else 0)  # the span of thirty years


def test_stats_with_a_year_counts_what_the_year_lists(run, with_long_span) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(run(*with_long_span, "stats", "--by", "year", "--year", "2016", "--json").out)
    assert rows == [{"facet": "year", "value": "2016", "count": 5}]
    assert len(ids(run(*with_long_span, "timeline", "--year", "2016", "--json"))) == 5


def test_search_for_a_day_ranks_its_month_before_its_year(run) -> None:
    """`search 2016-12-15`: the December 2016 visit and its agreements first, not the facts dated 2016."""
    data = json.loads(run("search", "2016-12-15", "--limit", "5", "--json").out)
    assert [rec["date"] for rec in data] == ["2016-12"] * 5


def test_dates_that_cannot_overlap_are_a_usage_error(run) -> None:
    r = run(*F, "meetings", "--year", "2013", "--from", "2015")
    assert r.code == 2 and "the dates asked for do not overlap" in r.err


# --------------------------------------------------------------------------- 5. claims are visible


def test_claims_are_marked_in_every_format(run) -> None:
    plain = [line.split("\t") for line in run(*F, "timeline", "--year", "2014").out.splitlines()]
    assert plain == [
        ["2014", "event", "Source B: the leaders finally met in 2014", "2014-finally-met", "claim", "within"]
    ]
    tsv = run(*F, "timeline", "--format", "tsv").out.splitlines()
    assert tsv[0].split("\t")[-1] == "status" and any(line.endswith("\tclaim") for line in tsv)
    rows = list(csv.DictReader(io.StringIO(run(*F, "timeline", "--format", "csv").out)))
    assert {r["id"]: r["status"] for r in rows}["2014-finally-met"] == "claim"
    assert {r["status"] for r in rows} == {"fact", "claim"}
    assert all("status" in rec for rec in json.loads(run(*F, "timeline", "--json").out))
    table = run(*F, "timeline", "--format", "table").out
    assert "Status" in table and "claim" in table


def test_status_filters(run) -> None:
    assert ids(run(*F, "timeline", "--status", "claim", "--json")) == ["2014-finally-met"]
    assert "2014-finally-met" not in ids(run(*F, "timeline", "--status", "fact", "--json"))
    assert len(ids(run(*F, "timeline", "--status", "fact", "--status", "claim", "--json"))) == 7


# --------------------------------------------------------------------------- 6. filters and controls on every listing

FACT_LISTINGS = ["meetings", "timeline", "treaties", "trade", "exchanges", "figures", "stats"]
LISTINGS = [*FACT_LISTINGS, "sources", "people", "places", "terms"]


@pytest.mark.parametrize("command", FACT_LISTINGS)
@pytest.mark.parametrize("option", [("--source", "src-a"), ("--tag", "eastern-economic-forum"), ("--status", "fact")])
def test_every_fact_listing_takes_the_fact_filters(run, command: str, option: tuple[str, str]) -> None:
    r = run(*F, command, *option, "--json")
    assert r.code == 0, r.err


@pytest.mark.parametrize("command", LISTINGS)
def test_every_listing_takes_limit_sort_and_reverse(run, command: str) -> None:
    base = () if command == "terms" else F  # the fixture has no terms
    everything = json.loads(run(*base, command, "--json").out)
    assert len(everything) >= 1
    assert json.loads(run(*base, command, "--limit", "1", "--json").out) == everything[:1]
    assert json.loads(run(*base, command, "--reverse", "--json").out) == everything[::-1]
    field = "count" if command == "stats" else "id"
    ordered = json.loads(run(*base, command, "--sort", field, "--json").out)
    assert [rec[field] for rec in ordered] == sorted(rec[field] for rec in everything)
    backwards = json.loads(run(*base, command, "--sort", field, "--reverse", "--limit", "1", "--json").out)
    assert backwards == ordered[-1:]


def test_sort_by_date_keeps_a_year_before_its_months_and_checks_the_field(run) -> None:
    found = [rec["date"] for rec in json.loads(run(*F, "timeline", "--sort", "date", "--reverse", "--json").out)]
    assert found[:3] == ["2016-09-02", "2016-05", "2016-01/2016-08"]
    r = run(*F, "timeline", "--sort", "colour")
    assert r.code == 2 and "--sort: unknown field 'colour'" in r.err
    assert run(*F, "timeline", "--limit", "0").code == 2


def test_source_keeps_the_facts_it_supports(run) -> None:
    found = ids(run(*F, "timeline", "--source", "src-b", "--json"))
    assert found == ["2014-finally-met", "2016-05-putin-abe-sochi"]


def test_the_undated_figures_can_be_listed(run) -> None:
    assert ids(run(*F, "figures", "--undated", "--json")) == ["undated-population"]
    assert ids(run(*F, "figures", "--undated", "--kind", "comparison", "--json")) == ["undated-population"]
    assert "undated-population" in ids(run(*F, "timeline", "--with-undated", "--json"))[-1:]
    r = run(*F, "timeline", "--source", "src-b")
    assert "1 undated fact matches too" in r.err and "undated-population" not in r.out
    assert "undated" not in run(*F, "timeline", "--source", "src-b", "--json").err  # for a reader, not a script


def test_the_undated_comparison_figures_of_the_bundled_base(run) -> None:
    found = json.loads(run("figures", "--undated", "--kind", "comparison", "--json").out)
    assert len(found) >= 10 and all(rec["date"] is None and rec["kind"] == "comparison" for rec in found)
    rows = run("figures", "--undated", "--kind", "comparison", "--fields", "id,numbers").out
    assert "undated-comparison-population\tpopulation, japan: 127,053,000 people; population, russia" in rows


def test_a_person_learns_of_the_meetings_that_name_only_an_office_they_held(run) -> None:
    r = run("meetings", "--person", "Medvedev")
    assert r.code == 0
    note = r.err.splitlines()[-1]
    assert note.startswith("note: 2 meetings in Dmitry Medvedev's term as President of Russia (2008-05-07 to ")
    assert "2011-05-27-kan-top-level-talks-deauville-g8" in note and "2011-05-27" not in r.out
    assert "note:" not in run("meetings", "--person", "Medvedev", "--year", "2016").err  # outside his term
    assert "note:" not in run("meetings", "--person", "Medvedev", "--place", "Tokyo").err  # not in Tokyo


def test_an_office_learns_of_the_meetings_that_name_whoever_held_it(run) -> None:
    r = run("meetings", "--person", "Chairman of the Federation Council of Russia", "--json")
    assert r.code == 0 and "2009-01-federation-council-chairman-visit-to-tokyo" in ids(r)
    assert "note: 3 meetings in Valentina Matvienko's term as Chairman of the Federation Council" in r.err
    assert "2012-01-matvienko-noda-talks-tokyo" in r.err and "2012-01-matvienko-noda-talks-tokyo" not in r.out


# --------------------------------------------------------------------------- 7. options anywhere, words without quotes


def test_global_options_after_the_command(run) -> None:
    r = run("meetings", "--year", "2016", "--no-color", "--facts-only", "--facts", str(GOOD), "--json")
    assert r.code == 0 and len(json.loads(r.out)) == 2
    assert run("meetings", "--no-color").code == 0


def test_search_takes_several_words_without_quotes(run) -> None:
    r = run(*F, "search", "Putin", "Vladivostok", "--json")
    assert r.code == 0
    data = json.loads(r.out)
    assert data[0]["id"] == "2016-09-02-putin-abe-vladivostok"
    assert {m["term"] for m in data[0]["matched"]} == {"putin", "vladivostok"}
    assert json.loads(run(*F, "search", "Putin Vladivostok", "--json").out) == data


def test_search_takes_the_fact_filters(run) -> None:
    r = run(*F, "search", "leaders", "--status", "claim", "--json")
    assert r.code == 0 and [rec["id"] for rec in json.loads(r.out)] == ["2014-finally-met"]
    assert "2014-finally-met" not in ids(run(*F, "search", "leaders", "--status", "fact", "--json"))
    r = run(*F, "search", "Putin", "--source", "src-a", "--json")
    assert r.code == 0 and all(rec["sources"][0]["source"] == "src-a" for rec in json.loads(r.out))


# --------------------------------------------------------------------------- speed: a table without rich's console


@pytest.mark.parametrize("width", [200, 100, 60, 30])
@pytest.mark.parametrize("styled", [False, True])
@pytest.mark.parametrize("encoding", ["utf-8", "ascii"])
def test_a_table_prints_as_richs_console_would(run, width: int, styled: bool, encoding: str) -> None:
    """The listing's own text is what rich's console prints for it, escapes and box characters included."""
    from rich.console import Console

    from nichiro import commands, render

    class File(io.StringIO):
        @property
        def encoding(self) -> str:  # type: ignore[override]
            return encoding

    file = File()
    records = json.loads(run("meetings", "--person", "Putin", "--json").out)
    records = [r | {"claim": "claim" if r["status"] == "claim" else ""} for r in records]
    listing = render.table(records, [*commands.MEETING_COLUMNS, ("claim", "Status")], "Meetings")
    console = Console(file=file, width=width, height=25, color_system="standard" if styled else None)
    console.print(listing, crop=False)
    assert listing.text(width, encoding == "utf-8", styled) == file.getvalue()
    assert ("\x1b[1m" in file.getvalue()) is styled


def test_a_table_line_imports_no_console_of_rich(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys; from nichiro import fast; fast.main(sys.argv[1:]);"
        "print(sorted(m for m in sys.modules if m.startswith('rich')))"
    )
    env = {"NICHIRO_CACHE_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "COLUMNS": "100"}
    r = subprocess.run(
        [sys.executable, "-c", code, "meetings", "--year", "2016", "--format", "table"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert r.returncode == 0, r.stderr
    imported = r.stdout.strip().splitlines()[-1]
    assert "rich.console" not in imported and "rich.table" not in imported
