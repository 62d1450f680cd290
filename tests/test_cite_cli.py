"""`nichiro cite` and `nichiro show` as a user runs them (through typer and through the fast path)."""

from __future__ import annotations

import json
import re
import shlex
import sys
from pathlib import Path

import bibtexparser
import jsonschema
import pytest
import rispy

from .conftest import needs_sources

DATA = Path(__file__).parent / "data"
REFERENCE = json.loads((DATA / "csl_reference.json").read_text(encoding="utf-8"))
DECLARATION = "1956-10-19-soviet-japanese-joint-declaration"
# Three facts whose sources are, between them, every bundled source (the declaration cites all five).
FACTS = [DECLARATION, "2016-05-putin-abe-sochi", "2022-japan-sanctions-over-invasion-of-ukraine"]


def _expected(style: str, source_id: str) -> str:
    return next(e["text"] for e in REFERENCE[style] if e["id"] == source_id)


def test_cite_apa_reads_as_a_reference(run) -> None:
    r = run("cite", DECLARATION, "--style", "apa", "--no-quotes")
    assert r.code == 0, r.err
    assert r.out.splitlines() == [
        "[Backgrounder on Russia–Japan relations]. (2016, November 19). Sputnik. "
        "https://sputnikglobe.com/20161119/russia-japan-relations-peace-1047613727.html",
        "Embassy of the Russian Federation in Japan. (2012). [Overview of Russian–Japanese relations]. "
        "https://tokyo.mid.ru/en_GB/web/tokyo-en/russian-japanese-relations",
        "Japan–Russia relations. (2019). In Wikipedia. https://en.wikipedia.org/wiki/Japan%E2%80%93Russia_relations",
        "Japan–Russia relations. (2022). In Wikipedia. https://en.wikipedia.org/wiki/Japan%E2%80%93Russia_relations",
        "Skaltsounis, P. (2017). Russia and Japan strengthen their ties. Pecob.",
    ]
    # What the sources do not show is said on stderr, never invented.
    assert "cite: sputnik-2016: not known, so not in the reference: author, title" in r.err
    assert "cite: pecob-2017: not known, so not in the reference: URL" in r.err


@pytest.mark.parametrize("style", ["apa", "chicago", "mla"])
def test_three_facts_in_each_text_style(run, style: str) -> None:
    r = run("cite", *FACTS, "--style", style)
    assert r.code == 0, r.err
    cited = {ref["source"] for ref in json.loads(run("show", FACTS[0], "--json").out)["sources"]}
    for fact in FACTS[1:]:
        cited |= {ref["source"] for ref in json.loads(run("show", fact, "--json").out)["sources"]}
    references = [line for line in r.out.splitlines() if line and not line.startswith("    ")]
    assert len(references) == len(cited)  # each source once
    assert sorted(references) == sorted(_expected(style, s) for s in cited)
    quotes = [line for line in r.out.splitlines() if line.startswith("    nichiro fact ")]
    assert {q.split(":")[0].split()[-1] for q in quotes} == set(FACTS)
    assert "n.d." not in r.out


def test_a_source_id_is_cited_too_and_quotes_go_under_their_source(run) -> None:
    r = run("cite", "pecob-2017", "2016-05-putin-abe-sochi", "--style", "mla")
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0] == "Skaltsounis, Panagiotis. “Russia and Japan Strengthen Their Ties.” Pecob, 2017."
    assert lines[1].startswith("    nichiro fact 2016-05-putin-abe-sochi: “")


def test_chicago_cites_an_encyclopedia_in_a_note_and_says_so(run) -> None:
    r = run("cite", "wikipedia-2019", "--style", "chicago")
    assert r.code == 0
    assert (
        r.out
        == "“Japan–Russia relations,” Wikipedia, 2019, https://en.wikipedia.org/wiki/Japan%E2%80%93Russia_relations.\n"
    )
    assert "in notes, not in the bibliography" in r.err


def test_bibtex_ris_and_csl_json_parse(run) -> None:
    bib = run("cite", *FACTS, "--style", "bibtex")
    library = bibtexparser.parse_string(bib.out)
    assert bib.code == 0 and not library.failed_blocks
    keys = {e.key for e in library.entries}
    ris = run("cite", *FACTS, "--style", "ris")
    assert {r["type_of_reference"] for r in rispy.loads(ris.out)} <= {"NEWS", "ELEC", "ENCYC"}
    assert len(rispy.loads(ris.out)) == len(keys)
    items = json.loads(run("cite", *FACTS, "--style", "csl-json").out)
    jsonschema.validate(items, json.loads((DATA / "csl-data.json").read_text(encoding="utf-8")))
    assert {i["id"] for i in items} == keys


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["cite", "1956-10-19-soviet-japanese-declaration"], 1, f"did you mean: {DECLARATION}"),
        (["cite", "pecob-2016"], 1, "no fact or source with id 'pecob-2016'; did you mean: pecob-2017?"),
        (["cite", DECLARATION, "--style", "harvard"], 2, "'apa', 'chicago', 'mla', 'bibtex', 'ris', 'csl-json'"),
        (["cite"], 2, "Missing argument"),
    ],
)
def test_bad_input(run, args: list[str], code: int, message: str) -> None:
    r = run(*args)
    assert r.code == code and r.out == ""
    assert message in r.err and "Traceback" not in r.err


def test_nothing_is_printed_before_an_unknown_id_is_found(run) -> None:
    r = run("cite", DECLARATION, "no-such-fact")
    assert r.code == 1 and r.out == ""


# --------------------------------------------------------------------------- show


def test_show_names_each_source_once_with_its_quotes(run) -> None:
    r = run("show", DECLARATION)
    assert r.code == 0
    headers = [line for line in r.out.splitlines() if line.startswith("source: ")]
    assert len(headers) == len({h.split(":")[1] for h in headers}) == 5
    assert "source: wikipedia-2019: Japan–Russia relations (Wikipedia, 2019)" in headers


def test_show_terminal_keeps_a_wrapped_quotes_indent_and_cuts_the_title_with_an_ellipsis(
    run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    monkeypatch.setenv("COLUMNS", "60")
    r = run("show", DECLARATION)
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line) for line in r.out.splitlines()]
    assert lines[0].startswith("╭─ The Soviet–Japanese Joint Declaration") and "…" in lines[0]
    assert len(lines[0]) == 60
    quote = next(i for i, line in enumerate(lines) if "“On October 19, 1956," in line)
    column = lines[quote].index("“")
    following = lines[quote + 1]
    assert len(following) - len(following[1:].lstrip()) == column  # the wrapped line starts under the quote
    assert column > 2 + len("provisions")  # past the labels


def test_show_undated_and_thousands(run) -> None:
    r = run("show", "undated-comparison-population")
    assert "date: undated\n" in r.out
    assert "figure: japan: population = 127,053,000 people" in r.out


def test_show_context(run) -> None:
    texts = needs_sources()
    r = run("show", DECLARATION, "--context", "--sources", str(texts))
    assert r.code == 0, r.err
    assert (
        "    The relations were suspended on August 9, 1945, after the USSR declared war on Japan which was an ally "
        "of Nazi Germany. **On October 19, 1956, Moscow and Tokyo signed a declaration on ending the state of war "
        "and restoring diplomatic relations.**\n"
        # the next sentence, after a paragraph break: the break is kept
        "    On January 27, 1992, the Japanese government recognized the Russian Federation as the legal successor to "
        "the Soviet Union.\n"
    ) in r.out
    # A one-sentence paragraph still gets the sentences around it.
    trade = run("show", "2016-01-russia-japan-trade-total-first-eight-months", "--context", "--sources", str(texts))
    assert "\n    **In the first eight months of 2016," in trade.out
    assert "\n    In the wake of the crisis in Ukraine," in trade.out
    wide = run("show", DECLARATION, "--context", "0", "--sources", str(texts))
    assert "    **On October 19, 1956, Moscow and Tokyo signed" in wide.out
    # N either side: two sentences reach back to the paragraph before; N comes before the id or after it.
    two = run("show", "--context", "2", DECLARATION, "--sources", str(texts))
    assert two.code == 0 and "    MOSCOW (Sputnik) — The Soviet–Japanese Basic Convention" in two.out
    assert "MOSCOW (Sputnik)" not in r.out
    assert run("show", DECLARATION, "--context=2", "--sources", str(texts)).out == two.out
    assert run("show", "--context", DECLARATION, "--sources", str(texts)).out == r.out
    record = json.loads(run("show", DECLARATION, "--json", "--context", "--sources", str(texts)).out)
    assert record["sources"][0]["context"]["quote"].startswith("On October 19, 1956")


def test_show_context_from_the_environment(run, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NICHIRO_SOURCES", str(needs_sources()))
    r = run("show", DECLARATION, "--context")
    assert r.code == 0 and "**On October 19, 1956," in r.out


def test_show_context_without_the_texts_says_how_to_get_them(run, monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    monkeypatch.delenv("NICHIRO_SOURCES", raising=False)
    r = run("show", DECLARATION, "--context")
    assert r.code == 2 and r.out == ""
    assert "--context needs the source texts: give --sources DIR or set NICHIRO_SOURCES" in r.err
    r = run("show", DECLARATION, "--context", "--sources", str(tmp_path))
    assert r.code == 2 and "000_a524424881cf15e9.txt is not in" in r.err
    r = run("show", DECLARATION, "--sources", str(tmp_path))
    assert r.code == 2 and "--sources goes with --context" in r.err
    r = run("show", DECLARATION, "--context", "-1", "--sources", str(tmp_path))
    assert r.code == 2 and "--context: -1 is not 0 or more" in r.err


def _doc_examples() -> list[tuple[str, list[str]]]:
    text = (Path(__file__).resolve().parent.parent / "docs" / "citing.md").read_text(encoding="utf-8")
    out = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        lines = block.rstrip("\n").splitlines()
        out.append((lines[0][2:], lines[1:]))
    return out


@pytest.mark.parametrize(("command", "shown"), _doc_examples(), ids=[c for c, _ in _doc_examples()])
def test_docs_citing_shows_what_cite_prints(run, command: str, shown: list[str]) -> None:
    r = run(*shlex.split(command)[1:])
    assert r.code == 0
    assert r.out.splitlines() == shown


def test_a_users_own_sources_are_cited_and_control_characters_escaped(run, facts_dir: Path) -> None:
    """Old-style sources (title, publisher, date) still cite; what they do not say is named; a quote or
    title from a user's file cannot drive the terminal in a text style."""
    base = facts_dir / "base.toml"
    text = base.read_text(encoding="utf-8").replace('title = "Source B"', 'title = "Source B\\u001b[2J"')
    base.write_text(text, encoding="utf-8")
    r = run("--facts-only", "--facts", str(facts_dir), "cite", "2016-05-putin-abe-sochi", "--style", "apa")
    assert r.code == 0, r.err
    assert "\x1b" not in r.out and "Source B\\x1b[2J" in r.out
    assert "(2017, March)" in r.out  # the date at the source's precision
    assert "cite: src-b: not known, so not in the reference: author, URL" in r.err
    bib = run("--facts-only", "--facts", str(facts_dir), "cite", "src-a", "--style", "bibtex")
    assert bib.code == 0 and "@misc{src-a," in bib.out and "howpublished = {Publisher A}" in bib.out
