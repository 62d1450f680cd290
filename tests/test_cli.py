"""The CLI in-process, over the fixture base: stdout and stderr asserted separately."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from nichiro import __version__

from .conftest import FIXTURES, GOOD

F = ("--facts-only", "--facts", str(GOOD))


def test_version(run) -> None:
    r = run("--version")
    assert (r.code, r.out, r.err) == (0, f"nichiro {__version__}\n", "")


def test_help_documents_exit_codes(run) -> None:
    r = run("--help")
    assert r.code == 0 and r.err == ""
    assert "Exit codes: 0 success" in r.out and "3 invalid fact base" in r.out


def test_meetings_year_plain_rows_in_a_pipe(run) -> None:
    r = run(*F, "meetings", "--year", "2016")
    assert r.code == 0 and r.err == ""
    rows = [line.split("\t") for line in r.out.splitlines()]
    assert [row[0] for row in rows] == ["2016-05", "2016-09-02"]  # the month stays a month
    assert rows[1][2] == "Vladivostok" and rows[1][3] == "Vladimir Putin, Shinzo Abe"


def test_meetings_json_records(run) -> None:
    r = run(*F, "meetings", "--year", "2016", "--json")
    data = json.loads(r.out)
    assert r.err == "" and len(data) == 2
    rec = data[1]
    assert rec["id"] == "2016-09-02-putin-abe-vladivostok"
    assert (rec["category"], rec["date"], rec["date_precision"]) == ("meeting", "2016-09-02", "day")
    assert (rec["kind"], rec["place"], rec["participants"]) == (
        "sidelines",
        ["vladivostok"],
        ["vladimir-putin", "shinzo-abe"],
    )
    assert rec["sources"] == [
        {"source": "src-a", "quote": "Putin and Abe met in Vladivostok on the sidelines of the Eastern Economic Forum."}
    ]


def test_month_precision_filters(run) -> None:
    r = run(*F, "meetings", "--from", "2013-04", "--to", "2013-06", "--json")
    assert [m["id"] for m in json.loads(r.out)] == ["2013-04-28-abe-visit"]
    assert run(*F, "meetings", "--from", "2013-05", "--to", "2013-06", "--json").out == "[]\n"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("meetings", "--person", "Abe"), "2013-04-28-abe-visit"),
        (("meetings", "--person", "Shinzō Abe"), "2013-04-28-abe-visit"),
        (("meetings", "--place", "Владивосток"), "2016-09-02-putin-abe-vladivostok"),
        (("meetings", "--kind", "summit"), "2016-05-putin-abe-sochi"),
    ],
)
def test_meeting_filters(run, args: tuple[str, ...], needle: str) -> None:
    r = run(*F, *args)
    assert r.code == 0 and needle in r.out


def test_empty_result_is_success_and_says_so_on_stderr(run) -> None:
    r = run(*F, "meetings", "--year", "1900")
    assert (r.code, r.out, r.err) == (0, "", "No meetings match.\n")
    assert run(*F, "meetings", "--year", "1900", "--json").out == "[]\n"


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (("meetings", "--bogus"), "No such option: --bogus"),
        (("meetings", "--year", "abc"), "--year"),
        (("meetings", "--year", "0"), "--year: 0 is not a year"),
        (("meetings", "--year", "99999"), "--year: 99999 is not a year"),
        (("meetings", "--from", "2016-02-30"), "--from: '2016-02-30': February 2016 has no day 30"),
        (("meetings", "--from", "2016", "--to", "2015"), "--from 2016 is after --to 2015"),
        (("meetings", "--kind", "picnic"), "--kind: 'picnic' is not one of"),
        (("meetings", "--format", "xml"), "--format"),
        (("meetings", "--json", "--format", "csv"), "contradict"),
        (("timeline", "--category", "gossip"), "--category: 'gossip' is not one of"),
        (("search", ""), "the query is empty"),
        (("search", "x", "--limit", "0"), "--limit"),
        (("nonsense",), "No such command"),
    ],
)
def test_usage_errors_are_one_line_exit_2(run, args: tuple[str, ...], needle: str) -> None:
    r = run(*F, *args)
    assert r.code == 2 and r.out == ""
    assert r.err.count("\n") == 1 and r.err.startswith("nichiro: error: ") and needle in r.err


@pytest.mark.parametrize(
    ("args", "named", "help"),
    [
        # Each kind of usage error, for a command, a group's subcommand and nichiro itself.
        (("meetings", "--tag"), "Option '--tag' requires an argument", "meetings"),
        (("meetings", "--yaer", "2016"), "No such option: --yaer. Did you mean '--year'?", "meetings"),
        (
            ("meetings", "--format", "xml"),
            "Invalid value for '--format' / '-f': 'xml' is not one of 'auto', 'table', 'plain', 'json', 'jsonl', "
            "'csv', 'tsv'",
            "meetings",
        ),
        (("meetings", "--limit", "1", "--limit", "2"), "--limit was given 2 times (1, 2): give it once", "meetings"),
        (("meetings", "extra"), "Got unexpected extra argument(s) (extra)", "meetings"),
        (("meetings", "--no-color=1"), "Option '--no-color' does not take a value", "meetings"),
        (("show", "--context=x", "x"), "Invalid value for '--context': 'x' is not a valid int", "show"),
        (("show", "--context", "2"), "Missing argument 'ID'", "show"),
        (("export", "json", "--facts"), "Option '--facts' requires an argument", "export json"),
        (("export", "json", "--bogus", "-"), "No such option: --bogus", "export json"),
        (("export", "json", "--force=yes", "-"), "Option '--force' does not take a value", "export json"),
        (("export", "json", "-", "more"), "Got unexpected extra argument(s) (more)", "export json"),
        (("export", "sqlite", "x.db", "--metadata"), "Option '--metadata' requires an argument", "export sqlite"),
        (
            ("export", "sqlite", "x.db", "--metadata", "a", "--metadata", "b"),
            "--metadata was given 2 times (a, b): give it once",
            "export sqlite",
        ),
        (("cache", "info", "--facts"), "Option '--facts' requires an argument", "cache info"),
        (("cache", "info", "--bogus"), "No such option: --bogus", "cache info"),
        (("cache", "info", "--json=1"), "Option '--json' does not take a value", "cache info"),
        (("cache", "info", "extra"), "Got unexpected extra argument(s) (extra)", "cache info"),
        (("cache", "inf"), "No such command 'inf'. Did you mean 'info'?", "cache"),
        (("--facts",), "Option '--facts' requires an argument", ""),
        (("--bogus", "meetings"), "No such option: --bogus", ""),
    ],
)
def test_a_usage_error_names_the_option_and_the_help_of_its_command(
    run, args: tuple[str, ...], named: str, help: str
) -> None:
    r = run(*args)
    see = " ".join(["nichiro", *help.split(), "--help"])
    assert (r.code, r.out, r.err) == (2, "", f"nichiro: error: {named} (see '{see}')\n")
    assert run(*see.split()[1:]).code == 0


def test_timeline_in_order_by_category(run) -> None:
    r = run(*F, "timeline", "--json")
    dates = [rec["date"] for rec in json.loads(r.out)]
    assert dates == ["1956-10-19", "2013-04-28/2013-04-30", "2014", "2016", "2016-01/2016-08", "2016-05", "2016-09-02"]
    trade = json.loads(run(*F, "timeline", "--category", "trade", "--json").out)
    assert [t["value"] for t in trade] == [10.11]


def test_search_finds_and_scores(run) -> None:
    r = run(*F, "search", "Shikotan", "--json")
    data = json.loads(r.out)
    assert r.code == 0 and data[0]["id"] == "1956-10-19-joint-declaration"
    assert data[0]["score"] > 0 and data[0]["matched"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Vladivostk", "2016-09-02-putin-abe-vladivostok"),  # a typo
        ("Владивосток", "2016-09-02-putin-abe-vladivostok"),  # an alias in Cyrillic
        ("色丹島", "1956-10-19-joint-declaration"),  # an alias in Japanese script
        ("Putin Abe 2016-05", "2016-05-putin-abe-sochi"),  # words and a month
    ],
)
def test_search_forgives(run, query: str, expected: str) -> None:
    data = json.loads(run(*F, "search", query, "--json").out)
    assert data and data[0]["id"] == expected


def test_search_nothing_is_exit_1(run) -> None:
    r = run(*F, "search", "zzqqxx")
    assert (r.code, r.out) == (1, "")
    assert r.err == "nichiro: error: no facts match 'zzqqxx'\n"


def test_show_everything_with_sources_and_disagreement(run) -> None:
    r = run(*F, "show", "2016-05-putin-abe-sochi")
    assert r.code == 0 and r.err == ""
    assert "date: 2016-05 (month)" in r.out
    assert '"Sochi in May 2016"' in r.out
    assert "DISAGREES WITH: 2014-finally-met [src-b]" in r.out


def test_show_json_keeps_scripts_readable(run) -> None:
    r = run(*F, "show", "1956-10-19-joint-declaration", "--json")
    data = json.loads(r.out)
    assert data["title"] == "Soviet–Japanese Joint Declaration" and "Soviet–Japanese" in r.out  # no \\u escapes
    assert data["sources"][0]["title"] == "Source A"


def test_show_unknown_suggests(run) -> None:
    r = run(*F, "show", "2016-09-02-putin-abe")
    assert r.code == 1 and r.out == ""
    assert "did you mean: 2016-09-02-putin-abe-vladivostok" in r.err


def test_claim_is_labelled(run) -> None:
    assert "status: CLAIM by src-b" in run(*F, "show", "2014-finally-met").out


def test_markup_in_fact_text_is_shown_literally(run) -> None:
    r = run(*F, "meetings", "--year", "2016", "--format", "table")
    assert "[bold]and[/]" in r.out


@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl"])
def test_other_formats(run, fmt: str) -> None:
    r = run(*F, "meetings", "--year", "2016", "--format", fmt)
    lines = r.out.splitlines()
    if fmt == "jsonl":
        assert [json.loads(x)["id"] for x in lines] == ["2016-05-putin-abe-sochi", "2016-09-02-putin-abe-vladivostok"]
    else:
        assert lines[0].split("," if fmt == "csv" else "\t")[0] == "date" and len(lines) == 3


def test_check_ok_and_quotes(run) -> None:
    r = run(*F, "check", "--sources", str(FIXTURES / "sources"))
    assert r.code == 0 and r.out.startswith("ok: 8 facts, 2 sources, 2 people, 2 places, 8 quotes found")


def test_check_reports_every_problem_and_exits_3(run, facts_dir: Path) -> None:
    (facts_dir / "bad.toml").write_text('[[event]]\nid = "2016-x"\ndate = "2016-02-30"\n', encoding="utf-8")
    r = run("--facts-only", "--facts", str(facts_dir), "check")
    assert r.code == 3
    assert len(r.out.splitlines()) >= 4  # date, title, summary, kind, sources ...
    assert r.err.startswith("nichiro: error: invalid fact base: ") and r.err.count("\n") == 1


def test_other_commands_refuse_an_invalid_base(run, facts_dir: Path) -> None:
    (facts_dir / "bad.toml").write_text("[[event]\n", encoding="utf-8")
    r = run("--facts-only", "--facts", str(facts_dir), "meetings")
    assert r.code == 3 and r.out == ""
    assert "bad.toml:1: TOML syntax error" in r.err


def test_check_missing_quote_exits_4(run, facts_dir: Path) -> None:
    (facts_dir / "base.toml").write_text(
        (GOOD / "base.toml").read_text(encoding="utf-8").replace("Sochi in May 2016", "Sochi in June 2016")
    )
    r = run("--facts-only", "--facts", str(facts_dir), "check", "--sources", str(FIXTURES / "sources"))
    assert r.code == 4
    assert "2016-05-putin-abe-sochi: sources: quote not found in src-b: 'Sochi in June 2016'" in r.out


def test_facts_env_adds_a_directory(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NICHIRO_FACTS", str(GOOD))
    r = run("--facts-only", "meetings", "--year", "2016", "--json")
    assert len(json.loads(r.out)) == 2


def test_user_files_are_never_written(run, facts_dir: Path) -> None:
    before = {p.name: p.read_bytes() for p in facts_dir.iterdir()}
    run("--facts-only", "--facts", str(facts_dir), "timeline")
    run("--facts-only", "--facts", str(facts_dir), "check")
    assert {p.name: p.read_bytes() for p in facts_dir.iterdir()} == before


def test_check_validates_a_users_directory(run, facts_dir: Path) -> None:
    ok = run("check", "--facts-only", "--facts", str(facts_dir))
    assert ok.code == 0 and ok.out.startswith("ok: 8 facts")
    (facts_dir / "bad.toml").write_text('[[event]]\nid = "2016-x"\n', encoding="utf-8")
    bad = run("check", "--facts", str(facts_dir), "--facts-only")
    assert bad.code == 3 and "bad.toml:1: 2016-x: date: required field is missing" in bad.out


def test_ids_colliding_with_the_bundled_facts_name_both_files(run, tmp_path: Path) -> None:
    from nichiro.factbase import load_factbase

    fact = next(f for f in load_factbase().facts if f.category == "meeting")
    (tmp_path / "mine.toml").write_text(
        f'[[event]]\nid = "{fact.id}"\ndate = "{fact.date}"\ntitle = "T"\nsummary = "S."\nkind = "other"\n'
        'sources = [{ source = "sputnik-2016", quote = "q" }]\n',
        encoding="utf-8",
    )
    r = run("check", "--facts", str(tmp_path))
    assert r.code == 3
    line = next(x for x in r.out.splitlines() if "duplicate id" in x)
    assert "mine.toml:2: " + fact.id + ": id: duplicate id (also at " in line
    assert fact.file.rsplit("/", 1)[-1] + ":" in line  # the bundled file it collides with


def test_the_parser_and_the_commands_agree_on_formats() -> None:
    from nichiro import cli, commands

    assert [f.value for f in cli.Format] == list(commands.FORMATS)


def test_a_persons_meetings_point_at_those_naming_only_an_office_they_held(run) -> None:
    r = run("meetings", "--person", "Medvedev", "--json")
    assert (r.code, r.out) == (0, "[]\n")  # no source names Medvedev at a meeting ...
    # ... but two name only the office he then held: said on stderr, never added to his meetings.
    assert r.err.startswith(
        "note: 2 meetings in Dmitry Medvedev's term as President of Russia (2008-05-07 to 2012-05-07"
    )
    assert "outside the sources" in r.err
    assert (
        "2011-05-27-kan-top-level-talks-deauville-g8" in r.err
        and "2011-11-12-noda-top-level-talks-honolulu-apec" in r.err
    )
    assert run("meetings", "--person", "Medvedev", "--year", "2016").err.count("note:") == 0
    noda = run("meetings", "--person", "Noda", "--kind", "phone-call", "--json")
    assert "2012-03-05-noda-congratulates-putin-on-election-phone-call" in noda.err
    assert "2012-03-05-noda-congratulates-putin-on-election-phone-call" not in noda.out
    assert "note:" not in run("meetings", "--person", "Noda", "--kind", "summit").err
    assert (
        "note:" not in run("meetings", "--person", "Lavrov", "--year", "2011").err
    )  # in office, no office-only meeting


def test_notes_on_stderr_wrap_to_a_terminal_never_in_a_pipe(run, monkeypatch: pytest.MonkeyPatch) -> None:
    """A long note (the office note) is one line in a pipe, which scripts read whole; on a terminal it is
    wrapped between words to its width, further lines indented, and says the same words."""
    piped = run("meetings", "--person", "Medvedev").err.splitlines()
    note = next(line for line in piped if line.startswith("note: "))
    assert len(note) > 150  # long enough to wrap
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    monkeypatch.setenv("COLUMNS", "60")
    lines = run("meetings", "--person", "Medvedev").err.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("note: ")))
    wrapped = [lines[start], *(line for line in lines[start + 1 :] if line.startswith("  "))]
    assert len(wrapped) > 2 and all(len(line) <= 60 for line in wrapped)
    assert " ".join(line.strip() for line in wrapped) == note
    # No word is broken, so that a fact id can be copied: each of the note's ids is whole on a line.
    for word in note.split():
        if word.startswith("2011-"):
            assert any(word in line for line in wrapped)


def test_notes_wrap_to_the_width_of_a_real_terminal(tmp_path: Path) -> None:
    """stderr a terminal 64 columns wide (no COLUMNS), stdout a pipe: the note is wrapped to 64, the output is not."""
    import fcntl
    import os
    import pty
    import struct
    import subprocess
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 64, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env["NICHIRO_CACHE_DIR"] = str(tmp_path)
    argv = [sys.executable, "-m", "nichiro", "trade", "--format", "table"]
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=follower, env=env, cwd=tmp_path) as proc:
        os.close(follower)
        out, _ = proc.communicate(timeout=60)
        err = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # EIO: the terminal's other end is closed
                break
            if not chunk:
                break
            err += chunk
    os.close(leader)
    lines = err.decode().replace("\r\n", "\n").splitlines()
    assert proc.returncode == 0 and any(line.startswith("note: ") for line in lines), lines
    assert all(len(line) <= 64 for line in lines) and any(line.startswith("  ") for line in lines), lines
    assert max(len(line) for line in out.decode().splitlines()) > 64  # stdout is no terminal: its own width
