"""The views (trade, treaties, exchanges, sources, people, places, stats) and the output options."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from .conftest import GOOD

F = ("--facts-only", "--facts", str(GOOD))


def test_treaties(run) -> None:
    r = run(*F, "treaties", "--json")
    data = json.loads(r.out)
    assert [t["id"] for t in data] == ["1956-10-19-joint-declaration"]
    assert data[0]["parties"] == ["Japan", "Soviet Union"] and data[0]["provisions"].startswith("Ends the state")


def test_trade_records_and_table(run) -> None:
    data = json.loads(run(*F, "trade", "--json").out)
    assert [(t["date"], t["measure"], t["value"], t["unit"]) for t in data] == [
        ("2016-01/2016-08", "total", 10.11, "USD billion")
    ]
    table = run(*F, "trade", "--format", "table").out
    assert "2016-01/2016-08" in table and "10.11" in table and "Customs" in table
    assert "Change" not in table  # an empty column is left out of a table


def test_trade_chart(run) -> None:
    r = run(*F, "trade", "--chart")
    # A partial year is said to be one, and drawn with its own block ("=" in a pipe, "#" for whole years).
    assert r.out.splitlines()[:3] == [
        "Trade, total, USD billion",
        "",
        "January–August only: part of a year, not comparable with whole years",
    ]
    assert re.fullmatch(r"2016-01/2016-08  src-a  =+ 10\.11", r.out.splitlines()[3])


def test_exchanges_keep_qualifier_as_data(run) -> None:
    data = json.loads(run(*F, "exchanges", "--json").out)
    assert [(e["count"], e["qualifier"], e["direction"], e["scope"]) for e in data] == [
        (802, "exactly", "japan-to-islands", "annual")
    ]
    assert run(*F, "exchanges", "--fields", "amount,direction").out == "802\tjapan-to-islands\n"


def test_sources_count_citing_facts(run) -> None:
    data = {s["id"]: s for s in json.loads(run(*F, "sources", "--json").out)}
    assert data["src-a"]["facts"] == 5 and data["src-b"]["facts"] == 3


def test_people_and_places_show_aliases(run) -> None:
    people = json.loads(run(*F, "people", "--json").out)
    abe = next(p for p in people if p["id"] == "shinzo-abe")
    assert "安倍晋三" in abe["aliases"] and "Синдзо Абэ" in abe["aliases"]
    places = run(*F, "places", "--country", "disputed").out
    assert places.startswith("shikotan\tShikotan\tisland\tdisputed\t色丹島, Шикотан")


@pytest.mark.parametrize(
    ("by", "expected"),
    [
        ("category", [("meeting", 3), ("event", 1), ("exchange", 1), ("figure", 1), ("trade", 1), ("treaty", 1)]),
        ("person", [("Shinzo Abe", 3), ("Vladimir Putin", 2)]),
        ("source", [("src-a", 5), ("src-b", 3)]),
        ("year", [("1956", 1), ("2013", 1), ("2014", 1), ("2016", 4), ("undated", 1)]),
    ],
)
def test_stats_facets(run, by: str, expected: list[tuple[str, int]]) -> None:
    data = json.loads(run(*F, "stats", "--by", by, "--json").out)
    assert [(row["value"], row["count"]) for row in data] == expected


def test_stats_bad_facet(run) -> None:
    r = run(*F, "stats", "--by", "colour")
    assert r.code == 2 and "--by: 'colour' is not one of" in r.err


def test_fields_choose_and_order(run) -> None:
    r = run(*F, "meetings", "--fields", "id,date", "--format", "csv")
    rows = list(csv.reader(io.StringIO(r.out)))
    assert rows == [
        ["id", "date"],
        ["2013-04-28-abe-visit", "2013-04-28/2013-04-30"],
        ["2016-05-putin-abe-sochi", "2016-05"],
        ["2016-09-02-putin-abe-vladivostok", "2016-09-02"],
    ]
    assert json.loads(run(*F, "meetings", "--year", "2016", "--fields", "date,id", "--json").out)[0] == {
        "date": "2016-05",
        "id": "2016-05-putin-abe-sochi",
    }


def test_unknown_field_lists_valid_ones(run) -> None:
    r = run(*F, "meetings", "--fields", "id,colour")
    assert r.code == 2 and r.out == ""
    assert "--fields: unknown field 'colour'; valid fields: id, category, date" in r.err


def test_csv_joins_lists_for_spreadsheets(run) -> None:
    r = run(*F, "meetings", "--year", "2016", "--format", "csv", "--fields", "date,participant_names")
    assert r.out.splitlines()[2] == "2016-09-02,Vladimir Putin; Shinzo Abe"
    assert "\r\n" in r.out  # RFC 4180 line ends


def test_terms_list_aliases(run) -> None:
    from nichiro.factbase import load_factbase

    r = run("terms", "--json")
    data = json.loads(r.out)
    assert len(data) == len(load_factbase().terms) and all(t["aliases"] for t in data[:5])
    joint = next(t for t in data if "1956-10-19-soviet-japanese-joint-declaration" in t["facts"])
    assert any(not a.isascii() for a in joint["aliases"])  # Japanese or Russian names too


@pytest.mark.parametrize(
    ("args", "field", "value"),
    [
        (("trade", "--measure", "exports"), "measure", "exports"),
        (("exchanges", "--program", "cultural"), "program", "cultural"),
    ],
)
def test_field_filters_keep_only_that_value(run, args: tuple[str, ...], field: str, value: str) -> None:
    data = json.loads(run(*args, "--json").out)
    assert data and {rec[field] for rec in data} == {value}


# --------------------------------------------------------------------------- places that nest, offices


@pytest.fixture(scope="module")
def bundled():  # type: ignore[no-untyped-def]
    from nichiro.paths import bundled_dir
    from nichiro.store import load

    return load([bundled_dir()], use_cache=False)


def test_a_place_filter_includes_the_places_inside_it(bundled) -> None:  # type: ignore[no-untyped-def]
    from nichiro.filters import build, select
    from nichiro.options import defaults
    from nichiro.views import places_within

    inside = places_within(bundled.registry("place"), ["japan"])
    assert {"tokyo", "nagato", "kawana", "yamaguchi-prefecture"} <= set(inside)
    assert not {"moscow", "vladivostok", "kuril-islands", "shikotan"} & set(inside)
    held = {r["id"] for r in select(bundled, build(bundled, defaults(["meetings"], place=("Japan",)), ("meeting",)))}
    assert {
        "1998-04-kawana-summit",
        "2017-12-gerasimov-kawano-tokyo",
        "2012-01-28-lavrov-working-visit-to-tokyo",
    } <= held
    assert "2016-09-02-putin-abe-vladivostok" not in held
    # The disputed islands lie in the Kuril Islands, in neither country.
    assert {"shikotan", "kunashir", "iturup", "habomai"} <= set(
        places_within(bundled.registry("place"), ["kuril-islands"])
    )


def test_a_person_learns_of_the_facts_naming_only_an_office_they_held(bundled) -> None:  # type: ignore[no-untyped-def]
    from nichiro.filters import windows
    from nichiro.views import office_notice, office_only_facts

    [medvedev] = office_only_facts(bundled, ["dmitry-medvedev"], ("meeting",))
    assert (medvedev["office"], medvedev["start"], medvedev["end"], medvedev["basis"]) == (
        "president-of-russia",
        "2008-05-07",
        "2012-05-07",
        "outside-sources",
    )
    assert medvedev["facts"] == [
        "2011-05-27-kan-top-level-talks-deauville-g8",
        "2011-11-12-noda-top-level-talks-honolulu-apec",
    ]
    line = office_notice(medvedev, "meetings")
    assert line.startswith(
        "note: 2 meetings in Dmitry Medvedev's term as President of Russia (2008-05-07 to 2012-05-07"
    )
    assert "outside the sources" in line and "2011-05-27-kan-top-level-talks-deauville-g8" in line
    putin = {e["start"]: e["facts"] for e in office_only_facts(bundled, ["vladimir-putin"], ("meeting",))}
    assert "2012-06-18-putin-noda-los-cabos-g20" in putin["2012-05-07"]
    assert "2011-05-27-kan-top-level-talks-deauville-g8" not in putin.get("2012-05-07", [])
    noda = office_only_facts(bundled, ["yoshihiko-noda"], ("meeting",), windows([2012]))
    assert [e["facts"] for e in noda] == [["2012-03-05-noda-congratulates-putin-on-election-phone-call"]]
    # Outside the date filter, or for a person who held no office, there is nothing to say.
    assert office_only_facts(bundled, ["dmitry-medvedev"], ("meeting",), windows([2016])) == []
    assert office_only_facts(bundled, ["sergey-naryshkin"], ("meeting",)) == []
