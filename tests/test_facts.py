"""Data tests for the bundled fact base, in the spirit of python-holidays' country tests.

The key facts of the five source texts must be present with the right date, precision and
figures; errors the curation rules forbid (a guessed day, a ten-month figure dated as a year,
a figure made by adding up parts, a garbled spelling used as a name) must not be; and every
record must follow the rules that make it quotable.
"""

from __future__ import annotations

import calendar
import dataclasses
import itertools
import re

import pytest

from nichiro.factbase import check_quotes, load_factbase
from nichiro.model import Fact, PartialDate
from tests.conftest import needs_sources

BASE = load_factbase()
FACTS = BASE.facts
ALL_SOURCES = {"sputnik-2016", "russian-government-2012", "wikipedia-2019", "pecob-2017", "wikipedia-2022"}
# How a claim's title or summary names whose claim it is.
SOURCE_NAMES = {
    "sputnik-2016": "Sputnik",
    "russian-government-2012": "Russian government",
    "wikipedia-2019": "Wikipedia",
    "pecob-2017": "Pecob",
    "wikipedia-2022": "Wikipedia",
}
MEETINGS_2013 = [
    "2013-04-28-abe-official-visit-to-russia",
    "2013-06-17-putin-abe-lough-erne-g8",
    "2013-09-05-putin-abe-saint-petersburg-g20",
    "2013-10-07-putin-abe-bali-apec",
]


def fact(fact_id: str) -> Fact:
    assert fact_id in BASE.by_id, f"missing fact {fact_id}"
    return BASE.by_id[fact_id]


def cited(f: Fact) -> set[str]:
    return {s.source for s in f.sources}


def quotes(f: Fact) -> str:
    return " ".join(s.quote for s in f.sources)


FILE_NUMBER = re.compile(r"(?<![\w,.])00[0-4](?!\w)")  # "000", not "17,000" or "17.000"


def param(facts: list[Fact]) -> list[object]:
    return [pytest.param(f, id=f.id) for f in facts]


# --------------------------------------------------------------------------- key facts


def test_base_is_complete() -> None:
    assert len(FACTS) >= 240
    assert set(BASE.sources) == ALL_SOURCES
    for source in ALL_SOURCES:
        assert sum(source in cited(f) for f in FACTS) >= 10, source


def test_1956_joint_declaration_cites_all_five_sources() -> None:
    f = fact("1956-10-19-soviet-japanese-joint-declaration")
    assert str(f.date) == "1956-10-19"
    assert f.date.precision == "day"
    assert f.category == "treaty"
    assert f.details["kind"] == "declaration"
    assert set(f.details["parties"]) == {"Soviet Union", "Japan"}
    assert cited(f) == ALL_SOURCES
    assert "Habomai" in f.details["provisions"] and "Shikotan" in f.details["provisions"]


def test_1925_basic_convention() -> None:
    f = fact("1925-01-20-soviet-japanese-basic-convention")
    assert str(f.date) == "1925-01-20"
    assert f.details["place"] == ("beijing",)
    assert f.details["kind"] == "convention"


def test_1945_relations_suspended_and_war_declared() -> None:
    assert str(fact("1945-08-09-relations-suspended").date) == "1945-08-09"
    war = fact("1945-08-soviet-declaration-of-war-on-japan")
    assert str(war.date) == "1945-08"
    assert {"wikipedia-2019", "wikipedia-2022", "sputnik-2016"} <= cited(war)


def test_sputnik_ally_of_nazi_germany_is_a_claim() -> None:
    f = fact("1945-08-sputnik-japan-ally-of-nazi-germany")
    assert f.status == "claim"
    assert cited(f) == {"sputnik-2016"}
    assert f.title.startswith("Sputnik:")
    # the Soviet declaration itself is a fact and does not repeat the claim as its own
    assert "Nazi" not in fact("1945-08-soviet-declaration-of-war-on-japan").summary


def test_17000_residents_fled_the_disputed_southern_islands() -> None:
    """Pecob's 17,000 fled the islands Japan calls the Northern Territories, not the whole chain."""
    f = fact("1945-08-soviet-seizure-of-kuril-islands")
    flee = [x for x in f.details["figures"] if "flee" in x["label"]]
    assert [x["value"] for x in flee] == [17000]
    assert "disputed southern islands" in flee[0]["label"]
    assert "17,000" in f.summary and "disputed southern islands" in f.summary
    assert "pecob-2017" in cited(f)
    assert "17.000" in f.note and "Northern Territories" in f.note
    assert "Northern Territories" in quotes(BASE.places["southern-kuril-islands"])  # type: ignore[arg-type]
    assert {"kuril-islands", "southern-kuril-islands"} <= set(f.tags)  # the chain was seized; 17,000 fled the south
    assert f.details["place"] == ("kuril-islands",)  # "the Kuril chain of islands"


def test_1992_recognition_of_the_russian_federation() -> None:
    f = fact("1992-01-27-japan-recognises-russian-federation-as-successor-state")
    assert str(f.date) == "1992-01-27"
    assert cited(f) == {"sputnik-2016", "russian-government-2012"}


def test_1997_krasnoyarsk_and_1998_kawana_summits() -> None:
    assert str(fact("1997-11-01-yeltsin-hashimoto-krasnoyarsk").date) == "1997-11-01"
    kawana = fact("1998-04-kawana-summit")
    assert str(kawana.date) == "1998-04"  # "mid-April 1998": the month, never a guessed day
    assert kawana.details["place"] == ("kawana",)
    assert "Kanawa" in kawana.as_written
    assert "mid-April" in kawana.summary


def test_obuchi_title_garble_is_explained() -> None:
    f = fact("1998-11-obuchi-yeltsin-moscow")
    assert str(f.date) == "1998-11"
    assert f.details["level"] == "leaders"
    assert "Foreign Minister" in f.note


def test_okada_december_2009_visit() -> None:
    f = fact("2009-12-okada-visit-to-russia")
    assert str(f.date) == "2009-12"
    assert list(f.details["participants"]) == ["katsuya-okada"]
    assert "Kunio Okada" in f.as_written


def test_six_agreements_of_may_2009() -> None:
    f = fact("2009-05-six-intergovernmental-agreements-putin-visit")
    assert str(f.date) == "2009-05"
    assert (f.details["count"], f.details["qualifier"]) == (6, "exactly")


def test_los_cabos_2012() -> None:
    f = fact("2012-06-18-putin-noda-los-cabos-g20")
    assert str(f.date) == "2012-06-18"
    assert f.details["place"] == ("los-cabos",)
    assert f.details["occasion"] == "G20 summit"
    assert "Los-Cabos" in f.as_written


def test_abe_official_visit_april_2013() -> None:
    f = fact("2013-04-28-abe-official-visit-to-russia")
    assert str(f.date) == "2013-04-28/2013-04-30"
    assert f.date.precision == "range"
    assert f.details["kind"] == "official-visit"
    assert str(fact("2013-04-28-joint-statement-road-map").date) == "2013-04-28/2013-04-30"
    assert fact("2013-04-28-sputnik-first-japanese-pm-official-visit-in-10-years").status == "claim"


@pytest.mark.parametrize(
    ("fact_id", "date", "place"),
    [
        ("2013-06-17-putin-abe-lough-erne-g8", "2013-06-17", "lough-erne"),
        ("2013-09-05-putin-abe-saint-petersburg-g20", "2013-09-05", "saint-petersburg"),
        ("2013-10-07-putin-abe-bali-apec", "2013-10-07", "bali"),
        ("2014-02-08-putin-abe-sochi-olympics", "2014-02-08", "sochi"),
        ("2014-10-17-putin-abe-milan-asem", "2014-10-17", "milan"),
        ("2014-11-09-putin-abe-beijing-apec", "2014-11-09", "beijing"),
        ("2015-09-28-putin-abe-new-york-unga", "2015-09-28", "new-york"),
        ("2015-11-15-putin-abe-antalya-g20", "2015-11-15", "antalya"),
        ("2016-09-02-putin-abe-vladivostok", "2016-09-02", "vladivostok"),
        ("2016-05-putin-abe-sochi", "2016-05", "sochi"),
        ("2016-11-putin-abe-lima", "2016-11", "lima"),
    ],
)
def test_putin_abe_meetings(fact_id: str, date: str, place: str) -> None:
    f = fact(fact_id)
    assert f.category == "meeting"
    assert str(f.date) == date
    assert f.details["place"] == (place,)
    assert set(f.details["participants"]) == {"vladimir-putin", "shinzo-abe"}


def test_vladivostok_2016_cites_both_sources() -> None:
    f = fact("2016-09-02-putin-abe-vladivostok")
    assert f.details["occasion"] == "Eastern Economic Forum"
    assert cited(f) == {"sputnik-2016", "pecob-2017"}


def test_pecob_finally_met_in_2014_is_a_claim_against_the_2013_meetings() -> None:
    f = fact("2014-pecob-putin-abe-finally-meet-in-sochi")
    assert f.status == "claim"
    assert str(f.date) == "2014"
    assert set(MEETINGS_2013) <= set(f.disagrees_with)
    for meeting in MEETINGS_2013:
        assert f.id in fact(meeting).disagrees_with


def test_first_ever_diplomatic_talks_claim_is_linked() -> None:
    f = fact("2013-11-first-diplomatic-talks-claim")
    assert f.status == "claim"
    assert "2013-04-28-abe-official-visit-to-russia" in f.disagrees_with


def test_december_2016_visit_keeps_the_month() -> None:
    visit = fact("2016-12-putin-visit-to-japan")
    assert str(visit.date) == "2016-12"
    assert {"pecob-2017", "sputnik-2016"} <= cited(visit)
    announced = fact("2016-09-02-putin-visit-to-japan-announced")
    assert "December 15" in quotes(announced)
    agreements = fact("2016-12-more-than-65-agreements")
    assert (agreements.details["count"], agreements.details["qualifier"]) == (65, "more-than")
    assert fact("2016-12-pecob-sixteenth-abe-putin-summit").status == "claim"


@pytest.mark.parametrize(
    ("fact_id", "date", "value", "measure"),
    [
        ("2014-russia-japan-trade-total", "2014", 30.77, "total"),
        ("2014-russian-exports-to-japan", "2014", 19.85, "exports"),
        ("2014-russian-imports-from-japan", "2014", 10.92, "imports"),
        ("2015-russia-japan-trade-total", "2015", 21.31, "total"),
        ("2015-russian-exports-to-japan", "2015", 14.5, "exports"),
        ("2015-russian-imports-from-japan", "2015", 6.8, "imports"),
    ],
)
def test_customs_service_trade_figures(fact_id: str, date: str, value: float, measure: str) -> None:
    f = fact(fact_id)
    assert str(f.date) == date
    assert f.date.precision == "year"
    assert f.details["measure"] == measure
    assert f.details["value"] == value
    assert f.details["unit"] == "USD billion"
    assert f.details["reporter"] == "Russian Federal Customs Service"
    assert cited(f) == {"sputnik-2016"}


def test_2015_fall_of_almost_one_third() -> None:
    f = fact("2015-russia-japan-trade-change")
    assert (f.details["measure"], f.details["qualifier"], f.details["baseline"]) == ("change", "almost", "2014")
    assert "one-third" in quotes(f)


@pytest.mark.parametrize(
    ("fact_id", "value"),
    [
        ("2016-01-russia-japan-trade-total-first-eight-months", 10.11),
        ("2016-01-russian-exports-to-japan-first-eight-months", 5.9),
        ("2016-01-russian-imports-from-japan-first-eight-months", 4.14),
    ],
)
def test_first_eight_months_of_2016(fact_id: str, value: float) -> None:
    f = fact(fact_id)
    assert str(f.date) == "2016-01/2016-08"
    assert f.details["value"] == value
    assert "10.04" in f.note  # the parts do not add up to the total: said, not corrected


def test_pecob_ten_month_trade_figures() -> None:
    total_2015 = fact("2015-01-pecob-russia-japan-trade-total-first-ten-months")
    assert (str(total_2015.date), total_2015.details["value"]) == ("2015-01/2015-10", 17.7)
    base_2014 = fact("2014-01-pecob-russia-japan-trade-total-first-ten-months")
    assert (str(base_2014.date), base_2014.details["value"]) == ("2014-01/2014-10", 28.3)
    change = fact("2015-01-pecob-russia-japan-trade-change-first-ten-months")
    assert (str(change.date), change.details["value"], change.details["baseline"]) == (
        "2015-01/2015-10",
        -38,
        "2014-01/2014-10",
    )
    for f in (total_2015, base_2014, change):
        assert f.details["reporter"] == "Pecob"


@pytest.mark.parametrize(
    ("fact_id", "direction", "count"),
    [
        ("2016-visa-free-japan-to-islands", "japan-to-islands", 802),
        ("2016-visa-free-islands-to-japan", "islands-to-japan", 281),
        ("2015-visa-free-japan-to-islands", "japan-to-islands", 761),
        ("2015-visa-free-islands-to-japan", "islands-to-japan", 299),
    ],
)
def test_annual_visa_free_counts(fact_id: str, direction: str, count: int) -> None:
    f = fact(fact_id)
    assert (f.details["program"], f.details["scope"], f.details["qualifier"]) == ("visa-free", "annual", "exactly")
    assert (f.details["direction"], f.details["count"]) == (direction, count)
    assert str(f.date) == fact_id[:4]


@pytest.mark.parametrize(
    ("fact_id", "count", "qualifier", "as_of", "source"),
    [
        ("2016-visa-free-cumulative-japan-to-islands", 20000, "over", "2016", "sputnik-2016"),
        ("2016-visa-free-cumulative-islands-to-japan", 9500, "some", "2016", "sputnik-2016"),
        ("2012-visa-free-cumulative-japan-to-islands", 15000, "over", "2012", "russian-government-2012"),
        ("2012-visa-free-cumulative-islands-to-japan", 7000, "more-than", "2012", "russian-government-2012"),
    ],
)
def test_cumulative_visa_free_counts(fact_id: str, count: int, qualifier: str, as_of: str, source: str) -> None:
    f = fact(fact_id)
    assert f.details["scope"] == "cumulative"
    assert (f.details["count"], f.details["qualifier"]) == (count, qualifier)
    assert f.details["as_of"] == as_of == str(f.date)
    assert f.details["since"].startswith("1992")
    assert cited(f) == {source}  # 2012 and 2016 totals are separate facts, never merged


def test_visa_free_exchanges_begin_april_1992() -> None:
    f = fact("1992-04-visa-free-exchanges-begin")
    assert str(f.date) == "1992-04"
    assert cited(f) == {"sputnik-2016", "russian-government-2012"}
    assert str(fact("1991-10-14-agreement-on-reciprocal-visits").date) == "1991-10-14"


def test_festival_of_russian_culture() -> None:
    assert str(fact("2006-festival-of-russian-culture-in-japan").date) == "2006"
    visitors = fact("2016-festival-of-russian-culture-visitors")
    assert (visitors.details["count"], visitors.details["qualifier"]) == (13_000_000, "more-than")


def test_2014_ukraine_events_and_sanctions() -> None:
    crimea = fact("2014-russian-annexation-of-crimea")
    assert str(crimea.date) == "2014"
    assert {"wikipedia-2019", "pecob-2017", "wikipedia-2022"} <= cited(crimea)
    assert "pecob-2017" in cited(fact("2014-maidan-unrest-in-kiev"))
    assert "pecob-2017" in cited(fact("2014-conflict-in-eastern-ukraine"))
    assert str(fact("2014-03-japan-sanctions-visa-and-cooperation-talks").date) == "2014-03"
    assert str(fact("2014-08-russia-visa-restrictions-on-japanese-citizens").date) == "2014-08"
    g7 = fact("2014-japan-joins-g7-sanctions-against-russia")
    assert {"sputnik-2016", "wikipedia-2019", "pecob-2017"} <= cited(g7)


def test_polls() -> None:
    levada = {x["label"]: x["value"] for x in fact("2018-levada-poll-russian-views-of-japan").details["figures"]}
    assert levada == {"favourable view of Japan": 61, "negative view of Japan": 20}
    pew = fact("2017-pew-poll-japanese-views-of-russia")
    assert [x["value"] for x in pew.details["figures"]] == [64, 26, 16, 53]
    assert cited(pew) == {"wikipedia-2019", "wikipedia-2022"}


def test_kuril_dispute_status_by_source_date() -> None:
    in_2019 = fact("2019-02-kuril-dispute-unresolved")
    in_2022 = fact("2022-kuril-dispute-unresolved")
    assert (str(in_2019.date), cited(in_2019)) == ("2019-02", {"wikipedia-2019"})
    assert (str(in_2022.date), cited(in_2022)) == ("2022", {"wikipedia-2022"})


def test_2022_sanctions_keep_the_garbled_year() -> None:
    f = fact("2022-japan-sanctions-over-invasion-of-ukraine")
    assert str(f.date) == "2022"
    assert "In 19" in f.as_written
    assert "In 19" in f.note
    assert str(fact("2022-russian-invasion-of-ukraine").date) == "2022"


def test_military_contacts_2017() -> None:
    assert str(fact("2017-12-gerasimov-kawano-tokyo").date) == "2017-12"  # "mid-December 2017"
    drills = fact("2017-12-gerasimov-joint-drills-2018")
    assert drills.status == "claim"
    assert [(x["value"], x["qualifier"]) for x in drills.details["figures"]] == [(30, "more-than")]


# --------------------------------------------------------------------------- what must not be there


def test_no_day_for_the_december_2016_visit() -> None:
    assert not [f.id for f in FACTS if f.date and str(f.date).startswith("2016-12-15")]


def test_2016_sochi_and_lima_stay_months() -> None:
    for f in FACTS:
        if f.date and f.date.start.year == 2016 and f.date.start.month in (5, 11, 12):
            assert f.date.start.day is None or f.id == "2016-11-30-russian-foreign-policy-concept", f.id


def test_no_day_from_a_source_that_gives_only_a_month() -> None:
    """A day-precise date must be in one of the fact's quotes: its month name and its day number."""

    def said(day: PartialDate, f: Fact) -> bool:
        month = calendar.month_name[day.month or 0]
        return any(month in s.quote and re.search(rf"\b{day.day}\b", s.quote) for s in f.sources)

    unsaid = [
        f.id
        for f in FACTS
        if f.date
        for end in (f.date.start, f.date.end)
        if end is not None and end.day is not None and not said(end, f)
    ]
    assert unsaid == []


def test_vladivostok_statements_only_in_pecob_keep_the_month() -> None:
    for fact_id in ("2016-09-putin-no-intention-to-trade-territories", "2016-09-abe-proposes-vladivostok-model-city"):
        f = fact(fact_id)
        assert (str(f.date), cited(f)) == ("2016-09", {"pecob-2017"})
    assert "2016-09-02-putin-no-intention-to-trade-territories" not in BASE.by_id


def test_partial_period_figures_are_ranges() -> None:
    for f in BASE.of_category("trade"):
        text = quotes(f)
        if re.search(r"first (10|ten|eight) months", text):
            assert f.date.precision == "range", f.id
    assert all(str(f.date) != "2015" for f in BASE.of_category("trade") if f.details["reporter"] == "Pecob")


def test_no_trade_figure_adds_up_sources() -> None:
    """Every total, export and import figure is a number the source prints, not a sum."""
    for f in BASE.of_category("trade"):
        if f.details["measure"] != "change":
            value = f.details["value"]
            assert f"{value:g}" in quotes(f), f.id
    assert not [f.id for f in BASE.of_category("trade") if f.details["value"] in (10.04, 21.3)]


def test_kanawa_is_never_a_name() -> None:
    assert "kawana" in BASE.places
    assert not [p.id for p in BASE.places.values() if "kanawa" in (p.id, p.name.lower())]
    assert not [f.id for f in FACTS if "kanawa" in f.details.get("place", ())]
    assert not [f.id for f in FACTS if "Kanawa" in f.title or "Kanawa" in f.summary]


def test_no_fact_outside_the_sources_span() -> None:
    """No fact dated 0019 (the 'In 19' garble) or otherwise outside 1855-2022."""
    assert not [f.id for f in FACTS if f.date and not 1855 <= f.date.start.year <= 2022]
    assert not [f.id for f in FACTS if f.id.startswith("0019")]


# --------------------------------------------------------------------------- curation pass 4 (issue 13)


def test_pecob_2014_total_disagrees_with_sputnik_either_way_it_is_read() -> None:
    pecob = fact("2014-01-pecob-russia-japan-trade-total-first-ten-months")
    sputnik = fact("2014-russia-japan-trade-total")
    assert pecob.disagrees_with == (sputnik.id,) and sputnik.disagrees_with == (pecob.id,)
    assert "inferred" in pecob.title  # the ten months are a reading of the sentence, not the source's words
    assert "in 2014" in pecob.title and "ten months" not in quotes(pecob).split("in 2014")[0][-40:]
    for arithmetic in ("30.77 − 28.3 = $2.47 billion", "$1.2 billion a month", "$2.83 billion a month", "(8%)"):
        assert arithmetic in pecob.note, arithmetic
    assert round(30.77 - 28.3, 2) == 2.47 and round((30.77 - 28.3) / 30.77 * 100) == 8
    assert round((30.77 - 28.3) / 2, 1) == 1.2 and round(28.3 / 10, 2) == 2.83
    # The 2015 ten-month figure fits Sputnik's 2015 total when read as ten months: no disagreement.
    assert fact("2015-01-pecob-russia-japan-trade-total-first-ten-months").disagrees_with == ()


def test_december_2016_visit_does_not_say_where_the_leaders_met() -> None:
    visit = fact("2016-12-putin-visit-to-japan")
    assert visit.details["place"] == ("nagato", "tokyo")
    assert "meeting Abe in" not in visit.title and "Nagato and Tokyo" in visit.title
    assert "No source says where in Japan the two leaders met" in visit.note
    assert fact("2016-12-putin-visits-nagato").details["participants"] == ("vladimir-putin",)


def test_return_without_restriction_is_pecobs_alone() -> None:
    f = fact("2016-12-joint-economic-activities-talks-agreed")
    assert "Pecob adds" in f.summary and "no other text supports" in f.summary
    assert "to return to them without any restriction" in f.note  # the garble, quoted
    assert "No other text" in f.note
    assert cited(f) == {"pecob-2017"}


def test_medvedev_reinforcements_keep_the_source_vagueness() -> None:
    f = fact("2010-medvedev-orders-kuril-reinforcements")
    assert str(f.date) == "2010/2011"  # "shortly" after the 2010 trip
    assert "place" not in f.details  # the islands are the topic; the source does not say where he gave the order


def test_yeltsin_obuchi_decade_is_the_sources_claim() -> None:
    f = fact("1990-yeltsin-obuchi-efforts-to-reach-agreement")
    assert f.status == "claim" and f.title.startswith("Wikipedia (2019):")
    assert "July 30, 1998" in f.note
    assert {"1998-11-obuchi-yeltsin-moscow", "1998-07-30-obuchi-focus-on-peace-treaty"} <= set(f.related)


TEXT_FIELDS = ("title", "summary", "note")


@pytest.mark.parametrize("f", param(FACTS))
def test_notes_name_sources_by_id_not_file_number(f: Fact) -> None:
    texts = [f.title, f.summary, f.note or "", str(f.details.get("provisions") or "")]
    texts += [str(x.get("label")) for x in f.details.get("figures") or ()]
    assert not [t for t in texts if FILE_NUMBER.search(t)], "name a source by its id (sputnik-2016), not 000"


def test_the_file_number_check_can_fail() -> None:
    assert FILE_NUMBER.search("000 does not repeat the attribution") and FILE_NUMBER.search("as 003 says")
    assert not FILE_NUMBER.search("17,000 fled; '17.000'; 13,000,000; sputnik-2016")


TOPIC_NOT_PLACE = {
    "2008-07-16-japanese-textbook-guideline-on-kurils": "kuril-islands",
    "2008-07-18-russian-foreign-minister-response-to-textbooks": "kuril-islands",
    "2022-japan-sanctions-over-invasion-of-ukraine": "ukraine",
    "2022-russia-halts-peace-negotiations": "kuril-islands",
    "1945-kuril-dispute-main-stumbling-block": "kuril-islands",
    "1956-us-threat-to-keep-okinawa": "okinawa",
    "1855-cordial-relations-until-russo-japanese-war": "manchuria",
    "1890-relations-turn-hostile-over-korea": "korea",
    "2012-russian-government-peace-treaty-blamed-on-tokyo-claims": "kuril-islands",
}


@pytest.mark.parametrize(("fact_id", "topic"), TOPIC_NOT_PLACE.items())
def test_a_topic_is_a_tag_not_a_place(fact_id: str, topic: str) -> None:
    f = fact(fact_id)
    assert topic not in f.details.get("place", ())
    assert topic in f.tags


@pytest.mark.parametrize(
    ("fact_id", "place"),
    [
        ("2006-08-16-japanese-fisherman-killed", ("southern-kuril-islands",)),  # around "the disputed Kuril Islands"
        ("2010-medvedev-visits-kuril-islands", ("kuril-islands",)),
        ("2014-maidan-unrest-in-kiev", ("kiev",)),
        ("2022-russian-invasion-of-ukraine", ("ukraine",)),
        ("1918-intervention-in-russian-civil-war", ("russian-far-east", "siberia")),
    ],
)
def test_where_it_happened_stays(fact_id: str, place: tuple[str, ...]) -> None:
    assert fact(fact_id).details["place"] == place


@pytest.mark.parametrize(
    ("fact_id", "place"),
    [
        ("2008-11-05-lavrov-visit-to-japan", ("japan",)),
        ("2009-05-putin-visit-to-japan", ("japan",)),
        ("2009-10-12-house-of-councillors-chairman-visit-to-russia", ("russia",)),
        ("2009-12-okada-visit-to-russia", ("russia",)),
        ("2012-06-10-naryshkin-visit-to-japan", ("osaka", "japan")),
        ("2012-06-10-naryshkin-noda-meeting", ("japan",)),
        ("2013-04-28-abe-official-visit-to-russia", ("russia",)),
        ("2016-12-putin-visit-to-japan", ("nagato", "tokyo")),
        ("2017-shoigu-visits-japan", ("japan",)),
        ("2017-09-abe-putin-eastern-economic-forum-vladivostok", ("far-eastern-federal-university",)),
    ],
)
def test_meetings_carry_the_place_at_the_sources_precision(fact_id: str, place: tuple[str, ...]) -> None:
    assert fact(fact_id).details["place"] == place


@pytest.mark.parametrize("f", param([f for f in BASE.of_category("meeting") if not f.details.get("place")]))
def test_a_meeting_without_a_place_says_why(f: Fact) -> None:
    assert "place" in (f.note or ""), "leave the place empty only where no source says, and say so"


def test_most_meetings_have_a_place() -> None:
    meetings = BASE.of_category("meeting")
    without = [f.id for f in meetings if not f.details.get("place")]
    assert len(without) <= 9, without  # phone calls, a photo caption, two contacts the source does not place
    assert sum(f.details["kind"] == "phone-call" for f in meetings if f.id in without) == 6


def test_no_date_from_a_section_heading() -> None:
    boxer = fact("1855-boxer-rebellion-suppression")
    assert boxer.date is None and str(boxer.former_date) == "1855/1917"
    camps = fact("1917-opposite-camps-world-war-ii-cold-war")
    assert camps.date is None and str(camps.former_date) == "1917/1991"
    for f in (boxer, camps):
        assert f.category == "figure"
        assert "section" in (f.note or "") or "paragraph" in (f.note or "")
    # No other fact is dated by the source's section headings alone.
    for f in FACTS:
        if f.date and str(f.date) in ("1855/1917", "1917/1991"):
            assert f.id in {"1855-relations-with-russian-empire", "1917-relations-with-soviet-union"} or (
                "paragraph" in (f.note or "")
            ), f.id


def test_euromaidan_began_in_late_2013_and_engagement_ends_before_2022() -> None:
    maidan = fact("2014-maidan-unrest-in-kiev")
    assert str(maidan.date) == "2013/2014" and str(maidan.former_date) == "2014"
    assert "late 2013" in maidan.note
    engage = fact("2014-japan-continues-to-engage-russia")
    assert engage.date is not None and engage.date.hi.year < 2022
    sanctions = fact("2022-japan-sanctions-over-invasion-of-ukraine")
    assert sanctions.date is not None and engage.date.hi < sanctions.date.lo


@pytest.mark.parametrize(
    ("fact_id", "field", "said", "not_said"),
    [
        ("2008-07-18-russian-foreign-minister-response-to-textbooks", "title", "criticises", "condemns"),
        ("2007-strategic-dialogue-first-deputy-foreign-ministers", "title", "since 2007", "established"),
        ("undated-visa-free-exchange-arrangements", "summary", "environmental scientists", " include scientists"),
        ("1992-general-staff-reports-on-return-of-northern-territories", "title", "possible return", "the return"),
        ("2006-festival-of-russian-culture-in-japan", "title", "held since 2006", "founded"),
        ("1997-11-01-yeltsin-asks-for-financial-assistance", "title", "$3 or $4 billion", "$3–4"),
    ],
)
def test_words_say_no_more_than_the_source(fact_id: str, field: str, said: str, not_said: str) -> None:
    text = getattr(fact(fact_id), field)
    assert said in text and not_said not in text


@pytest.mark.parametrize(
    ("fact_id", "mentioned"),
    [
        ("2006-09-28-lavrov-on-dialogue-with-new-japanese-government", "taro-aso"),
        ("1996-russia-pivots-east", "ryutaro-hashimoto"),
    ],
)
def test_people_merely_mentioned_are_not_participants(fact_id: str, mentioned: str) -> None:
    assert mentioned not in fact(fact_id).details.get("participants", ())


# --------------------------------------------------------------------------- places, offices, tags

OFFICES = {p.id: p for p in BASE.people.values() if p.kind == "office"}
PEOPLE = {p.id: p for p in BASE.people.values() if p.kind == "person"}
MERGED_TAGS = {"1956-joint-declaration", "defense", "counter-terrorism", "russian-culture-festival", "korean-peninsula"}


def test_tags_are_drawn_from_the_registry() -> None:
    """One spelling per tag: every tag is in facts/tags.toml, and no merged spelling survives."""
    assert len(BASE.tags) >= 100
    used = {t for f in FACTS for t in f.tags}
    assert used - set(BASE.tags) == set()
    assert used & MERGED_TAGS == set()
    aliases = {a for tag in BASE.tags.values() for a in tag.aliases}
    assert MERGED_TAGS <= aliases  # a merged spelling is kept as an alias, so a filter can resolve it
    assert aliases & set(BASE.tags) == set()
    assert {"joint-declaration-1956", "defence", "counterterrorism", "festival-of-russian-culture"} <= used
    unused = set(BASE.tags) - used
    assert unused == set(), f"tags no fact carries: {sorted(unused)}"


@pytest.mark.parametrize("f", param([f for f in FACTS if "place" in f.details]))
def test_place_is_a_list_of_known_places(f: Fact) -> None:
    places = f.details["place"]
    assert isinstance(places, tuple) and places, "write place = [...]: a list of place ids"
    assert len(set(places)) == len(places)
    assert set(places) <= set(BASE.places)


TOP_LEVEL = {"kuril-islands", "crimea", "korea", "manchukuo", "outer-mongolia", "singapore"}


@pytest.mark.parametrize("place", [pytest.param(p, id=p.id) for p in BASE.places.values()])
def test_every_place_nests_in_its_country(place) -> None:  # type: ignore[no-untyped-def]
    from nichiro.model import place_ancestors

    chain = place_ancestors(place.id, BASE.places)
    if place.kind == "country" or place.id in TOP_LEVEL:
        assert place.parent is None
        return
    assert chain, f"{place.id} lies in nothing"
    if place.country == "disputed":
        assert chain[-1] == "kuril-islands", "the disputed islands lie in the Kuril Islands, in neither country"
    else:
        assert BASE.places[chain[-1]].kind == "country"
        assert chain[-1] == place.country, f"{place.id}: country {place.country!r}, but it lies in {chain[-1]!r}"


def test_places_nest_as_expected() -> None:
    from nichiro.model import place_ancestors

    assert place_ancestors("nagato", BASE.places) == ["yamaguchi-prefecture", "japan"]
    assert place_ancestors("vladivostok", BASE.places) == ["russian-far-east", "russia"]
    assert place_ancestors("far-eastern-federal-university", BASE.places) == [
        "vladivostok",
        "russian-far-east",
        "russia",
    ]
    assert place_ancestors("lough-erne", BASE.places) == ["northern-ireland", "united-kingdom"]
    # The disputed southern islands lie in the Kuril Islands, the whole chain, which lies in neither country.
    for island in ("kunashir", "iturup", "lesser-kuril-ridge"):
        assert place_ancestors(island, BASE.places) == ["southern-kuril-islands", "kuril-islands"]
    for island in ("shikotan", "habomai"):  # the Lesser Kuril Ridge
        assert place_ancestors(island, BASE.places) == ["lesser-kuril-ridge", "southern-kuril-islands", "kuril-islands"]
    assert BASE.places["kuril-islands"].parent is None  # neither Russia's nor Japan's in the base


def test_offices_and_their_holders() -> None:
    assert {"president-of-russia", "prime-minister-of-japan", "foreign-minister-of-russia"} <= set(OFFICES)
    for office in OFFICES.values():
        assert office.roles == ()
        for holder in office.holders:
            assert holder.person in PEOPLE, (office.id, holder.person)
            # Terms come from outside the five texts: allowed only here, and marked so.
            assert holder.basis == "outside-sources" or (holder.source and holder.quote), (office.id, holder.person)
        terms = [h.span for h in office.holders]
        for before, after in itertools.pairwise(terms):
            assert before.hi <= after.lo, f"{office.id}: terms overlap or are out of order"
    for person in PEOPLE.values():
        assert person.holders == () and person.roles, person.id
    medvedev = [h for h in OFFICES["president-of-russia"].holders if h.person == "dmitry-medvedev"]
    assert [(str(h.start), str(h.end)) for h in medvedev] == [("2008-05-07", "2012-05-07")]


def _holder_on(office: str, fact: Fact) -> set[str]:
    assert fact.date is not None
    return {h.person for h in OFFICES[office].holders if h.span.lo <= fact.date.hi and fact.date.lo <= h.span.hi}


@pytest.mark.parametrize("f", param([f for f in FACTS if set(f.details.get("participants", ())) & set(OFFICES)]))
def test_an_office_stands_only_where_no_holder_is_named(f: Fact) -> None:
    """A fact that names the person lists the person; one that names only the office, never both."""
    participants = set(f.details["participants"])
    for office in participants & set(OFFICES):
        assert not participants & _holder_on(office, f), f"{f.id}: {office} and its holder both listed"
    assert "office" in (f.note or ""), "the note says the sources name only the office"


def _named_in(person_id: str, text: str) -> bool:
    person = BASE.people[person_id]
    names = {person.name, person.name.split()[-1], *person.aliases}
    return any(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", text, re.I) for n in names if len(n) > 2)


@pytest.mark.parametrize("f", param([f for f in FACTS if set(f.details.get("participants", ())) & set(PEOPLE)]))
def test_a_participant_is_named_in_the_quotes_or_explained(f: Fact) -> None:
    """The base fills participants from context ('the ministers met', 'the two leaders') evenly: wherever the
    quotes do not name a person who took part, the note says who it is and from where."""
    for person in set(f.details["participants"]) & set(PEOPLE):
        assert _named_in(person, quotes(f)) or _named_in(person, f.note or ""), person


def test_the_participant_check_can_fail() -> None:
    f = fact("2011-09-21-lavrov-gemba-new-york-unga")
    assert not _named_in("sergey-lavrov", quotes(f))  # 'The ministers met ...': read from context
    assert _named_in("sergey-lavrov", f.note or "") and _named_in("koichiro-gemba", f.note or "")


@pytest.mark.parametrize(
    ("fact_id", "office", "named"),
    [
        ("2011-05-27-kan-top-level-talks-deauville-g8", "president-of-russia", {"naoto-kan"}),
        ("2011-11-12-noda-top-level-talks-honolulu-apec", "president-of-russia", {"yoshihiko-noda"}),
        ("2012-06-18-putin-noda-los-cabos-g20", "president-of-russia", {"yoshihiko-noda"}),
        ("2012-09-08-putin-noda-vladivostok-apec", "president-of-russia", {"yoshihiko-noda"}),
        ("2012-03-05-noda-congratulates-putin-on-election-phone-call", "prime-minister-of-japan", {"vladimir-putin"}),
        ("2008-07-18-russian-foreign-minister-response-to-textbooks", "foreign-minister-of-russia", set()),
        ("2019-11-japanese-foreign-minister-to-visit-russia", "foreign-minister-of-japan", set()),
    ],
)
def test_contacts_that_name_only_an_office(fact_id: str, office: str, named: set[str]) -> None:
    participants = set(fact(fact_id).details["participants"])
    assert participants == {office} | named  # the holder of the day is not there: the source does not name him


def test_medvedev_term_has_meetings_naming_only_the_office() -> None:
    term = next(h.span for h in OFFICES["president-of-russia"].holders if h.person == "dmitry-medvedev")
    office_only = [
        f.id
        for f in BASE.of_category("meeting")
        if "president-of-russia" in f.details.get("participants", ()) and f.date and f.date.overlaps(term.lo, term.hi)
    ]
    assert office_only == [
        "2011-05-27-kan-top-level-talks-deauville-g8",
        "2011-11-12-noda-top-level-talks-honolulu-apec",
    ]
    assert not [
        f.id for f in FACTS if "dmitry-medvedev" in f.details.get("participants", ()) and f.category == "meeting"
    ]


# --------------------------------------------------------------------------- every record


@pytest.mark.parametrize("f", param(FACTS))
def test_id_starts_with_date(f: Fact) -> None:
    """The id starts with the date; once a correction moved the date, with the former date (ids never change)."""
    prefix = f"{f.date.start}-" if f.date else "undated-"
    if f.former_date is None:
        assert f.id.startswith(prefix)
    else:
        assert not f.id.startswith(prefix) and f.id.startswith(f"{f.former_date.start}-")
        assert "id" in (f.note or ""), "the note says the date moved and the id was kept"


@pytest.mark.parametrize("f", param(FACTS))
def test_sources_and_short_quotes(f: Fact) -> None:
    assert f.sources
    for s in f.sources:
        assert s.source in ALL_SOURCES
        assert s.quote.strip()
        assert len(s.quote) < 400, "quote a sentence or clause, not a passage"


@pytest.mark.parametrize("f", param(FACTS))
def test_title_and_summary(f: Fact) -> None:
    for text in (f.title, f.summary):
        assert text
        assert text == text.strip()
    assert "\n" not in f.title


@pytest.mark.parametrize("f", param(FACTS))
def test_links_exist_and_disagreements_are_mutual(f: Fact) -> None:
    for other in (*f.related, *f.disagrees_with):
        assert other in BASE.by_id, other
        assert other != f.id
    for other in f.disagrees_with:
        assert f.id in BASE.by_id[other].disagrees_with, other
    if f.disagrees_with:
        assert f.note, "a disagreement is explained in the note"
        assert not set(f.disagrees_with) & set(f.related), "a disagreeing fact is listed once, as a disagreement"


def one_way_links(facts: list[Fact]) -> list[tuple[str, str]]:
    """The `related` links whose target does not link back (as related, or as a disagreement)."""
    by_id = {f.id: f for f in facts}
    return [
        (f.id, other)
        for f in facts
        for other in f.related
        if other in by_id and f.id not in (*by_id[other].related, *by_id[other].disagrees_with)
    ]


def test_related_links_go_both_ways() -> None:
    """`related` is 'about the same thing', a symmetric relation: `show` lists only what a fact stores,
    so a link written on one side only is missing from the other fact's page."""
    assert one_way_links(FACTS) == []


def test_the_one_way_link_check_can_fail() -> None:
    a, b = fact("2014-russian-annexation-of-crimea"), fact("2014-maidan-unrest-in-kiev")
    assert b.id in a.related
    assert (b.id, a.id) in one_way_links([dataclasses.replace(a, related=()), b])


@pytest.mark.parametrize("f", param([f for f in FACTS if f.status == "claim"]))
def test_claims_say_whose(f: Fact) -> None:
    names = {SOURCE_NAMES[s.source] for s in f.sources}
    assert any(name.lower() in (f.title + " " + f.summary).lower() for name in names)


@pytest.mark.parametrize("f", param([f for f in FACTS if f.as_written]))
def test_as_written_is_in_the_quotes(f: Fact) -> None:
    for spelling in f.as_written:
        assert spelling in quotes(f)


def test_every_quote_is_in_its_source() -> None:
    problems = check_quotes(BASE, needs_sources())
    assert [str(p) for p in problems] == []


# --------------------------------------------------------------------------- audit: qualifiers, attribution, inference

QUALIFIER_WORDS = {
    "over": "over",
    "more-than": "more than",
    "some": "some",
    "about": "about",
    "almost": "almost",
    "at-least": "at least",
}


@pytest.mark.parametrize("f", param(FACTS))
def test_a_title_keeps_the_qualifier_of_its_figures(f: Fact) -> None:
    """'over 20,000', 'more than 65', 'almost one-third': the title never drops what the field keeps."""
    qualifiers = [f.details.get("qualifier")] + [x.get("qualifier") for x in f.details.get("figures") or ()]
    for qualifier in {q for q in qualifiers if q and q != "exactly"}:
        assert QUALIFIER_WORDS[qualifier] in f.title.lower(), qualifier


@pytest.mark.parametrize(
    ("fact_id", "said"),
    [
        ("2014-08-russia-visa-restrictions-on-japanese-citizens", "a number of Japanese citizens"),
        ("2014-japan-restrictive-measures-officials-organizations", "a number of high-ranking officials"),
        ("2022-mutual-expulsion-of-diplomats", "a number of diplomats"),
    ],
)
def test_a_title_keeps_a_number_of(fact_id: str, said: str) -> None:
    """'a number of Japanese citizens' is not 'Japanese citizens': the title keeps the source's scope."""
    f = fact(fact_id)
    assert "a number of" in quotes(f)
    assert said in f.title


@pytest.mark.parametrize(
    ("fact_id", "whose"),
    [
        ("1855-relations-mostly-friendly-until-early-1890s", "history section of Wikipedia 2019"),
        ("1890-relations-turn-hostile-over-korea", "history section of Wikipedia 2019"),
        ("1855-cordial-relations-until-russo-japanese-war", "lead of both Wikipedia versions"),
        ("1945-kuril-dispute-main-stumbling-block", "Wikipedia (2019):"),
        ("2012-military-border-law-enforcement-contacts", "Russian government:"),
        ("1905-good-relations-manchuria-outer-mongolia", "(Wikipedia 2019)"),
        ("1917-relations-with-soviet-union", "(Wikipedia 2019)"),
        ("1945-kuril-dispute-defines-relations", "Wikipedia (2019):"),
    ],
)
def test_a_judgement_says_whose_it_is_in_the_title(fact_id: str, whose: str) -> None:
    """One text's characterisation ('mostly friendly', 'the main stumbling block', 'making progress')
    is labelled in the title, all the more where another text characterises the same years differently."""
    assert whose in fact(fact_id).title


def test_one_sides_reading_is_attributed_in_the_summary() -> None:
    # In 2012 the Russian government called the 2003 Action Plan the road map.
    assert "Sputnik (2016) says" in fact("2013-04-28-joint-statement-road-map").summary
    assert "as Pecob reads it" in fact("2016-12-putin-1956-declaration-basis").summary
    assert fact("2012-military-border-law-enforcement-contacts").status == "claim"
    provisions = fact("2016-12-more-than-65-agreements").details["provisions"]
    assert "not of each agreement" in provisions  # the fields are the eight-point cooperation's, per Pecob


def test_who_took_part_is_what_the_source_says() -> None:
    # Russia's proposal was made at the meeting 'between Foreign Minister Keizo Obuchi and Yeltsin'.
    proposal = fact("1998-11-russia-proposes-transitory-legal-regime")
    assert set(proposal.details["participants"]) == {"boris-yeltsin", "keizo-obuchi"}
    # The text does not say to whom Putin made his 2018 proposal, nor that Putin was in Singapore.
    offer = fact("2018-putin-proposes-peace-treaty-without-preconditions")
    assert "proposed to" not in offer.summary and "to whom" in offer.note
    assert "does not say in so many words that Putin was at the summit" in (
        fact("2018-east-asia-summit-abe-putin-singapore").note or ""
    )
    # A photo caption shows the two together; that they met is all it says.
    assert "photo caption" in fact("2003-putin-koizumi-apec").summary
    assert "bears his name" in (fact("1997-hashimoto-yeltsin-plan").note or "")


def test_what_a_president_was_privately_considering_is_a_claim() -> None:
    f = fact("1992-yeltsin-considers-giving-up-southern-kurils")
    assert f.status == "claim" and f.title.startswith("Wikipedia (2019):")
    assert "Baranets" in (f.note or "")  # the source's own reference, a 2019 newspaper column
    assert fact("1998-yeltsin-considers-accepting-kawana-proposal").status == "fact"  # a public statement


def test_both_halves_of_the_history_sections_account_disagree_with_the_lead() -> None:
    """'mostly friendly from 1855 to the early 1890s, then turned hostile' against 'cordial ... until ... 1904'."""
    lead = fact("1855-cordial-relations-until-russo-japanese-war")
    assert set(lead.disagrees_with) == {
        "1855-relations-mostly-friendly-until-early-1890s",
        "1890-relations-turn-hostile-over-korea",
    }


def test_press_pointing_to_the_1956_declaration_is_tagged_with_it() -> None:
    f = fact("2016-pecob-japanese-press-expects-territorial-talks")
    assert "1956" in quotes(f)
    assert {"joint-declaration-1956", "territorial-dispute"} <= set(f.tags)


@pytest.mark.parametrize("f", param([f for f in FACTS if f.details.get("place")]))
def test_a_place_is_in_the_quotes_or_the_note_says_whence(f: Fact) -> None:
    """A place the quotes do not name (a statement made 'there', an embassy's city) is explained."""
    said = (quotes(f) + " " + (f.note or "")).lower()
    for place_id in f.details["place"]:
        place = BASE.places[place_id]
        assert any(name.lower() in said for name in (place.name, *place.aliases)), place_id


def test_corrections_from_outside_the_texts_say_so() -> None:
    """Kanawa and 'Kunio Okada' are corrected from general knowledge, not from the five texts."""
    for fact_id in ("1998-04-kawana-summit", "1998-04-hashimoto-kawana-proposal", "2009-12-okada-visit-to-russia"):
        assert "not from the texts" in (fact(fact_id).note or ""), fact_id
    # Naryshkin went 'to participate in the opening ceremony'; the texts do not say he opened it.
    assert "opened the festival" not in (fact("2006-festival-of-russian-culture-in-japan").note or "")


def test_a_count_of_rounds_quotes_every_round() -> None:
    f = fact("2011-top-level-talks-four-rounds-2011-2012")
    for place in ("Deauville", "Honolulu", "Los Cabos", "Vladivostok"):
        assert place in f.summary and place in quotes(f), place


def test_the_road_map_is_each_sources_own() -> None:
    """russian-government-2012: the 2003 Action Plan 'remains the road map'; sputnik-2016: the 2013
    joint statement is the 'road map'. Neither document alone is 'the road map' of the gazetteer."""
    plan, statement = fact("2003-russian-japanese-action-plan"), fact("2013-04-28-joint-statement-road-map")
    assert "road map" in quotes(plan) and "road map" in quotes(statement)
    assert "road-map" in plan.tags and "road-map" in statement.tags
    road_map = BASE.terms["road-map"]
    assert set(road_map.facts) == {plan.id, statement.id}
    assert "2013" not in road_map.name and not [a for a in road_map.aliases if "2013" in a]
    assert BASE.terms["joint-statement-2013"].facts == (statement.id,)
    # Political documents, not treaties: the 2013 statement is a term of the same kind as the 2003 plan.
    assert BASE.terms["joint-statement-2013"].kind == BASE.terms["action-plan-2003"].kind == "policy"


AS_OF_SOURCE = re.compile(r"Dated to the source|the date is the source's own|as of the source's date")


@pytest.mark.parametrize("f", param([f for f in FACTS if AS_OF_SOURCE.search(f.note or "")]))
def test_a_fact_dated_by_its_source_says_as_of(f: Fact) -> None:
    """A standing situation dated by the text that reports it is not an event of that year: in a
    timeline its title says 'as of'."""
    assert "as of" in f.title.lower()


@pytest.mark.parametrize(
    ("fact_id", "tags"),
    [
        ("2015-11-15-putin-abe-antalya-g20", {"territorial-dispute", "trade"}),  # 'the territorial dispute'
        ("2016-09-02-putin-abe-vladivostok", {"territorial-dispute", "asia-pacific"}),
        ("2016-11-putin-abe-lima", {"territorial-dispute"}),
        ("2014-03-japan-sanctions-visa-and-cooperation-talks", {"investment", "space"}),
        ("2013-04-28-joint-statement-road-map", {"trade", "investment", "culture"}),
        ("2018-04-27-fourth-russia-japan-forum-moscow", {"investment", "russian-far-east"}),
        ("2014-japan-continues-to-engage-russia", {"china", "north-korea"}),
        ("2017-12-gerasimov-onodera-talks", {"korea", "north-korea"}),
    ],
)
def test_tags_name_what_the_quotes_are_about(fact_id: str, tags: set[str]) -> None:
    assert tags <= set(fact(fact_id).tags)


@pytest.mark.parametrize(
    ("fact_id", "tags"),
    [
        # relations deteriorated 'due to the Kiev-Maidan riot, the Russian annexation of Crimea and ...': causes
        ("2014-pecob-relations-deteriorate-until-end-of-2015", {"crimea", "maidan", "ukraine-crisis"}),
        # sanctions 'following Russia's annexation of Crimea', which suspended talks on 'dangerous military activity'
        ("2014-03-japan-sanctions-visa-and-cooperation-talks", {"crimea", "ukraine-crisis", "military"}),
        ("2013-two-plus-two-consultations-agreed", {"defence", "foreign-ministers"}),  # 'defense and foreign ministers'
        ("2016-japan-minister-for-economic-relations-with-russia", {"appointment"}),
        ("1998-07-hashimoto-out-of-office", {"election"}),  # 'out of office after the July 1998 parliamentary election'
        ("2008-07-18-russian-foreign-minister-response-to-textbooks", {"foreign-ministers"}),
        ("2017-09-abe-putin-eastern-economic-forum-vladivostok", {"joint-projects", "tourism"}),
        ("2017-12-gerasimov-onodera-talks", {"united-states"}),  # 'military exercises conducted by the United States'
        ("2014-pecob-putin-abe-finally-meet-in-sochi", {"olympics", "summit"}),
    ],
)
def test_a_subject_of_the_quotes_is_tagged(fact_id: str, tags: set[str]) -> None:
    """A fact carries the tag of what it is about: the event, whom it concerns, the cause the quotes give."""
    assert tags <= set(fact(fact_id).tags)


@pytest.mark.parametrize(
    ("fact_id", "mentioned"),
    [
        # the same sentence lists the Maidan unrest, the annexation of Crimea and the conflicts in eastern Ukraine:
        # each fact is about one of them, and only mentions the others
        ("2014-maidan-unrest-in-kiev", "crimea"),
        ("2014-conflict-in-eastern-ukraine", "crimea"),
        ("2014-conflict-in-eastern-ukraine", "maidan"),
        ("2014-russian-annexation-of-crimea", "sanctions"),  # quoted only to date the annexation
        ("2013-06-17-putin-abe-lough-erne-g8", "apec"),  # one sentence lists the three meetings of 2013
        # Pecob restates what the 1956 declaration says of Habomai and Shikotan: that fact's subject, not this one's
        ("2016-12-putin-1956-declaration-basis", "shikotan"),
        ("1998-04-kawana-summit", "peace-treaty"),  # no text says a treaty was discussed at Kawana
        ("2015-08-09-extreme-right-truck-near-russian-embassy", "embassy"),  # where it happened, not what about
        ("2012-06-10-naryshkin-noda-meeting", "festival-of-russian-culture"),  # the visit's purpose, not this meeting's
    ],
)
def test_a_subject_the_fact_is_not_about_is_not_a_tag(fact_id: str, mentioned: str) -> None:
    assert mentioned not in fact(fact_id).tags


# A narrower tag brings the wider one it lies in, as southern-kuril-islands brings kuril-islands, so that a
# listing by the wider tag misses none of the narrower one's facts (the tags' descriptions say so too).
TAG_WITHIN = {
    "habomai": "southern-kuril-islands",
    "shikotan": "southern-kuril-islands",
    "crimea": "ukraine-crisis",
    "maidan": "ukraine-crisis",
    "ukraine-crisis": "ukraine",
    "invasion-of-ukraine-2022": "ukraine",
    "north-korea": "korea",
    "state-duma": "parliament",
    "federation-council": "parliament",
    "house-of-councillors": "parliament",
    "asia-pacific-parliamentary-forum": "parliament",
    "presidential-election": "election",
    "olympics": "sport",
    "fifa-world-cup": "sport",
    "nuclear-energy": "energy",
    "pew": "poll",
    "levada": "poll",
    "poll": "public-opinion",
    "strategic-dialogue": "security",
    "military-cooperation": "military",
    "festival-of-russian-culture": "culture",
    "cross-cultural-year": "culture",
    "embassy": "diplomatic-mission",
    "envoy": "ambassador",
    "eight-point-plan": "economic-cooperation",
}


@pytest.mark.parametrize(("narrow", "wide"), TAG_WITHIN.items())
def test_a_narrower_tag_brings_the_wider_one(narrow: str, wide: str) -> None:
    assert {narrow, wide} <= set(BASE.tags)
    carriers = [f.id for f in FACTS if narrow in f.tags]
    assert carriers, f"no fact is tagged {narrow}"
    assert [i for i in carriers if wide not in BASE.by_id[i].tags] == []
    assert f"also tagged {wide}" in (BASE.tags[narrow].description or ""), f"the description of {narrow} names {wide}"


def test_every_leaders_meeting_is_a_summit() -> None:
    """The tag `summit` is 'meetings of the leaders': every meeting at level leaders but a phone call."""
    meetings = BASE.of_category("meeting")
    summits = {f.id for f in meetings if f.details["level"] == "leaders" and f.details["kind"] != "phone-call"}
    assert len(summits) >= 25
    assert {f.id for f in meetings if "summit" in f.tags} == summits


def test_history_is_relations_before_1992() -> None:
    """`history` is 'relations before 1991': every fact that ended before 1992 has it, no later fact does."""
    end = PartialDate.parse("1992").first_day()
    dated = [f for f in FACTS if f.date is not None]
    before = {f.id for f in dated if f.date.hi < end}  # type: ignore[union-attr]
    tagged = {f.id for f in dated if "history" in f.tags}
    assert before - tagged == set()
    assert {f.id for f in dated if f.id in tagged and not f.date.lo < end} == set()  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("fact_id", "earlier", "rise", "yearly"),
    [
        ("2016-visa-free-cumulative-japan-to-islands", "2012-visa-free-cumulative-japan-to-islands", "5,000", "3,100"),
        ("2016-visa-free-cumulative-islands-to-japan", "2012-visa-free-cumulative-islands-to-japan", "2,500", "1,200"),
    ],
)
def test_cumulative_totals_of_two_sources_say_how_loosely_they_fit(
    fact_id: str, earlier: str, rise: str, yearly: str
) -> None:
    """Floors ('over', 'more than') do not contradict, but the rise outruns the yearly counts: said, not hidden."""
    later, before = fact(fact_id), fact(earlier)
    assert later.details["count"] > before.details["count"]
    assert before.details["qualifier"] in ("over", "more-than")
    note = later.note or ""
    assert "Consistent with" not in note and rise in note and yearly in note
    yearly_counts = [
        f.details["count"]
        for f in BASE.of_category("exchange")
        if f.details["scope"] == "annual" and f.details["direction"] == later.details["direction"]
    ]
    four_years = round(sum(yearly_counts) / len(yearly_counts) * 4, -2)
    assert f"{four_years:,.0f}" == yearly
    assert later.details["count"] - before.details["count"] == int(rise.replace(",", ""))


# --------------------------------------------------------------------------- follow-ups: the Kurils, exchanges, tags

CHAIN, SOUTH = "kuril-islands", "southern-kuril-islands"
# A quote that names the disputed southern islands, one of them, or the dispute's other names.
NAMES_THE_SOUTH = re.compile(
    r"Northern Territories|northern territories|south(?:ern)? Kuril|South(?:ern)? Kuril|Southern Kurils|"
    r"Kunashir|Iturup|Shikotan|Habomai|Lesser Kuril|disputed (?:Kuril )?islands|islands in dispute|北方領土"
)


def _folded(place_id: str) -> set[str]:
    place = BASE.places[place_id]
    return {n.casefold() for n in (place.name, *place.aliases)}


def test_the_chain_and_the_disputed_islands_are_two_places() -> None:
    """The Kuril Islands are the whole chain; the Northern Territories (Southern Kurils) are the four
    disputed islands within it. No name of one is a name of the other."""
    chain, south = _folded(CHAIN), _folded(SOUTH)
    assert {"千島列島", "курильские острова", "kuril chain of islands", "kurils"} <= chain
    assert {
        "northern territories",
        "北方領土",
        "北方四島",
        "южные курилы",
        "southern kurils",
        "south kuril islands",
    } <= south
    assert chain & south == set()
    assert BASE.places[SOUTH].parent == CHAIN and BASE.places[SOUTH].country == "disputed"
    from nichiro.model import place_ancestors

    inside = {p for p in BASE.places if SOUTH in place_ancestors(p, BASE.places)}
    assert inside == {"kunashir", "iturup", "shikotan", "habomai", "lesser-kuril-ridge"}
    assert {"国後島", "択捉島", "色丹島", "歯舞群島"} <= set().union(*(_folded(p) for p in inside))
    assert {"кунашир", "итуруп", "шикотан", "хабомаи"} <= set().union(*(_folded(p) for p in inside))


@pytest.mark.parametrize("f", param([f for f in FACTS if SOUTH in f.tags]))
def test_the_chain_includes_the_disputed_islands(f: Fact) -> None:
    """A fact about the disputed southern islands is about the Kuril Islands too: --tag kuril-islands finds it."""
    assert CHAIN in f.tags


@pytest.mark.parametrize("f", param([f for f in FACTS if NAMES_THE_SOUTH.search(quotes(f))]))
def test_a_fact_whose_quotes_name_the_disputed_islands_is_tagged_with_them(f: Fact) -> None:
    assert SOUTH in f.tags


def test_a_fact_placed_in_the_disputed_islands_is_tagged_with_them() -> None:
    from nichiro.model import place_ancestors

    placed = [
        f.id
        for f in FACTS
        for p in f.details.get("place") or ()
        if p == SOUTH or SOUTH in place_ancestors(p, BASE.places)
    ]
    assert placed and [fid for fid in placed if SOUTH not in BASE.by_id[fid].tags] == []


def test_facts_about_the_whole_chain_are_not_placed_or_tagged_in_the_south() -> None:
    # The Soviet-era tension was over the Kurils and South Sakhalin; the 1945 seizure took the whole chain.
    tension = fact("1917-kuril-south-sakhalin-tension")
    assert CHAIN in tension.tags and SOUTH not in tension.tags
    assert fact("1945-08-soviet-seizure-of-kuril-islands").details["place"] == (CHAIN,)
    # Medvedev's trip: "the Kuril Islands", in the source's section on the dispute: the words for the
    # place, the disputed islands for the topic, and the note says so.
    trip = fact("2010-medvedev-visits-kuril-islands")
    assert trip.details["place"] == (CHAIN,) and SOUTH in trip.tags and "Southern Kuril Islands" in (trip.note or "")
    # A peace-treaty offer whose quote says nothing of the islands is not about them.
    for fact_id in (
        "2018-putin-proposes-peace-treaty-without-preconditions",
        "2018-east-asia-summit-abe-putin-singapore",
    ):
        assert not {CHAIN, SOUTH} & set(fact(fact_id).tags), fact_id


def test_a_place_filter_for_the_northern_territories_finds_the_disputed_islands(run) -> None:  # type: ignore[no-untyped-def]
    r = run("timeline", "--place", "Northern Territories", "--fields", "id")
    assert r.code == 0
    south = set(r.out.split())
    assert {"2006-08-16-japanese-fisherman-killed", "2016-visa-free-cumulative-japan-to-islands"} <= south
    assert "1945-08-soviet-seizure-of-kuril-islands" not in south  # the chain, not only the south
    assert "2010-medvedev-visits-kuril-islands" in r.err  # named as placed only in the Kuril Islands
    chain = set(run("timeline", "--place", "Kurils", "--fields", "id").out.split())
    assert south < chain and "1945-08-soviet-seizure-of-kuril-islands" in chain
    shikotan = run("exchanges", "--place", "色丹島", "--fields", "id").out.split()
    assert shikotan == ["2016-visa-free-cumulative-japan-to-islands"]


# --------------------------------------------------------------------------- exchanges have a place

VISA_FREE = [f for f in BASE.of_category("exchange") if f.details["program"] == "visa-free"]


@pytest.mark.parametrize("f", param(VISA_FREE))
def test_a_visa_free_count_is_placed_where_the_visitors_went(f: Fact) -> None:
    from nichiro.model import place_ancestors

    places = f.details.get("place") or ()
    assert places, "the exchange counts have a place: where the visitors went"
    if f.details["direction"] == "japan-to-islands":
        for p in places:
            assert p == SOUTH or SOUTH in place_ancestors(p, BASE.places), p
    else:
        assert places == ("japan",)
    assert "place" in (f.note or "")  # the note says where the place comes from
    assert {"visa-free-exchange", CHAIN, SOUTH} <= set(f.tags)


def test_the_islands_sputnik_names_are_the_places_of_its_count() -> None:
    f = fact("2016-visa-free-cumulative-japan-to-islands")
    assert "Kunashir, Shikotan, Iturup and the islands of the Lesser Kuril Ridge" in quotes(f)
    assert f.details["place"] == ("kunashir", "shikotan", "iturup", "lesser-kuril-ridge")
    # The yearly counts and the 2012 total name no island: the disputed islands as a whole.
    for fact_id in ("2015-visa-free-japan-to-islands", "2016-visa-free-japan-to-islands"):
        assert fact(fact_id).details["place"] == (SOUTH,)
    assert fact("2012-visa-free-cumulative-japan-to-islands").details["place"] == (SOUTH,)
    assert fact("2016-festival-of-russian-culture-visitors").details["place"] == ("japan",)
