"""Search: normalisation, the gazetteer, ranking, explanations, and relevance on tests/relevance.toml."""

from __future__ import annotations

import importlib.util
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from nichiro.errors import UsageError
from nichiro.factbase import bundled_facts_dir, load_factbase
from nichiro.gazetteer import CJK_KEY, Gazetteer
from nichiro.model import CATEGORIES
from nichiro.search import Hit, explain, hit_record, search, suggest
from nichiro.search import run as run_search
from nichiro.store import Store, load
from nichiro.text import fold, normalize, stem, words

from .conftest import REPO


def _relevance() -> ModuleType:
    """benchmarks/relevance.py, which is a script and not a package."""
    spec = importlib.util.spec_from_file_location("relevance", REPO / "benchmarks" / "relevance.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["relevance"] = module
    spec.loader.exec_module(module)
    return module


relevance = _relevance()

# A small base written for these tests: each fact is there to make one ranking rule visible.
BASE_TOML = """
[[source]]
id = "src"
file = "src.txt"
title = "Source"
publisher = "Publisher"
date = "2020"

[[person]]
id = "vladimir-putin"
name = "Vladimir Putin"
country = "russia"
roles = ["President"]
aliases = ["Putin", "Путин", "プーチン"]

[[person]]
id = "shinzo-abe"
name = "Shinzo Abe"
country = "japan"
roles = ["Prime Minister"]
aliases = ["Shinzō Abe", "Abe", "安倍晋三", "安倍", "Синдзо Абэ", "Абэ"]

[[place]]
id = "kuril-islands"
name = "Kuril Islands"
kind = "island-group"
country = "disputed"
aliases = ["Kurils", "Northern Territories", "Southern Kurils", "北方領土", "Курилы", "Южные Курилы"]

[[place]]
id = "vladivostok"
name = "Vladivostok"
kind = "city"
country = "russia"
aliases = ["Владивосток", "ウラジオストク"]

[[place]]
id = "sochi"
name = "Sochi"
kind = "city"
country = "russia"
aliases = ["Сочи"]

[[term]]
id = "eastern-economic-forum"
name = "Eastern Economic Forum"
kind = "forum"
aliases = ["EEF", "東方経済フォーラム", "Восточный экономический форум"]

[[term]]
id = "joint-declaration-1956"
name = "Soviet–Japanese Joint Declaration (1956)"
kind = "treaty"
aliases = ["1956 declaration", "日ソ共同宣言"]
facts = ["1956-10-19-joint-declaration"]

[[meeting]]
id = "2016-09-02-putin-abe-vladivostok"
date = "2016-09-02"
title = "Putin and Abe meet in Vladivostok"
summary = "The leaders met on the sidelines of a forum."
kind = "sidelines"
level = "leaders"
place = ["vladivostok"]
participants = ["vladimir-putin", "shinzo-abe"]
tags = ["eastern-economic-forum", "kuril-islands"]
sources = [{ source = "src", quote = "Putin and Abe met in Vladivostok." }]

[[meeting]]
id = "2016-05-putin-abe-sochi"
date = "2016-05"
title = "Putin and Abe meet in Sochi"
summary = "A meeting in May."
kind = "summit"
level = "leaders"
place = ["sochi"]
participants = ["vladimir-putin", "shinzo-abe"]
sources = [{ source = "src", quote = "They met in Sochi in May 2016." }]

[[meeting]]
id = "2014-putin-abe-phone-call"
date = "2014"
title = "Putin and Abe speak by telephone"
summary = "A call."
kind = "phone-call"
level = "leaders"
participants = ["vladimir-putin", "shinzo-abe"]
sources = [{ source = "src", quote = "They spoke by telephone in 2014." }]

[[treaty]]
id = "1956-10-19-joint-declaration"
date = "1956-10-19"
title = "The Soviet–Japanese Joint Declaration restores relations"
summary = "The Soviet Union agrees to hand over Shikotan and the Habomai islands after a peace treaty."
kind = "declaration"
parties = ["Japan", "Soviet Union"]
provisions = "Ends the state of war."
sources = [{ source = "src", quote = "The declaration of 1956." }]

[[event]]
id = "2016-12-putin-1956-basis"
date = "2016-12"
title = "Putin bases the talks on the 1956 declaration"
summary = "Putin says the negotiations rest on it."
kind = "statement"
participants = ["vladimir-putin"]
sources = [{ source = "src", quote = "Putin referred to the 1956 declaration." }]

[[event]]
id = "1992-return-of-northern-territories"
date = "1992"
title = "Japan discusses the return of the Northern Territories"
summary = "Reports reach the General Staff."
kind = "diplomatic"
place = ["kuril-islands"]
sources = [{ source = "src", quote = "Japan is discussing the return of the Northern Territories." }]

[[event]]
id = "2010-medvedev-visits-kurils"
date = "2010"
title = "Medvedev visits the Kurils"
summary = "The first such visit."
kind = "visit"
place = ["kuril-islands"]
sources = [{ source = "src", quote = "Medvedev visited the islands in 2010." }]

[[event]]
id = "2011-sochinsky-plan"
date = "2011"
title = "The Sochinsky plan"
summary = "A plan named after nothing in particular."
kind = "plan"
sources = [{ source = "src", quote = "The Sochinsky plan." }]
"""


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Store:
    directory = tmp_path_factory.mktemp("facts")
    (directory / "base.toml").write_text(BASE_TOML, encoding="utf-8")
    return load([directory], use_cache=False)


def ids(base: Store, query: str, limit: int = 20) -> list[str]:
    return [h.id for h in search(base, query, CATEGORIES, limit)]


def first(base: Store, query: str) -> Hit:
    hits = search(base, query, CATEGORIES, 20)
    assert hits, f"{query!r} found nothing"
    return hits[0]


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Shinzō Abe", "shinzo abe"),  # diacritics
        ("ＡＰＥＣ　Ｂａｌｉ", "apec bali"),  # full-width forms (NFKC)
        ("Soviet–Japanese", "soviet japanese"),  # dashes split words
        ("Jun'ichirō Koizumi", "junichiro koizumi"),  # an apostrophe joins
        ("Putin's visit", "putin visit"),  # a possessive goes
        ("Горбачёв", "горбачев"),  # ё is е
        ("Йошкар-Ола", "йошкар ола"),  # й is not и
        ("安倍 晋三・プーチン", "安倍 晋三 プーチン"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_normalize_keeps_what_makes_another_letter() -> None:
    assert normalize("ガ") == "ガ" and normalize("й") == "й" and normalize("Đà Nẵng") == "đa nang"
    assert words("G20サミット, 2016") == ["g20サミット", "2016"]


@pytest.mark.parametrize(
    ("forms", "same"),
    [
        (("kurils", "kurile", "kuril"), True),
        (("meeting", "meetings", "meets", "meet"), True),
        (("declaration", "declared", "declares"), True),
        (("путина", "путин"), True),
        (("владивостоке", "владивосток"), True),
        (("abe", "abel"), False),
    ],
)
def test_stem(forms: tuple[str, ...], same: bool) -> None:
    assert (len({stem(f) for f in forms}) == 1) is same


# --------------------------------------------------------------------------- the gazetteer


@pytest.mark.parametrize("query", ["Northern Territories", "Southern Kurils", "北方領土", "Южные Курилы", "Kurils"])
def test_an_alias_in_any_script_finds_the_place(base: Store, query: str) -> None:
    found = ids(base, query)
    assert set(found) == {
        "1992-return-of-northern-territories",
        "2010-medvedev-visits-kurils",
        "2016-09-02-putin-abe-vladivostok",
    }


def test_the_name_as_typed_ranks_above_another_alias(base: Store) -> None:
    hits = search(base, "Northern Territories", CATEGORIES, 20)
    assert hits[0].id == "1992-return-of-northern-territories" and hits[0].matched[0]["how"] == "alias"
    assert hits[0].score > hits[1].score


def test_a_term_by_its_abbreviation_and_in_japanese(base: Store) -> None:
    assert ids(base, "EEF") == ["2016-09-02-putin-abe-vladivostok"]
    assert ids(base, "東方経済フォーラム") == ["2016-09-02-putin-abe-vladivostok"]
    # The fact the term lists comes before one that only names it.
    assert ids(base, "日ソ共同宣言") == ["1956-10-19-joint-declaration", "2016-12-putin-1956-basis"]


def test_japanese_without_spaces_and_russian_case_endings(base: Store) -> None:
    assert ids(base, "プーチン安倍ウラジオストク")[0] == "2016-09-02-putin-abe-vladivostok"
    assert ids(base, "Путина и Абэ во Владивостоке")[0] == "2016-09-02-putin-abe-vladivostok"


def test_a_family_name_in_japanese_finds_the_full_name(base: Store) -> None:
    hit = first(base, "安倍")
    assert hit.matched[0]["entity"] == "shinzo-abe"


def test_the_gazetteer_links_facts_by_reference(base: Store) -> None:
    entities = [eid for _, eid, _, _ in base.entries()]
    links: dict[str, dict[str, str]] = {}
    for entity, facts in base.links(entities).items():
        ids = base.columns(facts, "id")
        for n, how in facts.items():
            links.setdefault(ids[n][0], {})[entity] = how
    assert links["2016-09-02-putin-abe-vladivostok"] == {
        "vladimir-putin": "participants",
        "shinzo-abe": "participants",
        "vladivostok": "place",
        "eastern-economic-forum": "tags",
        "kuril-islands": "tags",
    }
    assert links["1956-10-19-joint-declaration"] == {"joint-declaration-1956": "about"}


# --------------------------------------------------------------------------- ranking


def test_a_typo_is_forgiven_but_scores_below_the_word(base: Store) -> None:
    exact, typo = first(base, "Shikotan"), first(base, "Shikotn")
    assert exact.id == typo.id == "1956-10-19-joint-declaration"
    assert typo.matched[0]["how"] == "typo" and typo.score < exact.score


def test_a_whole_word_ranks_above_a_longer_word_it_begins(base: Store) -> None:
    hits = search(base, "Sochi", CATEGORIES, 20)
    assert [h.id for h in hits][:2] == ["2016-05-putin-abe-sochi", "2011-sochinsky-plan"]
    assert hits[1].matched[0]["how"] == "prefix" and hits[1].score < hits[0].score


def test_short_words_are_never_typos(base: Store) -> None:
    assert ids(base, "Aba") == []  # one letter from "Abe", but too short to tell


def test_more_of_the_words_rank_higher(base: Store) -> None:
    found = ids(base, "Putin Abe Vladivostok")
    assert found[0] == "2016-09-02-putin-abe-vladivostok"
    assert "2016-12-putin-1956-basis" not in found  # one word of three: not shown beside facts with all three


def test_a_year_or_month_restricts(base: Store) -> None:
    assert ids(base, "Putin Abe 2016-05") == ["2016-05-putin-abe-sochi"]
    assert ids(base, "Putin Abe May 2016") == ["2016-05-putin-abe-sochi"]
    assert set(ids(base, "Putin Abe 2016")) == {"2016-09-02-putin-abe-vladivostok", "2016-05-putin-abe-sochi"}
    assert ids(base, "Putin 1800") == []


def test_a_year_in_the_text_counts_below_the_date(base: Store) -> None:
    assert ids(base, "declaration 1956") == ["1956-10-19-joint-declaration", "2016-12-putin-1956-basis"]


def test_ties_break_by_date(base: Store) -> None:
    assert ids(base, "Putin Abe") == [
        "2014-putin-abe-phone-call",
        "2016-05-putin-abe-sochi",
        "2016-09-02-putin-abe-vladivostok",
    ]


def test_a_category_restricts(base: Store) -> None:
    assert [h.category for h in search(base, "Putin", ("event",), 20)] == ["event"]


def test_nothing_is_better_than_noise(base: Store) -> None:
    for query in ["Napoleon", "zzqqxx", "Kyoto Protocol", "1800"]:
        assert ids(base, query) == [], query


def test_did_you_mean(base: Store) -> None:
    assert suggest(base, "Vladivostokkkk") == ["Vladivostok"]
    assert suggest(base, "Gorbachev") == []


def test_bad_queries_are_usage_errors(base: Store) -> None:
    with pytest.raises(UsageError):
        search(base, "  ", CATEGORIES)
    with pytest.raises(UsageError):
        search(base, "Putin", CATEGORIES, 0)


# --------------------------------------------------------------------------- explanations


def test_each_result_says_why(base: Store) -> None:
    hit = first(base, "Northern Territories 1992")
    assert hit.matched == [
        {
            "term": "northern territories",
            "field": "title",
            "match": "northern territories",
            "how": "alias",
            "entity": "kuril-islands",
        },
        {"term": "1992", "field": "date", "match": "1992", "how": "date"},
    ]
    assert explain(hit) == "title: northern territories; date: 1992"
    typo = first(base, "Vladivostk")
    assert explain(typo) == "title: vladivostk ~ vladivostok (typo)"
    assert [explain(h) for h in search(base, "Southern Kurils", CATEGORIES, 20)] == [
        "title: southern kurils → northern territories",
        "title: southern kurils → kurils",
        "tags: southern kurils → Kuril Islands",
    ]
    record = hit_record({"id": hit.id}, hit)
    assert list(record) == ["score", "id", "matched", "unmatched", "missing"] and record["matched"] == hit.matched
    assert record["unmatched"] == [] and record["missing"] == []


def test_cli_search_json_and_did_you_mean(run, tmp_path: Path) -> None:
    (tmp_path / "base.toml").write_text(BASE_TOML, encoding="utf-8")
    facts = ("--facts-only", "--facts", str(tmp_path))
    r = run(*facts, "search", "Путин Абэ Владивосток", "--json")
    data = json.loads(r.out)
    assert r.code == 0 and data[0]["id"] == "2016-09-02-putin-abe-vladivostok"
    assert [m["field"] for m in data[0]["matched"]] == ["title", "title", "title"]
    r = run(*facts, "search", "Vladivostokkkk")
    assert (r.code, r.out) == (1, "") and r.err.endswith("did you mean: Vladivostok?\n")


# --------------------------------------------------------------------------- relevance and speed on the real facts


@pytest.fixture(scope="module")
def bundled() -> Store:
    return load([bundled_facts_dir()], use_cache=False)


def test_the_relevance_set_is_broad_and_current() -> None:
    queries = relevance.load_queries()
    kinds = {q.kind for q in queries}
    assert len(queries) >= 40
    assert {"typo", "alias", "japanese", "russian", "multi", "date", "term", "none"} <= kinds
    assert relevance.missing_ids(load_factbase(), queries) == []


def test_relevance_hit_at_3_is_at_least_95_percent(bundled: Store) -> None:
    report = relevance.evaluate("search", relevance.load_queries(), relevance.engine(bundled))
    misses = [f"{o.query.query!r}: {o.ranked[:3]}" for o in report.misses(3)]
    assert report.hit(3) >= 0.95, "\n".join(misses)
    assert report.hit(1, "none") == 1.0, "a query that should find nothing found something"


def test_the_held_out_set_keeps_what_it_reached(bundled: Store) -> None:
    """tests/relevance_heldout.toml, written blind: the figures this search reached (docs/search.md, 7)."""
    queries = relevance.load_queries(relevance.HELDOUT)
    report = relevance.evaluate("search", queries, relevance.engine(bundled))
    assert report.hit(3, found_only=True) >= 0.96
    assert report.mrr(found_only=True) >= 0.92
    found_nothing, of = report.nothing_found()
    assert of >= 18 and found_nothing >= 14


def test_the_relevance_measure_can_fail(bundled: Store) -> None:
    queries = relevance.load_queries()
    backwards = relevance.engine(bundled)
    report = relevance.evaluate("reversed", queries, lambda q: backwards(q)[::-1][:1] or ["x"])
    assert report.hit(3) < 0.95 and report.mrr() < 0.95


def test_a_search_reads_only_what_its_words_lead_to(bundled: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """What makes search scale: it reads the postings of the query's words, and the rows of few facts."""
    fetched: list[str] = []
    rows: list[int] = []
    postings, columns = bundled.postings, bundled.columns

    def spy_postings(words: Iterable[str]) -> dict[str, dict[int, int]]:
        words = list(words)
        fetched.extend(words)
        return postings(words)

    def spy_columns(numbers: Iterable[int], names: str) -> dict[int, tuple[Any, ...]]:
        numbers = list(numbers)
        rows.extend(numbers)
        return columns(numbers, names)

    earliest = bundled.earliest

    def spy_earliest(numbers: Iterable[int], limit: int) -> list[tuple[int, str, str]]:
        numbers = list(numbers)
        rows.extend(numbers)
        return earliest(numbers, limit)

    monkeypatch.setattr(bundled, "postings", spy_postings)
    monkeypatch.setattr(bundled, "columns", spy_columns)
    monkeypatch.setattr(bundled, "earliest", spy_earliest)
    hits = search(bundled, "Shikotan", CATEGORIES, 3)
    (n_facts,) = bundled.conn.execute("SELECT count(*) FROM facts").fetchone()
    (shikotan,) = [e for e in Gazetteer(bundled.entries()).entities if e.id == "shikotan"]
    assert len(hits) == 3 and {h.n for h in hits} <= set(rows) and len(set(rows)) < n_facts / 10
    # Its names (a name of several words or in Japanese has a posting of its own) and their words.
    assert set(fetched) <= {*shikotan.names, *(w for name in shikotan.names for w in name.split()), CJK_KEY}


def test_a_name_of_several_words_or_in_japanese_is_read_from_its_posting(
    base: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Names of the gazetteer have postings of their own: no fact's text is read to find them."""
    with_texts = ids(base, "Vladimir Putin"), ids(base, "プーチン")

    def no_texts(numbers: Iterable[int]) -> dict[int, list[tuple[str, str]]]:
        raise AssertionError("a name was looked for in the texts")

    monkeypatch.setattr(base, "fields", no_texts)
    assert (ids(base, "Vladimir Putin"), ids(base, "プーチン")) == with_texts
    assert all("2016-09-02-putin-abe-vladivostok" in found for found in with_texts)


@pytest.mark.parametrize(
    ("code", "banned"),
    [
        ("import nichiro.gazetteer", ("nichiro.search", "nichiro.store")),
        # Building a store builds the search index: through nichiro.gazetteer, never nichiro.search.
        (
            "from nichiro.factbase import bundled_facts_dir; from nichiro.store import load; "
            "load([bundled_facts_dir()], use_cache=False)",
            ("nichiro.search",),
        ),
    ],
)
def test_search_and_store_do_not_import_each_other(code: str, banned: tuple[str, ...]) -> None:
    """What both need (index terms, the gazetteer) is in nichiro.gazetteer, which imports neither."""
    import subprocess

    check = f"{code}\nimport sys\nprint(' '.join(m for m in {banned!r} if m in sys.modules))"
    r = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, cwd=REPO)
    assert (r.returncode, r.stdout.strip()) == (0, ""), r.stderr


# --------------------------------------------------------------------------- issue 11: what generalises


def found(store: Store, query: str, limit: int = 3) -> list[str]:
    return [h.id for h in search(store, query, CATEGORIES, limit)]


@pytest.mark.parametrize(
    ("query", "fact", "how", "entity"),
    [
        ("Hatojama", "2011-10-26-matvienko-kunio-hatoyama-meeting", "transliteration", "kunio-hatoyama"),  # German j
        ("Sikotan", "1956-10-19-soviet-japanese-joint-declaration", "transliteration", "shikotan"),  # Kunrei
        ("Jelzin Krasnojarsk", "1997-11-01-yeltsin-hashimoto-krasnoyarsk", "transliteration", "boris-yeltsin"),
        ("Poutine Nagato", "2016-12-putin-visits-nagato", "transliteration", "vladimir-putin"),  # French
        ("Курилах 2010", "2010-medvedev-visits-kuril-islands", "alias", "kuril-islands"),  # an inflected Russian word
        ("Хатояма", "2011-10-26-matvienko-kunio-hatoyama-meeting", "alias", "kunio-hatoyama"),  # a family name
        ("クリル 1945", "1945-08-soviet-seizure-of-kuril-islands", "transliteration", "kuril-islands"),  # katakana
        ("Chishima", "1917-kuril-south-sakhalin-tension", "part", "kuril-islands"),  # of "Chishima Islands"
        ("Putn Nagato", "2016-12-putin-visits-nagato", "typo", "vladimir-putin"),  # a letter lost from five
        ("日ソ宣言", "1956-10-19-soviet-japanese-joint-declaration", "part", "joint-declaration-1956"),
    ],
)
def test_other_spellings_scripts_and_parts_of_names(
    bundled: Store, query: str, fact: str, how: str, entity: str
) -> None:
    result = run_search(bundled, query, CATEGORIES, 10)
    assert fact in [h.id for h in result.hits[:3]], query
    first = next(m for m in result.hits[0].matched if m["how"] != "date")
    assert result.unmatched == []
    named = [m for h in result.hits for m in h.matched if m.get("entity") == entity]
    assert named and {m["how"] for m in named} == {how}, (query, first)


def test_a_correction_is_applied_and_said(bundled: Store) -> None:
    result = run_search(bundled, "Hatojama", CATEGORIES, 5)
    assert result.corrections == [("Hatojama", "Kunio Hatoyama", "transliteration")]
    assert explain(result.hits[0]) == "title: hatojama → hatoyama (transliteration)"


def test_british_and_american_spellings_meet(bundled: Store) -> None:
    fact = "2013-two-plus-two-consultations-agreed"  # "defence" in its title, "defense" in its quote
    assert fact in found(bundled, "defense ministers consultations")
    hits = search(bundled, "defence", CATEGORIES, 20)
    shoigu = next(h for h in hits if h.id == "2017-shoigu-visits-japan")  # "Defense Minister" only
    assert shoigu.matched[0]["how"] == "spelling" and shoigu.matched[0]["match"] == "defense"
    assert "recognises" in {m["match"] for h in search(bundled, "Japan recognizes", CATEGORIES, 3) for m in h.matched}


def test_question_words_are_not_matched(bundled: Store) -> None:
    hits = search(bundled, "When did Medvedev visit the Kuril Islands?", CATEGORIES, 3)
    assert hits[0].id in ("2010-medvedev-visits-kuril-islands", "2010-medvedev-first-russian-president-on-kurils")
    assert {m["term"] for h in hits for m in h.matched} <= {"medvedev", "visit", "kuril islands"}


def test_one_unmatched_word_gets_results_for_the_rest_labelled(bundled: Store) -> None:
    result = run_search(bundled, "Treaty of Shimoda", CATEGORIES, 5)
    assert result.unmatched == ["Shimoda"] and not result.declined and result.searched == ["treaty"]
    assert result.hits and all(m["term"] == "treaty" for h in result.hits for m in h.matched)
    assert (
        run_search(bundled, "Putin Abe Vladivostok 2016 pls", CATEGORIES, 3).hits[0].id
        == "2016-09-02-putin-abe-vladivostok"
    )


@pytest.mark.parametrize(
    "query",
    [
        "Fukushima nuclear disaster",  # two words no fact has, one common one that some do
        "earthquake relief for Japan",
        "Chernobyl accident",  # no word found at all
    ],
)
def test_an_absent_topic_finds_nothing(bundled: Store, query: str) -> None:
    result = run_search(bundled, query, CATEGORIES, 5)
    assert result.hits == [] and len(result.unmatched) >= 2


def test_one_absent_word_and_the_rest_in_no_fact_together_declines(bundled: Store) -> None:
    # "Okada" and "Olympics" are each in facts, never together; "Gdansk" in none.
    result = run_search(bundled, "Okada Olympics Gdansk", CATEGORIES, 5)
    assert result.declined and result.hits == [] and result.unmatched == ["Gdansk"]
    assert run_search(bundled, "Putin Olympics Gdansk", CATEGORIES, 5).hits  # Putin and the Olympics: one fact has both


def test_a_japanese_or_russian_word_that_cannot_be_read_is_not_absence(bundled: Store) -> None:
    result = run_search(bundled, "北方領土の歴史", CATEGORIES, 5)  # 歴史 ("history") names no entry
    assert result.unmatched == ["歴史"] and not result.declined and result.hits


def test_cli_says_what_was_not_found(run) -> None:
    r = run("search", "Treaty of Shimoda", "--json", "--limit", "2")
    data = json.loads(r.out)
    assert r.code == 0 and [d["unmatched"] for d in data] == [["Shimoda"], ["Shimoda"]]
    assert r.err == "nichiro: no fact mentions 'Shimoda'; results for 'treaty'\n"
    r = run("search", "Fukushima nuclear disaster")
    assert (r.code, r.out) == (1, "")
    assert r.err == (
        "nichiro: error: no fact mentions 'Fukushima' or 'disaster' (what else the query has, 'nuclear', "
        "is not enough to answer)\n"
    )
    r = run("search", "Hatojama", "--format", "plain")
    assert r.code == 0 and r.err == "nichiro: read 'Hatojama' as 'Kunio Hatoyama' (transliteration)\n"
    assert "hatojama → hatoyama (transliteration)" in r.out


@pytest.mark.parametrize(
    ("option", "value", "name"),
    [
        ("--person", "Hatojama", "Kunio Hatoyama"),  # German j
        ("--person", "Jelzin", "Boris Yeltsin"),
        ("--person", "Poutine", "Vladimir Putin"),  # French
        ("--place", "Kunasiri", "Kunashir"),  # Kunrei
        ("--place", "Tokio", "Tokyo"),  # a whole name before a word of one ("Embassy of Russia, Tokyo")
    ],
)
def test_filters_resolve_other_spellings_through_the_gazetteer(run, option: str, value: str, name: str) -> None:
    r = run("timeline", option, value, "--format", "plain")
    assert r.code == 0 and r.err.startswith(f"{option} {value}: {name}\n")


@pytest.mark.parametrize(
    ("query", "entity"),
    [
        ("Nomonhan", "soviet-japanese-border-conflicts"),
        ("ノモンハン", "soviet-japanese-border-conflicts"),
        ("Северные территории", "southern-kuril-islands"),  # the disputed islands, not the whole chain
    ],
)
def test_names_the_sources_lack_find_what_they_record(bundled: Store, query: str, entity: str) -> None:
    """Names no rule can reach (another language's name, a battle of a war the sources record) are aliases."""
    hits = search(bundled, query, CATEGORIES, 3)
    assert hits and hits[0].matched[0]["entity"] == entity


def test_an_office_is_found_by_those_who_held_it(bundled: Store) -> None:
    hits = search(bundled, "Russian Foreign Minister visits Tokyo", CATEGORIES, 3)
    assert hits[0].id == "2012-01-28-lavrov-working-visit-to-tokyo"
    assert explain(hits[0]).startswith("holder: russian foreign minister → Sergey Lavrov")
    # Only during the term: Medvedev was President in 2010, and no longer when Putin replaced him in 2012.
    held = {
        h.id: m["match"]
        for h in search(bundled, "Russian President", CATEGORIES, 100)
        for m in h.matched
        if m["field"] == "holder"
    }
    assert held["2010-medvedev-visits-kuril-islands"] == "Dmitry Medvedev"
    assert held.get("2012-putin-replaces-medvedev") != "Dmitry Medvedev"


@pytest.mark.parametrize("limit", [1, 3, 20])
@pytest.mark.parametrize("query", ["Putin", "Abe", "Japan", "Kurils", "treaty", "visit", "Shikotan", "APEC", "Lavrov"])
def test_a_common_term_ranked_from_its_top_tier_ranks_as_when_every_fact_is_scored(
    bundled: Store, monkeypatch: pytest.MonkeyPatch, query: str, limit: int
) -> None:
    """The shortcut for a single term many facts share (search._Query.top_tier) changes nothing."""

    def shown(hits: list[Hit]) -> list[tuple[str, float, list[dict[str, str]]]]:
        return [(h.id, h.score, h.matched) for h in hits]

    from nichiro import search as engine

    fast = shown(search(bundled, query, CATEGORIES, limit))
    monkeypatch.setattr(engine._Query, "top_tier", lambda self, term, limit: None)
    assert fast == shown(search(bundled, query, CATEGORIES, limit))


# --------------------------------------------------------------------------- every word counts (issue 11, blind QA)


@pytest.mark.parametrize(
    "query",
    [
        "Abe Putin G20 Osaka",
        "Lavrov ambassador 2010",
        "Putin Abe Vladivostok",
        "Mongol invasions of Japan",
        "Medvedev Kurils visit 2010",
        "Japan Russia trade 2015 billion",
        "peace treaty negotiations Nagato",
    ],
)
def test_each_hit_says_which_terms_it_lacks(bundled: Store, query: str) -> None:
    """Every term searched for is in a hit's `matched` or in its `missing`, never in neither."""
    result = run_search(bundled, query, CATEGORIES, 20)
    assert result.hits, query
    for hit in result.hits:
        found = {m["term"] for m in hit.matched}
        assert found | {fold(w) for w in hit.missing} == set(result.searched), (query, hit.id)
        assert not found & {fold(w) for w in hit.missing}, (query, hit.id)
        assert ("missing: " in explain(hit)) == bool(hit.missing)


def test_a_word_that_no_hit_has_is_said(bundled: Store, run) -> None:
    # Lavrov is in facts of 2010, "ambassador" in other facts: none has both.
    result = run_search(bundled, "Lavrov ambassador 2010", CATEGORIES, 20)
    assert result.unmatched == [] and result.hits
    assert all(h.missing == ["ambassador"] for h in result.hits)
    r = run("search", "Lavrov", "ambassador", "2010", "--json")
    assert r.code == 0 and {tuple(d["missing"]) for d in json.loads(r.out)} == {("ambassador",)}
    assert r.err == ("nichiro: no fact matches all of 'lavrov ambassador 2010'; each result misses some (missing)\n")
    r = run("search", "Lavrov", "ambassador", "2010", "--format", "plain")
    assert r.code == 0 and all("missing: ambassador" in line for line in r.out.splitlines())


def test_some_hits_with_every_term_and_some_without_are_counted(bundled: Store, run) -> None:
    result = run_search(bundled, "Putin Abe Sochi", CATEGORIES, 20)
    whole = [h for h in result.hits if not h.missing]
    assert whole and len(whole) < len(result.hits)
    assert {m for h in result.hits for m in h.missing} <= {"Putin", "Abe", "Sochi"}
    r = run("search", "Putin Abe Sochi", "--json")
    data = json.loads(r.out)
    assert r.code == 0 and [d["missing"] for d in data] == [h.missing for h in result.hits]
    said = f"{len(whole)} of {len(data)} results match all of 'putin abe sochi'; the others miss some (missing)"
    assert r.err == f"nichiro: {said}\n"


def test_a_year_restricts_by_the_facts_dates(bundled: Store, run) -> None:
    # No fact dated 2019 has Abe; facts of other years cite "Wikipedia (2019)" beside Abe.
    result = run_search(bundled, "Abe 2019", CATEGORIES, 20)
    assert result.hits == [] and result.elsewhere == ["2019"] and result.unmatched == []
    r = run("search", "Abe", "2019")
    assert (r.code, r.out) == (1, "")
    assert r.err == (
        "nichiro: error: no fact dated '2019' matches 'abe' (facts of other dates do: search without the date)\n"
    )
    assert run("search", "Abe Putin G20 Osaka 2019").code == 1
    # A year alone: the facts of that year (or a span over it), not those that cite a 2019 source.
    hits = search(bundled, "2019", CATEGORIES, 20)
    assert hits and all(m["how"] == "date" for h in hits for m in h.matched)
    # The year in a title still counts: a fact dated 2017-12 about drills in 2018.
    assert found(bundled, "joint drills 2018")[0] == "2017-12-gerasimov-joint-drills-2018"
    # Every hit of a dated query is of that date (or names the year in its title).
    for h in search(bundled, "Putin Abe 2016", CATEGORIES, 20):
        assert any(m["how"] == "date" or (m["field"] == "title" and m["match"] == "2016") for m in h.matched)


@pytest.mark.parametrize("query", ["what happened in December 2016", "что произошло в декабре 2016 года"])
def test_a_month_and_a_year_are_a_date(bundled: Store, query: str) -> None:
    result = run_search(bundled, query, CATEGORIES, 20)
    assert result.hits and result.unmatched == [] and result.searched == ["2016-12"], result.searched
    assert all(m["how"] == "date" for h in result.hits for m in h.matched)
    assert all(h.missing == [] for h in result.hits)


@pytest.mark.parametrize(
    ("query", "entity"),
    [
        ("Tisima", "kuril-islands"),  # Kunrei for Chishima, a part of a name
        ("Tishima", "kuril-islands"),
        ("Chisima", "kuril-islands"),
        ("Medwedjew", "dmitry-medvedev"),  # German je after a consonant is е
        ("Obuti", "keizo-obuchi"),  # Kunrei ti
        ("Hasimoto", "ryutaro-hashimoto"),  # Kunrei si
    ],
)
def test_romanisation_families_meet(bundled: Store, query: str, entity: str) -> None:
    result = run_search(bundled, query, CATEGORIES, 5)
    assert result.hits and result.unmatched == []
    assert all(m.get("entity") == entity for h in result.hits for m in h.matched), query


# --------------------------------------------------------------------------- the glossary: Russian and Japanese words


@pytest.mark.parametrize(
    ("query", "fact"),
    [
        ("телефонный разговор Путина и Абэ", "2014-09-21-putin-abe-phone-call"),
        ("電話会談 安倍 プーチン", "2014-09-21-putin-abe-phone-call"),
        ("совместные военные учения", "2017-12-gerasimov-joint-drills-2018"),
        ("訪日 プーチン 2016", "2016-12-putin-visit-to-japan"),
    ],
)
def test_common_russian_and_japanese_words_are_translated(bundled: Store, query: str, fact: str) -> None:
    result = run_search(bundled, query, CATEGORIES, 10)
    assert fact in [h.id for h in result.hits[:3]], [h.id for h in result.hits[:3]]
    assert result.unmatched == []
    assert any(m["how"] == "translation" for h in result.hits for m in h.matched)
    assert any(how == "translation" for _, _, how in result.corrections)


def test_russian_endings_and_false_friends() -> None:
    from nichiro.glossary import russian

    assert russian("переговорах") == russian("переговоры") == ("talks", "negotiations")
    assert russian("визитом") == ("visit",) and russian("мирного") == ("peace",)
    assert russian("спорт") == () and russian("газета") == ()  # not "спор", "газ" with an ending


def test_a_translated_word_no_fact_has_is_absent(bundled: Store) -> None:
    # "взрыв" (explosion) and "газопровода" (pipeline): translated, and in no fact.
    result = run_search(bundled, "взрыв газопровода Путин", CATEGORIES, 5)
    assert result.hits == [] and result.declined
    assert set(result.unmatched) == {"взрыв", "газопровода"}


def test_docs_search_tables_are_what_the_benchmark_writes() -> None:
    """docs/search.md's before -> after tables by kind: `relevance.py --markdown` of today's search."""
    before = json.loads((REPO / "benchmarks" / "relevance-2a15ebb.json").read_text(encoding="utf-8"))
    text = (REPO / "docs" / "search.md").read_text(encoding="utf-8")
    shown = text.split("<!-- relevance: begin -->\n", 1)[1].split("<!-- relevance: end -->", 1)[0]
    assert shown == relevance.markdown(before, relevance.measure()), (
        "docs/search.md is stale: python benchmarks/relevance.py --markdown benchmarks/relevance-2a15ebb.json"
    )


def test_a_place_finds_the_facts_placed_within_it(bundled: Store) -> None:
    # Nagato lies in Yamaguchi Prefecture; no fact names the prefecture.
    hits = search(bundled, "Yamaguchi", CATEGORIES, 10)
    assert "2016-12-putin-visit-to-japan" in [h.id for h in hits]
    assert {m["field"] for h in hits for m in h.matched} == {"within"}
    assert explain(hits[0]) == "within: yamaguchi → Yamaguchi Prefecture"
    # A country is not a place a fact is "within": Japan is found by its name and references only.
    assert all(m["field"] != "within" for h in search(bundled, "Japan", CATEGORIES, 20) for m in h.matched)


@pytest.mark.parametrize("query", ["December 15, 2016", "15 December 2016", "15 декабря 2016 года", "2016年12月15日"])
def test_a_day_written_out_is_a_date(bundled: Store, query: str) -> None:
    result = run_search(bundled, query, CATEGORIES, 20)
    assert result.searched == ["2016-12-15"] and result.unmatched == [] and result.hits
    assert result.hits[0].matched[0]["match"].startswith("2016-12")


@pytest.mark.parametrize(
    ("query", "first", "last"),
    [
        ("Kuril Islands after 2014", "2015-01-01", None),
        ("sanctions since 2014", "2014-01-01", None),
        ("before 1905", None, "1904-12-31"),
        ("Putin Abe 2012-2016", "2012-01-01", "2016-12-31"),
        ("Putin Abe from 2012 to 2016", "2012-01-01", "2016-12-31"),
        ("санкции после 2014", "2015-01-01", None),
        ("制裁 2014年以降", "2014-01-01", None),
    ],
)
def test_a_span_of_years_restricts(bundled: Store, query: str, first: str | None, last: str | None) -> None:
    result = run_search(bundled, query, CATEGORIES, 20)
    assert result.hits and result.unmatched == [], query
    for hit in result.hits:
        dates = [m for m in hit.matched if m["how"] == "date"]
        assert dates, (query, hit.id)
        lo, _, hi = dates[0]["match"].partition("/")
        assert first is None or (hi or lo) >= first[: len(hi or lo)], (query, hit.id)
        assert last is None or lo <= last[: len(lo)], (query, hit.id)


def test_facts_dated_within_the_asked_span_come_first(bundled: Store) -> None:
    hits = search(bundled, "Japan Russia relations 1991", CATEGORIES, 20)
    inside = [any(m["how"] == "date" and m["match"].startswith("1991") for m in h.matched) for h in hits]
    assert inside[0] and inside == sorted(inside, reverse=True)


def test_words_most_facts_have_do_not_hide_the_facts_of_a_date(bundled: Store) -> None:
    # "Japan" and "Russia" are in most facts; the 1956 Declaration says "Soviet–Japanese".
    hits = search(bundled, "What happened between Japan and Russia in 1956?", CATEGORIES, 5)
    assert "1956-10-19-soviet-japanese-joint-declaration" in [h.id for h in hits[:2]]
    assert all(m["match"].startswith("1956") for h in hits[:2] for m in h.matched if m["how"] == "date")


# --------------------------------------------------------------------------- names of several words, as phrases


def _registry_names() -> list[tuple[str, str]]:
    """(entry id, name) of every name and alias of the bundled registries, and each name without its
    qualifier in brackets ("Treaty of San Francisco" of "Treaty of San Francisco (1951)")."""
    fb = load_factbase()
    out = []
    for entries in (fb.people.values(), fb.places.values(), fb.terms.values()):
        for e in entries:
            for name in (e.name, *e.aliases):
                out.append((e.id, name))
                if "(" in name:
                    out.append((e.id, " ".join(name.split("(")[0].split())))
    return out


def test_treaty_of_san_francisco_is_one_name() -> None:
    # Before: "no fact mentions 'San'", and Francisco read as a part of the name.
    result = run_search(load([bundled_facts_dir()], use_cache=False), "Treaty of San Francisco", CATEGORIES, 5)
    assert result.unmatched == [] and result.corrections == [] and result.searched == ["treaty of san francisco"]
    assert result.hits[0].matched[0]["entity"] == "san-francisco-peace-treaty"


def test_every_name_of_several_words_is_matched_as_a_phrase(bundled: Store) -> None:
    """A query that is a registry name of several words (or one without its bracketed qualifier)
    matches that name whole: no word of it is unmatched or read as something else, and the hits
    are the entry's, unless no fact mentions the name at all."""
    wrong = []
    for eid, name in _registry_names():
        if " " not in name.strip() or any("\u3040" <= ch <= "\u9fff" for ch in name):
            continue
        result = run_search(bundled, name, CATEGORIES, 5)
        if not result.hits and result.unmatched == [fold(name)]:  # a name no fact mentions, said whole
            continue
        entities = {m.get("entity") for h in result.hits for m in h.matched}
        if result.unmatched or eid not in entities or result.corrections:
            wrong.append((name, result.unmatched, result.corrections))
    assert wrong == []


# --------------------------------------------------------------------------- dates as users write them


@pytest.mark.parametrize(
    ("query", "read"),
    [
        ("27.01.1992", "1992-01-27"),  # day, month, year, as Russia and most of Europe write it
        ("27/01/1992", "1992-01-27"),  # a slash, the day above 12: only one reading
        ("01/27/1992", "1992-01-27"),  # ... the American order, likewise
        ("1992/01/27", "1992-01-27"),
        ("1992.01.27", "1992-01-27"),
        ("01.1992", "1992-01"),
        ("1992/01", "1992-01"),
        ("January 1992", "1992-01"),
        ("Jan 1992", "1992-01"),
        ("1990年代", "1990s"),
        ("1990-е", "1990s"),
    ],
)
def test_dates_as_users_write_them(bundled: Store, query: str, read: str) -> None:
    result = run_search(bundled, query, CATEGORIES, 5)
    assert result.searched == [read] and result.unmatched == [] and result.corrections == [], result.searched
    assert result.hits[0].id == "1992-01-27-japan-recognises-russian-federation-as-successor-state" or read == "1990s"


def test_a_day_with_slashes_that_reads_two_ways_is_not_guessed(bundled: Store) -> None:
    result = run_search(bundled, "03/04/2016", CATEGORIES, 20)
    assert result.searched == ["2016"] and result.unmatched == []
    assert result.corrections == [("03/04/2016", "2016", "2016-04-03 or 2016-03-04: which is not said, so the year")]


@pytest.mark.parametrize("query", ["spring 2016", "Abe in the spring of 2016", "весной 2016 года", "2016年春"])
def test_a_season_is_read_as_its_year_and_said(bundled: Store, query: str) -> None:
    # A season's months depend on the hemisphere: the year, said on stderr; 'spring' is never a word
    # matched in a fact (the 1992 fact whose title says "spring 1992" is found by its date only).
    result = run_search(bundled, query, CATEGORIES, 20)
    assert "2016" in result.searched and not any("spring" in t or "весн" in t for t in result.searched)
    assert result.unmatched == [] and result.hits
    assert [how for _, read, how in result.corrections] == ["a season, read as its year"]
    assert all(m["how"] != "exact" or m["match"] != "spring" for h in result.hits for m in h.matched)


def test_a_century_is_a_span_of_years(bundled: Store) -> None:
    result = run_search(bundled, "relations in the 19th century", CATEGORIES, 20)
    assert result.searched[-1] == "1801..1900" and result.unmatched == [] and result.hits
    assert result.hits[0].id.startswith("1855")
    assert all(m["match"][:4] <= "1900" for h in result.hits for m in h.matched if m["how"] == "date")


# --------------------------------------------------------------------------- words joined without their hyphen or space


@pytest.mark.parametrize(
    ("query", "read", "fact"),
    [
        ("eightpoint plan", "eight point", "2016-05-eight-point-economic-plan"),
        ("eightpoint", "eight point", "2016-05-eight-point-economic-plan"),  # words the facts have, not a part
        ("russojapanese war", "russo japanese", "1904-russo-japanese-war"),  # then a name with the next word
        ("peacetreaty", "peace treaty", None),
    ],
)
def test_words_joined_without_their_hyphen_are_read_apart(
    bundled: Store, query: str, read: str, fact: str | None
) -> None:
    result = run_search(bundled, query, CATEGORIES, 5)
    assert result.unmatched == [] and result.hits
    assert result.corrections == [(query.split()[0], read, "joined words")]
    assert fact is None or fact in [h.id for h in result.hits[:2]]


def test_a_word_the_facts_have_is_never_split(bundled: Store) -> None:
    # "nonaggression" is a word of the facts, though "non" and "aggression" might be too.
    result = run_search(bundled, "nonaggression", CATEGORIES, 5)
    assert result.corrections == [] and result.searched == ["nonaggression"]


# --------------------------------------------------------------------------- Cyrillic names in every romanisation

_RU_VOWELS = "аеёиоуыэюя"
# The systems' tables, written here from the standards rather than taken from nichiro.translit, so
# that the test can fail: ISO 9 and the scholarly system with their marks, BGN/PCGN, German (Duden), French.
_CYRILLIC_LETTERS = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_SYSTEMS = {
    system: dict(zip(_CYRILLIC_LETTERS, letters.split(), strict=True))
    for system, letters in {
        "ISO 9": "a b v g d e ë ž z i j k l m n o p r s t u f h c č š ŝ ʺ y ʹ è û â",
        "scholarly": "a b v g d e ë ž z i j k l m n o p r s t u f x c č š šč ʺ y ʹ è ju ja",
        "BGN/PCGN": "a b v g d e ë zh z i y k l m n o p r s t u f kh ts ch sh shch ˮ y ʼ e yu ya",
        "German": "a b w g d e jo sch s i i k l m n o p r s t u f ch z tsch sch schtsch - y - e ju ja",
        "French": "a b v g d e io j z i ï k l m n o p r s t ou f kh ts tch ch chtch - y - e iou ia",
    }.items()
}


def _romanise(name: str, system: str) -> str:
    out = []
    low = name.lower()
    for i, ch in enumerate(low):
        before, after = (low[i - 1] if i else " "), (low[i + 1] if i + 1 < len(low) else " ")
        if ch == "е" and system in ("BGN/PCGN", "German", "French") and (before in _RU_VOWELS or before in "ъь "):
            out.append({"BGN/PCGN": "ye", "German": "je", "French": "ie"}[system])
        elif ch == "с" and system in ("German", "French") and before in _RU_VOWELS and after in _RU_VOWELS:
            out.append("ss")
        elif ch == "й" and system == "German" and before in "иы" and not after.isalpha():
            out.append("")  # -ий as -i, -ый as -y
        elif ch in _SYSTEMS[system]:
            spelt = _SYSTEMS[system][ch].strip("-")
            out.append(spelt.capitalize() if name[i].isupper() else spelt)
        else:
            out.append(name[i])
    return "".join(out)


def _cyrillic_names(store: Store) -> list[tuple[str, str]]:
    """(entry id, name) of every Russian name and alias of the registries that a fact is found by."""
    out = []
    for eid, name in _registry_names():
        if any("\u0400" <= ch <= "\u04ff" for ch in name) and not any(ch in name.lower() for ch in "іїєґ"):
            if run_search(store, name, CATEGORIES, 1).hits:
                out.append((eid, name))
    return out


@pytest.mark.parametrize("system", list(_SYSTEMS))
def test_every_russian_name_is_found_in_every_romanisation(bundled: Store, system: str) -> None:
    """Every Russian name and alias of people, places and terms, written in ISO 9, the scholarly
    system, BGN/PCGN, German or French (with their marks: folding takes them off, so without them
    too), finds its entry, and no word of it is unmatched."""
    wrong = []
    for eid, name in _cyrillic_names(bundled):
        query = _romanise(name, system)
        result = run_search(bundled, query, CATEGORIES, 5)
        entities = {m.get("entity") for h in result.hits for m in h.matched}
        if result.unmatched or eid not in entities:
            wrong.append((name, query, result.unmatched))
    assert wrong == []


@pytest.mark.parametrize(
    ("query", "entity"),
    [
        ("Šojgu", "sergei-shoigu"),  # ISO 9, scholarly
        ("Sojgu", "sergei-shoigu"),  # ... without the mark
        ("Shoygu", "sergei-shoigu"),  # BGN/PCGN
        ("Schoigu", "sergei-shoigu"),  # German
        ("Choïgou", "sergei-shoigu"),  # French
        ("Kurilskiye ostrova", "kuril-islands"),  # BGN/PCGN of Курильские острова
        ("Kuril'skie ostrova", "kuril-islands"),  # ... with the soft sign as an apostrophe
        ("Kurilʹskie ostrova", "kuril-islands"),  # ISO 9's own soft sign
        ("Kurilskije ostrowa", "kuril-islands"),  # German
        ("Kourilskie ostrova", "kuril-islands"),  # French
        ("SSSR", "soviet-union"),  # an acronym: СССР
    ],
)
def test_a_russian_name_in_another_romanisation_is_read_and_said(bundled: Store, query: str, entity: str) -> None:
    result = run_search(bundled, query, CATEGORIES, 5)
    assert result.hits and result.unmatched == []
    first = result.hits[0].matched[0]
    assert (first.get("entity"), first["how"]) == (entity, "transliteration"), first
    assert [how for _, _, how in result.corrections] == ["transliteration"]  # and stderr says so


def test_words_of_a_name_that_no_fact_has_alone_find_the_name(bundled: Store) -> None:
    # "San" is in no fact; "San Francisco" is in one name only, the Treaty's: the treaty, said.
    result = run_search(bundled, "the San Francisco treaty", CATEGORIES, 5)
    assert result.unmatched == [] and result.hits
    assert result.corrections == [("San Francisco", "Treaty of San Francisco (1951)", "part")]
    assert result.hits[0].matched[0]["entity"] == "san-francisco-peace-treaty"
