"""Loading and validation: every problem reported as file:line: id: field: message, all of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from nichiro.errors import FactBaseError
from nichiro.factbase import check_quotes, collect, load_factbase

from .conftest import FIXTURES, GOOD

MEETING = """
[[meeting]]
id = "2016-09-03-test-meeting"
date = "2016-09-03"
title = "A test meeting"
summary = "Test."
kind = "talks"
level = "leaders"
participants = ["shinzo-abe"]
sources = [{ source = "src-a", quote = "Putin and Abe met" }]
"""


def problems_with(facts_dir: Path, text: str | bytes, name: str = "extra.toml") -> list[str]:
    path = facts_dir / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    _, problems = collect([facts_dir])
    return [str(p).replace(str(facts_dir) + "/", "") for p in problems]


def test_good_fixture_loads() -> None:
    base = load_factbase([GOOD])
    assert len(base.facts) == 8
    assert [f.id for f in base.facts][:2] == ["1956-10-19-joint-declaration", "2013-04-28-abe-visit"]
    assert base.facts[-1].id == "undated-population"  # undated facts sort last


def test_syntax_error_names_file_and_line(facts_dir: Path) -> None:
    found = problems_with(facts_dir, '[[meeting]]\nid = "2016-x\ntitle = "t"\n')
    assert len(found) == 1
    assert found[0].startswith("extra.toml:2: TOML syntax error")


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ('kind = "talks"', 'kind = "talks"\ncolour = "red"'),
            "extra.toml:8: 2016-09-03-test-meeting: colour: unknown key",
        ),
        (('kind = "talks"', 'kind = "chat"'), "extra.toml:7: 2016-09-03-test-meeting: kind: 'chat' is not one of"),
        (
            ('date = "2016-09-03"', 'date = "2016-02-30"'),
            "2016-09-03-test-meeting: date: '2016-02-30': February 2016 has no day 30",
        ),
        (
            ('date = "2016-09-03"', 'date = "2016-09-03/2016-09-01"'),
            "date: '2016-09-03/2016-09-01': the range ends before it starts",
        ),
        (('date = "2016-09-03"', "date = 2016-09-03"), "date: must be a date string"),
        (('title = "A test meeting"', 'title = ""'), "extra.toml:5: 2016-09-03-test-meeting: title: must not be empty"),
        (('summary = "Test."\n', ""), "2016-09-03-test-meeting: summary: required field is missing"),
        (('quote = "Putin and Abe met"', 'quote = ""'), "sources: source #1: must not be empty"),
        (('quote = "Putin and Abe met"', 'qoute = "Putin"'), "sources: source #1 is missing 'quote'"),
        (('participants = ["shinzo-abe"]', 'participants = "shinzo-abe"'), "participants: must be a list of strings"),
        (
            ('participants = ["shinzo-abe"]', 'participants = ["taro-nobody"]'),
            "participants: unknown person 'taro-nobody'",
        ),
        (('level = "leaders"', 'level = "leaders"\nplace = ["atlantis"]'), "place: unknown place 'atlantis'"),
        (
            ('level = "leaders"', 'level = "leaders"\nplace = "vladivostok"'),
            'place: must be a list of place ids: write ["vladivostok"]',
        ),
        (('level = "leaders"', 'level = "leaders"\nplace = []'), "place: must be a non-empty list of place ids"),
        (('source = "src-a"', 'source = "src-z"'), "sources: unknown source 'src-z'"),
        (
            ('id = "2016-09-03-test-meeting"', 'id = "2016-09-04-test-meeting"'),
            "id: id must start with the fact's date '2016-09-03'",
        ),
        (('id = "2016-09-03-test-meeting"', 'id = "Test Meeting"'), "id: 'Test Meeting' is not a valid id"),
        (('kind = "talks"', 'kind = "talks"\nrelated = ["2099-nothing"]'), "related: unknown fact '2099-nothing'"),
        (
            ('kind = "talks"', 'kind = "talks"\ndisagrees_with = ["2016-09-02-putin-abe-vladivostok"]'),
            "disagrees_with: '2016-09-02-putin-abe-vladivostok' does not list this fact",
        ),
    ],
)
def test_each_problem_is_reported_where_it_is(facts_dir: Path, change: tuple[str, str], expected: str) -> None:
    old, new = change
    assert old in MEETING
    found = problems_with(facts_dir, MEETING.replace(old, new))
    assert any(expected in p for p in found), found


def test_all_problems_are_reported_not_only_the_first(facts_dir: Path) -> None:
    text = MEETING.replace('kind = "talks"', 'kind = "chat"').replace('title = "A test meeting"', "title = 5")
    found = problems_with(facts_dir, text)
    assert any("kind:" in p for p in found) and any("title: must be a string" in p for p in found)


def test_duplicate_id_names_both_files(facts_dir: Path) -> None:
    (facts_dir / "one.toml").write_text(MEETING, encoding="utf-8")
    found = problems_with(facts_dir, MEETING, name="two.toml")
    assert found == ["two.toml:3: 2016-09-03-test-meeting: id: duplicate id (also at one.toml:3)"]


def test_unknown_record_kind(facts_dir: Path) -> None:
    found = problems_with(facts_dir, '[[summit]]\nid = "x"\n')
    assert found == [
        "extra.toml:1: summit: unknown record kind (expected one of: meeting, treaty, trade, exchange, "
        "event, figure, source, person, place, term, tag)"
    ]


def test_not_utf8(facts_dir: Path) -> None:
    found = problems_with(facts_dir, b'[[meeting]]\ntitle = "caf\xe9"\n')
    assert found == ["extra.toml:2: not UTF-8 text (byte 0xe9)"]


def test_empty_file_is_no_problem(facts_dir: Path) -> None:
    assert problems_with(facts_dir, "") == []


@pytest.mark.parametrize(("make", "message"), [("missing", "no such directory"), ("file", "not a directory")])
def test_bad_directory(tmp_path: Path, make: str, message: str) -> None:
    target = tmp_path / "facts"
    if make == "file":
        target.write_text("")
    with pytest.raises(FactBaseError, match=message):
        load_factbase([target])


def test_check_quotes_finds_missing_quotes(facts_dir: Path) -> None:
    base = load_factbase([GOOD])
    assert check_quotes(base, FIXTURES / "sources") == []
    (facts_dir / "extra.toml").write_text(MEETING.replace("Putin and Abe met", "Putin and Abe dined"))
    problems = check_quotes(load_factbase([facts_dir]), FIXTURES / "sources")
    assert [p.record for p in problems] == ["2016-09-03-test-meeting"]
    assert "quote not found in src-a: 'Putin and Abe dined'" in str(problems[0])


def test_quotes_match_whitespace_aside() -> None:
    # The fixture's quote for the Vladivostok meeting spans a line break in a.txt.
    base = load_factbase([GOOD])
    assert base.by_id["2016-09-02-putin-abe-vladivostok"].sources[0].quote.count("\n") == 0
    assert check_quotes(base, FIXTURES / "sources") == []


# --------------------------------------------------------------------------- places, offices and tags

OFFICE = """
[[person]]
id = "president-of-russia"
name = "President of Russia"
kind = "office"
country = "russia"
holders = [
    { person = "vladimir-putin", start = "2012-05-07", basis = "outside-sources" },
]
"""


def test_a_place_list_an_office_and_a_parent_load(facts_dir: Path) -> None:
    text = OFFICE + MEETING.replace(
        'participants = ["shinzo-abe"]', 'participants = ["shinzo-abe", "president-of-russia"]'
    )
    text += '\n[[place]]\nid = "russia"\nname = "Russia"\nkind = "country"\ncountry = "russia"\n'
    text = text.replace('level = "leaders"', 'level = "leaders"\nplace = ["vladivostok", "shikotan"]')
    (facts_dir / "extra.toml").write_text(text, encoding="utf-8")
    assert problems_with(facts_dir, text) == []
    base = load_factbase([facts_dir])
    assert base.by_id["2016-09-03-test-meeting"].details["place"] == ("vladivostok", "shikotan")
    office = base.people["president-of-russia"]
    assert office.kind == "office" and office.roles == ()
    assert [(h.person, str(h.start), h.end, h.basis) for h in office.holders] == [
        ("vladimir-putin", "2012-05-07", None, "outside-sources")
    ]
    assert base.people["shinzo-abe"].kind == "person"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[[place]]\nid = "nowhere-city"\nname = "N"\nkind = "city"\ncountry = "x"\nparent = "atlantis"\n',
            "nowhere-city: parent: unknown place 'atlantis'",
        ),
        (
            '[[place]]\nid = "a"\nname = "A"\nkind = "region"\ncountry = "x"\nparent = "b"\n'
            '[[place]]\nid = "b"\nname = "B"\nkind = "region"\ncountry = "x"\nparent = "a"\n',
            "parent: places lie within each other: a -> b -> a",
        ),
        (
            '[[place]]\nid = "c"\nname = "C"\nkind = "region"\ncountry = "x"\nparent = "c"\n',
            "parent: places lie within each other: c -> c",
        ),
        (
            OFFICE.replace('person = "vladimir-putin"', 'person = "taro-nobody"'),
            "holders: unknown person 'taro-nobody'",
        ),
        (
            OFFICE.replace('start = "2012-05-07"', 'start = "2012-05-07", end = "2008-05-07"'),
            "holder #1: the term ends (2008-05-07) before it starts (2012-05-07)",
        ),
        (OFFICE.replace('start = "2012-05-07"', 'start = "2012"'), ""),
        (
            OFFICE.replace('start = "2012-05-07"', 'start = "2008-05-07/2012-05-07"'),
            "holder #1: must be one date, not a range",
        ),
        (
            OFFICE.replace('basis = "outside-sources"', 'basis = "sources"'),
            "holder #1: a term from the sources gives its source and quote",
        ),
        (
            OFFICE.replace('basis = "outside-sources"', 'basis = "hearsay"'),
            "'hearsay' is not one of: sources, outside-sources",
        ),
        (OFFICE.replace('basis = "outside-sources" ', ""), "holder #1 is missing 'basis'"),
        (OFFICE.replace('kind = "office"\n', ""), "president-of-russia: roles: required field is missing"),
        (
            OFFICE.replace('kind = "office"\n', 'roles = ["x"]\n'),
            "president-of-russia: holders: only an office has holders",
        ),
        (
            OFFICE.replace('person = "vladimir-putin"', 'person = "prime-minister-of-japan"')
            + '\n[[person]]\nid = "prime-minister-of-japan"\nname = "PM"\nkind = "office"\ncountry = "japan"\n',
            "holders: holder #1: 'prime-minister-of-japan' is an office",
        ),
    ],
)
def test_place_and_office_problems(facts_dir: Path, text: str, expected: str) -> None:
    found = problems_with(facts_dir, text)
    if not expected:
        assert found == []
    else:
        assert any(expected in p for p in found), found


TAGS = (
    '[[tag]]\nid = "defence"\naliases = ["defense"]\n\n[[tag]]\nid = "g20"\n\n[[tag]]\nid = "eastern-economic-forum"\n'
)


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ('["defence", "g20"]', None),
        ('["defense"]', "tags: unknown tag 'defense': write 'defence'"),
        ('["g-20"]', "tags: unknown tag 'g-20': add it to the tag registry ([[tag]])"),
    ],
)
def test_tags_are_a_closed_list_once_a_registry_is_given(facts_dir: Path, tags: str, expected: str | None) -> None:
    text = TAGS + MEETING.replace('kind = "talks"', f'kind = "talks"\ntags = {tags}')
    found = problems_with(facts_dir, text)
    assert found == [] if expected is None else any(expected in p for p in found), found


def test_tags_are_open_without_a_registry(facts_dir: Path) -> None:
    assert problems_with(facts_dir, MEETING.replace('kind = "talks"', 'kind = "talks"\ntags = ["anything"]')) == []


def test_a_tag_shares_its_id_with_a_place_but_not_with_another_tag(facts_dir: Path) -> None:
    text = TAGS + '[[tag]]\nid = "vladivostok"\n'
    assert problems_with(facts_dir, text) == []
    found = problems_with(facts_dir, text + '[[tag]]\nid = "g20"\n')
    assert any("g20: id: duplicate id" in p for p in found), found
    found = problems_with(facts_dir, TAGS + '[[tag]]\nid = "defense"\n')
    assert any("defence: aliases: 'defense' is a tag of its own" in p for p in found), found


def test_a_term_from_the_sources_has_its_quote_checked(facts_dir: Path) -> None:
    sourced = OFFICE.replace(
        'basis = "outside-sources"', 'basis = "sources", source = "src-a", quote = "Putin and Abe met"'
    )
    (facts_dir / "extra.toml").write_text(sourced, encoding="utf-8")
    assert check_quotes(load_factbase([facts_dir]), FIXTURES / "sources") == []
    (facts_dir / "extra.toml").write_text(sourced.replace("Abe met", "Abe dined"), encoding="utf-8")
    problems = check_quotes(load_factbase([facts_dir]), FIXTURES / "sources")
    assert [p.record for p in problems] == ["president-of-russia"]
    (facts_dir / "extra.toml").write_text(sourced.replace('"src-a"', '"src-z"'), encoding="utf-8")
    assert any("unknown source 'src-z'" in p for p in problems_with(facts_dir, sourced.replace('"src-a"', '"src-z"')))
